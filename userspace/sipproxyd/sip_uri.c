// SPDX-License-Identifier: GPL-2.0
/*
 * sip:, sips: and tel: URIs (RFC 3261 19.1 and 25.1, RFC 3966), any other
 * scheme as an opaque absoluteURI, and the RFC 3261 19.1.4 comparison.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "sip_uri.h"

static bool is_mark(int c)
{
	switch (c) {
	case '-': case '_': case '.': case '!': case '~': case '*':
	case '\'': case '(': case ')':
		return true;
	}
	return false;
}

static bool is_unreserved(int c)
{
	return sip_is_alnum(c) || is_mark(c);
}

static bool is_user_char(int c)
{
	return is_unreserved(c) || (c && strchr("&=+$,;?/", c));
}

static bool is_password_char(int c)
{
	return is_unreserved(c) || (c && strchr("&=+$,", c));
}

static bool is_param_char(int c)
{
	return is_unreserved(c) || (c && strchr("[]/:&+$", c));
}

static bool is_hnv_char(int c)
{
	return is_unreserved(c) || (c && strchr("[]/?:+$", c));
}

/* uric of RFC 2396, plus the brackets of IPv6 references. */
static bool is_uric(int c)
{
	return is_unreserved(c) || (c && strchr(";/?:@&=+$,[]", c));
}

/*
 * One character of a class, or an escape ("%" HEXDIG HEXDIG) standing for
 * any byte. Returns false without moving on anything else.
 */
static bool scan_uchar(struct sip_scan *sc, bool (*is_char)(int))
{
	if (sc->p < sc->end && is_char((unsigned char)*sc->p)) {
		sc->p++;
		return true;
	}
	if (sc->end - sc->p >= 3 && sc->p[0] == '%' && sip_is_hex(sc->p[1]) &&
	    sip_is_hex(sc->p[2])) {
		sc->p += 3;
		return true;
	}
	return false;
}

/* 1*uchar of a class; a '%' not starting a valid escape fails the whole run. */
static bool scan_urun(struct sip_scan *sc, bool (*is_char)(int), struct sip_str *out)
{
	const char *start = sc->p;

	while (scan_uchar(sc, is_char))
		;
	if (sc->p == start || sip_scan_peek(sc) == '%') {
		sc->p = start;
		return false;
	}
	*out = sip_str_span(start, sc->p);
	return true;
}

static bool is_host_char(int c)
{
	return sip_is_alnum(c) || c == '-' || c == '.';
}

/*
 * inet_pton(AF_INET)'s grammar (four decimal octets up to 255, no leading
 * zeros), checked in place: every host scanned goes through here, and the
 * copy plus the libc call showed in profiles.
 */
static bool valid_ipv4(struct sip_str s)
{
	unsigned int octets = 0, value = 0;
	bool digit = false;
	size_t i;

	for (i = 0; i < s.len; i++) {
		char c = s.s[i];

		if (c >= '0' && c <= '9') {
			if (digit && value == 0)
				return false;
			value = value * 10 + (unsigned int)(c - '0');
			if (value > 255)
				return false;
			if (!digit && ++octets > 4)
				return false;
			digit = true;
		} else if (c == '.' && digit && octets < 4) {
			value = 0;
			digit = false;
		} else {
			return false;
		}
	}
	return octets == 4 && digit;
}

static bool valid_ipv6(struct sip_str s)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (s.len >= sizeof(buf))
		return false;
	memcpy(buf, s.s, s.len);
	buf[s.len] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/*
 * hostname = *( domainlabel "." ) toplabel [ "." ]: labels of alphanumerics
 * and inner hyphens, the last one starting with a letter.
 */
static bool valid_hostname(struct sip_str s)
{
	size_t i, label = 0, top = 0;

	if (s.len && s.s[s.len - 1] == '.')
		s.len--;
	if (!s.len)
		return false;
	for (i = 0; i <= s.len; i++) {
		if (i < s.len && s.s[i] != '.')
			continue;
		if (i == label || !sip_is_alnum(s.s[label]) || !sip_is_alnum(s.s[i - 1]))
			return false;
		top = label;
		label = i + 1;
	}
	return sip_is_alpha(s.s[top]);
}

