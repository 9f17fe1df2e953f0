// SPDX-License-Identifier: GPL-2.0
/*
 * name-addr and addr-spec with their header parameters (RFC 3261 20.10,
 * 20.20, 20.39, 25.1): display names, angle brackets, tag, q, expires.
 */
#include "sip_addr.h"

/*
 * display-name = *(token LWS) / quoted-string, followed by "<". Any other
 * follow-up means there was no display name: the caller tries addr-spec.
 */
static bool scan_display(struct sip_scan *sc, struct sip_str *display)
{
	const char *start = sc->p;
	struct sip_str tok;

	if (sip_scan_peek(sc) == '"') {
		if (!sip_scan_quoted(sc, display))
			return false;
	} else {
		if (!sip_scan_token(sc, &tok))
			return false;
		*display = tok;
		for (;;) {
			const char *mark = sc->p;

			sip_scan_sws(sc);
			if (!sip_scan_token(sc, &tok)) {
				sc->p = mark;
				break;
			}
			display->len = (size_t)(sc->p - display->s);
		}
	}
	sip_scan_sws(sc);
	if (sip_scan_peek(sc) != '<') {
		sc->p = start;
		return false;
	}
	return true;
}

/* LAQUOT addr-spec RAQUOT: nothing but the URI between the brackets. */
static bool scan_bracketed(struct sip_scan *sc, struct sip_addr *addr)
{
	const char *close;

	if (!sip_scan_char(sc, '<'))
		return false;
	close = memchr(sc->p, '>', (size_t)(sc->end - sc->p));
	if (!close)
		return false;
	addr->uri_text = sip_str_span(sc->p, close);
	sc->p = close + 1;
	addr->angle = true;
	return sip_uri_parse(addr->uri_text, &addr->uri) == 0;
}

/*
 * A bare addr-spec ends at whitespace, ';' or ','. RFC 3261 20.10 makes a
 * URI with ';', ',' or '?' use the bracketed form, so "?" here is an error
 * and parameters after the cut belong to the header.
 */
static bool scan_addr_spec(struct sip_scan *sc, struct sip_addr *addr)
{
	const char *start = sc->p;

	while (sc->p < sc->end && !strchr(" \t\r\n;,", *sc->p))
		sc->p++;
	addr->uri_text = sip_str_span(start, sc->p);
	if (sip_uri_parse(addr->uri_text, &addr->uri) || sip_str_present(addr->uri.headers)) {
		sc->p = start;
		return false;
	}
	return true;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static bool is_qvalue(struct sip_str v)
{
	size_t i;

	if (!v.len || v.len > 5 || (v.s[0] != '0' && v.s[0] != '1'))
		return false;
	if (v.len == 1)
		return true;
	if (v.s[1] != '.')
		return false;
	for (i = 2; i < v.len; i++)
		if (v.s[0] == '1' ? v.s[i] != '0' : !sip_is_digit(v.s[i]))
			return false;
	return true;
}

static bool note_param(enum sip_hdr_type type, struct sip_str name, struct sip_str value,
		       struct sip_addr *addr)
{
	uint64_t secs;

	if ((type == SIP_HDR_FROM || type == SIP_HDR_TO) && sip_str_caseeq_cstr(name, "tag")) {
		if (sip_str_present(addr->tag) || !sip_str_present(value) || !sip_str_is_token(value))
			return false;
		addr->tag = value;
		return true;
	}
	if (type != SIP_HDR_CONTACT)
		return true;
	if (sip_str_caseeq_cstr(name, "q")) {
		if (sip_str_present(addr->q) || !sip_str_present(value) || !is_qvalue(value))
			return false;
		addr->q = value;
	} else if (sip_str_caseeq_cstr(name, "expires")) {
		if (addr->expires >= 0 || !sip_str_present(value) ||
		    !sip_str_to_uint(value, UINT32_MAX, &secs))
			return false;
		addr->expires = (int64_t)secs;
	}
	return true;
}

/*
 * Parses one address of a header of the given type at the cursor and stops
 * after its parameters. Route and Record-Route accept only name-addr.
 */
bool sip_addr_scan(struct sip_scan *sc, enum sip_hdr_type type, struct sip_addr *addr)
{
	const char *start = sc->p, *params;
	bool name_addr_only = type == SIP_HDR_ROUTE || type == SIP_HDR_RECORD_ROUTE;

	*addr = (struct sip_addr){ .expires = -1 };
	if (scan_display(sc, &addr->display)) {
		sip_scan_sws(sc);
		if (!scan_bracketed(sc, addr))
			goto fail;
	} else if (sip_scan_peek(sc) == '<') {
		if (!scan_bracketed(sc, addr))
			goto fail;
	} else if (name_addr_only || !scan_addr_spec(sc, addr)) {
		goto fail;
	}
	params = sc->p;
	while (sip_scan_sep(sc, ';')) {
		struct sip_str name, value;

		if (!sip_scan_param(sc, &name, &value) || !note_param(type, name, value, addr))
			goto fail;
	}
	addr->params = sip_str_span(params, sc->p);
	addr->raw = sip_str_span(start, sc->p);
	return true;
fail:
	sc->p = start;
	return false;
}
