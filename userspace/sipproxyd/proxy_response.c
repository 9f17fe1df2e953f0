// SPDX-License-Identifier: GPL-2.0
/*
 * Responses through the stateful proxy (RFC 3261 16.7): provisionals and
 * every 2xx go upstream at once; other finals wait until every branch has
 * one, then the best goes (6xx first, else the lowest class, preferring
 * the 4xx that tell the caller how to retry), 401 and 407 carrying the
 * challenges of all branches, a 503 turned into 500. A 2xx or 6xx cancels
 * the branches still ringing, as does a CANCEL from upstream (16.10).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "proxy_calls.h"
#include "proxy_ctx.h"
#include "resolve.h"
#include "sip_rewrite.h"
#include "txn_build.h"

/* How much one final response is worth to the caller; lower is better (16.7 step 6). */
static int rank(int status)
{
	switch (status) {
	case 401:
	case 407:
	case 415:
	case 420:
	case 484:
		return 400;
	case 503:
		return 599;
	default:
		return status / 100 == 6 ? 0 : status / 100 * 100 + 1;
	}
}

void proxy_maybe_free(struct proxy_ctx *ctx)
{
	size_t i;

	if (ctx->server)
		return;
	for (i = 0; i < ctx->nbranches; i++)
		if (ctx->branches[i].client)
			return;
	for (i = 0; i < ctx->nbranches; i++) {
		struct proxy_branch *b = &ctx->branches[i];

		loop_timer_cancel(ctx->core->loop, &b->timer_c);
		if (b->dns)
			resolve_cancel(b->dns);
		if (b->targets)
			resolve_targets_free(b->targets);
		free(b->contact);
		free(b->path);
	}
	proxy_calls_detach(ctx);
	free(ctx->best);
	free(ctx->challenges);
	free(ctx);
}

/* The response to forward: our Via gone, @extra edits applied. */
static int strip_via(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw,
		     size_t *len)
{
	sip_rewrite_add(rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE);
	return sip_rewrite(msg, rw, c->out, sizeof(c->out), len);
}

/*
 * Through the server transaction; once it is gone (Timer L), a 2xx to
 * INVITE still goes up, statelessly by its Via (RFC 6026 7.2), and any
 * other response is dropped. An INVITE resumed after a restart
 * (proxy_resume.c) never had one: its 1xx go up by their Via too (16.7
 * step 5), its best final from send_best().
 */
static void send_upstream(struct proxy_ctx *ctx, const struct sip_msg *msg, struct sip_rewrite *rw)
{
	struct core *c = ctx->core;
	bool by_via = msg->status / 100 == 2 || (ctx->resumed && msg->status < 200);
	size_t len;

	if (!ctx->server) {
		if (!ctx->invite || !by_via || core_forward_response(c, msg, rw))
			stats_drop(&c->stats, STATS_DROP_STRAY_RESPONSE);
		return;
	}
	if (strip_via(c, msg, rw, &len))
		return;
	if (msg->status >= 200)
		core_log_outcome(c, ctx->server, msg->status, msg->reason);
	txn_server_respond(ctx->server, msg->status, c->out, len);
}

/* Keep the challenge values of a 401 or 407 for the response we send (16.7 step 7). */
static void collect_challenges(struct proxy_ctx *ctx, const struct sip_msg *msg)
{
	const struct sip_hdr *h;
	enum sip_hdr_type type;
	size_t add = 0;
	char *p;

	for (type = SIP_HDR_PROXY_AUTHENTICATE; type; type = type == SIP_HDR_PROXY_AUTHENTICATE ?
						 SIP_HDR_WWW_AUTHENTICATE : SIP_HDR_OTHER)
		for (h = sip_msg_hdr(msg, type); h; h = sip_msg_hdr_next(msg, h))
			add += h->value.len + 3;
	p = realloc(ctx->challenges, ctx->challenges_len + add);
	if (!p)
		return;
	ctx->challenges = p;
	for (type = SIP_HDR_PROXY_AUTHENTICATE; type; type = type == SIP_HDR_PROXY_AUTHENTICATE ?
						 SIP_HDR_WWW_AUTHENTICATE : SIP_HDR_OTHER)
		for (h = sip_msg_hdr(msg, type); h; h = sip_msg_hdr_next(msg, h)) {
			p = ctx->challenges + ctx->challenges_len;
			p[0] = type == SIP_HDR_PROXY_AUTHENTICATE ? 'P' : 'W';
			p[1] = ' ';
			memcpy(p + 2, h->value.s, h->value.len);
			p[2 + h->value.len] = '\n';
			ctx->challenges_len += h->value.len + 3;
		}
}