/* host = hostname / IPv4address / IPv6reference; host is returned unbracketed. */
bool sip_scan_host(struct sip_scan *sc, struct sip_str *host, enum sip_host_type *type)
{
	const char *start = sc->p;
	struct sip_str h;

	if (sip_scan_char(sc, '[')) {
		h.s = sc->p;
		while (sc->p < sc->end && (sip_is_hex(*sc->p) || *sc->p == ':' || *sc->p == '.'))
			sc->p++;
		h.len = (size_t)(sc->p - h.s);
		if (!sip_scan_char(sc, ']') || !valid_ipv6(h))
			goto fail;
		*type = SIP_HOST_IPV6;
		*host = h;
		return true;
	}
	h.s = sc->p;
	while (sc->p < sc->end && is_host_char((unsigned char)*sc->p))
		sc->p++;
	h.len = (size_t)(sc->p - h.s);
	if (valid_ipv4(h))
		*type = SIP_HOST_IPV4;
	else if (valid_hostname(h))
		*type = SIP_HOST_NAME;
	else
		goto fail;
	*host = h;
	return true;
fail:
	sc->p = start;
	return false;
}

bool sip_host_parse(struct sip_str text, struct sip_str *host, enum sip_host_type *type)
{
	struct sip_scan sc;

	sip_scan_init(&sc, text);
	return sip_scan_host(&sc, host, type) && sip_scan_eof(&sc);
}

static bool scan_port(struct sip_scan *sc, int *port)
{
	uint64_t v;

	if (!sip_scan_uint(sc, 65535, &v))
		return false;
	*port = (int)v;
	return true;
}

/* A known parameter given twice would make comparison and routing ambiguous. */
static int set_once(struct sip_str *field, struct sip_str value)
{
	if (sip_str_present(*field))
		return -EINVAL;
	*field = value;
	return 0;
}

static int note_param(struct sip_uri *uri, struct sip_str name, struct sip_str value)
{
	bool has_value = sip_str_present(value);
	uint64_t ttl;

	if (sip_str_caseeq_cstr(name, "lr")) {
		if (uri->lr)
			return -EINVAL;
		uri->lr = true;
		return 0;
	}
	if (sip_str_caseeq_cstr(name, "ttl")) {
		if (!has_value || uri->ttl >= 0 || !sip_str_to_uint(value, 255, &ttl))
			return -EINVAL;
		uri->ttl = (int)ttl;
		return 0;
	}
	if (sip_str_caseeq_cstr(name, "maddr")) {
		struct sip_str h;
		enum sip_host_type t;

		if (!has_value || !sip_host_parse(value, &h, &t))
			return -EINVAL;
		return set_once(&uri->maddr, value);
	}
	if (sip_str_caseeq_cstr(name, "transport"))
		return has_value && sip_str_is_token(value) ? set_once(&uri->transport, value) : -EINVAL;
	if (sip_str_caseeq_cstr(name, "user"))
		return has_value && sip_str_is_token(value) ? set_once(&uri->user_param, value) : -EINVAL;
	if (sip_str_caseeq_cstr(name, "method"))
		return has_value && sip_str_is_token(value) ? set_once(&uri->method, value) : -EINVAL;
	return 0;
}

static bool is_tel_pname_char(int c)
{
	return sip_is_alnum(c) || c == '-';
}

/*
 * uri-parameters = *( ";" pname [ "=" pvalue ] ); tel's pname is
 * 1*( alphanum / "-" ) and carries no escapes.
 */
