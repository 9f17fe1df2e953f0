// SPDX-License-Identifier: GPL-2.0
/*
 * Parses one SIP message (RFC 3261 7 and 25) into struct sip_msg: splits
 * the start line and the header fields, checks the fields the proxy relies
 * on against their grammar and frames the body. The first error found is
 * kept; parsing goes on so a bad request can still be answered with 400.
 */
#include <errno.h>
#include <stddef.h>

#include "sip_msg.h"

/* Which fields an answer needs, parsed without error. */
enum {
	HAVE_START = 1 << 0,
	HAVE_VIA = 1 << 1,
	HAVE_FROM = 1 << 2,
	HAVE_TO = 1 << 3,
	HAVE_CALL_ID = 1 << 4,
	HAVE_CSEQ = 1 << 5,
	HAVE_REPLY = (1 << 6) - 1,
};

static void fail(struct sip_msg *msg, enum sip_err err, enum sip_hdr_type hdr)
{
	if (msg->err != SIP_OK)
		return;
	msg->err = err;
	msg->err_hdr = hdr;
}

/*
 * Measures the line at p through its CRLF, and with fold also through every
 * continuation line (CRLF then SP or HT). Sets *bad on a bare CR or LF.
 * Other control bytes are left to the grammars: a quoted-pair may protect
 * any of them (RFC 4475 3.1.1.2), text anywhere else may not.
 */
static enum sip_err measure_line(const char *p, const char *end, bool fold,
				 size_t *len, bool *bad)
{
	size_t n = (size_t)(end - p);
	/* A line ends at a CR below SIP_MAX_LINE_LEN, so its LF is at most there. */
	size_t lim = n < SIP_MAX_LINE_LEN + 1 ? n : SIP_MAX_LINE_LEN + 1;
	size_t i = 0, j;
	const char *lf;

	*bad = false;
	/* memchr() from LF to LF: the lines are long and byte loops showed in profiles. */
	while (i < lim && (lf = memchr(p + i, '\n', lim - i))) {
		j = (size_t)(lf - p);
		if (j == i || p[j - 1] != '\r') {
			*bad = true;	/* a bare LF */
			i = j + 1;
			continue;
		}
		if (memchr(p + i, '\r', j - 1 - i))
			*bad = true;	/* a bare CR before the CRLF */
		/* Whether a fold follows is only known with the next byte. */
		if (fold && j + 1 >= n)
			return SIP_ERR_TRUNCATED;
		if (fold && sip_is_wsp(p[j + 1])) {
			i = j + 1;
			continue;
		}
		*len = j + 1;
		return j + 1 > SIP_MAX_LINE_LEN ? SIP_ERR_LINE_TOO_LONG : SIP_OK;
	}
	return n > SIP_MAX_LINE_LEN ? SIP_ERR_LINE_TOO_LONG : SIP_ERR_TRUNCATED;
}

/* TEXT-UTF8char, UTF8-CONT and LWS: what a field without a grammar of its own may hold. */
static bool is_text_byte(int c)
{
	return c == '\t' || c == '\r' || c == '\n' || (c >= 0x20 && c != 0x7f);
}

static bool is_text(struct sip_str v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (!is_text_byte((unsigned char)v.s[i]))
			return false;
	return true;
}

