// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the credentials(5) parser: any bytes give a table
 * or a "NAME:LINE: what" error, never a crash or a leak; a table finds
 * every user it was built from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/credentials.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl, *colon, *at;
	struct credentials *creds;
	uint8_t ha1[DIGEST_MAX_LEN];
	const struct credential *c;
	char err[256];
	size_t len;

	err[0] = '\0';
	if (credentials_parse(text, size, "fuzz", &creds, err, sizeof(err))) {
		if (strncmp(err, "fuzz:", 5))
			abort();
		return 0;
	}
	/* Look up the first line's user@realm, split as the parser splits it. */
	nl = memchr(text, '\n', size);
	len = nl ? (size_t)(nl - text) : size;
	colon = len ? memchr(text, ':', len) : NULL;
	at = colon ? memrchr(text, '@', (size_t)(colon - text)) : NULL;
	if (at && text[0] != '#' && text[0] != ' ' && text[0] != '\t') {
		c = credentials_find(creds, sip_str_span(text, at), sip_str_span(at + 1, colon));
		if (!c || !c->algorithms)
			abort();
		credential_ha1(c, DIGEST_MD5, ha1);
		credential_ha1(c, DIGEST_SHA256, ha1);
	}
	credentials_free(creds);
	return 0;
}
