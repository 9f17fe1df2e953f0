// SPDX-License-Identifier: GPL-2.0
/*
 * endpoint_parse() on arbitrary bytes: it must never crash, and whatever
 * it accepts must print back to text that parses to the same endpoint.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/endpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct endpoint ep, again;
	char buf[ENDPOINT_STRLEN];
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (endpoint_parse(&ep, text) == 0) {
		endpoint_format(&ep, buf);
		if (endpoint_parse(&again, buf) || !endpoint_equal(&ep, &again))
			abort();
	}
	free(text);
	return 0;
}
