// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy's side of media anchoring (see proxy_calls.h for the rules):
 * a call is tracked from the initial INVITE, each SDP body on its way
 * through the proxy goes through media_sdp(), and the media of a branch
 * or call is freed when it ends. Started with the daemon: restored
 * dialogs adopt the kernel flows a previous run left.
 *
 * Log lines (API; context is the Call-ID):
 *   "dialog: call HANDLE started" / "confirmed" / "adopted"
 *   "dialog: call HANDLE ended (bye|cancel|failed|media timeout|media failed)"
 *   "dialog: media refused: STATUS REASON"
 */
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "proxy_calls.h"

static struct dialog *dialog_of(const struct proxy_ctx *ctx)
{
	struct proxy_calls *pc = ctx->core->calls;

	return pc && ctx->call ? dialog_by_handle(pc->dialogs, ctx->call) : NULL;
}

/* Bodies we anchor: application/sdp in the methods that carry offers and answers. */
static bool has_sdp(const struct sip_msg *msg)
{
	if (!msg->body.len || !sip_str_caseeq_cstr(msg->content_type.type, "application") ||
	    !sip_str_caseeq_cstr(msg->content_type.subtype, "sdp"))
		return false;
	if (!msg->request)
		return true;
	switch (msg->method_id) {
	case SIP_METHOD_INVITE:
	case SIP_METHOD_UPDATE:
	case SIP_METHOD_PRACK:
	case SIP_METHOD_ACK:
		return true;
	default:
		return false;
	}
}

static int refuse(struct media_err *err, int status, unsigned int retry_after, const char *why)
{
	err->status = status;
	err->retry_after = retry_after;
	snprintf(err->reason, sizeof(err->reason), "%s", why);
	return -1;
}

/* Every call is stored, ringing ones too: see proxy_calls_stray_2xx(). */
static void save(struct proxy_calls *pc, const struct dialog *d)
{
	if (pc->store)
		dialog_store_put(pc->store, d);
}

/* The call is over: its media freed (one log line per leg), its entry gone. */
static void call_end(struct proxy_calls *pc, struct dialog *d, const char *reason)
{
	media_call_end(d->media, reason);
	d->media = NULL;
	if (pc->store)
		dialog_store_del(pc->store, d->handle);
	log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: call %016llx ended (%s)",
		(unsigned long long)d->handle, reason);
	dialog_del(pc->dialogs, d);
}

/* For proxy_resume.c: a ringing call ends without a transaction of this run. */
void proxy_calls_end(struct proxy_calls *pc, struct dialog *d, const char *reason)
{
	call_end(pc, d, reason);
}

/* BYE to both sides of a confirmed dialog, then its end. */
static void hangup(struct proxy_calls *pc, struct dialog *d, const char *reason)
{
	int side, err;

	for (side = DIALOG_CALLER; d->state == DIALOG_CONFIRMED && side <= DIALOG_CALLEE; side++) {
		err = proxy_dialog_send(pc, d->call_id, &d->peer[side], &d->peer[!side], "BYE",
					d->peer[!side].cseq + 1);
		if (err)
			log_msg(LOG_LEVEL_WARN, d->call_id, "dialog: cannot send BYE to the %s: %s",
				side == DIALOG_CALLER ? "caller" : "callee", strerror(-err));
	}
	call_end(pc, d, reason);
}

/*
 * media_end_fn: every flow went silent. A confirmed call gets BYE on both
 * sides; a ringing one (silent early media) has its branches CANCELled
 * and ends as a failed call.
 */
static void on_media_end(void *owner, struct media_call *call, const char *reason)
{
	struct dialog *d = owner;
	struct proxy_calls *pc = d->user;

	if (d->state == DIALOG_EARLY && d->invite) {
		proxy_cancel_pending(d->invite);
		return;
	}
	hangup(pc, d, reason);
}

/* media_adopt_fn: a stored dialog takes its flows back. */
static void *on_adopt(void *data, struct media_call *call, uint64_t handle, const char *call_id)
{
	struct proxy_calls *pc = data;
	struct dialog *d = dialog_by_handle(pc->dialogs, handle);

	if (!d || strcmp(d->call_id, call_id))
		return NULL;
	d->media = call;
	log_msg(LOG_LEVEL_NOTICE, d->call_id, "dialog: call %016llx adopted",
		(unsigned long long)handle);
	return d;
}

