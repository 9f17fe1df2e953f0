// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of RTPFWD_A_STATS, shared by "flow show" and "stats": their
 * names (JSON keys, documented in rtpfwd(8)) and how each form prints them.
 */
#include <inttypes.h>
#include <stdio.h>

#include "counters.h"

static const char *const names[RTPFWD_STATS_MAX + 1] = {
	[RTPFWD_STATS_PACKETS] = "packets",
	[RTPFWD_STATS_BYTES] = "bytes",
	[RTPFWD_STATS_RTCP_PACKETS] = "rtcp_packets",
	[RTPFWD_STATS_RTCP_BYTES] = "rtcp_bytes",
	[RTPFWD_STATS_DROP_SOURCE] = "drop_source",
	[RTPFWD_STATS_DROP_PROBATION] = "drop_probation",
	[RTPFWD_STATS_DROP_PAYLOAD_TYPE] = "drop_payload_type",
	[RTPFWD_STATS_DROP_MALFORMED] = "drop_malformed",
	[RTPFWD_STATS_DROP_NO_ROUTE] = "drop_no_route",
	[RTPFWD_STATS_DROP_NOMEM] = "drop_nomem",
	[RTPFWD_STATS_DROP_XMIT] = "drop_xmit",
	[RTPFWD_STATS_FIRST_MS] = "first_ms",
	[RTPFWD_STATS_LAST_MS] = "last_ms",
	[RTPFWD_STATS_SSRC] = "ssrc",
	[RTPFWD_STATS_EXT_SEQ] = "ext_seq",
	[RTPFWD_STATS_LOST] = "lost",
	[RTPFWD_STATS_JITTER] = "jitter",
	[RTPFWD_STATS_FLOWS] = "flows",
	[RTPFWD_STATS_MISSES] = "misses",
	[RTPFWD_STATS_COPIES] = "copies",
};

static void print_value(const struct nl_stats *stats, int counter)
{
	if (counter == RTPFWD_STATS_LOST)
		printf("%" PRId64, (int64_t)stats->v[counter]);
	else
		printf("%" PRIu64, stats->v[counter]);
}

/* "  dropped: source 3, probation 5" with the non-zero drop counters. */
void counters_print_drops(const struct nl_stats *stats)
{
	int c, shown = 0;

	for (c = RTPFWD_STATS_DROP_SOURCE; c <= RTPFWD_STATS_DROP_XMIT; c++) {
		if (!nl_stats_has(stats, c) || !stats->v[c])
			continue;
		printf("%s%s %" PRIu64, shown++ ? ", " : "  dropped: ",
		       names[c] + sizeof("drop_") - 1, stats->v[c]);
	}
	if (shown)
		putchar('\n');
}

/* One tab before each of @columns, "-" for a counter the kernel left out. */
void counters_print_script(const struct nl_stats *stats, const int *columns, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		putchar('\t');
		if (nl_stats_has(stats, columns[i]))
			print_value(stats, columns[i]);
		else
			putchar('-');
	}
}

/* Every counter the kernel sent, as an object; @key NULL at top level. */
void counters_print_json(struct json *j, const char *key, const struct nl_stats *stats)
{
	int c;

	json_object_begin(j, key);
	for (c = 0; c <= RTPFWD_STATS_MAX; c++) {
		if (!names[c] || !nl_stats_has(stats, c))
			continue;
		if (c == RTPFWD_STATS_LOST)
			json_s64(j, names[c], (int64_t)stats->v[c]);
		else
			json_u64(j, names[c], stats->v[c]);
	}
	json_object_end(j);
}
