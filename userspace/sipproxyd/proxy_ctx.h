/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_PROXY_CTX_H
#define SIPPROXY_PROXY_CTX_H

#include "core.h"

/*
 * One proxied request: its server transaction and one branch per target
 * (16.6), each with its client transaction. It lives until every one of
 * those transactions has ended.
 */
struct proxy_branch {
	struct proxy_ctx *ctx;
	struct txn *client;		/* NULL once ended, or never started */
	struct tp_addr dst;
	char id[TXN_BRANCH_MAX];
	struct timer timer_c;		/* INVITE: 16.6 step 11 */
	bool provisional;		/* a 1xx came: CANCEL may go */
	bool cancel_wanted;		/* CANCEL once a 1xx comes */
	bool cancel_sent;
	bool done;			/* a final response came, or the branch failed */
	bool media;			/* mbranch is this branch's media branch */
	bool rejected;			/* its 2xx was refused: ACKed and BYEd by us */
	bool stored;			/* initial INVITE: in dialog_branch (dialog_store.h) */
	uint32_t mbranch;		/* initial INVITE: its media branch (media.h) */
	struct resolve_req *dns;	/* RFC 3263 lookup of its next hop running */
	struct resolve_targets *targets; /* what it found: the next one on 503 or timeout */
	char *contact;			/* a binding reached by name: its contact, */
	char *path;			/* and Path, for each target; NULL otherwise */
};

struct proxy_ctx {
	struct core *core;
	struct txn *server;		/* NULL once ended */
	bool invite;
	bool answered;			/* a final response went upstream */
	bool cancelling;		/* no branch may ring on */
	bool resumed;			/* a previous run's INVITE, back from the store */
	enum sip_method method;
	uint64_t call;			/* the tracked call's handle (dialog.h); 0: none */
	bool initial;			/* the INVITE that started the call */
	int side;			/* enum dialog_side that sent the request */
	bool has_branch;		/* in-dialog: mbranch names its media branch */
	uint32_t mbranch;
	size_t pending;			/* branches without a final response */
	int best_status;		/* 0: none yet */
	char *best;			/* the best final response received, or NULL */
	size_t best_len;
	char *challenges;		/* "W value\n" / "P value\n" of every 401 and 407 */
	size_t challenges_len;
	size_t nbranches;
	struct proxy_branch branches[];
};

void proxy_on_timer_c(struct timer *timer, uint64_t now);
void proxy_branch_cancel(struct proxy_branch *b);
void proxy_cancel_pending(struct proxy_ctx *ctx);
void proxy_branch_done(struct proxy_branch *b, int status, const struct sip_msg *resp);
void proxy_maybe_free(struct proxy_ctx *ctx);
bool proxy_failover(struct proxy_branch *b);

#endif
