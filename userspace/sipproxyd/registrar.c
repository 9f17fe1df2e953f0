// SPDX-License-Identifier: GPL-2.0
/*
 * The registrar (RFC 3261 section 10.3, Path from RFC 3327): checks,
 * authenticates and hands a REGISTER to the location service, then lists
 * the bindings the address of record holds now.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "registrar.h"

/* Extensions a REGISTER may require of us. */
static bool supported(struct sip_str option)
{
	return sip_str_caseeq_cstr(option, "path") || sip_str_caseeq_cstr(option, "outbound");
}

/**
 * registrar_aor - the canonical address of record of @uri
 *
 * "sip:user@host" with the host in lower case, sips: folded into sip:
 * (one binding set per user, RFC 3261 10.3 step 5).
 *
 * Return: 0, -EINVAL for a URI that is not a user at one of our domains,
 * -ENAMETOOLONG when it exceeds the location service's limit.
 */
int registrar_aor(const struct core *c, const struct sip_uri *uri, char aor[REGISTRAR_AOR_MAX])
{
	size_t i, n;

	if ((uri->scheme != SIP_SCHEME_SIP && uri->scheme != SIP_SCHEME_SIPS) ||
	    !sip_str_present(uri->user) || !uri->user.len)
		return -EINVAL;
	if (!core_domain_is_ours(c, uri->host))
		return -EINVAL;
	n = 4 + uri->user.len + 1 + uri->host.len;
	if (n >= REGISTRAR_AOR_MAX)
		return -ENAMETOOLONG;
	snprintf(aor, REGISTRAR_AOR_MAX, "sip:%.*s@", SIP_STR_FMT(uri->user));
	for (i = 0; i < uri->host.len; i++)
		aor[5 + uri->user.len + i] = sip_lower(uri->host.s[i]);
	aor[n] = '\0';
	return 0;
}

/*
 * Contact header lines for bindings @b with their remaining lifetime and
 * q (RFC 3261 10.3 step 8; also the 302 of redirect mode). Returns the
 * length written, or 0 when they do not fit in @cap.
 */
size_t registrar_contacts(const struct location_binding **b, size_t n, int64_t now,
			  char *out, size_t cap)
{
	size_t used = 0, i;
	int w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + used, cap - used, "Contact: <%.*s>;expires=%lld",
			     SIP_STR_FMT(b[i]->contact), (long long)(b[i]->expires - now));
		if (w > 0 && (size_t)w < cap - used && b[i]->q < 1000)
			w += snprintf(out + used + w, cap - used - (size_t)w, ";q=0.%03u", b[i]->q);
		if (w > 0 && (size_t)w < cap - used)
			w += snprintf(out + used + w, cap - used - (size_t)w, "\r\n");
		if (w < 0 || (size_t)w >= cap - used)
			return 0;
		used += (size_t)w;
	}
	return used;
}

static enum location_transport location_transport_of(enum tp_proto proto)
{
	switch (proto) {
	case TP_TCP:
		return LOCATION_TRANSPORT_TCP;
	case TP_TLS:
		return LOCATION_TRANSPORT_TLS;
	default:
		return LOCATION_TRANSPORT_UDP;
	}
}

/* Contact values into @out; false for one the location service cannot take. */
static bool read_contacts(const struct sip_msg *msg, struct location_contact *out, size_t *n)
{
	struct sip_str value;
	struct sip_addr addr;
	struct sip_iter it;
	uint64_t reg_id;

	*n = 0;
	sip_iter_init(&it, msg, SIP_HDR_CONTACT);
	while (sip_iter_addr(&it, &addr) == 1) {
		struct location_contact *lc = &out[*n];

		if (*n == LOCATION_MAX_REQUEST_CONTACTS)
			return false;
		*lc = (struct location_contact){ .uri = addr.uri_text, .expires = addr.expires,
						 .q = -1 };
		if (sip_str_present(addr.q) && !location_parse_q(addr.q, &lc->q))
			return false;
		if (sip_params_find(addr.params, "+sip.instance", &value))
			lc->instance = value;
		if (sip_params_find(addr.params, "reg-id", &value)) {
			if (!sip_str_to_uint(value, UINT32_MAX, &reg_id))
				return false;
			lc->reg_id = (uint32_t)reg_id;
		}
		(*n)++;
	}
	return true;
}

static size_t read_path(const struct sip_msg *msg, struct sip_str *path, size_t max)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < msg->nhdrs; i++)
		if (msg->hdrs[i].type == SIP_HDR_OTHER &&
		    sip_str_caseeq_cstr(msg->hdrs[i].name, "Path")) {
			if (n == max)
				return max + 1;
			path[n++] = msg->hdrs[i].value;
		}
	return n;
}

