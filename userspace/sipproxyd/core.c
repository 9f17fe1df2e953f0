// SPDX-License-Identifier: GPL-2.0
/*
 * The SIP core: a received message is parsed, answered 400 or dropped when
 * it is bad, matched against the transactions, and otherwise handed to the
 * registrar, the redirect server or the proxy. Responses nobody waits for
 * go to the proxy, which forwards them statelessly when their top Via is
 * ours (RFC 3261 16.11).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "core.h"
#include "core_setup.h"
#include "proxy.h"
#include "redirect.h"
#include "registrar.h"
#include "sip_rewrite.h"
#include "txn_reply.h"

int64_t core_seconds(const struct core *c)
{
	return (int64_t)(loop_now(c->loop) / 1000);
}

void core_make_tag(struct core *c, char tag[CORE_TAG_LEN + 1])
{
	snprintf(tag, CORE_TAG_LEN + 1, "%.8s%08llx", c->salt,
		 (unsigned long long)(++c->seq & 0xffffffffu));
}

/**
 * core_send - hand a whole message to the transport, counting failures
 */
int core_send(struct core *c, const struct tp_addr *dst, const char *buf, size_t len)
{
	char text[ENDPOINT_STRLEN];
	int err = transport_send(c->tp, dst, buf, len);

	if (err) {
		stats_drop(&c->stats, STATS_DROP_SEND_FAILED);
		log_ratelimited(&c->rl, loop_now(c->loop), LOG_LEVEL_WARN, NULL,
				"cannot send to %s %s: %s", tp_proto_name(dst->proto),
				endpoint_format(&dst->peer, text), strerror(-err));
		return err;
	}
	if (len > 12 && !memcmp(buf, "SIP/2.0 ", 8) && buf[8] >= '1' && buf[8] <= '6')
		c->stats.responses_out[buf[8] - '0']++;
	return 0;
}

/* One line per transaction outcome: the API operators and tests grep. */
void core_log_outcome(struct core *c, const struct txn *t, int status, struct sip_str reason)
{
	char src[ENDPOINT_STRLEN];
	const char *req, *sp;
	size_t len;

	if (!log_enabled(LOG_LEVEL_INFO))
		return;
	/* "METHOD URI" of the start line: what the transaction was. */
	req = txn_request(t, &len);
	sp = memchr(req, ' ', len);
	sp = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - req)) : NULL;
	endpoint_format(&txn_peer(t)->peer, src);
	log_msg(LOG_LEVEL_INFO, txn_log_context(t), "%.*s from %s %s: %d %.*s",
		sp ? (int)(sp - req) : 0, req, tp_proto_name(txn_peer(t)->proto), src, status,
		SIP_STR_FMT(reason));
}

static int build_reply(struct core *c, const struct sip_msg *req, const struct tp_addr *src,
		       int status, const char *reason, const char *extra, size_t *len)
{
	char tag[CORE_TAG_LEN + 1];
	struct sip_str to_tag = SIP_STR_NONE;

	if (status > 100) {
		core_make_tag(c, tag);
		to_tag = sip_str_make(tag, CORE_TAG_LEN);
	}
	return txn_reply_build(req, src, status, reason, to_tag,
			       sip_str_make(extra ? extra : "", extra ? strlen(extra) : 0),
			       c->out, sizeof(c->out), len);
}

/**
 * core_reply - answer the request @req of server transaction @t
 * @extra: whole header lines, each ending in CRLF, or NULL
 */
int core_reply(struct core *c, struct txn *t, const struct sip_msg *req, int status,
	       const char *reason, const char *extra)
{
	size_t len;
	int err = build_reply(c, req, txn_peer(t), status, reason, extra, &len);

	if (err) {
		log_msg(LOG_LEVEL_ERROR, txn_log_context(t), "cannot build %d: %s", status,
			strerror(-err));
		return err;
	}
	if (status >= 200)
		core_log_outcome(c, t, status, sip_str_make(reason, strlen(reason)));
	return txn_server_respond(t, status, c->out, len);
}

/* For requests that get no transaction: parse errors, the transaction limit. */
int core_reply_stateless(struct core *c, const struct sip_msg *req, const struct tp_addr *src,
			 int status, const char *reason, const char *extra)
{
	size_t len;
	int err = build_reply(c, req, src, status, reason, extra, &len);

	if (err)
		return err;
	return core_send(c, src, c->out, len);
}

/* Whether the credentials file names @user: 480 rather than 404 when unregistered. */
bool core_user_known(const struct core *c, struct sip_str user)
{
	return c->creds &&
	       credentials_find(c->creds, user, sip_str_make(c->realm, strlen(c->realm)));
}

