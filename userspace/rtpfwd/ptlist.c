// SPDX-License-Identifier: GPL-2.0
/*
 * "pt 0,8,96-127": the RTP payload types a flow forwards, as the 128-bit
 * mask of RTPFWD_A_PT_MASK (bit N of byte N/8 allows type N).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "number.h"
#include "ptlist.h"

#define PT_MAX 127

static bool pt_allowed(const uint8_t mask[NL_PT_MASK_LEN], unsigned int pt)
{
	return mask[pt / 8] & (1U << (pt % 8));
}

/* One item, "N" or "N-M", of @len bytes at @text. */
static int parse_item(const char *text, size_t len, uint8_t mask[NL_PT_MASK_LEN])
{
	char item[16], *dash;
	uint64_t lo, hi;

	if (len == 0 || len >= sizeof(item))
		return -EINVAL;
	memcpy(item, text, len);
	item[len] = '\0';
	dash = strchr(item, '-');
	if (dash)
		*dash = '\0';
	if (number_parse(item, 0, PT_MAX, &lo))
		return -EINVAL;
	hi = lo;
	if (dash && (number_parse(dash + 1, lo, PT_MAX, &hi)))
		return -EINVAL;
	for (; lo <= hi; lo++)
		mask[lo / 8] |= (uint8_t)(1U << (lo % 8));
	return 0;
}

/**
 * ptlist_parse - read a comma-separated list of payload types and ranges
 * @text: e.g. "0,8,96-127"; no spaces, no empty items
 * @mask: set to exactly the listed types
 *
 * Return: 0, or -EINVAL (then @mask is zeroed).
 */
int ptlist_parse(const char *text, uint8_t mask[NL_PT_MASK_LEN])
{
	const char *comma;

	memset(mask, 0, NL_PT_MASK_LEN);
	for (;;) {
		comma = strchr(text, ',');
		if (parse_item(text, comma ? (size_t)(comma - text) : strlen(text), mask)) {
			memset(mask, 0, NL_PT_MASK_LEN);
			return -EINVAL;
		}
		if (!comma)
			return 0;
		text = comma + 1;
	}
}

/**
 * ptlist_format - write @mask the way ptlist_parse() reads it
 * @mask: the payload type mask
 * @buf: PTLIST_STRLEN bytes
 *
 * Return: @buf; "none" for an empty mask.
 */
char *ptlist_format(const uint8_t mask[NL_PT_MASK_LEN], char buf[static PTLIST_STRLEN])
{
	unsigned int pt = 0, end;
	size_t used = 0;

	buf[0] = '\0';
	while (pt <= PT_MAX) {
		if (!pt_allowed(mask, pt)) {
			pt++;
			continue;
		}
		for (end = pt; end < PT_MAX && pt_allowed(mask, end + 1); end++)
			;
		if (end == pt)
			used += (size_t)snprintf(buf + used, PTLIST_STRLEN - used,
						 "%s%u", used ? "," : "", pt);
		else
			used += (size_t)snprintf(buf + used, PTLIST_STRLEN - used,
						 "%s%u-%u", used ? "," : "", pt, end);
		pt = end + 1;
	}
	if (!used)
		snprintf(buf, PTLIST_STRLEN, "none");
	return buf;
}