/* Stored dialogs whose media did not survive (userspace relay, flows gone) end here. */
static void drop_unadopted(struct proxy_calls *pc)
{
	struct dialog *d, *next;

	for (d = dialogs_next(pc->dialogs, NULL); d; d = next) {
		next = dialogs_next(pc->dialogs, d);
		if (!d->media)
			call_end(pc, d, "not adopted");
	}
}

/**
 * proxy_calls_new - start media anchoring for the proxy of @c
 * @cfg: [media] and [registrar] database
 *
 * Opens the dialog store, starts the media layer (which logs its backend)
 * and adopts the calls a previous run left. Sets c->calls.
 *
 * Return: 0 or a negative errno (logged).
 */
int proxy_calls_new(struct core *c, struct loop *loop, const struct config *cfg,
		    struct proxy_calls **out)
{
	struct proxy_calls *pc = calloc(1, sizeof(*pc));
	struct dialog *d;
	int ret;

	if (!pc)
		return -ENOMEM;
	pc->core = c;
	if (RAND_bytes((unsigned char *)&pc->handle_key, sizeof(pc->handle_key)) != 1) {
		ret = -EIO;
		goto err_free;
	}
	ret = dialogs_new(&pc->dialogs);
	if (ret)
		goto err_free;
	if (cfg->registrar_database[0]) {
		ret = dialog_store_open(&pc->store, cfg->registrar_database);
		if (!ret)
			ret = dialog_store_load(pc->store, pc->dialogs);
		if (ret)
			goto err_store;
	}
	for (d = dialogs_next(pc->dialogs, NULL); d; d = dialogs_next(pc->dialogs, d))
		d->user = pc;
	ret = media_init(&pc->media, loop, cfg, on_media_end);
	if (ret)
		goto err_store;
	ret = media_restart_adopt(pc->media, on_adopt, pc);
	if (ret < 0)
		goto err_media;
	drop_unadopted(pc);
	c->calls = pc;
	*out = pc;
	return 0;

err_media:
	media_free(pc->media);
err_store:
	dialog_store_close(pc->store);
	dialogs_free(pc->dialogs);
err_free:
	free(pc);
	return ret;
}

/* At exit: the calls stay stored, and with rtpfwd.ko their flows keep forwarding. */
void proxy_calls_free(struct proxy_calls *pc)
{
	if (!pc)
		return;
	dialogs_free(pc->dialogs);
	media_free(pc->media);
	dialog_store_close(pc->store);
	free(pc);
}

/*
 * A handle per call: a 64-bit bijection of a counter under a key drawn at
 * start, so handles never repeat within a run and do not follow from one
 * run to the next. RAND_bytes() per call took a lock and a getpid().
 */
static uint64_t new_handle(struct proxy_calls *pc)
{
	uint64_t h;

	do {
		h = pc->handle_key + ++pc->handle_seq;
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
		h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
		h ^= h >> 31;
	} while (!h || dialog_by_handle(pc->dialogs, h));
	return h;
}

