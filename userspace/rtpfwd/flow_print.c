// SPDX-License-Identifier: GPL-2.0
/*
 * One flow in each output form. Only what the kernel reported is shown;
 * the -s column order is documented in rtpfwd(8) and never changes, new
 * columns go at the end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "flow_print.h"
#include "output.h"
#include "ptlist.h"

static const struct {
	uint32_t flag;
	const char *name;
} flag_names[] = {
	{ RTPFWD_F_RTP, "rtp" },
	{ RTPFWD_F_RTCP, "rtcp" },
	{ RTPFWD_F_OWNED, "owned" },
	{ RTPFWD_F_IDLE_DELETE, "idle-delete" },
	{ RTPFWD_F_EXPECT_ONLY, "expect-only" },
};

/* Columns 14 on of -s output, after the flow's own fields. */
static const int script_counters[] = {
	RTPFWD_STATS_PACKETS, RTPFWD_STATS_BYTES,
	RTPFWD_STATS_RTCP_PACKETS, RTPFWD_STATS_RTCP_BYTES,
	RTPFWD_STATS_DROP_SOURCE, RTPFWD_STATS_DROP_PROBATION,
	RTPFWD_STATS_DROP_PAYLOAD_TYPE, RTPFWD_STATS_DROP_MALFORMED,
	RTPFWD_STATS_DROP_NO_ROUTE, RTPFWD_STATS_DROP_NOMEM, RTPFWD_STATS_DROP_XMIT,
	RTPFWD_STATS_FIRST_MS, RTPFWD_STATS_LAST_MS,
	RTPFWD_STATS_SSRC, RTPFWD_STATS_EXT_SEQ, RTPFWD_STATS_LOST, RTPFWD_STATS_JITTER,
};

const char *flow_policy_name(uint8_t policy)
{
	switch (policy) {
	case RTPFWD_POLICY_ANY:
		return "any";
	case RTPFWD_POLICY_LEARN:
		return "learn";
	case RTPFWD_POLICY_STRICT:
		return "strict";
	}
	return "unknown";
}

