/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_PROXY_CALLS_H
#define SIPPROXY_PROXY_CALLS_H

#include "core.h"
#include "dialog.h"
#include "dialog_store.h"
#include "media.h"
#include "proxy_ctx.h"
#include "sip_rewrite.h"
#include "txn_build.h"

/*
 * Media anchoring in the proxy: every INVITE dialog we record-route is a
 * tracked call (dialog.h) whose SDP bodies go through media_sdp() on the
 * way, and whose media is freed when a branch or the call ends.
 *
 * Which body belongs to which media branch: the initial INVITE's copy to
 * each fork target starts a branch of its own (a failover to the next
 * target of the same fork starts a new one and ends the old); its 1xx/2xx
 * bodies answer on that branch; requests inside an early dialog (PRACK,
 * UPDATE) belong to the branch whose 1xx carried their callee tag; once a
 * 2xx wins, every body of the dialog belongs to the winner.
 *
 * When media_sdp() refuses a body:
 *  - an offer in a request (INVITE, re-INVITE, UPDATE) is answered with
 *    its status (488, 491, 503 with Retry-After, 500) and not forwarded;
 *    with forking, only when no copy left yet: a later copy fails alone;
 *  - a 1xx of the initial INVITE is not forwarded and its branch is
 *    CANCELled;
 *  - a 2xx of the initial INVITE is not forwarded: we ACK it and send BYE
 *    to that callee, and the branch counts as failed with 500 (the caller
 *    gets 500 unless another branch answers); so is a second 2xx after
 *    another branch won (its relay ports went when the first 2xx won, so
 *    its media cannot be anchored), and any 2xx once the call was
 *    CANCELled; a 2xx retransmitted after its client transaction ended is
 *    rewritten when it is the answered dialog's, else not forwarded;
 *  - a body in a 2xx to a re-INVITE/UPDATE/PRACK, or in an ACK, ends the
 *    call: ACK (for INVITE) and BYE to both sides, 500 to the sender.
 *
 * Restart: every call is stored from its INVITE on (dialog_store.h), its
 * media state from the first offer (media_store.h), and each copy of its
 * INVITE from that copy's first provisional response until its final. A
 * call that was ringing comes back early with its kernel flows; the first
 * 2xx for it, which no transaction of the new run knows, confirms it on
 * the branch its To tag rang on (or the only branch) and goes up by its
 * Via. A CANCEL for it, or the first 1xx or non-2xx final from a callee,
 * brings the stored copies back as client transactions (proxy_resume.c):
 * the CANCEL CANCELs them; a 1xx goes upstream by its Via (16.7 step 5:
 * the caller's UA rings on 180 and plays early media from a 183), its SDP
 * rewritten on the branch its To tag rang on, as before the restart; a
 * final is ACKed and the best goes upstream by its Via, the call ending
 * as any unanswered one. One that nobody answers nor CANCELs ends at the
 * media timeout. A ringing call whose INVITE had no SDP is not kept.
 */
struct proxy_calls {
	struct core *core;
	struct media *media;
	struct dialogs *dialogs;
	struct dialog_store *store;	/* NULL without a [registrar] database */
	uint64_t handle_key;		/* random, drawn once: see new_handle() */
	uint64_t handle_seq;
	char body[SDP_MAX_BODY];	/* the body media_sdp() writes */
	struct sip_msg msg;		/* a request we generate, parsed */
	char out[TXN_BUILD_MAX];	/* and its text */
};

int proxy_calls_new(struct core *c, struct loop *loop, const struct config *cfg,
		    struct proxy_calls **out);
void proxy_calls_free(struct proxy_calls *pc);

int proxy_calls_attach(struct proxy_ctx *ctx, const struct sip_msg *msg,
		       const struct tp_addr *src, struct media_err *err);
void proxy_calls_detach(struct proxy_ctx *ctx);
int proxy_calls_request_body(struct proxy_branch *b, const struct sip_msg *msg,
			     struct sip_rewrite *rw, struct media_err *err);
void proxy_calls_refused(struct proxy_branch *b, const struct sip_msg *req,
			 const struct media_err *err);
void proxy_calls_reply(struct core *c, struct txn *t, const struct sip_msg *req,
		       const struct media_err *err);
bool proxy_calls_response(struct proxy_branch *b, const struct sip_msg *msg,
			  struct sip_rewrite *rw);
void proxy_calls_final(struct proxy_branch *b, int status);
void proxy_calls_cancel(struct proxy_ctx *ctx);
void proxy_calls_rang(struct proxy_branch *b);
void proxy_calls_resumed(struct proxy_branch *b, const struct sip_msg *msg);
void proxy_calls_unstore(struct proxy_branch *b);
void proxy_calls_end(struct proxy_calls *pc, struct dialog *d, const char *reason);
void proxy_calls_ack(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw);
bool proxy_calls_stray_2xx(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw);

/* proxy_dialog.c: requests we generate inside a dialog. */
int proxy_dialog_callee_view(struct core *c, const struct sip_msg *resp,
			     struct dialog_peer *callee, char **caller_route);
int proxy_dialog_send(struct proxy_calls *pc, const char *call_id, const struct dialog_peer *to,
		      const struct dialog_peer *from, const char *method, uint32_t cseq);
void proxy_dialog_peer_clear(struct dialog_peer *p);

#endif
