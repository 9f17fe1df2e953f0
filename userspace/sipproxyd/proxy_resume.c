// SPDX-License-Identifier: GPL-2.0
/*
 * A call that was ringing when a previous run stopped (RFC 3261 16.7,
 * 16.10, 17.1.1.3). No transaction of this run knows its INVITE, but the
 * copies of it that rang are stored (dialog_store.h): at the first of
 * these that needs them they become a proxy context again, without a
 * server transaction. Each copy gets an INVITE client transaction in
 * Proceeding (txn_client_resume()) that behaves as the original one
 * would have (its Request-URI, Via branch, Route set and destination):
 *
 *  - a CANCEL for the call: the copies are CANCELled (9.1) and the CANCEL
 *    is answered 200 here; the media is freed at once;
 *  - a 1xx or a non-2xx final from a callee (proxy_resume_response()),
 *    which no transaction of this run matched: it is fed again to the
 *    resumed transaction of its branch. A 1xx goes upstream by its Via,
 *    its SDP anchored on the branch its To tag rang on (16.7 step 5); a
 *    final is ACKed by the transaction (17.1.1.3), which absorbs its
 *    retransmissions (ACKed again, nothing forwarded), and the best
 *    final of all copies goes upstream by its Via (16.7 step 6,
 *    proxy_response.c).
 *
 * The call then ends as any other: its media freed at the CANCEL or the
 * last final, its rows at the last final. A first 2xx confirms the call
 * without resuming anything (proxy_calls_stray_2xx()); one after a resume
 * is its transaction's.
 *
 * A CANCEL no transaction and no stored call knows, or one for a stored
 * call without stored copies (a store of the version before, or no copy
 * had rung yet, which also ends the call), is forwarded statelessly
 * (16.10: the element has no knowledge of the request to apply it to;
 * proxy_cancel_stateless()).
 *
 * Log line (API; context is the Call-ID):
 *   "dialog: call HANDLE resumed: N branches to CANCEL" (or "for a STATUS")
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "proxy_calls.h"
#include "proxy_ctx.h"

/* The ringing call a previous run left that @msg names; its context when resumed already. */
static struct dialog *restored_call(struct proxy_calls *pc, const struct sip_msg *msg)
{
	struct dialog *d = pc ? dialog_find_initial(pc->dialogs, msg->call_id, msg->from.tag) : NULL;
	const struct proxy_ctx *ctx;

	if (!d || d->state != DIALOG_EARLY)
		return NULL;
	ctx = d->invite;
	return !ctx || (ctx->resumed && !ctx->server) ? d : NULL;
}

/*
 * Branch @b again from its stored row: an INVITE client transaction that
 * rang. The INVITE must be the one the CANCEL or response names (its CSeq
 * number: the caller's PRACKs and UPDATEs raise the dialog's).
 */
static int resume_branch(struct core *c, struct proxy_branch *b, const struct dialog_branch *row,
			 uint32_t cseq)
{
	struct sip_str id = sip_str_make(row->id, strlen(row->id));
	int err;

	memcpy(b->id, row->id, sizeof(b->id));
	b->dst = (struct tp_addr){ .proto = row->proto, .peer = row->peer, .lfd = -1 };
	if (sip_msg_parse(&c->scratch, row->stub, row->stub_len, SIP_DATAGRAM) ||
	    c->scratch.cseq.number != cseq)
		return -EINVAL;
	err = txn_client_resume(c->txns, &c->scratch, row->stub, row->stub_len, id, &b->dst,
				&b->client);
	if (err)
		return err;
	txn_set_user(b->client, b);
	b->provisional = true;
	b->stored = true;
	return 0;
}