bool core_domain_is_ours(const struct core *c, struct sip_str host)
{
	size_t i;

	for (i = 0; i < c->cfg->domains.n; i++)
		if (sip_str_caseeq_cstr(host, c->cfg->domains.v[i]))
			return true;
	return false;
}

/* An IP-literal URI host and port (5060, 5061 for sips: when absent). */
bool core_uri_endpoint(const struct sip_uri *uri, struct endpoint *ep)
{
	char text[INET6_ADDRSTRLEN];

	if (uri->scheme != SIP_SCHEME_SIP && uri->scheme != SIP_SCHEME_SIPS)
		return false;
	if (uri->host_type != SIP_HOST_IPV4 && uri->host_type != SIP_HOST_IPV6)
		return false;
	if (uri->host.len >= sizeof(text))
		return false;
	memcpy(text, uri->host.s, uri->host.len);
	text[uri->host.len] = '\0';
	memset(ep, 0, sizeof(*ep));
	ep->family = uri->host_type == SIP_HOST_IPV4 ? AF_INET : AF_INET6;
	if (inet_pton(ep->family, text, &ep->addr) != 1)
		return false;
	if (uri->port >= 0)
		ep->port = (uint16_t)uri->port;
	else
		ep->port = uri->scheme == SIP_SCHEME_SIPS ? 5061 : 5060;
	return true;
}

/*
 * Whether @uri names this proxy rather than a user: one of our listening
 * addresses, or one of our domains without a user part (16.4).
 */
bool core_uri_is_us(const struct core *c, const struct sip_uri *uri)
{
	struct endpoint ep;

	if (core_uri_endpoint(uri, &ep) && transport_is_local(c->tp, &ep))
		return true;
	return uri->host_type == SIP_HOST_NAME && !sip_str_present(uri->user) &&
	       (uri->scheme == SIP_SCHEME_SIP || uri->scheme == SIP_SCHEME_SIPS) &&
	       core_domain_is_ours(c, uri->host);
}

/* ---- received messages ---- */

/* The address a response goes to by @via (18.2.2 with RFC 3581's rport). */
static bool via_destination(const struct sip_via *via, struct tp_addr *dst)
{
	struct sip_uri uri = { .scheme = SIP_SCHEME_SIP, .port = -1 };
	struct sip_str host = sip_str_present(via->received) ? via->received : via->host;

	if (!tp_proto_parse(via->transport, &dst->proto))
		return false;
	if (!sip_host_parse(host, &uri.host, &uri.host_type))
		return false;
	uri.port = via->rport_value > 0 ? via->rport_value : via->port;
	if (!core_uri_endpoint(&uri, &dst->peer))
		return false;
	if (uri.port < 0)
		dst->peer.port = tp_default_port(dst->proto);
	dst->conn = 0;
	dst->lfd = -1;
	return true;
}

/**
 * core_forward_response - send a response on statelessly by its Via (16.11)
 * @rw: edits to apply besides popping our Via (a rewritten body, say)
 *
 * For a response no server transaction can send any more: when its top
 * Via is ours, that Via goes and the response goes to the next one's
 * address (received and rport honoured). Nothing is counted.
 *
 * Return: 0 when sent; -EINVAL when the top Via is not ours or the next
 * one is missing or unusable; the rewrite's or transport's error.
 */
int core_forward_response(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw)
{
	struct sip_uri top = { .scheme = SIP_SCHEME_SIP };
	struct sip_via second;
	struct sip_iter it;
	struct endpoint ep;
	struct tp_addr dst;
	size_t len;
	int err;

	top.port = msg->via.port;
	if (!sip_host_parse(msg->via.host, &top.host, &top.host_type) ||
	    !core_uri_endpoint(&top, &ep) || !transport_is_local(c->tp, &ep))
		return -EINVAL;
	sip_iter_init(&it, msg, SIP_HDR_VIA);
	if (sip_iter_via(&it, &second) != 1 || sip_iter_via(&it, &second) != 1 ||
	    !via_destination(&second, &dst))
		return -EINVAL;
	sip_rewrite_add(rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE);
	err = sip_rewrite(msg, rw, c->out, sizeof(c->out), &len);
	if (err)
		return err;
	return core_send(c, &dst, c->out, len);
}

static void handle_response(struct core *c, const struct sip_msg *msg)
{
	c->stats.responses_in[msg->status / 100]++;
	if (!txn_client_receive(c->txns, msg))
		proxy_stray_response(c, msg);
}

/*
 * CANCEL (9.2): answered here, then the INVITE's branches are cancelled;
 * one that matches no INVITE goes to proxy_resume.c (a call that rang
 * across a restart, else forwarded statelessly: 16.10), 481 when that
 * finds nowhere to send it.
 */