/* The initial INVITE: a new call, its caller's side from the request. */
static int call_start(struct proxy_calls *pc, struct proxy_ctx *ctx, const struct sip_msg *msg,
		      const struct tp_addr *src, struct media_err *err)
{
	struct core *c = pc->core;
	struct endpoint local;
	struct sip_addr contact;
	struct sip_iter it;
	struct dialog *d;
	uint64_t handle;
	int ret;

	/* A spiral brings the INVITE back: its first pass anchored it. */
	if (dialog_find_initial(pc->dialogs, msg->call_id, msg->from.tag))
		return 0;
	sip_iter_init(&it, msg, SIP_HDR_CONTACT);
	if (sip_iter_addr(&it, &contact) != 1)
		return refuse(err, 400, 0, "Contact missing");
	handle = new_handle(pc);
	ret = dialog_add(pc->dialogs, handle, msg->call_id, msg->from.tag, &d);
	if (ret == -ENOSPC)
		return refuse(err, 503, MEDIA_RETRY_AFTER, "too many calls");
	if (ret)
		return refuse(err, ret == -ENOMEM ? 500 : 400, 0, "From tag missing or too long");
	d->user = pc;
	d->next_branch = 1;
	d->peer[DIALOG_CALLER].cseq = msg->cseq.number;
	if (dialog_set_str(&d->peer[DIALOG_CALLER].addr, msg->from.raw) ||
	    dialog_set_str(&d->peer[DIALOG_CALLER].target, contact.uri_text)) {
		refuse(err, 400, 0, "From or Contact too long");
		goto err_del;
	}
	ret = transport_sent_by(c->tp, src->proto, &src->peer, &local);
	if (!ret)
		ret = media_call_new(pc->media, msg->call_id.s, msg->call_id.len, handle, &local, d,
				     &d->media);
	if (ret) {
		refuse(err, 500, 0, "media call not started");
		goto err_del;
	}
	d->invite = ctx;
	ctx->call = handle;
	ctx->side = DIALOG_CALLER;
	ctx->initial = true;
	save(pc, d);
	log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: call %016llx started",
		(unsigned long long)handle);
	return 0;

err_del:
	dialog_del(pc->dialogs, d);
	return -1;
}

/**
 * proxy_calls_attach - tie the proxied request of @ctx to its call
 * @err: filled when the request must be answered with it instead
 *
 * An initial INVITE starts a call; a request inside a tracked dialog
 * (early or confirmed) is tied to it, the side that sent it noted.
 *
 * Return: 0, or -1 with @err filled.
 */
int proxy_calls_attach(struct proxy_ctx *ctx, const struct sip_msg *msg,
		       const struct tp_addr *src, struct media_err *err)
{
	struct proxy_calls *pc = ctx->core->calls;
	enum dialog_side side;
	struct sip_str callee_tag;
	struct dialog *d;

	ctx->method = msg->method_id;
	if (!pc)
		return 0;
	if (msg->method_id == SIP_METHOD_INVITE && !sip_str_present(msg->to.tag))
		return call_start(pc, ctx, msg, src, err);
	if (!sip_str_present(msg->to.tag))
		return 0;
	d = dialog_find(pc->dialogs, msg->call_id, msg->from.tag, msg->to.tag, &side);
	if (!d)
		return 0;
	ctx->call = d->handle;
	ctx->side = side;
	callee_tag = side == DIALOG_CALLER ? msg->to.tag : msg->from.tag;
	if (d->state == DIALOG_CONFIRMED) {
		ctx->mbranch = d->winner;
		ctx->has_branch = true;
	} else {
		ctx->has_branch = dialog_early_branch(d, callee_tag, &ctx->mbranch);
	}
	if (msg->method_id == SIP_METHOD_BYE)
		d->ending = true;
	if (msg->cseq.number > d->peer[side].cseq) {
		d->peer[side].cseq = msg->cseq.number;
		if (!d->ending)
			save(pc, d);
	}
	return 0;
}

/* The proxy context of the initial INVITE is freed: a call it left unanswered ends. */
void proxy_calls_detach(struct proxy_ctx *ctx)
{
	struct dialog *d = dialog_of(ctx);

	if (!d || d->invite != ctx)
		return;
	d->invite = NULL;
	if (d->state != DIALOG_CONFIRMED)
		call_end(ctx->core->calls, d, d->ending ? "cancel" : "failed");
}

/**
 * proxy_calls_request_body - anchor the SDP of a request copy on branch @b
 *
 * Return: 0 (@rw then carries the rewritten body, or no change when
 * there is nothing to anchor), or -1 with @err filled.
 */
int proxy_calls_request_body(struct proxy_branch *b, const struct sip_msg *msg,
			     struct sip_rewrite *rw, struct media_err *err)
{
	struct proxy_ctx *ctx = b->ctx;
	struct proxy_calls *pc = ctx->core->calls;
	struct dialog *d = dialog_of(ctx);
	enum sdp_oa_msg kind;
	uint32_t branch;
	long n;

