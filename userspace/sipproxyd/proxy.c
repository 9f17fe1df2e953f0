// SPDX-License-Identifier: GPL-2.0
/*
 * Requests through the stateful proxy (RFC 3261 16.3 to 16.6): validate,
 * apply the relay policy and authentication, pick the targets (the
 * bindings of a local user, highest q first, all forked in parallel; or
 * the Route set; or the Request-URI's host), and forward a copy to each
 * with our Via, a Record-Route when a dialog may start, and Max-Forwards
 * one lower. ACKs to 2xx pass statelessly by their Route set, as does a
 * CANCEL no response context knows (16.10), to the one target 16.11 wants.
 *
 * Media anchoring (proxy_calls.h): a request is tied to its call when its
 * context is made, the SDP of each forwarded copy (and of an ACK) is
 * rewritten before sip_rewrite(), that of responses in proxy_response.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "proxy.h"
#include "proxy_calls.h"
#include "proxy_ctx.h"
#include "proxy_route.h"
#include "proxy_via.h"
#include "registrar.h"
#include "resolve.h"
#include "routing.h"
#include "sip_rewrite.h"

/* Methods that may create a dialog: the proxy stays on its path (16.6 step 4). */
static bool record_routes(const struct sip_msg *msg)
{
	switch (msg->method_id) {
	case SIP_METHOD_INVITE:
	case SIP_METHOD_SUBSCRIBE:
	case SIP_METHOD_REFER:
	case SIP_METHOD_NOTIFY:
		return !sip_str_present(msg->to.tag);
	default:
		return false;
	}
}

static void reply(struct core *c, struct txn *t, const struct sip_msg *msg, int status,
		  const char *reason, const char *extra)
{
	core_reply(c, t, msg, status, reason, extra);
}

/* 16.3: what makes a request unfit to forward at all; true when answered. */
static bool invalid(struct core *c, struct txn *t, const struct sip_msg *msg)
{
	char extra[SIP_MAX_LINE_LEN];
	const struct sip_hdr *h;

	if (msg->max_forwards == 0) {
		if (msg->method_id == SIP_METHOD_OPTIONS)
			reply(c, t, msg, 200, "OK", CORE_ALLOW);
		else
			reply(c, t, msg, 483, "Too Many Hops", NULL);
		return true;
	}
	h = sip_msg_hdr(msg, SIP_HDR_PROXY_REQUIRE);
	if (h) {
		/* We support no extension a proxy could be required to know. */
		snprintf(extra, sizeof(extra), "Unsupported: %.*s\r\n", SIP_STR_FMT(h->value));
		reply(c, t, msg, 420, "Bad Extension", extra);
		return true;
	}
	if (proxy_loop_detected(c, msg)) {
		reply(c, t, msg, 482, "Loop Detected", NULL);
		return true;
	}
	return false;
}

/*
 * The relay policy: our users authenticate (407), foreign users may only
 * reach our users, trusted peers and in-dialog requests we record-routed
 * pass. True when the request may go on; otherwise it was answered.
 */
static bool allowed(struct core *c, struct txn *t, const struct sip_msg *msg,
		    const struct tp_addr *src, const struct sip_uri *target,
		    const struct proxy_route_set *rs)
{
	bool from_local = core_domain_is_ours(c, msg->from.uri.host);
	bool to_local = target->scheme != SIP_SCHEME_OTHER && target->scheme != SIP_SCHEME_TEL &&
			core_domain_is_ours(c, target->host);
	struct authz_denial deny;

	if (authz_trusted(c, &src->peer))
		return true;
	if (rs->ours && sip_str_present(msg->to.tag))
		return true;
	/* 22.1: a CANCEL cannot be resubmitted with credentials, so it is never challenged. */
	if (from_local && authz_enabled(c) && msg->method_id != SIP_METHOD_CANCEL) {
		if (authz_check(c, msg, src, AUTHZ_PROXY, msg->from.uri.user, &deny))
			return true;
		reply(c, t, msg, deny.status, deny.reason, deny.extra);
		return false;
	}
	if (to_local || from_local)
		return true;
	reply(c, t, msg, 403, "Relaying Denied", NULL);
	return false;
}