static void handle_cancel(struct core *c, const struct sip_msg *msg, const struct tp_addr *src,
			  struct txn *t)
{
	struct txn *invite = txn_server_match(c->txns, msg, SIP_METHOD_INVITE);

	if (!invite && proxy_resume_cancel(c, t, msg, src))
		return;
	if (!invite || txn_state(invite) != TXN_PROCEEDING) {
		core_reply(c, t, msg, 481, "Call/Transaction Does Not Exist", NULL);
		return;
	}
	core_reply(c, t, msg, 200, "OK", NULL);
	proxy_cancel(c, invite);
}

static void handle_request(struct core *c, const struct sip_msg *msg, const struct tp_addr *src)
{
	struct txn *t = txn_server_match(c->txns, msg, SIP_METHOD_OTHER);
	int err;

	c->stats.requests++;
	if (t) {
		if (!txn_server_retransmission(t, msg))
			proxy_ack(c, msg, src);
		return;
	}
	if (msg->method_id == SIP_METHOD_ACK) {
		proxy_ack(c, msg, src);
		return;
	}
	err = txn_server_new(c->txns, msg, src, &t);
	if (err) {
		if (err == -EBUSY) {
			stats_drop(&c->stats, STATS_DROP_TXN_LIMIT);
			core_reply_stateless(c, msg, src, 503, "Service Unavailable",
					     "Retry-After: 5\r\n");
		}
		return;
	}
	if (msg->method_id == SIP_METHOD_CANCEL) {
		handle_cancel(c, msg, src, t);
		return;
	}
	if (msg->method_id == SIP_METHOD_REGISTER && sip_str_present(msg->ruri.host) &&
	    (core_domain_is_ours(c, msg->ruri.host) || core_uri_is_us(c, &msg->ruri))) {
		registrar_request(c, t, msg, src);
		return;
	}
	if (c->cfg->mode == CONFIG_MODE_REDIRECT)
		redirect_request(c, t, msg, src);
	else
		proxy_request(c, t, msg, src);
}

static void on_message(void *ctx, const char *buf, size_t len, const struct tp_addr *src)
{
	struct core *c = ctx;
	struct sip_msg *msg = &c->msg;
	char reason[256];
	size_t n;

	if (sip_msg_parse(msg, buf, len, src->proto == TP_UDP ? SIP_DATAGRAM : SIP_STREAM)) {
		stats_drop(&c->stats, STATS_DROP_PARSE);
		if (!msg->can_reply)
			return;
		n = sip_err_reason(msg, reason, sizeof(reason));
		reason[n < sizeof(reason) ? n : sizeof(reason) - 1] = '\0';
		core_reply_stateless(c, msg, src, sip_err_status(msg->err), reason, NULL);
		return;
	}
	if (msg->request)
		handle_request(c, msg, src);
	else
		handle_response(c, msg);
}

static void on_drop(void *ctx, enum tp_drop why)
{
	struct core *c = ctx;

	stats_drop(&c->stats, stats_drop_of_transport(why));
}

/* ---- transaction layer glue ---- */

static uint64_t txn_now(void *ctx)
{
	struct core *c = ctx;

	return loop_now(c->loop);
}

static void txn_arm(void *ctx, struct timer *timer, uint64_t delay_ms)
{
	struct core *c = ctx;

	loop_timer_arm(c->loop, timer, delay_ms);
}

static void txn_cancel(void *ctx, struct timer *timer)
{
	struct core *c = ctx;

	loop_timer_cancel(c->loop, timer);
}

static int txn_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	return core_send(ctx, dst, buf, len);
}

static const struct txn_ops core_txn_ops = {
	.now = txn_now,
	.timer_arm = txn_arm,
	.timer_cancel = txn_cancel,
	.send = txn_send,
	.response = proxy_on_response,
	.timeout = proxy_on_timeout,
	.terminated = proxy_on_terminated,
};

static void txn_config_of(const struct config *cfg, struct txn_config *tc)
{
	tc->t1 = cfg->t1_ms;
	tc->t2 = cfg->t2_ms;
	tc->t4 = cfg->t4_ms;
	tc->max_transactions = cfg->max_transactions;
}

/**
 * core_log_stats - the counters as "stats: ..." lines (SIGUSR1, exit)
 */