/* "rtp,idle-delete", "none", or the hex mask for bits this build lacks. */
char *flow_flags_format(uint32_t flags, char buf[static FLOW_FLAGS_STRLEN])
{
	size_t i, used = 0;

	if (flags & ~(uint32_t)RTPFWD_F_ALL) {
		snprintf(buf, FLOW_FLAGS_STRLEN, "0x%" PRIx32, flags);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (flags & flag_names[i].flag)
			used += (size_t)snprintf(buf + used, FLOW_FLAGS_STRLEN - used, "%s%s",
						 used ? "," : "", flag_names[i].name);
	if (!used)
		snprintf(buf, FLOW_FLAGS_STRLEN, "none");
	return buf;
}

static void print_endpoint_line(const char *label, const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	printf("  %s%s:%s %s\n", output_bold(), label, output_reset(), endpoint_format(ep, buf));
}

/* The learn hint: ADDR:PORT, or ADDR:* for any port. */
static char *hint_format(const struct endpoint *ep, char buf[static ENDPOINT_STRLEN])
{
	endpoint_format(ep, buf);
	if (!ep->port)
		buf[strlen(buf) - 1] = '*';	/* the port 0 endpoint_format() wrote */
	return buf;
}

static void print_source_human(const struct nl_flow *flow)
{
	char ep[ENDPOINT_STRLEN];

	printf("  %ssource:%s %s", output_bold(), output_reset(), flow_policy_name(flow->policy));
	if (flow->policy == RTPFWD_POLICY_STRICT && nl_flow_has(flow, RTPFWD_A_SOURCE))
		printf(" %s", endpoint_format(&flow->source, ep));
	else if (flow->policy == RTPFWD_POLICY_LEARN && flow->learned)
		printf(", locked to %s", endpoint_format(&flow->source, ep));
	else if (flow->policy == RTPFWD_POLICY_LEARN)
		printf(", not locked yet");
	if (nl_flow_has(flow, RTPFWD_A_EXPECT))
		printf(", expecting %s", hint_format(&flow->expect, ep));
	putchar('\n');
}

static void print_traffic_human(const struct nl_flow *flow)
{
	const struct nl_stats *s = &flow->stats;
	char size[OUTPUT_STRLEN];

	if (nl_stats_has(s, RTPFWD_STATS_PACKETS))
		printf("  %sforwarded:%s %" PRIu64 " packets, %s\n", output_bold(), output_reset(),
		       s->v[RTPFWD_STATS_PACKETS], output_size(s->v[RTPFWD_STATS_BYTES], size));
	if (nl_stats_has(s, RTPFWD_STATS_RTCP_PACKETS) && s->v[RTPFWD_STATS_RTCP_PACKETS])
		printf("  %srtcp:%s %" PRIu64 " packets, %s\n", output_bold(), output_reset(),
		       s->v[RTPFWD_STATS_RTCP_PACKETS],
		       output_size(s->v[RTPFWD_STATS_RTCP_BYTES], size));
	if (nl_stats_has(s, RTPFWD_STATS_SSRC)) {
		printf("  %srtp:%s ssrc 0x%08" PRIx64 ", seq %" PRIu64 ", lost %" PRId64
		       ", jitter %" PRIu64, output_bold(), output_reset(), s->v[RTPFWD_STATS_SSRC],
		       s->v[RTPFWD_STATS_EXT_SEQ], (int64_t)s->v[RTPFWD_STATS_LOST],
		       s->v[RTPFWD_STATS_JITTER]);
		if (flow->clock_rate)
			printf(" (%.2f ms)", (double)s->v[RTPFWD_STATS_JITTER] * 1000 / flow->clock_rate);
		putchar('\n');
	}
	if (nl_stats_has(s, RTPFWD_STATS_LAST_MS))
		printf("  %slatest packet:%s %s ago\n", output_bold(), output_reset(),
		       output_age(s->v[RTPFWD_STATS_LAST_MS], size));
	if (nl_stats_has(s, RTPFWD_STATS_FIRST_MS))
		printf("  %sfirst packet:%s %s ago\n", output_bold(), output_reset(),
		       output_age(s->v[RTPFWD_STATS_FIRST_MS], size));
	counters_print_drops(s);
}

/* wg(8)'s layout: a bold header line, then "  label: value" lines. */
void flow_print_human(const struct nl_flow *flow)
{
	char buf[PTLIST_STRLEN];

	printf("%s%sflow%s %s%" PRIu32 "%s\n", output_bold(), output_green(), output_reset(),
	       output_green(), flow->id, output_reset());
	if (nl_flow_has(flow, RTPFWD_A_COOKIE))
		printf("  %scookie:%s %" PRIu64 "\n", output_bold(), output_reset(), flow->cookie);
	if (nl_flow_has(flow, RTPFWD_A_LOCAL))
		print_endpoint_line("local", &flow->local);
	if (nl_flow_has(flow, RTPFWD_A_OUT))
		print_endpoint_line("out", &flow->out);
	if (nl_flow_has(flow, RTPFWD_A_PEER))
		print_endpoint_line("peer", &flow->peer);
	if (nl_flow_has(flow, RTPFWD_A_POLICY))
		print_source_human(flow);
	if (nl_flow_has(flow, RTPFWD_A_FLAGS))
		printf("  %sflags:%s %s\n", output_bold(), output_reset(),
		       flow_flags_format(flow->flags, buf));
	if (nl_flow_has(flow, RTPFWD_A_PT_MASK))
		printf("  %spayload types:%s %s\n", output_bold(), output_reset(),
		       ptlist_format(flow->pt_mask, buf));
	if (nl_flow_has(flow, RTPFWD_A_TIMEOUT) && flow->timeout)
		printf("  %stimeout:%s %" PRIu32 "s\n", output_bold(), output_reset(), flow->timeout);
	if (nl_flow_has(flow, RTPFWD_A_TOS) && flow->tos)
		printf("  %stos:%s 0x%02x\n", output_bold(), output_reset(), flow->tos);
	if (nl_flow_has(flow, RTPFWD_A_CLOCK_RATE))
		printf("  %sclock rate:%s %" PRIu32 " Hz\n", output_bold(), output_reset(),
		       flow->clock_rate);
	print_traffic_human(flow);
}

static void print_field_endpoint(const struct nl_flow *flow, int attr, const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	printf("\t%s", nl_flow_has(flow, attr) ? endpoint_format(ep, buf) : "-");
}

static void print_field_u64(const struct nl_flow *flow, int attr, uint64_t value)
{
	if (nl_flow_has(flow, attr))
		printf("\t%" PRIu64, value);
	else
		fputs("\t-", stdout);
}

static void print_field_pt_mask(const struct nl_flow *flow)
{
	int i;

	if (!nl_flow_has(flow, RTPFWD_A_PT_MASK)) {
		fputs("\t-", stdout);
		return;
	}
	putchar('\t');
	for (i = 0; i < NL_PT_MASK_LEN; i++)
		printf("%02x", flow->pt_mask[i]);
}

/* The -s record; columns in rtpfwd(8), "FLOW RECORD". */
void flow_print_script(const struct nl_flow *flow)
{
	char buf[ENDPOINT_STRLEN];

	printf("%" PRIu32, flow->id);
	print_field_u64(flow, RTPFWD_A_COOKIE, flow->cookie);
	print_field_endpoint(flow, RTPFWD_A_LOCAL, &flow->local);
	print_field_endpoint(flow, RTPFWD_A_OUT, &flow->out);
	print_field_endpoint(flow, RTPFWD_A_PEER, &flow->peer);
	printf("\t%s", nl_flow_has(flow, RTPFWD_A_POLICY) ? flow_policy_name(flow->policy) : "-");
	print_field_endpoint(flow, RTPFWD_A_SOURCE, &flow->source);
	printf("\t%d", flow->learned);
	print_field_u64(flow, RTPFWD_A_FLAGS, flow->flags);
	print_field_pt_mask(flow);
	print_field_u64(flow, RTPFWD_A_TIMEOUT, flow->timeout);
	print_field_u64(flow, RTPFWD_A_TOS, flow->tos);
	print_field_u64(flow, RTPFWD_A_CLOCK_RATE, flow->clock_rate);
	counters_print_script(&flow->stats, script_counters,
			      (int)(sizeof(script_counters) / sizeof(script_counters[0])));
	printf("\t%s", nl_flow_has(flow, RTPFWD_A_EXPECT) ? hint_format(&flow->expect, buf) : "-");
	putchar('\n');
}

static void json_endpoint(struct json *j, const char *key, const struct endpoint *ep)
{
	char buf[ENDPOINT_STRLEN];

	json_string(j, key, endpoint_format(ep, buf));
}

static void json_flags(struct json *j, uint32_t flags)
{
	size_t i;

	json_array_begin(j, "flags");
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (flags & flag_names[i].flag)
			json_string(j, NULL, flag_names[i].name);
	json_array_end(j);
}

void flow_print_json(struct json *j, const char *key, const struct nl_flow *flow)
{
	char buf[PTLIST_STRLEN];

	json_object_begin(j, key);
	json_u64(j, "id", flow->id);
	if (nl_flow_has(flow, RTPFWD_A_COOKIE))
		json_u64(j, "cookie", flow->cookie);
	if (nl_flow_has(flow, RTPFWD_A_LOCAL))
		json_endpoint(j, "local", &flow->local);
	if (nl_flow_has(flow, RTPFWD_A_OUT))
		json_endpoint(j, "out", &flow->out);
	if (nl_flow_has(flow, RTPFWD_A_PEER))
		json_endpoint(j, "peer", &flow->peer);
	if (nl_flow_has(flow, RTPFWD_A_POLICY))
		json_string(j, "policy", flow_policy_name(flow->policy));
	if (nl_flow_has(flow, RTPFWD_A_SOURCE))
		json_endpoint(j, "source", &flow->source);
	json_bool(j, "learned", flow->learned);
	if (nl_flow_has(flow, RTPFWD_A_EXPECT)) {
		char ep[ENDPOINT_STRLEN];

		json_string(j, "expect", hint_format(&flow->expect, ep));
	}
	if (nl_flow_has(flow, RTPFWD_A_FLAGS))
		json_flags(j, flow->flags);
	if (nl_flow_has(flow, RTPFWD_A_PT_MASK))
		json_string(j, "pt", ptlist_format(flow->pt_mask, buf));
	if (nl_flow_has(flow, RTPFWD_A_TIMEOUT))
		json_u64(j, "timeout", flow->timeout);
	if (nl_flow_has(flow, RTPFWD_A_TOS))
		json_u64(j, "tos", flow->tos);
	if (nl_flow_has(flow, RTPFWD_A_CLOCK_RATE))
		json_u64(j, "clock_rate", flow->clock_rate);
	if (nl_flow_has(flow, RTPFWD_A_STATS))
		counters_print_json(j, "stats", &flow->stats);
	json_object_end(j);
}