/* The context of a request about to be forwarded, tied to its call; NULL when answered. */
static struct proxy_ctx *ctx_new(struct core *c, struct txn *t, const struct sip_msg *msg,
				 const struct tp_addr *src, size_t nbranches)
{
	struct proxy_ctx *ctx = calloc(1, sizeof(*ctx) + nbranches * sizeof(ctx->branches[0]));
	struct media_err err;
	size_t i;

	if (!ctx) {
		reply(c, t, msg, 500, "Server Internal Error", NULL);
		return NULL;
	}
	ctx->core = c;
	ctx->server = t;
	ctx->invite = msg->method_id == SIP_METHOD_INVITE;
	ctx->nbranches = nbranches;
	ctx->pending = nbranches;
	for (i = 0; i < nbranches; i++) {
		ctx->branches[i].ctx = ctx;
		timer_init(&ctx->branches[i].timer_c, proxy_on_timer_c);
	}
	if (proxy_calls_attach(ctx, msg, src, &err)) {
		proxy_calls_reply(c, t, msg, &err);
		free(ctx);
		return NULL;
	}
	txn_set_user(t, ctx);
	return ctx;
}

/* Our Via, the sender's Via with received/rport, Record-Route and Route edits. */
static int add_edits(struct core *c, struct sip_rewrite *rw, const struct sip_msg *msg,
		     const struct tp_addr *src, const struct tp_addr *dst, const char *branch,
		     const struct proxy_route_set *rs, char (*bufs)[PROXY_HDR_MAX],
		     char *routes, size_t routes_cap)
{
	bool changed;
	int err;

	err = proxy_via_ours(c, dst, branch, bufs[0], PROXY_HDR_MAX);
	if (err)
		return err;
	sip_rewrite_add(rw, SIP_EDIT_PREPEND, SIP_HDR_VIA, sip_str_make(bufs[0], strlen(bufs[0])));
	err = proxy_via_received(msg, src, bufs[1], PROXY_HDR_MAX, &changed);
	if (err)
		return err;
	if (changed) {
		sip_rewrite_add(rw, SIP_EDIT_PREPEND, SIP_HDR_VIA,
				sip_str_make(bufs[1], strlen(bufs[1])));
		sip_rewrite_add(rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE);
	}
	if (record_routes(msg)) {
		err = proxy_record_route(c, src, dst, bufs[2], PROXY_HDR_MAX, bufs[3],
					 PROXY_HDR_MAX);
		if (err)
			return err;
		sip_rewrite_add(rw, SIP_EDIT_PREPEND, SIP_HDR_RECORD_ROUTE,
				sip_str_make(bufs[2], strlen(bufs[2])));
		if (bufs[3][0])
			sip_rewrite_add(rw, SIP_EDIT_PREPEND, SIP_HDR_RECORD_ROUTE,
					sip_str_make(bufs[3], strlen(bufs[3])));
	}
	if (rs->changed) {
		if (!rs->n) {
			sip_rewrite_add(rw, SIP_EDIT_REMOVE, SIP_HDR_ROUTE, SIP_STR_NONE);
		} else {
			size_t len = proxy_route_join(rs, routes, routes_cap);

			if (!len)
				return -ENOSPC;
			sip_rewrite_add(rw, SIP_EDIT_REPLACE, SIP_HDR_ROUTE, sip_str_make(routes, len));
		}
	}
	return 0;
}

/* 16.6 for one target: copy, edit, and send through a new client transaction. */
static int forward_branch(struct core *c, struct proxy_branch *b, const struct sip_msg *msg,
			  const struct tp_addr *src, struct proxy_route_set *rs)
{
	char bufs[4][PROXY_HDR_MAX], routes[PROXY_MAX_ROUTES * 128];
	struct sip_rewrite rw = { .dec_max_forwards = true };
	struct media_err merr;
	size_t len;
	int err;

	if (!sip_str_eq(rs->ruri, msg->ruri.raw))
		rw.ruri = rs->ruri;
	proxy_branch_make(c, msg, b->id);
	err = add_edits(c, &rw, msg, src, &b->dst, b->id, rs, bufs, routes, sizeof(routes));
	if (err)
		return err;
	if (proxy_calls_request_body(b, msg, &rw, &merr)) {
		proxy_calls_refused(b, msg, &merr);
		return 0;
	}
	err = sip_rewrite(msg, &rw, c->out, sizeof(c->out), &len);
	if (err)
		return err;
	err = txn_client_new(c->txns, msg, c->out, len, sip_str_make(b->id, strlen(b->id)),
			     &b->dst, &b->client);
	if (err)
		return err;
	txn_set_user(b->client, b);
	if (b->ctx->invite)
		loop_timer_arm(c->loop, &b->timer_c, TXN_TIMER_C_MS);
	return 0;
}

