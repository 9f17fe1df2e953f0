// SPDX-License-Identifier: GPL-2.0
/*
 * sip_digest_parse() on anything; accepted credentials must have every
 * mandatory field, views inside the input and values that unquote.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sipproxyd/sip_digest.h"
#include "sipproxyd/sip_lex.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	static char plain[1 << 16];
	struct sip_digest d;

	if (sip_digest_parse(sip_str_make(buf, size), &d))
		return 0;
	CHECK(d.username.s >= buf && d.username.s + d.username.len <= buf + size);
	CHECK(sip_str_present(d.realm) && sip_str_present(d.nonce) && sip_str_present(d.uri));
	CHECK(d.alg == SIP_DIGEST_OTHER || d.response.len == 32 || d.response.len == 64);
	CHECK(sip_str_present(d.qop) == sip_str_present(d.nc));
	CHECK(sip_unquote(d.username, plain, sizeof(plain)) >= 0);
	return 0;
}
