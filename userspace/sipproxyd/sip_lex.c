// SPDX-License-Identifier: GPL-2.0
/*
 * Lexical rules shared by every SIP parser: whitespace with folding,
 * tokens, quoted strings, numbers and generic parameters (RFC 3261 25.1).
 */
#include "sip_lex.h"

/* Deep enough for any real comment, shallow enough to stay cheap. */
#define SIP_MAX_COMMENT_DEPTH 16

/*
 * Character classes as tables: the scanners test every byte of every
 * field, and a switch behind a function pointer per byte showed in
 * profiles. [a ... b] ranges are a GNU C extension (we build gnu11).
 */
#define ALNUM ['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true
#define TOKEN_MARKS ['-'] = true, ['.'] = true, ['!'] = true, ['%'] = true, ['*'] = true, \
	['_'] = true, ['+'] = true, ['`'] = true, ['\''] = true, ['~'] = true

static const bool token_chars[256] = { ALNUM, TOKEN_MARKS };

/* Call-ID words allow most separators but never whitespace, ';' or ','. */
static const bool word_chars[256] = {
	ALNUM, TOKEN_MARKS,
	['('] = true, [')'] = true, ['<'] = true, ['>'] = true, [':'] = true, ['\\'] = true,
	['"'] = true, ['/'] = true, ['['] = true, [']'] = true, ['?'] = true, ['{'] = true,
	['}'] = true,
};

bool sip_is_token_char(int c)
{
	return c >= 0 && c < 256 && token_chars[c];
}

bool sip_is_word_char(int c)
{
	return c >= 0 && c < 256 && word_chars[c];
}