	if (!ctx->call || !has_sdp(msg) || msg->method_id == SIP_METHOD_ACK)
		return 0;
	if (!d || !d->media)
		return refuse(err, 500, 0, "the call is ending");
	if (ctx->initial) {
		/* A failover to the next target starts over. */
		if (b->media)
			media_branch_end(d->media, b->mbranch);
		b->mbranch = d->next_branch++;
		b->media = true;
		branch = b->mbranch;
	} else if (ctx->has_branch) {
		branch = ctx->mbranch;
	} else {
		return refuse(err, 488, 0, "no anchored media in this early dialog");
	}
	kind = msg->method_id == SIP_METHOD_INVITE || msg->method_id == SIP_METHOD_UPDATE ?
		       SDP_OA_MSG_OFFER : SDP_OA_MSG_OTHER;
	n = media_sdp(d->media, branch, (enum sdp_oa_side)ctx->side, kind, msg->body.s,
		      msg->body.len, pc->body, sizeof(pc->body), err);
	if (n < 0)
		return -1;
	rw->set_body = true;
	rw->body = sip_str_make(pc->body, (size_t)n);
	return 0;
}

static const char *status_reason(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 488:
		return "Not Acceptable Here";
	case 491:
		return "Request Pending";
	case 503:
		return "Service Unavailable";
	default:
		return "Server Internal Error";
	}
}

/* @err as the final response to @req: its reason in a Warning, Retry-After with a 503. */
static void reply_refused(struct core *c, struct txn *t, const struct sip_msg *req,
			  const struct media_err *err)
{
	char extra[MEDIA_ERR_LEN + 64], text[MEDIA_ERR_LEN];
	size_t i, used;

	/* The reason may quote the peer's body: nothing but plain printable text goes out. */
	for (i = 0; err->reason[i] && i < sizeof(text) - 1; i++)
		text[i] = err->reason[i] >= 0x20 && err->reason[i] < 0x7f && err->reason[i] != '"' &&
				  err->reason[i] != '\\' ? err->reason[i] : '?';
	text[i] = '\0';
	used = (size_t)snprintf(extra, sizeof(extra), "Warning: 399 sipproxyd \"%s\"\r\n", text);
	if (err->retry_after && used < sizeof(extra))
		snprintf(extra + used, sizeof(extra) - used, "Retry-After: %u\r\n",
			 err->retry_after);
	core_reply(c, t, req, err->status, status_reason(err->status), extra);
}

static bool any_sent(const struct proxy_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->nbranches; i++)
		if (ctx->branches[i].client)
			return true;
	return false;
}

/**
 * proxy_calls_refused - media_sdp() refused the body of @req's copy for @b
 *
 * Before any copy went out, the request is answered with @err and the
 * other targets are not tried; otherwise this branch alone fails.
 */
void proxy_calls_refused(struct proxy_branch *b, const struct sip_msg *req,
			 const struct media_err *err)
{
	struct proxy_ctx *ctx = b->ctx;
	struct dialog *d = dialog_of(ctx);

	log_msg(LOG_LEVEL_INFO, d ? d->call_id : NULL, "dialog: media refused: %d %s",
		err->status, err->reason);
	if (ctx->initial && b->media && d && d->media)
		media_branch_end(d->media, b->mbranch);
	b->media = false;
	if (ctx->answered || !ctx->server || any_sent(ctx)) {
		proxy_branch_done(b, err->status, NULL);
		return;
	}
	reply_refused(ctx->core, ctx->server, req, err);
	ctx->answered = true;
	b->done = true;
	ctx->pending--;
	if (ctx->initial && d)
		call_end(ctx->core->calls, d, "failed");
}