static int scan_uri_params(struct sip_scan *sc, struct sip_uri *uri)
{
	bool tel = uri->scheme == SIP_SCHEME_TEL;
	const char *start = sc->p;

	while (sip_scan_char(sc, ';')) {
		struct sip_str name, value = SIP_STR_NONE;
		bool ok;
		int err;

		ok = tel ? scan_urun(sc, is_tel_pname_char, &name) :
			   scan_urun(sc, is_param_char, &name);
		if (!ok)
			return -EINVAL;
		if (sip_scan_char(sc, '=') && !scan_urun(sc, is_param_char, &value))
			return -EINVAL;
		if (++uri->nparams > SIP_MAX_URI_PARAMS)
			return -E2BIG;
		err = tel ? 0 : note_param(uri, name, value);
		if (err)
			return err;
	}
	uri->params = sip_str_span(start, sc->p);
	return 0;
}

/* headers = "?" header *( "&" header ), header = hname "=" hvalue */
static int scan_uri_headers(struct sip_scan *sc, struct sip_uri *uri)
{
	const char *start;
	unsigned int n = 0;

	if (!sip_scan_char(sc, '?'))
		return 0;
	start = sc->p;
	do {
		struct sip_str name, value;

		if (!scan_urun(sc, is_hnv_char, &name) || !sip_scan_char(sc, '='))
			return -EINVAL;
		/* hvalue may be empty */
		if (!scan_urun(sc, is_hnv_char, &value) && sip_scan_peek(sc) == '%')
			return -EINVAL;
		if (++n > SIP_MAX_URI_HEADERS)
			return -E2BIG;
	} while (sip_scan_char(sc, '&'));
	uri->headers = sip_str_span(start, sc->p);
	return 0;
}

/*
 * userinfo = user [ ":" password ] "@". No character of host, params or
 * headers may be a literal '@', so the first '@' ends the userinfo.
 */
static int scan_userinfo(struct sip_scan *sc, struct sip_uri *uri)
{
	const char *at = memchr(sc->p, '@', (size_t)(sc->end - sc->p));
	struct sip_scan ui = { .p = sc->p, .end = at };

	if (!at)
		return 0;
	if (!scan_urun(&ui, is_user_char, &uri->user))
		return -EINVAL;
	if (sip_scan_char(&ui, ':')) {
		uri->password = sip_str_make(ui.p, 0);
		if (ui.p < ui.end && !scan_urun(&ui, is_password_char, &uri->password))
			return -EINVAL;
	}
	if (!sip_scan_eof(&ui))
		return -EINVAL;
	sc->p = at + 1;
	return 0;
}

static int parse_sip(struct sip_scan *sc, struct sip_uri *uri)
{
	int err;

	err = scan_userinfo(sc, uri);
	if (err)
		return err;
	if (!sip_scan_host(sc, &uri->host, &uri->host_type))
		return -EINVAL;
	if (sip_scan_char(sc, ':') && !scan_port(sc, &uri->port))
		return -EINVAL;
	err = scan_uri_params(sc, uri);
	if (err)
		return err;
	return scan_uri_headers(sc, uri);
}

static bool is_phonedigit(int c)
{
	return sip_is_digit(c) || c == '-' || c == '.' || c == '(' || c == ')';
}

static bool is_phonedigit_hex(int c)
{
	return is_phonedigit(c) || sip_is_hex(c) || c == '*' || c == '#';
}

/*
 * telephone-subscriber = global-number / local-number (RFC 3966 3): a
 * global number is "+" and digits; a local one needs a phone-context.
 */
