// SPDX-License-Identifier: GPL-2.0
/*
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ), RFC 3261
 * 20.42 and 25.1, with the rport parameter of RFC 3581.
 */
#include "sip_via.h"

/* received = IPv4address / IPv6address; bracketed IPv6 too (RFC 5118 4.5). */
static bool scan_received(struct sip_scan *sc, struct sip_str *addr)
{
	const char *start = sc->p;
	struct sip_str host;
	enum sip_host_type type;
	bool bracket = sip_scan_peek(sc) == '[';

	if (!bracket)
		while (sc->p < sc->end && (sip_is_hex(*sc->p) || *sc->p == ':' || *sc->p == '.'))
			sc->p++;
	else if (!sip_scan_host(sc, &host, &type))
		return false;
	*addr = sip_str_span(start, sc->p);
	if (bracket)
		return true;
	if (sip_host_parse(*addr, &host, &type) && type == SIP_HOST_IPV4)
		return true;
	/* A bare IPv6 address parses as the inside of a reference. */
	if (addr->len && memchr(addr->s, ':', addr->len)) {
		char ref[64];

		if (addr->len + 2 <= sizeof(ref)) {
			ref[0] = '[';
			memcpy(ref + 1, addr->s, addr->len);
			ref[addr->len + 1] = ']';
			if (sip_host_parse(sip_str_make(ref, addr->len + 2), &host, &type))
				return true;
		}
	}
	sc->p = start;
	return false;
}

static bool scan_small_uint(struct sip_scan *sc, uint64_t max, int *out)
{
	uint64_t v;

	if (!sip_scan_uint(sc, max, &v))
		return false;
	*out = (int)v;
	return true;
}

/* A host with its IPv6 brackets, as a maddr value is written. */
static bool scan_host_as_written(struct sip_scan *sc, struct sip_str *out)
{
	const char *start = sc->p;
	enum sip_host_type type;
	struct sip_str host;

	if (!sip_scan_host(sc, &host, &type))
		return false;
	*out = sip_str_span(start, sc->p);
	return true;
}

/* One via-params entry after its SEMI; the ones we read must appear once. */
static bool scan_via_param(struct sip_scan *sc, struct sip_via *via)
{
	struct sip_str name, value;

	if (!sip_scan_token(sc, &name))
		return false;
	if (sip_str_caseeq_cstr(name, "rport")) {
		if (via->rport)
			return false;
		via->rport = true;
		return !sip_scan_sep(sc, '=') || scan_small_uint(sc, 65535, &via->rport_value);
	}
	if (sip_str_caseeq_cstr(name, "received"))
		return !sip_str_present(via->received) && sip_scan_sep(sc, '=') &&
		       scan_received(sc, &via->received);
	if (sip_str_caseeq_cstr(name, "ttl"))
		return via->ttl < 0 && sip_scan_sep(sc, '=') && scan_small_uint(sc, 255, &via->ttl);
	if (sip_str_caseeq_cstr(name, "maddr"))
		return !sip_str_present(via->maddr) && sip_scan_sep(sc, '=') &&
		       scan_host_as_written(sc, &via->maddr);
	if (sip_str_caseeq_cstr(name, "branch"))
		return !sip_str_present(via->branch) && sip_scan_sep(sc, '=') &&
		       sip_scan_token(sc, &via->branch);
	return !sip_scan_sep(sc, '=') || sip_scan_gen_value(sc, &value);
}

/* Parses one via-parm at the cursor and stops after it. */
bool sip_via_scan(struct sip_scan *sc, struct sip_via *via)
{
	const char *start = sc->p, *params;

	*via = (struct sip_via){ .port = -1, .ttl = -1, .rport_value = -1 };
	if (!sip_scan_token(sc, &via->protocol) || !sip_scan_sep(sc, '/') ||
	    !sip_scan_token(sc, &via->version) || !sip_scan_sep(sc, '/') ||
	    !sip_scan_token(sc, &via->transport) || !sip_scan_lws(sc) ||
	    !sip_scan_host(sc, &via->host, &via->host_type))
		goto fail;
	if (sip_scan_sep(sc, ':') && !scan_small_uint(sc, 65535, &via->port))
		goto fail;
	params = sc->p;
	while (sip_scan_sep(sc, ';'))
		if (!scan_via_param(sc, via))
			goto fail;
	via->params = sip_str_span(params, sc->p);
	via->raw = sip_str_span(start, sc->p);
	return true;
fail:
	sc->p = start;
	return false;
}

bool sip_via_branch_is_rfc3261(const struct sip_via *via)
{
	size_t n = sizeof(SIP_BRANCH_COOKIE) - 1;

	return via->branch.len > n && !memcmp(via->branch.s, SIP_BRANCH_COOKIE, n);
}