void core_log_stats(struct core *c)
{
	const struct txn_counts *tc = txn_counts(c->txns);
	const struct stats *s = &c->stats;
	char drops[512];
	size_t used = 0;
	int i;

	log_notice("stats: requests %llu responses_in 1xx %llu 2xx %llu 3xx %llu 4xx %llu "
		   "5xx %llu 6xx %llu",
		   (unsigned long long)s->requests, (unsigned long long)s->responses_in[1],
		   (unsigned long long)s->responses_in[2], (unsigned long long)s->responses_in[3],
		   (unsigned long long)s->responses_in[4], (unsigned long long)s->responses_in[5],
		   (unsigned long long)s->responses_in[6]);
	log_notice("stats: responses_out 1xx %llu 2xx %llu 3xx %llu 4xx %llu 5xx %llu 6xx %llu",
		   (unsigned long long)s->responses_out[1], (unsigned long long)s->responses_out[2],
		   (unsigned long long)s->responses_out[3], (unsigned long long)s->responses_out[4],
		   (unsigned long long)s->responses_out[5], (unsigned long long)s->responses_out[6]);
	log_notice("stats: transactions %llu active %zu retransmitted %llu absorbed %llu "
		   "timeouts %llu refused %llu",
		   (unsigned long long)tc->created, txn_count(c->txns),
		   (unsigned long long)tc->retransmissions, (unsigned long long)tc->absorbed,
		   (unsigned long long)tc->timeouts, (unsigned long long)tc->refused);
	log_notice("stats: registrations %llu failed %llu bindings %zu challenges %llu "
		   "auth_failures %llu calls %llu redirects %llu connections %zu binding_bytes %zu",
		   (unsigned long long)s->registrations,
		   (unsigned long long)s->registrations_failed, location_binding_count(c->loc),
		   (unsigned long long)s->challenges, (unsigned long long)s->auth_failures,
		   (unsigned long long)s->calls_forwarded, (unsigned long long)s->redirects,
		   transport_connections(c->tp), location_memory(c->loc));
	for (i = 0; i < STATS_DROP_COUNT; i++)
		used += (size_t)snprintf(drops + used, sizeof(drops) - used, " %s %llu",
					 stats_drop_name((enum stats_drop)i),
					 (unsigned long long)s->drops[i]);
	log_notice("stats: drops%s", drops);
}

/* ---- lifecycle ---- */

int core_new(struct loop *loop, const struct config *cfg, const struct listeners *l,
	     struct core **out, char *err, size_t errlen)
{
	struct core *c = calloc(1, sizeof(*c));
	struct transport_hooks hooks = { .recv = on_message, .drop = on_drop, .ctx = c };
	struct txn_config tc;
	unsigned char salt[8];
	int ret;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->loop = loop;
	c->cfg = cfg;
	c->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000, 10);
	if (RAND_bytes(salt, sizeof(salt)) != 1) {
		snprintf(err, errlen, "cannot seed branches and tags");
		ret = -EIO;
		goto err_free;
	}
	digest_hex(salt, sizeof(salt), c->salt);
	txn_config_of(cfg, &tc);
	ret = txn_table_new(&tc, &core_txn_ops, c, &c->txns);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	ret = core_setup_registrar(c, err, errlen);
	if (ret)
		goto err_txns;
	ret = core_setup_routing(c, cfg, err, errlen);
	if (ret)
		goto err_registrar;
	ret = core_setup_auth(c, cfg, err, errlen);
	if (ret)
		goto err_routing;
	ret = transport_new(loop, cfg, l, &hooks, &c->tp, err, errlen);
	if (ret)
		goto err_auth;
	*out = c;
	return 0;

err_auth:
	core_teardown_auth(c);
err_routing:
	core_teardown_routing(c);
err_registrar:
	core_teardown_registrar(c);
err_txns:
	txn_table_free(c->txns);
err_free:
	free(c);
	return ret;
}

void core_free(struct core *c)
{
	if (!c)
		return;
	/* Transactions first: their proxy contexts point at everything else. */
	txn_table_free(c->txns);
	transport_free(c->tp);
	core_teardown_auth(c);
	core_teardown_routing(c);
	core_teardown_registrar(c);
	free(c);
}

/**
 * core_reload - apply a new configuration (SIGHUP)
 * @cfg: the new configuration; the caller then copies it where c->cfg
 *       points, so nothing here keeps a pointer into @cfg
 *
 * Timers, limits, listeners, TLS files, credentials and the realm change;
 * the registrar database and the bindings in memory stay. On failure @err
 * says why: routes and credentials read before a later step failed stay
 * in use.
 */
int core_reload(struct core *c, const struct config *cfg, const struct listeners *l,
		char *err, size_t errlen)
{
	struct txn_config tc;
	int ret;

	ret = core_reload_routing(c, cfg, err, errlen);
	if (ret)
		return ret;
	ret = core_reload_auth(c, cfg, err, errlen);
	if (ret)
		return ret;
	ret = transport_reload(c->tp, cfg, l, err, errlen);
	if (ret)
		return ret;
	txn_config_of(cfg, &tc);
	txn_table_set_config(c->txns, &tc);
	return 0;
}