/* A context for the stored branches of @d; NULL when none could be resumed. */
static struct proxy_ctx *resume_ctx(struct core *c, struct dialog *d, uint32_t cseq,
				    const struct dialog_branch *rows, size_t n)
{
	struct proxy_ctx *ctx = calloc(1, sizeof(*ctx) + n * sizeof(ctx->branches[0]));
	size_t i;

	if (!ctx)
		return NULL;
	ctx->core = c;
	ctx->invite = true;
	ctx->initial = true;
	ctx->resumed = true;
	ctx->method = SIP_METHOD_INVITE;
	ctx->call = d->handle;
	ctx->side = DIALOG_CALLER;
	ctx->nbranches = n;
	for (i = 0; i < n; i++) {
		struct proxy_branch *b = &ctx->branches[i];

		b->ctx = ctx;
		timer_init(&b->timer_c, proxy_on_timer_c);
		if (resume_branch(c, b, &rows[i], cseq))
			b->done = true;
		else
			ctx->pending++;
	}
	if (!ctx->pending) {
		free(ctx);
		return NULL;
	}
	d->invite = ctx;
	return ctx;
}

/*
 * The stored copies of @d's INVITE with CSeq @cseq as a context again;
 * NULL when none could be. @stored: how many copies (of any CSeq) the
 * store had.
 */
static struct proxy_ctx *resume(struct core *c, struct dialog *d, uint32_t cseq, size_t *stored)
{
	struct proxy_calls *pc = c->calls;
	/* A call forks to at most that many copies. */
	size_t max = c->cfg->max_contacts_per_aor, n = 0;
	struct dialog_branch *rows = calloc(max, sizeof(*rows));
	struct proxy_ctx *ctx = NULL;

	if (rows && pc->store && !dialog_store_branches(pc->store, d->handle, rows, max, &n) && n)
		ctx = resume_ctx(c, d, cseq, rows, n);
	*stored = n;
	dialog_branches_free(rows, &n);
	free(rows);
	return ctx;
}

/**
 * proxy_resume_cancel - a CANCEL in server transaction @t that matched no INVITE
 *
 * Return: true when it was dealt with (a call ringing across a restart
 * CANCELled, or the CANCEL forwarded statelessly or answered); false to
 * answer it 481 (a CSeq none of the call's stored copies has, or nowhere
 * to forward it to).
 */
bool proxy_resume_cancel(struct core *c, struct txn *t, const struct sip_msg *msg,
			 const struct tp_addr *src)
{
	struct dialog *d = restored_call(c->calls, msg);
	struct proxy_ctx *ctx;
	size_t stored;

	if (!d)
		return proxy_cancel_stateless(c, t, msg, src);
	ctx = d->invite;
	if (!ctx) {
		ctx = resume(c, d, msg->cseq.number, &stored);
		if (!stored) {
			proxy_calls_end(c->calls, d, "cancel");
			return proxy_cancel_stateless(c, t, msg, src);
		}
		/* Copies are stored, none of the INVITE this CANCEL names. */
		if (!ctx)
			return false;
		log_msg(LOG_LEVEL_NOTICE, d->call_id,
			"dialog: call %016llx resumed: %zu branches to CANCEL",
			(unsigned long long)d->handle, ctx->pending);
	}
	core_reply(c, t, msg, 200, "OK", NULL);
	proxy_calls_cancel(ctx);
	proxy_cancel_pending(ctx);
	return true;
}

/**
 * proxy_resume_response - a response to INVITE that no client transaction matched
 *
 * A 1xx (not 100) or a non-2xx final for a call ringing across a restart
 * resumes its stored copies and goes to the transaction of its branch.
 *
 * Return: whether a resumed transaction took it; false leaves it to the
 * stray path (proxy_stray_response()).
 */
bool proxy_resume_response(struct core *c, const struct sip_msg *msg)
{
	struct dialog *d;
	struct proxy_ctx *ctx;
	size_t stored;

	if (msg->cseq.method_id != SIP_METHOD_INVITE || msg->status == 100 ||
	    msg->status / 100 == 2)
		return false;
	d = restored_call(c->calls, msg);
	if (!d || d->invite)
		return false;
	ctx = resume(c, d, msg->cseq.number, &stored);
	if (!ctx)
		return false;
	log_msg(LOG_LEVEL_NOTICE, d->call_id, "dialog: call %016llx resumed: %zu branches for a %d",
		(unsigned long long)d->handle, ctx->pending, msg->status);
	return txn_client_receive(c->txns, msg);
}
