/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_OUT_H
#define SIPPROXY_SIP_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_str.h"

/*
 * A bounded output buffer for building messages. Writes past the end set
 * overflow and are dropped; the builder checks it once at the end.
 */
struct sip_out {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline void sip_out_init(struct sip_out *o, char *buf, size_t cap)
{
	*o = (struct sip_out){ .buf = buf, .cap = cap };
}

void sip_out_put(struct sip_out *o, const char *s, size_t n);
void sip_out_str(struct sip_out *o, struct sip_str s);
void sip_out_cstr(struct sip_out *o, const char *s);
void sip_out_uint(struct sip_out *o, uint64_t v);
void sip_out_field(struct sip_out *o, struct sip_str name, struct sip_str value);
bool sip_out_safe_value(struct sip_str v);

#endif
