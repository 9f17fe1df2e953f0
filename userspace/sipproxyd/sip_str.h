/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_STR_H
#define SIPPROXY_SIP_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * A view of bytes someone else owns: the receive buffer a message was
 * parsed from, or a string literal. Never NUL-terminated and may hold NUL
 * bytes (escaped ones decode to NUL, bodies carry anything).
 *
 * s == NULL means "absent"; s != NULL with len == 0 means "present but
 * empty" (a parameter written without a value, an empty reason phrase).
 */
struct sip_str {
	const char *s;
	size_t len;
};

#define SIP_STR(lit) ((struct sip_str){ .s = (lit), .len = sizeof(lit) - 1 })
#define SIP_STR_NONE ((struct sip_str){ .s = NULL, .len = 0 })

/* For printf("%.*s", SIP_STR_FMT(v)). */
#define SIP_STR_FMT(v) (int)(v).len, (v).s

static inline struct sip_str sip_str_make(const char *s, size_t len)
{
	return (struct sip_str){ .s = s, .len = len };
}

static inline struct sip_str sip_str_span(const char *from, const char *to)
{
	return (struct sip_str){ .s = from, .len = (size_t)(to - from) };
}

static inline bool sip_str_present(struct sip_str v)
{
	return v.s != NULL;
}

static inline char sip_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static inline bool sip_str_eq(struct sip_str a, struct sip_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

/* ASCII-only case folding: SIP tokens are ASCII and the locale must not matter. */
static inline bool sip_str_caseeq(struct sip_str a, struct sip_str b)
{
	size_t i;

	if (a.len != b.len)
		return false;
	for (i = 0; i < a.len; i++)
		if (sip_lower(a.s[i]) != sip_lower(b.s[i]))
			return false;
	return true;
}

static inline bool sip_str_caseeq_cstr(struct sip_str a, const char *lit)
{
	return sip_str_caseeq(a, sip_str_make(lit, strlen(lit)));
}

#endif
