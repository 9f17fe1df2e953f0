// SPDX-License-Identifier: GPL-2.0
/*
 * A CANCEL for a call that was ringing when a previous run stopped (RFC
 * 3261 16.10). No server transaction of this run knows its INVITE, but
 * the copies of it that rang are stored (dialog_store.h): they become a
 * proxy context again, without a server transaction. Each copy gets an
 * INVITE client transaction in Proceeding (txn_client_resume()) and is
 * CANCELled as the original transaction would have done it (9.1: its
 * Request-URI, Via branch, Route set and destination); the CANCEL is
 * answered 200 here. The callees' finals (487) are ACKed by those
 * transactions, the best goes upstream statelessly by its Via
 * (proxy_response.c), and the call ends as any cancelled one: its media
 * is freed at the CANCEL, its rows at the last final.
 *
 * Without stored copies (a store of the version before, or no copy had
 * rung yet), the CANCEL is proxied like any other request, routed by its
 * Request-URI (16.10: the element has no knowledge of the request to
 * apply it to), and the call ends at once.
 *
 * Log line (API; context is the Call-ID):
 *   "dialog: call HANDLE resumed: N branches to CANCEL"
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "proxy_calls.h"
#include "proxy_ctx.h"

/* The ringing call a previous run left that @msg, a CANCEL, names. */
static struct dialog *restored_call(struct proxy_calls *pc, const struct sip_msg *msg)
{
	struct dialog *d = dialog_find_initial(pc->dialogs, msg->call_id, msg->from.tag);

	return d && d->state == DIALOG_EARLY && !d->invite ? d : NULL;
}

/*
 * Branch @b again from its stored row: an INVITE client transaction that
 * rang. The INVITE must be the one the CANCEL names (its CSeq number: the
 * caller's PRACKs and UPDATEs raise the dialog's).
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

/* 16.10's fallback: no copy of the INVITE is known, the CANCEL goes where its URI leads. */
static void forward(struct core *c, struct txn *t, const struct sip_msg *msg,
		    const struct tp_addr *src, struct dialog *d)
{
	proxy_calls_end(c->calls, d, "cancel");
	proxy_request(c, t, msg, src);
}

/**
 * proxy_resume_cancel - a CANCEL in server transaction @t that matched no INVITE
 *
 * Return: true when it named a call ringing across a restart and was dealt
 * with; false to answer it 481 (no such call, or a CSeq none of its stored
 * copies has).
 */
bool proxy_resume_cancel(struct core *c, struct txn *t, const struct sip_msg *msg,
			 const struct tp_addr *src)
{
	struct proxy_calls *pc = c->calls;
	/* A call forks to at most that many copies. */
	size_t max = c->cfg->max_contacts_per_aor, n = 0;
	struct dialog_branch *rows;
	struct proxy_ctx *ctx;
	struct dialog *d;

	d = pc ? restored_call(pc, msg) : NULL;
	if (!d)
		return false;
	rows = calloc(max, sizeof(*rows));
	if (!rows || !pc->store || dialog_store_branches(pc->store, d->handle, rows, max, &n))
		n = 0;
	if (!n) {
		free(rows);
		forward(c, t, msg, src, d);
		return true;
	}
	ctx = resume_ctx(c, d, msg->cseq.number, rows, n);
	dialog_branches_free(rows, &n);
	free(rows);
	/* Copies are stored, none of the INVITE this CANCEL names. */
	if (!ctx)
		return false;
	log_msg(LOG_LEVEL_NOTICE, d->call_id, "dialog: call %016llx resumed: %zu branches to CANCEL",
		(unsigned long long)d->handle, ctx->pending);
	core_reply(c, t, msg, 200, "OK", NULL);
	proxy_calls_cancel(ctx);
	proxy_cancel_pending(ctx);
	return true;
}