int sip_hex_value(int c)
{
	if (sip_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool sip_scan_char(struct sip_scan *sc, char c)
{
	if (sc->p < sc->end && *sc->p == c) {
		sc->p++;
		return true;
	}
	return false;
}

/* A fold is CRLF followed by at least one space or tab (RFC 3261 7.3.1). */
static bool at_fold(const struct sip_scan *sc)
{
	return sc->end - sc->p >= 3 && sc->p[0] == '\r' && sc->p[1] == '\n' &&
	       sip_is_wsp(sc->p[2]);
}

/* SWS: optional linear white space. Returns whether anything was skipped. */
bool sip_scan_sws(struct sip_scan *sc)
{
	const char *start = sc->p;

	for (;;) {
		while (sc->p < sc->end && sip_is_wsp(*sc->p))
			sc->p++;
		if (!at_fold(sc))
			break;
		sc->p += 2;
	}
	return sc->p != start;
}

/* LWS: mandatory linear white space. */
bool sip_scan_lws(struct sip_scan *sc)
{
	return sip_scan_sws(sc);
}

/* SWS c SWS: the separators SEMI, COMMA, EQUAL, SLASH, COLON, ... */
bool sip_scan_sep(struct sip_scan *sc, char c)
{
	const char *start = sc->p;

	sip_scan_sws(sc);
	if (!sip_scan_char(sc, c)) {
		sc->p = start;
		return false;
	}
	sip_scan_sws(sc);
	return true;
}

static bool scan_run(struct sip_scan *sc, const bool chars[256], struct sip_str *out)
{
	const char *start = sc->p;

	while (sc->p < sc->end && chars[(unsigned char)*sc->p])
		sc->p++;
	if (sc->p == start)
		return false;
	*out = sip_str_span(start, sc->p);
	return true;
}

bool sip_scan_token(struct sip_scan *sc, struct sip_str *out)
{
	return scan_run(sc, token_chars, out);
}

bool sip_scan_word(struct sip_scan *sc, struct sip_str *out)
{
	return scan_run(sc, word_chars, out);
}

/* qdtext: LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII */
static bool is_qdtext(int c)
{
	return c == ' ' || c == '\t' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
	       (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

/* quoted-pair: "\" (%x00-09 / %x0B-0C / %x0E-7F) */
static bool is_quotable(int c)
{
	return c >= 0 && c <= 0x7f && c != '\n' && c != '\r';
}

/* A quoted-string starting at the cursor; out covers both quotes. */
bool sip_scan_quoted(struct sip_scan *sc, struct sip_str *out)
{
	const char *start = sc->p;

	if (!sip_scan_char(sc, '"'))
		return false;
	while (sc->p < sc->end) {
		int c = (unsigned char)*sc->p;

		if (c == '"') {
			sc->p++;
			*out = sip_str_span(start, sc->p);
			return true;
		}
		if (c == '\\') {
			if (sc->end - sc->p < 2 || !is_quotable((unsigned char)sc->p[1]))
				break;
			sc->p += 2;
		} else if (at_fold(sc)) {
			sc->p += 3;
		} else if (is_qdtext(c)) {
			sc->p++;
		} else {
			break;
		}
	}
	sc->p = start;
	return false;
}

/* 1*DIGIT no larger than max; leading zeros are fine ("0068"). */
bool sip_scan_uint(struct sip_scan *sc, uint64_t max, uint64_t *value)
{
	const char *start = sc->p;
	uint64_t v = 0;

	while (sc->p < sc->end && sip_is_digit(*sc->p)) {
		unsigned int d = (unsigned int)(*sc->p - '0');

		if (v > (max - d) / 10) {
			sc->p = start;
			return false;
		}
		v = v * 10 + d;
		sc->p++;
	}
	if (sc->p == start)
		return false;
	*value = v;
	return true;
}

static bool is_ipv6_char(int c)
{
	return sip_is_hex(c) || c == ':' || c == '.';
}

/* gen-value: token / host / quoted-string, as written (quotes kept). */
bool sip_scan_gen_value(struct sip_scan *sc, struct sip_str *out)
{
	const char *start = sc->p;

	if (sip_scan_peek(sc) == '"')
		return sip_scan_quoted(sc, out);
	if (sip_scan_char(sc, '[')) {
		while (sc->p < sc->end && is_ipv6_char((unsigned char)*sc->p))
			sc->p++;
		if (!sip_scan_char(sc, ']') || sc->p - start < 3) {
			sc->p = start;
			return false;
		}
		*out = sip_str_span(start, sc->p);
		return true;
	}
	return sip_scan_token(sc, out);
}

/*
 * generic-param: token [ EQUAL gen-value ], after its SEMI. A parameter
 * without "=" has value SIP_STR_NONE; "name=" with nothing after fails.
 */
bool sip_scan_param(struct sip_scan *sc, struct sip_str *name, struct sip_str *value)
{
	const char *start = sc->p;

	if (!sip_scan_token(sc, name))
		return false;
	*value = SIP_STR_NONE;
	if (sip_scan_sep(sc, '=') && !sip_scan_gen_value(sc, value)) {
		sc->p = start;
		return false;
	}
	return true;
}

/* ctext: %x21-27 / %x2A-5B / %x5D-7E / UTF8-NONASCII / LWS */
static bool is_ctext(int c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x27) ||
	       (c >= 0x2a && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

/* comment: "(" *(ctext / quoted-pair / comment) ")", nesting bounded. */
bool sip_scan_comment(struct sip_scan *sc)
{
	const char *start = sc->p;
	int depth = 0;

	if (sip_scan_peek(sc) != '(')
		return false;
	while (sc->p < sc->end) {
		int c = (unsigned char)*sc->p;

		if (c == '(') {
			if (++depth > SIP_MAX_COMMENT_DEPTH)
				break;
			sc->p++;
		} else if (c == ')') {
			sc->p++;
			if (--depth == 0)
				return true;
		} else if (c == '\\') {
			if (sc->end - sc->p < 2 || !is_quotable((unsigned char)sc->p[1]))
				break;
			sc->p += 2;
		} else if (at_fold(sc)) {
			sc->p += 3;
		} else if (is_ctext(c)) {
			sc->p++;
		} else {
			break;
		}
	}
	sc->p = start;
	return false;
}

/* The whole view is 1*DIGIT no larger than max. */
bool sip_str_to_uint(struct sip_str v, uint64_t max, uint64_t *value)
{
	struct sip_scan sc;

	sip_scan_init(&sc, v);
	return sip_scan_uint(&sc, max, value) && sip_scan_eof(&sc);
}

bool sip_str_is_token(struct sip_str v)
{
	struct sip_scan sc;
	struct sip_str tok;

	sip_scan_init(&sc, v);
	return sip_scan_token(&sc, &tok) && sip_scan_eof(&sc);
}

/* The text between the quotes of a quoted-string, escapes still in place. */
struct sip_str sip_str_unquote_view(struct sip_str v)
{
	if (v.len >= 2 && v.s[0] == '"' && v.s[v.len - 1] == '"')
		return sip_str_make(v.s + 1, v.len - 2);
	return v;
}

/*
 * Decodes a quoted-string (with its quotes) or a bare token into out:
 * quoted-pairs become the byte they protect, folds become one space.
 * Returns the decoded length, or -1 when it does not fit.
 */
int sip_unquote(struct sip_str quoted, char *out, size_t cap)
{
	struct sip_str in = sip_str_unquote_view(quoted);
	size_t i, n = 0;

	for (i = 0; i < in.len; i++) {
		char c = in.s[i];

		if (c == '\\' && i + 1 < in.len) {
			c = in.s[++i];
		} else if (c == '\r' && i + 2 < in.len && in.s[i + 1] == '\n') {
			c = ' ';
			i += 2;
		}
		if (n >= cap)
			return -1;
		out[n++] = c;
	}
	return n > (size_t)INT32_MAX ? -1 : (int)n;
}

/* Finds a header parameter by name (case-insensitive) in a ";a=b;c" view. */
bool sip_params_find(struct sip_str params, const char *name, struct sip_str *value)
{
	struct sip_str n, v;
	struct sip_scan sc;

	sip_scan_init(&sc, params);
	while (sip_scan_sep(&sc, ';') && sip_scan_param(&sc, &n, &v)) {
		if (sip_str_caseeq_cstr(n, name)) {
			*value = v;
			return true;
		}
	}
	return false;
}