/* ACK a 2xx of the initial INVITE we do not forward, and BYE that callee when @bye. */
static void end_2xx(struct proxy_calls *pc, const struct sip_msg *msg, bool bye)
{
	struct dialog_peer callee, caller = { 0 };
	char call_id[DIALOG_VALUE_MAX], *unused;
	int err;

	err = proxy_dialog_callee_view(pc->core, msg, &callee, &unused);
	if (!err) {
		free(unused);
		err = dialog_set_str(&caller.addr, msg->from.raw);
	}
	if (!err && msg->call_id.len >= sizeof(call_id))
		err = -E2BIG;
	if (!err) {
		memcpy(call_id, msg->call_id.s, msg->call_id.len);
		call_id[msg->call_id.len] = '\0';
		err = proxy_dialog_send(pc, call_id, &callee, &caller, "ACK", msg->cseq.number);
		if (!err && bye)
			err = proxy_dialog_send(pc, call_id, &callee, &caller, "BYE",
						msg->cseq.number + 1);
	}
	if (err)
		log_msg(LOG_LEVEL_WARN, NULL, "dialog: cannot end a refused 2xx: %s",
			strerror(-err));
	proxy_dialog_peer_clear(&callee);
	proxy_dialog_peer_clear(&caller);
}

/*
 * A 2xx of the initial INVITE we cannot forward: we ACK it and send that
 * callee BYE (once; a retransmission is ACKed again), and the branch
 * fails with 500.
 */
static void reject_2xx(struct proxy_calls *pc, struct proxy_branch *b, const struct sip_msg *msg,
		       const char *why)
{
	if (!b->rejected)
		log_msg(LOG_LEVEL_INFO, NULL, "dialog: 2xx from %s refused: %s", b->id, why);
	end_2xx(pc, msg, !b->rejected);
	b->rejected = true;
	proxy_branch_done(b, 500, NULL);
}

/*
 * The 2xx @msg of media branch @branch confirms the call: the callee's
 * side is taken from it, its body anchored (written to pc->body, its
 * length in @n, -1 without a body), the other branches' media freed.
 * Return: 0, or -1 with @err filled and the dialog still early.
 */
static int confirm(struct proxy_calls *pc, struct dialog *d, uint32_t branch,
		   const struct sip_msg *msg, long *n, struct media_err *err)
{
	struct dialog_peer callee;
	char *caller_route;
	char tag[DIALOG_TAG_MAX];

	*n = -1;
	if (proxy_dialog_callee_view(pc->core, msg, &callee, &caller_route) ||
	    !dialog_tag_set(tag, msg->to.tag))
		return refuse(err, 500, 0, "no usable To tag, Contact or Record-Route");
	if (has_sdp(msg)) {
		*n = media_sdp(d->media, branch, SDP_OA_CALLEE, SDP_OA_MSG_OTHER, msg->body.s,
			       msg->body.len, pc->body, sizeof(pc->body), err);
		if (*n < 0) {
			proxy_dialog_peer_clear(&callee);
			free(caller_route);
			return -1;
		}
	}
	memcpy(d->callee_tag, tag, sizeof(tag));
	proxy_dialog_peer_clear(&d->peer[DIALOG_CALLEE]);
	d->peer[DIALOG_CALLEE] = callee;
	free(d->peer[DIALOG_CALLER].route);
	d->peer[DIALOG_CALLER].route = caller_route;
	d->state = DIALOG_CONFIRMED;
	d->winner = branch;
	media_branch_won(d->media, d->winner);
	save(pc, d);
	/* Answered: no copy of the INVITE is CANCELled after a restart any more. */
	if (pc->store)
		dialog_store_branches_del(pc->store, d->handle);
	log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: call %016llx confirmed",
		(unsigned long long)d->handle);
	return 0;
}

/*
 * The media branch a response of a call ringing across a restart belongs
 * to: the one its To tag rang on before (dialog_early_add()), or the only
 * one the call had.
 */
static bool restored_branch(const struct dialog *d, const struct sip_msg *msg, uint32_t *branch)
{
	*branch = 1;
	return dialog_early_branch(d, msg->to.tag, branch) || d->next_branch == 2;
}