static int status_of_error(int err, const char **reason)
{
	switch (err) {
	case -EHOSTUNREACH:
		*reason = "No Route To Destination";
		return 404;
	case -EPROTONOSUPPORT:
		*reason = "Transport Not Supported";
		return 503;
	case -EBUSY:
		*reason = "Too Many Transactions";
		return 503;
	case -E2BIG:
	case -ENOSPC:
		*reason = "Message Too Large";
		return 513;
	default:
		*reason = "Service Unavailable";
		return 503;
	}
}

static void branch_failed(struct core *c, struct proxy_branch *b, int err)
{
	const char *reason;
	int status = status_of_error(err, &reason);

	log_msg(LOG_LEVEL_INFO, txn_log_context(b->ctx->server), "%s not sent: %s", b->id,
		strerror(-err));
	proxy_branch_done(b, status, NULL);
}

static struct tp_addr tp_addr_of(const struct resolve_target *t)
{
	static const enum tp_proto protos[] = {
		[RESOLVE_UDP] = TP_UDP, [RESOLVE_TCP] = TP_TCP, [RESOLVE_TLS] = TP_TLS,
	};

	return (struct tp_addr){ .proto = protos[t->transport], .peer = t->addr, .lfd = -1 };
}

/**
 * proxy_failover - send branch @b to its next resolved target
 *
 * RFC 3263 4.3: after a 503 or a timeout the next target gets the request,
 * rebuilt from the copy the server transaction keeps (with the contact
 * and Path of a binding reached by name).
 *
 * Return: true when a target took it; false when none is left.
 */
bool proxy_failover(struct proxy_branch *b)
{
	struct proxy_ctx *ctx = b->ctx;
	struct core *c = ctx->core;
	const struct resolve_target *next;
	struct proxy_route_set rs;
	struct tp_addr unused;
	struct sip_uri hop;
	const char *req;
	size_t len;

	if (!b->targets || !ctx->server || ctx->cancelling || b->cancel_sent)
		return false;
	req = txn_request(ctx->server, &len);
	if (sip_msg_parse(&c->scratch, req, len, SIP_DATAGRAM) ||
	    proxy_route_preprocess(c, &c->scratch, &rs))
		return false;
	if (b->contact) {
		rs.ruri = sip_str_make(b->contact, strlen(b->contact));
		if (b->path && proxy_route_prepend(&rs, sip_str_make(b->path, strlen(b->path))))
			return false;
	}
	/* For the strict-route conversion only: the hop is a name we resolved. */
	proxy_route_next_hop(c, &rs, &unused, &hop);
	while ((next = resolve_targets_next(b->targets))) {
		if (b->client) {
			txn_client_abandon(b->client);
			b->client = NULL;
		}
		b->done = b->provisional = b->cancel_wanted = b->cancel_sent = false;
		proxy_calls_unstore(b);
		b->dst = tp_addr_of(next);
		if (!forward_branch(c, b, &c->scratch, txn_peer(ctx->server), &rs))
			return true;
	}
	return false;
}

static void on_targets(void *arg, enum resolve_status status, struct resolve_targets *targets)
{
	struct proxy_branch *b = arg;

	b->dns = NULL;
	b->targets = targets;
	if (status == RESOLVE_OK && proxy_failover(b))
		return;
	proxy_branch_done(b, status == RESOLVE_NOT_FOUND ? 404 : 503, NULL);
}

/* Branch @b goes to @hop by RFC 3263, then proxy_failover() sends it. */
static void resolve_branch(struct core *c, struct proxy_branch *b, const struct sip_uri *hop)
{
	int err = resolve_start(c->resolver, hop, on_targets, b, &b->dns);

	if (err)
		proxy_branch_done(b, err == -ENOMEM ? 500 : 503, NULL);
}

