// SPDX-License-Identifier: GPL-2.0
/*
 * sip_uri_parse() on anything; an accepted URI must equal itself, keep
 * every view inside the input and find the parameters it reported.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sipproxyd/sip_uri.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static bool inside(struct sip_str v, const char *buf, size_t size)
{
	return !sip_str_present(v) || (v.s >= buf && v.s + v.len <= buf + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct sip_uri uri, copy;
	struct sip_str v;

	if (sip_uri_parse(sip_str_make(buf, size), &uri))
		return 0;
	CHECK(inside(uri.user, buf, size) && inside(uri.password, buf, size) &&
	      inside(uri.host, buf, size) && inside(uri.params, buf, size) &&
	      inside(uri.headers, buf, size));
	CHECK(uri.nparams <= SIP_MAX_URI_PARAMS);
	CHECK(sip_uri_equal(&uri, &uri));
	CHECK(!uri.lr || sip_uri_param_find(&uri, "lr", &v));
	CHECK(!sip_str_present(uri.transport) || sip_uri_param_find(&uri, "transport", &v));
	CHECK(sip_uri_parse(uri.raw, &copy) == 0 && sip_uri_equal(&uri, &copy));
	return 0;
}