/* Every collected challenge replaces the best response's own (which are among them). */
static void add_challenges(struct proxy_ctx *ctx, struct sip_rewrite *rw)
{
	const char *p = ctx->challenges, *end = p + ctx->challenges_len, *nl;

	sip_rewrite_add(rw, SIP_EDIT_REMOVE, SIP_HDR_WWW_AUTHENTICATE, SIP_STR_NONE);
	sip_rewrite_add(rw, SIP_EDIT_REMOVE, SIP_HDR_PROXY_AUTHENTICATE, SIP_STR_NONE);
	for (; p < end && rw->nedits < SIP_MAX_EDITS - 1; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		sip_rewrite_add(rw, SIP_EDIT_APPEND,
				p[0] == 'P' ? SIP_HDR_PROXY_AUTHENTICATE : SIP_HDR_WWW_AUTHENTICATE,
				sip_str_make(p + 2, (size_t)(nl - p - 2)));
	}
}

/* The request as received, parsed again into the scratch message. */
static const struct sip_msg *request_of(struct proxy_ctx *ctx)
{
	struct core *c = ctx->core;
	const char *req;
	size_t len;

	req = txn_request(ctx->server, &len);
	if (sip_msg_parse(&c->scratch, req, len, SIP_DATAGRAM))
		return NULL;
	return &c->scratch;
}

static const char *generated_reason(int status)
{
	switch (status) {
	case 408:
		return "Request Timeout";
	case 404:
		return "No Route To Destination";
	case 513:
		return "Message Too Large";
	default:
		return "Server Internal Error";
	}
}

/* 16.7 step 6 once every branch has a final: send the best one upstream. */
static void send_best(struct proxy_ctx *ctx)
{
	struct core *c = ctx->core;
	struct sip_rewrite rw = { 0 };
	struct sip_msg *resp = &c->scratch;
	const struct sip_msg *req;
	int status = ctx->best_status;

	ctx->answered = true;
	if (!ctx->server) {
		/* A resumed INVITE (proxy_resume.c): what came back goes up by its Via. */
		if (ctx->resumed && ctx->best &&
		    !sip_msg_parse(resp, ctx->best, ctx->best_len, SIP_DATAGRAM) &&
		    core_forward_response(c, resp, &rw))
			stats_drop(&c->stats, STATS_DROP_STRAY_RESPONSE);
		return;
	}
	if (ctx->best && status != 503 &&
	    !sip_msg_parse(resp, ctx->best, ctx->best_len, SIP_DATAGRAM)) {
		if ((status == 401 || status == 407) && ctx->challenges_len)
			add_challenges(ctx, &rw);
		send_upstream(ctx, resp, &rw);
		return;
	}
	/* No response to forward (timeouts, send errors), or a 503 (16.7 step 6). */
	req = request_of(ctx);
	if (status == 503 || status >= 600 || status < 300)
		status = 500;
	if (req)
		core_reply(c, ctx->server, req, status, generated_reason(status), NULL);
}

/**
 * proxy_branch_done - @b has its final answer
 * @resp: the response, or NULL for one we made up (timeout, send error)
 */
void proxy_branch_done(struct proxy_branch *b, int status, const struct sip_msg *resp)
{
	struct proxy_ctx *ctx = b->ctx;

	if (b->done)
		return;
	/* RFC 3263 4.3: a 503 or a timeout sends the request to the next target. */
	if ((status == 503 || status == 408) && proxy_failover(b))
		return;
	b->done = true;
	ctx->pending--;
	loop_timer_cancel(ctx->core->loop, &b->timer_c);
	proxy_calls_final(b, status);
	if (!ctx->best_status || rank(status) < rank(ctx->best_status)) {
		free(ctx->best);
		ctx->best = NULL;
		ctx->best_status = status;
		if (resp) {
			ctx->best = malloc(resp->data.len);
			if (ctx->best) {
				memcpy(ctx->best, resp->data.s, resp->data.len);
				ctx->best_len = resp->data.len;
			}
		}
	}
	if (resp && (status == 401 || status == 407))
		collect_challenges(ctx, resp);
	if (status >= 600)
		proxy_cancel_pending(ctx);
	if (!ctx->pending && !ctx->answered)
		send_best(ctx);
}