/* A 2xx of the initial INVITE: its branch becomes the dialog. */
static bool answered(struct proxy_calls *pc, struct dialog *d, struct proxy_branch *b,
		     const struct sip_msg *msg, struct sip_rewrite *rw)
{
	struct media_err err;
	long n = 0;

	if (b->rejected || !d || !d->media) {
		reject_2xx(pc, b, msg, "the call is over");
		return false;
	}
	if (d->state == DIALOG_CONFIRMED) {
		if (b->media && d->winner == b->mbranch)
			goto body;	/* a retransmission: the same rewrite */
		reject_2xx(pc, b, msg, "another branch answered first");
		return false;
	}
	if (!b->media) {
		/* An INVITE without SDP: the offer comes in this 2xx. */
		b->mbranch = d->next_branch++;
		b->media = true;
	}
	if (confirm(pc, d, b->mbranch, msg, &n, &err)) {
		reject_2xx(pc, b, msg, err.reason);
		return false;
	}
	if (n >= 0) {
		rw->set_body = true;
		rw->body = sip_str_make(pc->body, (size_t)n);
	}
	return true;

body:
	if (!has_sdp(msg))
		return true;
	n = media_sdp(d->media, d->winner, SDP_OA_CALLEE, SDP_OA_MSG_OTHER, msg->body.s,
		      msg->body.len, pc->body, sizeof(pc->body), &err);
	if (n < 0)
		return false;
	rw->set_body = true;
	rw->body = sip_str_make(pc->body, (size_t)n);
	return true;
}

/* A 2xx inside the dialog whose body cannot be anchored: the call ends. */
static void teardown(struct proxy_calls *pc, struct dialog *d, struct proxy_branch *b,
		     const struct sip_msg *msg)
{
	int responder = !b->ctx->side, err;

	if (msg->status < 200)
		return;
	if (msg->cseq.method_id == SIP_METHOD_INVITE) {
		err = proxy_dialog_send(pc, d->call_id, &d->peer[responder], &d->peer[!responder],
					"ACK", msg->cseq.number);
		if (err)
			log_msg(LOG_LEVEL_WARN, d->call_id, "dialog: cannot ACK: %s",
				strerror(-err));
	}
	hangup(pc, d, "media failed");
	proxy_branch_done(b, 500, NULL);
}

/**
 * proxy_calls_response - a 1xx or 2xx for @b, before it goes upstream
 * @rw: gets the rewritten body
 *
 * Return: whether to forward it; when not, the branch (or call) was
 * dealt with as proxy_calls.h says.
 */
bool proxy_calls_response(struct proxy_branch *b, const struct sip_msg *msg,
			  struct sip_rewrite *rw)
{
	struct proxy_ctx *ctx = b->ctx;
	struct proxy_calls *pc = ctx->core->calls;
	struct dialog *d = dialog_of(ctx);
	struct media_err err;
	uint32_t branch;
	long n;

	if (!pc || !ctx->call || msg->status >= 300)
		return true;
	if (ctx->initial && msg->status >= 200)
		return answered(pc, d, b, msg, rw);
	if (ctx->initial && d && sip_str_present(msg->to.tag)) {
		size_t known = d->nearly;

		if (!b->media) {
			b->mbranch = d->next_branch++;
			b->media = true;
		}
		dialog_early_add(d, msg->to.tag, b->mbranch);
		if (d->nearly != known)
			save(pc, d);
	}
	if (!has_sdp(msg))
		return true;
	if (!d || !d->media || (!ctx->initial && !ctx->has_branch))
		goto refused;
	branch = ctx->initial ? b->mbranch : ctx->mbranch;
	n = media_sdp(d->media, branch, (enum sdp_oa_side)!ctx->side, SDP_OA_MSG_OTHER,
		      msg->body.s, msg->body.len, pc->body, sizeof(pc->body), &err);
	if (n < 0) {
		log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: media refused: %d %s", err.status,
			err.reason);
		goto refused;
	}
	rw->set_body = true;
	rw->body = sip_str_make(pc->body, (size_t)n);
	return true;

refused:
	if (ctx->initial) {
		/* A ringing branch whose early media cannot be anchored is given up. */
		if (b->media && d && d->media)
			media_branch_end(d->media, b->mbranch);
		b->media = false;
		proxy_branch_cancel(b);
	} else if (d) {
		teardown(pc, d, b, msg);
	}
	return false;
}

/**
 * proxy_calls_resumed - a response on @b, an INVITE copy resumed after a restart
 *
 * The copy rang on the media branch its To tag names, or on the call's
 * only one (proxy_resume.c): its 1xx and 2xx bodies are anchored there,
 * and its failure frees that branch.
 */