/* The fields whose values parse_fields() checks against their own grammar. */
static bool has_grammar(enum sip_hdr_type type)
{
	switch (type) {
	case SIP_HDR_VIA: case SIP_HDR_FROM: case SIP_HDR_TO: case SIP_HDR_CALL_ID:
	case SIP_HDR_CSEQ: case SIP_HDR_MAX_FORWARDS: case SIP_HDR_EXPIRES:
	case SIP_HDR_CONTENT_LENGTH: case SIP_HDR_CONTENT_TYPE: case SIP_HDR_RETRY_AFTER:
	case SIP_HDR_CONTACT: case SIP_HDR_ROUTE: case SIP_HDR_RECORD_ROUTE:
	case SIP_HDR_REQUIRE: case SIP_HDR_PROXY_REQUIRE: case SIP_HDR_SUPPORTED:
	case SIP_HDR_UNSUPPORTED:
		return true;
	default:
		return false;
	}
}

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, "SIP" in any case (7.1). */
static bool scan_version(struct sip_scan *sc, struct sip_str *version)
{
	const char *start = sc->p;
	uint64_t n;

	if (sc->end - sc->p < 4 || !sip_str_caseeq_cstr(sip_str_make(sc->p, 3), "SIP") ||
	    sc->p[3] != '/')
		return false;
	sc->p += 4;
	if (!sip_scan_uint(sc, UINT32_MAX, &n) || !sip_scan_char(sc, '.') ||
	    !sip_scan_uint(sc, UINT32_MAX, &n)) {
		sc->p = start;
		return false;
	}
	*version = sip_str_span(start, sc->p);
	return true;
}

static bool is_sip20(struct sip_str version)
{
	return sip_str_caseeq_cstr(version, "SIP/2.0");
}

/* Reason-Phrase: text and tabs, no other control byte; may be empty. */
static bool valid_reason(struct sip_str r)
{
	return is_text(r) && !memchr(r.s, '\r', r.len) && !memchr(r.s, '\n', r.len);
}

/*
 * Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. A status line
 * ending right after the code is taken as an empty reason.
 */
static void parse_status_line(struct sip_msg *msg, struct sip_scan *sc)
{
	uint64_t code;

	msg->request = false;
	if (!scan_version(sc, &msg->version) || !sip_scan_char(sc, ' ') ||
	    sc->end - sc->p < 3 || !sip_is_digit(sc->p[0]) || !sip_is_digit(sc->p[1]) ||
	    !sip_is_digit(sc->p[2]))
		goto bad;
	sip_str_to_uint(sip_str_make(sc->p, 3), 999, &code);
	sc->p += 3;
	if (code < 100 || code > 699)
		goto bad;
	if (!sip_scan_eof(sc) && !sip_scan_char(sc, ' '))
		goto bad;
	msg->status = (int)code;
	msg->reason = sip_str_span(sc->p, sc->end);
	if (!valid_reason(msg->reason))
		goto bad;
	if (!is_sip20(msg->version))
		fail(msg, SIP_ERR_VERSION, SIP_HDR_OTHER);
	return;
bad:
	fail(msg, SIP_ERR_START_LINE, SIP_HDR_OTHER);
}

/*
 * Request-Line = Method SP Request-URI SP SIP-Version: single spaces only.
 * Once the method is read the request can be answered, whatever follows.
 */
static bool parse_request_line(struct sip_msg *msg, struct sip_scan *sc)
{
	struct sip_str uri;
	const char *sp;
	int err;

	msg->request = true;
	if (!sip_scan_token(sc, &msg->method) || !sip_scan_char(sc, ' ')) {
		fail(msg, SIP_ERR_START_LINE, SIP_HDR_OTHER);
		return false;
	}
	msg->method_id = sip_method_lookup(msg->method);
	sp = memchr(sc->p, ' ', (size_t)(sc->end - sc->p));
	if (!sp)
		goto bad;
	uri = sip_str_span(sc->p, sp);
	sc->p = sp + 1;
	if (!scan_version(sc, &msg->version) || !sip_scan_eof(sc))
		goto bad;
	if (!is_sip20(msg->version)) {
		fail(msg, SIP_ERR_VERSION, SIP_HDR_OTHER);
		return true;
	}
	err = sip_uri_parse(uri, &msg->ruri);
	/* Headers and a method parameter make no sense in a Request-URI (19.1.1). */
	if (err || sip_str_present(msg->ruri.headers) || sip_str_present(msg->ruri.method))
		fail(msg, SIP_ERR_REQUEST_URI, SIP_HDR_OTHER);
	else if (msg->ruri.scheme == SIP_SCHEME_OTHER)
		fail(msg, SIP_ERR_URI_SCHEME, SIP_HDR_OTHER);
	return true;
bad:
	fail(msg, SIP_ERR_START_LINE, SIP_HDR_OTHER);
	return true;
}

