// SPDX-License-Identifier: GPL-2.0
/*
 * Authorization of requests (RFC 3261 22): the credentials in a request
 * are checked against the credentials file; a request without valid ones
 * gets a challenge for every configured algorithm in one response (RFC
 * 8760 section 2.4: SHA-256 first, MD5 second). An authenticated user may
 * only act as itself: the digest username must be the user of the AOR.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "authz.h"
#include "sip_digest.h"

bool authz_enabled(const struct core *c)
{
	return c->auth != NULL;
}

static bool in_prefix(const struct config_cidr *p, const struct endpoint *ep)
{
	const uint8_t *a, *n;
	unsigned int bits = p->prefix_len, i;

	if (p->net.family != ep->family)
		return false;
	a = (const uint8_t *)&ep->addr;
	n = (const uint8_t *)&p->net.addr;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != n[i])
			return false;
	return !bits || !((a[i] ^ n[i]) & (uint8_t)(0xff << (8 - bits)));
}

/* [auth] trusted_peers: addresses whose requests need no authentication. */
bool authz_trusted(const struct core *c, const struct endpoint *src)
{
	size_t i;

	for (i = 0; i < c->cfg->trusted_peers.n; i++)
		if (in_prefix(&c->cfg->trusted_peers.v[i], src))
			return true;
	return false;
}

static bool deny(struct authz_denial *d, int status, const char *reason)
{
	d->status = status;
	d->reason = reason;
	d->extra[0] = '\0';
	return false;
}

static bool challenge(struct core *c, enum authz_kind kind, bool stale, struct authz_denial *d)
{
	const char *name = kind == AUTHZ_REGISTRAR ? "WWW-Authenticate" : "Proxy-Authenticate";
	struct auth_challenges ch;
	size_t used = 0, i;

	if (auth_challenge(c->auth, stale, core_seconds(c), &ch))
		return deny(d, 500, "Server Internal Error");
	d->extra[0] = '\0';
	for (i = 0; i < ch.count; i++)
		used += (size_t)snprintf(d->extra + used, sizeof(d->extra) - used, "%s: %s\r\n",
					 name, ch.value[i]);
	c->stats.challenges++;
	d->status = kind == AUTHZ_REGISTRAR ? 401 : 407;
	d->reason = kind == AUTHZ_REGISTRAR ? "Unauthorized" : "Proxy Authentication Required";
	return false;
}

static void to_auth_digest(const struct sip_digest *s, struct auth_digest *d)
{
	*d = (struct auth_digest){
		.username = s->username, .realm = s->realm, .nonce = s->nonce, .uri = s->uri,
		.response = s->response, .algorithm = s->algorithm, .cnonce = s->cnonce,
		.opaque = s->opaque, .qop = s->qop, .nc = s->nc,
	};
}

static void count_failure(struct core *c, const struct tp_addr *src, enum auth_result r,
			  const struct sip_msg *msg)
{
	char text[ENDPOINT_STRLEN];

	c->stats.auth_failures++;
	ratelimit_failure(c->failures, &src->peer, core_seconds(c));
	log_ratelimited(&c->rl, loop_now(c->loop), LOG_LEVEL_NOTICE,
			NULL, "%.*s from %s: authentication failed: %s",
			SIP_STR_FMT(msg->method), endpoint_format(&src->peer, text),
			auth_result_str(r));
}

/**
 * authz_check - whether @msg carries valid credentials of @user
 * @kind: which header to read and which challenge to answer with
 * @deny: on false, the response to send (a challenge, 400, 403 or 500)
 *
 * Return: true when the request may go on.
 */
bool authz_check(struct core *c, const struct sip_msg *msg, const struct tp_addr *src,
		 enum authz_kind kind, struct sip_str user, struct authz_denial *d)
{
	enum sip_hdr_type type = kind == AUTHZ_REGISTRAR ? SIP_HDR_AUTHORIZATION
							 : SIP_HDR_PROXY_AUTHORIZATION;
	enum auth_result r = AUTH_WRONG_REALM;
	const struct sip_hdr *h;
	struct sip_digest sd;
	int ret;
	struct auth_digest ad;

	if (ratelimit_blocked(c->failures, &src->peer, core_seconds(c))) {
		stats_drop(&c->stats, STATS_DROP_AUTH_BLOCKED);
		return deny(d, 403, "Too Many Failed Authentications");
	}
	for (h = sip_msg_hdr(msg, type); h; h = sip_msg_hdr_next(msg, h)) {
		ret = sip_digest_parse(h->value, &sd);
		if (ret == -EPROTONOSUPPORT)
			continue;
		if (ret)
			return deny(d, 400, "Malformed Credentials");
		to_auth_digest(&sd, &ad);
		r = auth_verify(c->auth, c->creds, &ad, msg->method, msg->ruri.raw,
				core_seconds(c));
		if (r != AUTH_WRONG_REALM)
			break;
	}
	switch (r) {
	case AUTH_OK:
		if (!sip_str_eq(ad.username, user))
			return deny(d, 403, "Username Does Not Match The Address Of Record");
		return true;
	case AUTH_STALE:
		return challenge(c, kind, true, d);
	case AUTH_FAILED:
	case AUTH_REPLAY:
		count_failure(c, src, r, msg);
		return challenge(c, kind, false, d);
	case AUTH_URI_MISMATCH:
	case AUTH_MALFORMED:
		return deny(d, 400, auth_result_str(r));
	case AUTH_ERROR:
		return deny(d, 500, "Server Internal Error");
	default:
		return challenge(c, kind, false, d);
	}
}