static int parse_tel(struct sip_scan *sc, struct sip_uri *uri)
{
	bool global = sip_scan_char(sc, '+');
	const char *start = sc->p;
	bool digit = false;
	struct sip_str ctx;
	int err;

	while (sc->p < sc->end && (global ? is_phonedigit(*sc->p) : is_phonedigit_hex(*sc->p))) {
		if (global ? sip_is_digit(*sc->p) : !strchr("-.()", *sc->p))
			digit = true;
		sc->p++;
	}
	if (!digit)
		return -EINVAL;
	uri->user = sip_str_span(start - global, sc->p);
	err = scan_uri_params(sc, uri);
	if (err)
		return err;
	if (!global && !sip_uri_param_find(uri, "phone-context", &ctx))
		return -EINVAL;
	return 0;
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static bool scan_scheme(struct sip_scan *sc, struct sip_str *scheme)
{
	const char *start = sc->p;

	if (!sip_is_alpha(sip_scan_peek(sc)))
		return false;
	while (sc->p < sc->end && (sip_is_alnum(*sc->p) || strchr("+-.", *sc->p)))
		sc->p++;
	*scheme = sip_str_span(start, sc->p);
	if (!sip_scan_char(sc, ':')) {
		sc->p = start;
		return false;
	}
	return true;
}

/*
 * Parses text as one whole URI. Returns 0, -EINVAL on a syntax error or
 * -E2BIG when it carries more parameters or headers than the limits.
 */
int sip_uri_parse(struct sip_str text, struct sip_uri *uri)
{
	struct sip_str scheme, rest;
	struct sip_scan sc;
	int err;

	*uri = (struct sip_uri){ .raw = text, .port = -1, .ttl = -1 };
	sip_scan_init(&sc, text);
	if (!scan_scheme(&sc, &scheme))
		return -EINVAL;
	if (sip_str_caseeq_cstr(scheme, "sip")) {
		uri->scheme = SIP_SCHEME_SIP;
		err = parse_sip(&sc, uri);
	} else if (sip_str_caseeq_cstr(scheme, "sips")) {
		uri->scheme = SIP_SCHEME_SIPS;
		err = parse_sip(&sc, uri);
	} else if (sip_str_caseeq_cstr(scheme, "tel")) {
		uri->scheme = SIP_SCHEME_TEL;
		err = parse_tel(&sc, uri);
	} else {
		uri->scheme = SIP_SCHEME_OTHER;
		err = scan_urun(&sc, is_uric, &rest) ? 0 : -EINVAL;
	}
	if (err)
		return err;
	return sip_scan_eof(&sc) ? 0 : -EINVAL;
}

/* Finds a URI parameter by name (case-insensitive); a bare one has an absent value. */
bool sip_uri_param_find(const struct sip_uri *uri, const char *name, struct sip_str *value)
{
	struct sip_scan sc;

	sip_scan_init(&sc, uri->params);
	while (sip_scan_char(&sc, ';')) {
		const char *n = sc.p;
		struct sip_str pname;

		while (sc.p < sc.end && *sc.p != ';' && *sc.p != '=')
			sc.p++;
		pname = sip_str_span(n, sc.p);
		*value = SIP_STR_NONE;
		if (sip_scan_char(&sc, '=')) {
			const char *v = sc.p;

			while (sc.p < sc.end && *sc.p != ';')
				sc.p++;
			*value = sip_str_span(v, sc.p);
		}
		if (sip_str_caseeq_cstr(pname, name))
			return true;
	}
	return false;
}

/* Next decoded byte of a URI component; escaped says whether it was %XX. */
static int next_byte(struct sip_str *s, bool *escaped)
{
	int c;

	if (s->len >= 3 && s->s[0] == '%') {
		c = sip_hex_value(s->s[1]) * 16 + sip_hex_value(s->s[2]);
		s->s += 3;
		s->len -= 3;
		*escaped = true;
		return c;
	}
	c = (unsigned char)s->s[0];
	s->s++;
	s->len--;
	*escaped = false;
	return c;
}

/*
 * RFC 3261 19.1.4: escapes equal the character they stand for, except
 * that an escaped reserved character differs from the literal one.
 */
static bool component_equal(struct sip_str a, struct sip_str b, bool icase)
{
	if (!sip_str_present(a) || !sip_str_present(b))
		return sip_str_present(a) == sip_str_present(b);
	while (a.len && b.len) {
		bool ea, eb;
		int ca = next_byte(&a, &ea), cb = next_byte(&b, &eb);

		if (icase) {
			ca = sip_lower((char)ca) & 0xff;
			cb = sip_lower((char)cb) & 0xff;
		}
		if (ca != cb)
			return false;
		if (ea != eb && !is_unreserved(ca))
			return false;
	}
	return !a.len && !b.len;
}

static bool host_equal(const struct sip_uri *a, const struct sip_uri *b)
{
	char ba[INET6_ADDRSTRLEN], bb[INET6_ADDRSTRLEN];
	struct in6_addr xa, xb;

	if (a->host_type != b->host_type)
		return false;
	if (a->host_type != SIP_HOST_IPV6)
		return sip_str_caseeq(a->host, b->host);
	/* Both were valid for inet_pton when parsed, so they fit. */
	memcpy(ba, a->host.s, a->host.len);
	ba[a->host.len] = '\0';
	memcpy(bb, b->host.s, b->host.len);
	bb[b->host.len] = '\0';
	return inet_pton(AF_INET6, ba, &xa) == 1 && inet_pton(AF_INET6, bb, &xb) == 1 &&
	       !memcmp(&xa, &xb, sizeof(xa));
}

/* Parameters that must match when either URI has them (19.1.4). */
static const char *const must_match[] = { "user", "ttl", "method", "maddr", "transport" };

static bool params_equal(const struct sip_uri *a, const struct sip_uri *b)
{
	struct sip_scan sc;
	size_t i;

	for (i = 0; i < sizeof(must_match) / sizeof(must_match[0]); i++) {
		struct sip_str va, vb;
		bool ha = sip_uri_param_find(a, must_match[i], &va);
		bool hb = sip_uri_param_find(b, must_match[i], &vb);

		if (ha != hb || (ha && !component_equal(va, vb, true)))
			return false;
	}
	/* Any other parameter counts only when both URIs carry it. */
	sip_scan_init(&sc, a->params);
	while (sip_scan_char(&sc, ';')) {
		const char *n = sc.p;
		struct sip_str name, va, vb;
		char key[64];

		while (sc.p < sc.end && *sc.p != ';' && *sc.p != '=')
			sc.p++;
		name = sip_str_span(n, sc.p);
		while (sc.p < sc.end && *sc.p != ';')
			sc.p++;
		if (name.len >= sizeof(key) || memchr(name.s, '%', name.len))
			continue;
		memcpy(key, name.s, name.len);
		key[name.len] = '\0';
		if (sip_uri_param_find(a, key, &va) && sip_uri_param_find(b, key, &vb) &&
		    !component_equal(va, vb, true))
			return false;
	}
	return true;
}

/* Headers are never ignored: same set of name=value pairs, any order. */
static bool headers_subset(struct sip_str ha, struct sip_str hb)
{
	struct sip_scan sa;

	sip_scan_init(&sa, ha);
	while (!sip_scan_eof(&sa)) {
		const char *start = sa.p;
		struct sip_scan sb;
		bool found = false;

		while (sa.p < sa.end && *sa.p != '&')
			sa.p++;
		sip_scan_init(&sb, hb);
		while (!sip_scan_eof(&sb) && !found) {
			const char *bs = sb.p;

			while (sb.p < sb.end && *sb.p != '&')
				sb.p++;
			found = component_equal(sip_str_span(start, sa.p),
						sip_str_span(bs, sb.p), false);
			sip_scan_char(&sb, '&');
		}
		if (!found)
			return false;
		sip_scan_char(&sa, '&');
	}
	return true;
}

/*
 * RFC 3261 19.1.4 equality for sip and sips URIs. Other schemes compare
 * equal only when written identically but for the scheme's case.
 */
bool sip_uri_equal(const struct sip_uri *a, const struct sip_uri *b)
{
	if (a->scheme != b->scheme)
		return false;
	if (a->scheme != SIP_SCHEME_SIP && a->scheme != SIP_SCHEME_SIPS)
		return sip_str_caseeq(a->raw, b->raw);
	if (!component_equal(a->user, b->user, false) ||
	    !component_equal(a->password, b->password, false) ||
	    !host_equal(a, b) || a->port != b->port)
		return false;
	if (!params_equal(a, b))
		return false;
	if (sip_str_present(a->headers) != sip_str_present(b->headers))
		return false;
	return !sip_str_present(a->headers) ||
	       (headers_subset(a->headers, b->headers) && headers_subset(b->headers, a->headers));
}