/* Returns whether the start line is usable for an answer. */
static bool parse_start_line(struct sip_msg *msg, struct sip_str line)
{
	struct sip_scan sc;

	msg->start_line = line;
	sip_scan_init(&sc, line);
	if (line.len >= 4 && sip_str_caseeq_cstr(sip_str_make(line.s, 4), "SIP/")) {
		parse_status_line(msg, &sc);
		return false;
	}
	return parse_request_line(msg, &sc);
}

/* header-name HCOLON value, HCOLON = *( SP / HTAB ) ":" SWS. */
static bool add_header(struct sip_msg *msg, struct sip_str line)
{
	struct sip_str body = sip_str_make(line.s, line.len - 2);
	struct sip_hdr *h;
	struct sip_scan sc;
	struct sip_str name;
	const char *vend;
	uint16_t *link;

	sip_scan_init(&sc, body);
	if (!sip_scan_token(&sc, &name))
		goto bad;
	while (sip_scan_char(&sc, ' ') || sip_scan_char(&sc, '\t'))
		;
	if (!sip_scan_char(&sc, ':'))
		goto bad;
	sip_scan_sws(&sc);
	if (msg->nhdrs == SIP_MAX_HEADERS) {
		fail(msg, SIP_ERR_TOO_MANY_HEADERS, SIP_HDR_OTHER);
		return false;
	}
	/* Trailing LWS, folds included, is not part of the value. */
	vend = sc.end;
	while (vend > sc.p && (sip_is_wsp(vend[-1]) || vend[-1] == '\n' || vend[-1] == '\r'))
		vend--;
	h = &msg->hdrs[msg->nhdrs++];
	*h = (struct sip_hdr){
		.type = sip_hdr_lookup(name),
		.name = name,
		.value = sip_str_span(sc.p, vend),
		.line = line,
	};
	for (link = &msg->first[h->type]; *link; link = &msg->hdrs[*link - 1].next)
		;
	*link = (uint16_t)msg->nhdrs;
	if (!has_grammar(h->type) && !is_text(h->value))
		fail(msg, SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER);
	return true;
bad:
	fail(msg, SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER);
	return true;
}

/* Splits the header section; returns where the body starts, NULL if unframed. */
static const char *split_headers(struct sip_msg *msg, const char *p, const char *end)
{
	const char *start = p;

	for (;;) {
		enum sip_err err;
		size_t len;
		bool bad;

		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			msg->headers = sip_str_span(start, p + 2);
			return p + 2;
		}
		err = measure_line(p, end, true, &len, &bad);
		if (err) {
			fail(msg, err, SIP_HDR_OTHER);
			return NULL;
		}
		if (bad)
			fail(msg, SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER);
		else if (!add_header(msg, sip_str_make(p, len)))
			return NULL;
		p += len;
	}
}

/*
 * The first field of a single-valued type, NULL when absent. A duplicate is
 * an error, but the first field still counts for answering it.
 */
static const struct sip_hdr *single(struct sip_msg *msg, enum sip_hdr_type type)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, type);

	if (h && h->next)
		fail(msg, SIP_ERR_DUPLICATE_HEADER, type);
	return h;
}

static bool parse_addr_field(struct sip_msg *msg, enum sip_hdr_type type, struct sip_addr *addr)
{
	const struct sip_hdr *h = single(msg, type);
	struct sip_scan sc;

	if (!h)
		return false;
	sip_scan_init(&sc, h->value);
	if (!sip_addr_scan(&sc, type, addr) || !sip_scan_eof(&sc)) {
		fail(msg, SIP_ERR_BAD_HEADER, type);
		return false;
	}
	return true;
}

