/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_LEX_H
#define SIPPROXY_SIP_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_str.h"

/*
 * The RFC 3261 section 25 lexical rules, on a cursor over a view. Every
 * sip_scan_* function either consumes what it matched and returns true, or
 * leaves the cursor where it was and returns false, so callers can try
 * alternatives without saving positions themselves.
 */
struct sip_scan {
	const char *p;
	const char *end;
};

static inline void sip_scan_init(struct sip_scan *sc, struct sip_str v)
{
	sc->p = v.s;
	sc->end = v.s + v.len;
}

static inline bool sip_scan_eof(const struct sip_scan *sc)
{
	return sc->p >= sc->end;
}

/* The next byte, or -1 at the end. */
static inline int sip_scan_peek(const struct sip_scan *sc)
{
	return sc->p < sc->end ? (unsigned char)*sc->p : -1;
}

static inline bool sip_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool sip_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool sip_is_alnum(int c)
{
	return sip_is_alpha(c) || sip_is_digit(c);
}

static inline bool sip_is_hex(int c)
{
	return sip_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool sip_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

bool sip_is_token_char(int c);
bool sip_is_word_char(int c);
int sip_hex_value(int c);

bool sip_scan_char(struct sip_scan *sc, char c);
bool sip_scan_sws(struct sip_scan *sc);
bool sip_scan_lws(struct sip_scan *sc);
bool sip_scan_sep(struct sip_scan *sc, char c);
bool sip_scan_token(struct sip_scan *sc, struct sip_str *out);
bool sip_scan_word(struct sip_scan *sc, struct sip_str *out);
bool sip_scan_quoted(struct sip_scan *sc, struct sip_str *out);
bool sip_scan_uint(struct sip_scan *sc, uint64_t max, uint64_t *value);
bool sip_scan_gen_value(struct sip_scan *sc, struct sip_str *out);
bool sip_scan_param(struct sip_scan *sc, struct sip_str *name, struct sip_str *value);
bool sip_scan_comment(struct sip_scan *sc);

bool sip_str_to_uint(struct sip_str v, uint64_t max, uint64_t *value);
bool sip_str_is_token(struct sip_str v);
struct sip_str sip_str_unquote_view(struct sip_str v);
int sip_unquote(struct sip_str quoted, char *out, size_t cap);

bool sip_params_find(struct sip_str params, const char *name, struct sip_str *value);

#endif