void proxy_calls_resumed(struct proxy_branch *b, const struct sip_msg *msg)
{
	struct dialog *d = dialog_of(b->ctx);

	if (d && !b->media && restored_branch(d, msg, &b->mbranch))
		b->media = true;
}

/**
 * proxy_calls_final - @b of a tracked request has its final response
 * @status: received or made up (timeout, send error)
 *
 * A failed branch of the initial INVITE frees its media; the last one
 * ends the call unless a branch answered. A BYE ends the call whatever
 * its answer (RFC 3261 15.1.1). A refused re-INVITE or UPDATE keeps the
 * media as it was.
 */
void proxy_calls_final(struct proxy_branch *b, int status)
{
	struct proxy_ctx *ctx = b->ctx;
	struct dialog *d = dialog_of(ctx);

	if (!d)
		return;
	/* The last final ends the call, an answered one has no stored branch. */
	if (ctx->pending && d->state != DIALOG_CONFIRMED)
		proxy_calls_unstore(b);
	b->stored = false;
	if (ctx->initial) {
		if (status >= 300 && b->media && d->media &&
		    !(d->state == DIALOG_CONFIRMED && d->winner == b->mbranch))
			media_branch_end(d->media, b->mbranch);
		if (!ctx->pending && d->state != DIALOG_CONFIRMED)
			call_end(ctx->core->calls, d, d->ending ? "cancel" : "failed");
		return;
	}
	if (ctx->method == SIP_METHOD_BYE) {
		call_end(ctx->core->calls, d, "bye");
		return;
	}
	if (status >= 300 && d->media && ctx->has_branch &&
	    (ctx->method == SIP_METHOD_INVITE || ctx->method == SIP_METHOD_UPDATE))
		media_offer_failed(d->media, ctx->mbranch);
}

/**
 * proxy_calls_rang - the first provisional response of @b, a copy of the initial INVITE
 *
 * The copy is stored (dialog_store.h) until its final, so a restarted
 * daemon can still CANCEL it (proxy_resume.c).
 */
void proxy_calls_rang(struct proxy_branch *b)
{
	struct proxy_ctx *ctx = b->ctx;
	struct core *c = ctx->core;
	struct proxy_calls *pc = c->calls;
	struct dialog_branch row = { .proto = b->dst.proto, .peer = b->dst.peer };
	const char *req;
	size_t len;

	if (!pc || !pc->store || !ctx->initial || !ctx->call || ctx->resumed || !b->client)
		return;
	req = txn_request(b->client, &len);
	if (sip_msg_parse(&c->scratch, req, len, SIP_DATAGRAM) ||
	    txn_build_stub(&c->scratch, pc->out, sizeof(pc->out), &row.stub_len))
		return;
	memcpy(row.id, b->id, sizeof(row.id));
	row.stub = pc->out;
	b->stored = !dialog_store_branch_put(pc->store, ctx->call, (uint32_t)(b - ctx->branches),
					     &row);
}

/* The stored copy of @b had its final, or @b goes to its next target. */
void proxy_calls_unstore(struct proxy_branch *b)
{
	struct proxy_ctx *ctx = b->ctx;

	if (b->stored)
		dialog_store_branch_del(ctx->core->calls->store, ctx->call,
					(uint32_t)(b - ctx->branches));
	b->stored = false;
}

/* A CANCEL of the initial INVITE frees the call's media at once. */
void proxy_calls_cancel(struct proxy_ctx *ctx)
{
	struct dialog *d = dialog_of(ctx);

	if (!d || !ctx->initial || d->state == DIALOG_CONFIRMED)
		return;
	d->ending = true;
	media_call_end(d->media, "cancel");
	d->media = NULL;
}

/**
 * proxy_calls_ack - the ACK of a 2xx on its way through
 * @rw: gets the rewritten body
 *
 * An answer (or a repeated body) in the ACK goes through media_sdp(); one
 * that cannot be anchored is stripped and the call ended with BYE.
 */