static bool parse_uint_field(struct sip_msg *msg, enum sip_hdr_type type, uint64_t max,
			     int64_t *out)
{
	const struct sip_hdr *h = single(msg, type);
	uint64_t v;

	if (!h)
		return false;
	if (!sip_str_to_uint(h->value, max, &v)) {
		fail(msg, SIP_ERR_BAD_HEADER, type);
		return false;
	}
	*out = (int64_t)v;
	return true;
}

static void parse_vias(struct sip_msg *msg, unsigned int *have)
{
	struct sip_iter it;
	struct sip_via via;
	int ret;

	sip_iter_init(&it, msg, SIP_HDR_VIA);
	while ((ret = sip_iter_via(&it, &via)) == 1) {
		if (++msg->nvia > SIP_MAX_VIA) {
			fail(msg, SIP_ERR_TOO_MANY_VIAS, SIP_HDR_VIA);
			return;
		}
		if (msg->nvia == 1) {
			msg->via = via;
			*have |= HAVE_VIA;
		}
	}
	if (ret < 0)
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_VIA);
}

/* Contact: "*" alone, or a list of addresses (RFC 3261 20.10). */
static void parse_contacts(struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	struct sip_addr addr;
	struct sip_iter it;
	int ret;

	if (h && !h->next && sip_str_eq(h->value, SIP_STR("*"))) {
		msg->contact_star = true;
		return;
	}
	sip_iter_init(&it, msg, SIP_HDR_CONTACT);
	while ((ret = sip_iter_addr(&it, &addr)) == 1)
		msg->ncontact++;
	if (ret < 0)
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_CONTACT);
}

static void check_list(struct sip_msg *msg, enum sip_hdr_type type)
{
	struct sip_addr addr;
	struct sip_iter it;
	struct sip_str tok;
	int ret;

	sip_iter_init(&it, msg, type);
	if (type == SIP_HDR_ROUTE || type == SIP_HDR_RECORD_ROUTE)
		while ((ret = sip_iter_addr(&it, &addr)) == 1)
			;
	else
		while ((ret = sip_iter_token(&it, &tok)) == 1)
			;
	if (ret < 0)
		fail(msg, SIP_ERR_BAD_HEADER, type);
}

static void parse_fields(struct sip_msg *msg, unsigned int *have)
{
	const struct sip_hdr *h;
	int64_t v;

	parse_vias(msg, have);
	if (parse_addr_field(msg, SIP_HDR_FROM, &msg->from))
		*have |= HAVE_FROM;
	if (parse_addr_field(msg, SIP_HDR_TO, &msg->to))
		*have |= HAVE_TO;
	h = single(msg, SIP_HDR_CALL_ID);
	if (h && sip_callid_valid(h->value)) {
		msg->call_id = h->value;
		*have |= HAVE_CALL_ID;
	} else if (h) {
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_CALL_ID);
	}
	h = single(msg, SIP_HDR_CSEQ);
	if (h && sip_cseq_parse(h->value, &msg->cseq))
		*have |= HAVE_CSEQ;
	else if (h)
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_CSEQ);
	if (parse_uint_field(msg, SIP_HDR_MAX_FORWARDS, 255, &v))
		msg->max_forwards = (int)v;
	parse_uint_field(msg, SIP_HDR_EXPIRES, UINT32_MAX, &msg->expires);
	parse_uint_field(msg, SIP_HDR_CONTENT_LENGTH, UINT32_MAX, &msg->content_length);
	h = single(msg, SIP_HDR_CONTENT_TYPE);
	if (h && !sip_ctype_parse(h->value, &msg->content_type))
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_CONTENT_TYPE);
	h = single(msg, SIP_HDR_RETRY_AFTER);
	if (h && !sip_retry_after_valid(h->value))
		fail(msg, SIP_ERR_BAD_HEADER, SIP_HDR_RETRY_AFTER);
	parse_contacts(msg);
	check_list(msg, SIP_HDR_ROUTE);
	check_list(msg, SIP_HDR_RECORD_ROUTE);
	check_list(msg, SIP_HDR_REQUIRE);
	check_list(msg, SIP_HDR_PROXY_REQUIRE);
	check_list(msg, SIP_HDR_SUPPORTED);
	check_list(msg, SIP_HDR_UNSUPPORTED);
}

