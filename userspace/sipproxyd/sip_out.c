// SPDX-License-Identifier: GPL-2.0
/* Appending to a bounded buffer without ever writing past it. */

#include "sip_out.h"

void sip_out_put(struct sip_out *o, const char *s, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = true;
		return;
	}
	if (n)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void sip_out_str(struct sip_out *o, struct sip_str s)
{
	sip_out_put(o, s.s, s.len);
}

void sip_out_cstr(struct sip_out *o, const char *s)
{
	sip_out_put(o, s, strlen(s));
}

/* By hand: every message we write has a few numbers, and snprintf() showed in profiles. */
void sip_out_uint(struct sip_out *o, uint64_t v)
{
	char digits[24], *d = digits + sizeof(digits);

	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sip_out_put(o, d, (size_t)(digits + sizeof(digits) - d));
}

/* "Name: value" CRLF */
void sip_out_field(struct sip_out *o, struct sip_str name, struct sip_str value)
{
	sip_out_str(o, name);
	sip_out_put(o, ": ", 2);
	sip_out_str(o, value);
	sip_out_put(o, "\r\n", 2);
}

/*
 * Whether caller-supplied text may go into a header value: no CR, LF or NUL,
 * which would end the field early and let the text inject fields.
 */
bool sip_out_safe_value(struct sip_str v)
{
	size_t i;

	for (i = 0; i < v.len; i++)
		if (v.s[i] == '\r' || v.s[i] == '\n' || v.s[i] == '\0')
			return false;
	return true;
}