/* The first Require option we do not support, if any (10.3 step 2). */
static bool unsupported_option(const struct sip_msg *msg, struct sip_str *option)
{
	struct sip_iter it;

	sip_iter_init(&it, msg, SIP_HDR_REQUIRE);
	while (sip_iter_token(&it, option) == 1)
		if (!supported(*option))
			return true;
	return false;
}

static void answer(struct core *c, struct txn *t, const struct sip_msg *msg, int status,
		   const char *reason, const char *extra)
{
	if (status == 200)
		c->stats.registrations++;
	else if (status != 401)
		c->stats.registrations_failed++;
	core_reply(c, t, msg, status, reason, extra);
}

/* 200 with every current binding, and the Path we stored echoed (RFC 3327 5.3). */
static void answer_ok(struct core *c, struct txn *t, const struct sip_msg *msg, const char *aor,
		      const struct sip_str *path, size_t npath)
{
	const struct location_binding *b[LOCATION_MAX_CONTACTS_LIMIT];
	int64_t now = time(NULL);
	size_t n, used, i, cap = SIP_MAX_MSG_SIZE / 2;
	char *extra = malloc(cap);

	if (!extra) {
		answer(c, t, msg, 500, "Server Internal Error", NULL);
		return;
	}
	n = location_lookup(c->loc, sip_str_make(aor, strlen(aor)), now, b,
			    LOCATION_MAX_CONTACTS_LIMIT);
	used = registrar_contacts(b, n, now, extra, cap);
	if (n && !used) {
		answer(c, t, msg, 500, "Too Many Bindings To List", NULL);
		goto out;
	}
	for (i = 0; i < npath && used < cap; i++)
		used += (size_t)snprintf(extra + used, cap - used, "Path: %.*s\r\n",
					 SIP_STR_FMT(path[i]));
	if (used >= cap) {
		answer(c, t, msg, 500, "Too Many Bindings To List", NULL);
		goto out;
	}
	answer(c, t, msg, 200, "OK", extra);
out:
	free(extra);
}

/**
 * registrar_request - handle a REGISTER whose Request-URI is one of our domains
 */
void registrar_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		       const struct tp_addr *src)
{
	struct location_contact contacts[LOCATION_MAX_REQUEST_CONTACTS];
	struct sip_str path[LOCATION_MAX_PATH], option;
	struct location_register req;
	char aor[REGISTRAR_AOR_MAX], extra[AUTHZ_EXTRA_MAX + 64];
	struct authz_denial deny;
	enum location_status st;
	const char *reason;
	size_t ncontacts, npath;
	int status;

	if (unsupported_option(msg, &option)) {
		snprintf(extra, sizeof(extra), "Unsupported: %.*s\r\n", SIP_STR_FMT(option));
		answer(c, t, msg, 420, "Bad Extension", extra);
		return;
	}
	if (registrar_aor(c, &msg->to.uri, aor)) {
		answer(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	if (authz_enabled(c) && !authz_trusted(c, &src->peer) &&
	    !authz_check(c, msg, src, AUTHZ_REGISTRAR, msg->to.uri.user, &deny)) {
		answer(c, t, msg, deny.status, deny.reason, deny.extra);
		return;
	}
	if (!read_contacts(msg, contacts, &ncontacts)) {
		answer(c, t, msg, 400, "Bad Contact", NULL);
		return;
	}
	npath = read_path(msg, path, LOCATION_MAX_PATH);
	if (npath > LOCATION_MAX_PATH) {
		answer(c, t, msg, 400, "Too Many Path Values", NULL);
		return;
	}
	req = (struct location_register){
		.aor = sip_str_make(aor, strlen(aor)),
		.star = msg->contact_star,
		.contacts = contacts,
		.ncontacts = ncontacts,
		.expires = msg->expires,
		.call_id = msg->call_id,
		.cseq = msg->cseq.number,
		.path = path,
		.npath = npath,
		.received = src->peer,
		.transport = location_transport_of(src->proto),
	};
	st = location_register(c->loc, &req, time(NULL));
	core_arm_expiry(c);
	if (st == LOCATION_OK) {
		answer_ok(c, t, msg, aor, path, npath);
		return;
	}
	status = location_status_code(st, &reason);
	extra[0] = '\0';
	if (st == LOCATION_INTERVAL_TOO_BRIEF)
		snprintf(extra, sizeof(extra), "Min-Expires: %u\r\n", location_min_expires(c->loc));
	answer(c, t, msg, status, reason, extra);
}