void proxy_calls_ack(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw)
{
	struct proxy_calls *pc = c->calls;
	enum dialog_side side;
	struct media_err err;
	struct dialog *d;
	long n;

	if (!pc || !sip_str_present(msg->to.tag) || !has_sdp(msg))
		return;
	d = dialog_find(pc->dialogs, msg->call_id, msg->from.tag, msg->to.tag, &side);
	if (!d || d->state != DIALOG_CONFIRMED || !d->media)
		return;
	n = media_sdp(d->media, d->winner, (enum sdp_oa_side)side, SDP_OA_MSG_OTHER, msg->body.s,
		      msg->body.len, pc->body, sizeof(pc->body), &err);
	rw->set_body = true;
	if (n >= 0) {
		rw->body = sip_str_make(pc->body, (size_t)n);
		return;
	}
	log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: media refused: %d %s", err.status,
		err.reason);
	rw->body = sip_str_make("", 0);
	sip_rewrite_add(rw, SIP_EDIT_REMOVE, SIP_HDR_CONTENT_TYPE, SIP_STR_NONE);
	hangup(pc, d, "media failed");
}

/*
 * A 2xx for a call that was ringing when a previous run stopped: the
 * branch its To tag answered on (or the only one) becomes the dialog, as
 * answered() does; a 2xx we cannot take is ACKed, its callee gets BYE and
 * the call ends.
 */
static bool restored_answer(struct proxy_calls *pc, struct dialog *d, const struct sip_msg *msg,
			    struct sip_rewrite *rw)
{
	struct media_err err;
	uint32_t branch;
	long n;

	if (!restored_branch(d, msg, &branch)) {
		refuse(&err, 500, 0, "the answering branch is unknown");
		goto refused;
	}
	if (confirm(pc, d, branch, msg, &n, &err))
		goto refused;
	if (n >= 0) {
		rw->set_body = true;
		rw->body = sip_str_make(pc->body, (size_t)n);
	}
	return true;

refused:
	log_msg(LOG_LEVEL_INFO, d->call_id, "dialog: 2xx after restart refused: %s", err.reason);
	end_2xx(pc, msg, true);
	call_end(pc, d, "failed");
	return false;
}

/**
 * proxy_calls_stray_2xx - a 2xx to INVITE that no client transaction wants
 * @rw: gets the rewritten body
 *
 * A retransmission after Timer M: the answered dialog's body is rewritten
 * as its first copy was. The answer to a call that was ringing when the
 * daemon restarted confirms it (its early branches were stored). A body
 * of any other (a branch that lost, a call that ended) has no relay ports
 * left and would hand the caller the callee's own media address.
 *
 * Return: whether it may be forwarded.
 */
bool proxy_calls_stray_2xx(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw)
{
	struct proxy_calls *pc = c->calls;
	enum dialog_side side;
	struct media_err err;
	struct dialog *d;
	long n;

	if (!pc)
		return true;
	d = dialog_find(pc->dialogs, msg->call_id, msg->from.tag, msg->to.tag, &side);
	if (!d) {
		/* A branch that answered without ringing first has no known tag. */
		d = dialog_find_initial(pc->dialogs, msg->call_id, msg->from.tag);
		side = DIALOG_CALLER;
		if (d && d->state != DIALOG_EARLY)
			d = NULL;
	}
	if (d && d->state == DIALOG_EARLY && !d->invite && d->media && side == DIALOG_CALLER)
		return restored_answer(pc, d, msg, rw);
	if (!has_sdp(msg))
		return true;
	if (!d || d->state != DIALOG_CONFIRMED || !d->media)
		return false;
	n = media_sdp(d->media, d->winner, (enum sdp_oa_side)!side, SDP_OA_MSG_OTHER, msg->body.s,
		      msg->body.len, pc->body, sizeof(pc->body), &err);
	if (n < 0)
		return false;
	rw->set_body = true;
	rw->body = sip_str_make(pc->body, (size_t)n);
	return true;
}

/* For proxy.c: answer @req with a refusal from proxy_calls_attach(). */
void proxy_calls_reply(struct core *c, struct txn *t, const struct sip_msg *req,
		       const struct media_err *err)
{
	log_msg(LOG_LEVEL_INFO, txn_log_context(t), "dialog: media refused: %d %s", err->status,
		err->reason);
	reply_refused(c, t, req, err);
}