/* A next hop by name: [routes] or DNS (RFC 3263), then proxy_failover(). */
static void forward_by_name(struct core *c, struct txn *t, const struct sip_msg *msg,
			    const struct sip_uri *hop)
{
	struct routing_decision d;
	struct proxy_ctx *ctx;

	routing_decide(c->routing, hop, &d);
	if (d.kind == ROUTING_NONE) {
		reply(c, t, msg, d.status, d.status == 416 ? "Unsupported URI Scheme" : "Not Found",
		      NULL);
		return;
	}
	if (d.kind == ROUTING_LOCAL) {
		/* Our own domain as a next hop: nothing but the location service serves it. */
		reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	ctx = ctx_new(c, t, msg, txn_peer(t), 1);
	if (ctx)
		resolve_branch(c, &ctx->branches[0], d.kind == ROUTING_STATIC ? d.next_hop : hop);
}

/* One target: the Route set's next hop, or the Request-URI's. */
static void forward_single(struct core *c, struct txn *t, const struct sip_msg *msg,
			   const struct tp_addr *src, struct proxy_route_set *rs)
{
	struct proxy_ctx *ctx;
	struct sip_uri hop;
	const char *reason;
	struct tp_addr dst;
	int err, status;

	err = proxy_route_next_hop(c, rs, &dst, &hop);
	if (err == -EAGAIN) {
		forward_by_name(c, t, msg, &hop);
		return;
	}
	if (err) {
		status = status_of_error(err, &reason);
		reply(c, t, msg, status, reason, NULL);
		return;
	}
	ctx = ctx_new(c, t, msg, src, 1);
	if (!ctx)
		return;
	ctx->branches[0].dst = dst;
	err = forward_branch(c, &ctx->branches[0], msg, src, rs);
	if (err)
		branch_failed(c, &ctx->branches[0], err);
}

static bool same_address(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->addr.v4.s_addr == b->addr.v4.s_addr
				    : !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

/*
 * A binding as a target: its contact, behind its Path. A contact that
 * registered over TCP or TLS from its own address is reached over that
 * connection while it is open (RFC 5626 flow reuse): the port it listens
 * on may well be closed to us. -EAGAIN: the next hop, @hop, is a name.
 */
static int binding_target(struct core *c, const struct location_binding *bind,
			  struct proxy_route_set *rs, struct tp_addr *dst, struct sip_uri *hop)
{
	struct tp_addr flow;
	int err;

	rs->ruri = bind->contact;
	err = proxy_route_prepend(rs, bind->path);
	if (!err)
		err = proxy_route_next_hop(c, rs, dst, hop);
	if (err || rs->n)
		return err;
	flow = (struct tp_addr){
		.proto = bind->transport == LOCATION_TRANSPORT_TLS ? TP_TLS : TP_TCP,
		.peer = bind->received,
		.lfd = -1,
	};
	if ((bind->transport == LOCATION_TRANSPORT_TCP || bind->transport == LOCATION_TRANSPORT_TLS) &&
	    same_address(&bind->received, &dst->peer) && transport_connected(c->tp, &flow))
		*dst = flow;
	return 0;
}

/*
 * A binding whose next hop is a name: the branch keeps the contact and
 * Path while RFC 3263 finds its targets (each one a failover, 4.3).
 */
static int fork_by_name(struct core *c, struct proxy_branch *b,
			const struct location_binding *bind, const struct sip_uri *hop)
{
	bool path = bind->path.len > 0;

	b->contact = strndup(bind->contact.s, bind->contact.len);
	b->path = path ? strndup(bind->path.s, bind->path.len) : NULL;
	if (!b->contact || (path && !b->path))
		return -ENOMEM;
	resolve_branch(c, b, hop);
	return 0;
}

/* 16.6 for every binding of a local user, all in parallel, highest q first. */
static void fork_to_bindings(struct core *c, struct txn *t, const struct sip_msg *msg,
			     const struct tp_addr *src, const struct proxy_route_set *rs,
			     const struct location_binding **b, size_t n)
{
	struct proxy_route_set brs;
	struct proxy_ctx *ctx = ctx_new(c, t, msg, src, n);
	struct sip_uri hop;
	size_t i;
	int err;

	if (!ctx)
		return;
	/* A refused offer answers the caller before any copy went: stop there. */
	for (i = 0; i < n && ctx->server && !ctx->answered; i++) {
		struct proxy_branch *pb = &ctx->branches[i];

		brs = *rs;
		err = binding_target(c, b[i], &brs, &pb->dst, &hop);
		if (err == -EAGAIN)
			err = fork_by_name(c, pb, b[i], &hop);
		else if (!err)
			err = forward_branch(c, pb, msg, src, &brs);
		if (err)
			branch_failed(c, pb, err);
	}
}

static void to_local_user(struct core *c, struct txn *t, const struct sip_msg *msg,
			  const struct tp_addr *src, const struct sip_uri *target,
			  const struct proxy_route_set *rs)
{
	const struct location_binding *b[LOCATION_MAX_CONTACTS_LIMIT];
	char aor[REGISTRAR_AOR_MAX];
	size_t n;

	if (registrar_aor(c, target, aor)) {
		reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	n = location_lookup(c->loc, sip_str_make(aor, strlen(aor)), time(NULL), b,
			    c->cfg->max_contacts_per_aor);
	if (!n) {
		if (core_user_known(c, target->user))
			reply(c, t, msg, 480, "Temporarily Unavailable", NULL);
		else
			reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	if (msg->method_id == SIP_METHOD_INVITE && !sip_str_present(msg->to.tag))
		c->stats.calls_forwarded++;
	fork_to_bindings(c, t, msg, src, rs, b, n);
}

/*
 * The checks and policy every request meets before it is routed: its Route
 * set (@rs) and target (@target) worked out. False when @t was answered.
 */
static bool admitted(struct core *c, struct txn *t, const struct sip_msg *msg,
		     const struct tp_addr *src, struct proxy_route_set *rs, struct sip_uri *target)
{
	if (invalid(c, t, msg))
		return false;
	if (proxy_route_preprocess(c, msg, rs) || sip_uri_parse(rs->ruri, target)) {
		reply(c, t, msg, 400, "Bad Route", NULL);
		return false;
	}
	return allowed(c, t, msg, src, target, rs);
}

/**
 * proxy_request - a new request for the proxy, in server transaction @t
 */
void proxy_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		   const struct tp_addr *src)
{
	struct routing_decision d;
	struct proxy_route_set rs;
	struct sip_uri target;

	if (!admitted(c, t, msg, src, &rs, &target))
		return;
	if (rs.n) {
		forward_single(c, t, msg, src, &rs);
		return;
	}
	if (core_uri_is_us(c, &target)) {
		if (msg->method_id == SIP_METHOD_OPTIONS)
			reply(c, t, msg, 200, "OK", CORE_ALLOW);
		else
			reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	/* A number route wins over our domain (routing.h): "+4930...@us;user=phone". */
	routing_decide(c->routing, &target, &d);
	if (d.kind == ROUTING_LOCAL) {
		to_local_user(c, t, msg, src, &target, &rs);
		return;
	}
	forward_single(c, t, msg, src, &rs);
}

/*
 * 16.11: @msg to @dst with @rs and @rw's edits, under a Via whose branch
 * is the same for each of its retransmissions, and no state kept.
 */
static int send_stateless(struct core *c, const struct sip_msg *msg, const struct tp_addr *src,
			  const struct proxy_route_set *rs, const struct tp_addr *dst,
			  struct sip_rewrite *rw)
{
	char bufs[4][PROXY_HDR_MAX], routes[PROXY_MAX_ROUTES * 128], branch[TXN_BRANCH_MAX];
	size_t len;
	int err;

	if (!sip_str_eq(rs->ruri, msg->ruri.raw))
		rw->ruri = rs->ruri;
	proxy_branch_stateless(msg, branch);
	err = add_edits(c, rw, msg, src, dst, branch, rs, bufs, routes, sizeof(routes));
	if (!err)
		err = sip_rewrite(msg, rw, c->out, sizeof(c->out), &len);
	if (!err)
		core_send(c, dst, c->out, len);
	return err;
}

/**
 * proxy_ack - an ACK no server transaction took: the ACK of a 2xx
 *
 * Forwarded statelessly (16.11) along the Route set of a dialog we
 * record-routed; any other is dropped and counted.
 */
void proxy_ack(struct core *c, const struct sip_msg *msg, const struct tp_addr *src)
{
	struct sip_rewrite rw = { .dec_max_forwards = true };
	struct proxy_route_set rs;
	struct sip_uri hop;
	struct tp_addr dst;

	/* Stateless: a next hop by name (which needs DNS) is not followed. */
	if (msg->max_forwards == 0 || proxy_route_preprocess(c, msg, &rs) || !rs.ours ||
	    proxy_route_next_hop(c, &rs, &dst, &hop))
		goto drop;
	proxy_calls_ack(c, msg, &rw);
	if (send_stateless(c, msg, src, &rs, &dst, &rw))
		goto drop;
	return;

drop:
	stats_drop(&c->stats, STATS_DROP_STRAY_ACK);
}

/*
 * The one target (16.11) of a CANCEL no response context knows, routed
 * as proxy_request() routes: the Route set's next hop; for one of our
 * users, the binding a fork sends to first (highest q); else the
 * Request-URI's host, or a [routes] next hop for a name. -ENOENT: none,
 * when the CANCEL is addressed to us (we would be its UAS), a user of
 * ours has no binding, or the next hop is a name no [routes] entry gives
 * an address for (stateless forwarding waits for no DNS lookup, as for
 * the ACK).
 */
static int cancel_target(struct core *c, struct proxy_route_set *rs, const struct sip_uri *target,
			 struct tp_addr *dst)
{
	const struct location_binding *b[1];
	char aor[REGISTRAR_AOR_MAX];
	struct routing_decision d;
	struct sip_uri hop;
	int err;

	if (!rs->n) {
		if (core_uri_is_us(c, target))
			return -ENOENT;
		routing_decide(c->routing, target, &d);
		if (d.kind == ROUTING_LOCAL) {
			if (registrar_aor(c, target, aor) ||
			    !location_lookup(c->loc, sip_str_make(aor, strlen(aor)), time(NULL), b, 1))
				return -ENOENT;
			return binding_target(c, b[0], rs, dst, &hop) ? -ENOENT : 0;
		}
	}
	err = proxy_route_next_hop(c, rs, dst, &hop);
	if (err == -EAGAIN) {
		routing_decide(c->routing, &hop, &d);
		if (d.kind == ROUTING_STATIC)
			err = proxy_uri_destination(c, d.next_hop, dst);
	}
	return err ? -ENOENT : 0;
}

/**
 * proxy_cancel_stateless - a CANCEL in @t that no response context knows
 *
 * RFC 3261 16.10: forwarded statelessly (16.11) to where its Request-URI
 * or Route set leads, under the policy and checks of any request; @t is
 * dropped without an answer, so a retransmission is forwarded again and
 * the answer comes back by the Vias.
 *
 * Return: false when there is nowhere to send it (cancel_target()): the
 * caller answers 481; true when it went, or was answered (400, 403,
 * 420, 482, 483).
 */
bool proxy_cancel_stateless(struct core *c, struct txn *t, const struct sip_msg *msg,
			    const struct tp_addr *src)
{
	struct sip_rewrite rw = { .dec_max_forwards = true };
	struct proxy_route_set rs;
	struct sip_uri target;
	struct tp_addr dst;

	if (!admitted(c, t, msg, src, &rs, &target))
		return true;
	if (cancel_target(c, &rs, &target, &dst))
		return false;
	if (send_stateless(c, msg, src, &rs, &dst, &rw))
		return false;
	txn_server_drop(t);
	return true;
}

/*
 * 16.6 step 11: CANCEL a branch that rang too long, 408 one that never
 * did, or whose CANCEL went a Timer C ago without a final response.
 */
void proxy_on_timer_c(struct timer *timer, uint64_t now)
{
	struct proxy_branch *b = container_of(timer, struct proxy_branch, timer_c);

	if (b->done)
		return;
	if (b->provisional && !b->cancel_sent) {
		proxy_branch_cancel(b);
		return;
	}
	if (b->client) {
		txn_client_abandon(b->client);
		b->client = NULL;
	}
	proxy_branch_done(b, 408, NULL);
}