/* 9.1: CANCEL the INVITE of @b, once it had a provisional response. */
void proxy_branch_cancel(struct proxy_branch *b)
{
	struct core *c = b->ctx->core;
	char buf[TXN_BUILD_MAX];
	struct txn *cancel;
	const char *req;
	size_t len;

	if (b->done || b->cancel_sent || !b->client)
		return;
	if (!b->provisional) {
		b->cancel_wanted = true;
		return;
	}
	b->cancel_sent = true;
	/*
	 * Not 9.1's 64*T1: a 2xx that crosses the CANCEL later than that still
	 * finds its transaction, to be ACKed and ended with BYE.
	 */
	loop_timer_arm(c->loop, &b->timer_c, TXN_TIMER_C_MS);
	req = txn_request(b->client, &len);
	if (sip_msg_parse(&c->scratch, req, len, SIP_DATAGRAM) ||
	    txn_build_cancel(&c->scratch, buf, sizeof(buf), &len) ||
	    sip_msg_parse(&c->scratch, buf, len, SIP_DATAGRAM))
		return;
	/* Nobody waits for the CANCEL's own response: the INVITE's 487 matters. */
	txn_client_new(c->txns, &c->scratch, buf, len, sip_str_make(b->id, strlen(b->id)),
		       &b->dst, &cancel);
}

void proxy_cancel_pending(struct proxy_ctx *ctx)
{
	size_t i;

	if (!ctx->invite)
		return;
	ctx->cancelling = true;
	for (i = 0; i < ctx->nbranches; i++)
		proxy_branch_cancel(&ctx->branches[i]);
}

/**
 * proxy_cancel - a CANCEL from upstream matched the INVITE transaction @invite
 */
void proxy_cancel(struct core *c, struct txn *invite)
{
	struct proxy_ctx *ctx = txn_user(invite);

	if (ctx) {
		proxy_calls_cancel(ctx);
		proxy_cancel_pending(ctx);
	}
}

/*
 * A client transaction without a user is a request the proxy sent on its
 * own (proxy_dialog.c): nobody waits for its response.
 */
void proxy_on_response(void *arg, struct txn *t, const struct sip_msg *msg)
{
	struct proxy_branch *b = txn_user(t);
	struct sip_rewrite rw = { 0 };
	struct proxy_ctx *ctx;

	if (!b || msg->status == 100)
		return;
	ctx = b->ctx;
	if (ctx->resumed)
		proxy_calls_resumed(b, msg);
	if (msg->status < 200) {
		if (!b->provisional)
			proxy_calls_rang(b);
		b->provisional = true;
		/* Once CANCELled, Timer C from the CANCEL on is all it gets. */
		if (ctx->invite && !b->cancel_sent)
			loop_timer_arm(ctx->core->loop, &b->timer_c, TXN_TIMER_C_MS);
		if (b->cancel_wanted || ctx->cancelling)
			proxy_branch_cancel(b);
		if (!ctx->answered && proxy_calls_response(b, msg, &rw))
			send_upstream(ctx, msg, &rw);
		return;
	}
	if (msg->status < 300) {
		if (!proxy_calls_response(b, msg, &rw))
			return;
		/* Every 2xx to INVITE goes up, retransmissions included (RFC 6026), by the Via alone. */
		if (!ctx->answered || ctx->invite)
			send_upstream(ctx, msg, &rw);
		ctx->answered = true;
		if (!b->done) {
			b->done = true;
			ctx->pending--;
			loop_timer_cancel(ctx->core->loop, &b->timer_c);
			proxy_calls_final(b, msg->status);
		}
		proxy_cancel_pending(ctx);
		return;
	}
	proxy_branch_done(b, msg->status, msg);
}

/**
 * proxy_stray_response - a response no client transaction wants
 *
 * A 1xx or non-2xx final for a call ringing across a restart resumes its
 * INVITE's stored copies (proxy_resume.c). Otherwise a 2xx retransmission
 * after Timer M, mostly: forwarded by its Via when the top one is ours
 * (16.11), a 2xx to INVITE with its body anchored as
 * proxy_calls_stray_2xx() decides. Anything else is dropped and counted.
 */
void proxy_stray_response(struct core *c, const struct sip_msg *msg)
{
	struct sip_rewrite rw = { 0 };

	if (proxy_resume_response(c, msg))
		return;

	if (msg->status >= 200 && msg->status < 300 && msg->cseq.method_id == SIP_METHOD_INVITE &&
	    !proxy_calls_stray_2xx(c, msg, &rw))
		goto drop;
	if (!core_forward_response(c, msg, &rw))
		return;
drop:
	stats_drop(&c->stats, STATS_DROP_STRAY_RESPONSE);
}

void proxy_on_timeout(void *arg, struct txn *t, bool transport_error)
{
	struct proxy_branch *b = txn_user(t);

	if (b)
		proxy_branch_done(b, transport_error ? 503 : 408, NULL);
}

void proxy_on_terminated(void *arg, struct txn *t)
{
	struct proxy_ctx *ctx;
	struct proxy_branch *b;

	if (!txn_user(t))
		return;
	if (txn_is_server(t)) {
		ctx = txn_user(t);
		ctx->server = NULL;
	} else {
		b = txn_user(t);
		ctx = b->ctx;
		b->client = NULL;
	}
	proxy_maybe_free(ctx);
}