/* Every request and response carries these (RFC 3261 8.1.1, 8.2.6.2). */
static const enum sip_hdr_type mandatory[] = {
	SIP_HDR_VIA, SIP_HDR_FROM, SIP_HDR_TO, SIP_HDR_CALL_ID, SIP_HDR_CSEQ,
};

static void check_mandatory(struct sip_msg *msg, enum sip_transport_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++)
		if (!msg->first[mandatory[i]])
			fail(msg, SIP_ERR_MISSING_HEADER, mandatory[i]);
	/* A stream has no other way to find where the body ends (18.3). */
	if (kind == SIP_STREAM && !msg->first[SIP_HDR_CONTENT_LENGTH])
		fail(msg, SIP_ERR_MISSING_HEADER, SIP_HDR_CONTENT_LENGTH);
	if (msg->request && sip_str_present(msg->cseq.method) &&
	    !sip_str_eq(msg->cseq.method, msg->method))
		fail(msg, SIP_ERR_CSEQ_METHOD, SIP_HDR_CSEQ);
}

static void frame_body(struct sip_msg *msg, const char *start, const char *body,
		       const char *end)
{
	size_t avail = (size_t)(end - body);
	size_t len = avail;

	if (msg->content_length >= 0) {
		if ((uint64_t)msg->content_length > avail) {
			fail(msg, SIP_ERR_BODY_TRUNCATED, SIP_HDR_CONTENT_LENGTH);
			return;
		}
		len = (size_t)msg->content_length;
	}
	msg->body = sip_str_make(body, len);
	msg->data = sip_str_span(start, body + len);
}

static void reset(struct sip_msg *msg)
{
	memset(msg, 0, offsetof(struct sip_msg, hdrs));
	msg->max_forwards = -1;
	msg->expires = -1;
	msg->content_length = -1;
}

/*
 * Parses the message at buf. Returns SIP_OK, or the first error found
 * (also in msg->err, with msg->err_hdr and msg->can_reply). On error the
 * fields parsed so far stay readable, for building the answer.
 */
enum sip_err sip_msg_parse(struct sip_msg *msg, const char *buf, size_t len,
			   enum sip_transport_kind kind)
{
	const char *p = buf, *end = buf + len, *body;
	unsigned int have = 0;
	size_t line_len;
	enum sip_err err;
	bool bad;

	reset(msg);
	msg->data = sip_str_make(buf, len);
	if (len > SIP_MAX_MSG_SIZE) {
		fail(msg, SIP_ERR_TOO_LARGE, SIP_HDR_OTHER);
		return msg->err;
	}
	/* Empty lines before the start line are ignored (7.5). */
	while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	err = measure_line(p, end, false, &line_len, &bad);
	if (err || bad || line_len == 2) {
		fail(msg, err ? err : SIP_ERR_START_LINE, SIP_HDR_OTHER);
		return msg->err;
	}
	if (parse_start_line(msg, sip_str_make(p, line_len - 2)))
		have |= HAVE_START;
	body = split_headers(msg, p + line_len, end);
	parse_fields(msg, &have);
	check_mandatory(msg, kind);
	if (body && msg->err == SIP_OK)
		frame_body(msg, p, body, end);
	msg->can_reply = msg->err != SIP_OK && msg->request && have == HAVE_REPLY &&
			 msg->method_id != SIP_METHOD_ACK;
	return msg->err;
}
