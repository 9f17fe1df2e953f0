// SPDX-License-Identifier: GPL-2.0
/* "rtpfwd stats": the counters of this network namespace. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "connect.h"
#include "counters.h"

/* -s columns 2 on, after "flows"; documented in rtpfwd(8), "STATS RECORD". */
static const int script_counters[] = {
	RTPFWD_STATS_PACKETS, RTPFWD_STATS_BYTES,
	RTPFWD_STATS_RTCP_PACKETS, RTPFWD_STATS_RTCP_BYTES,
	RTPFWD_STATS_DROP_SOURCE, RTPFWD_STATS_DROP_PROBATION,
	RTPFWD_STATS_DROP_PAYLOAD_TYPE, RTPFWD_STATS_DROP_MALFORMED,
	RTPFWD_STATS_DROP_NO_ROUTE, RTPFWD_STATS_DROP_NOMEM, RTPFWD_STATS_DROP_XMIT,
	RTPFWD_STATS_MISSES, RTPFWD_STATS_COPIES,
};

static int on_stats(const struct nlmsghdr *nlh, void *data)
{
	if (nl_stats_parse(nlh, data)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static void print_count(const struct nl_stats *s, int counter, const char *label)
{
	if (nl_stats_has(s, counter))
		printf("%s%s:%s %" PRIu64 "\n", output_bold(), label, output_reset(), s->v[counter]);
}

static void print_traffic(const struct nl_stats *s, int packets, int bytes, const char *label)
{
	char size[OUTPUT_STRLEN];

	if (nl_stats_has(s, packets))
		printf("%s%s:%s %" PRIu64 " packets, %s\n", output_bold(), label, output_reset(),
		       s->v[packets], output_size(s->v[bytes], size));
}

static void print_stats(const struct nl_stats *s)
{
	struct json j;

	switch (output_mode) {
	case OUTPUT_JSON:
		json_init(&j, stdout);
		counters_print_json(&j, NULL, s);
		putchar('\n');
		break;
	case OUTPUT_SCRIPT:
		if (nl_stats_has(s, RTPFWD_STATS_FLOWS))
			printf("%" PRIu64, s->v[RTPFWD_STATS_FLOWS]);
		else
			putchar('-');
		counters_print_script(s, script_counters,
				      (int)(sizeof(script_counters) / sizeof(script_counters[0])));
		putchar('\n');
		break;
	case OUTPUT_HUMAN:
		print_count(s, RTPFWD_STATS_FLOWS, "flows");
		print_traffic(s, RTPFWD_STATS_PACKETS, RTPFWD_STATS_BYTES, "forwarded");
		print_traffic(s, RTPFWD_STATS_RTCP_PACKETS, RTPFWD_STATS_RTCP_BYTES, "rtcp");
		print_count(s, RTPFWD_STATS_MISSES, "unmatched packets");
		print_count(s, RTPFWD_STATS_COPIES, "header copies");
		counters_print_drops(s);
		break;
	}
}

int stats_main(int argc, char **argv)
{
	struct nl_stats stats;
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;
	struct nl *nl;
	int ret;

	if (argc > 1) {
		fprintf(stderr, "rtpfwd: unexpected \"%s\" after stats\n", argv[1]);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	req = nl_msg_start(nl, buf, RTPFWD_CMD_STATS_GET, NLM_F_ACK);
	ret = nl_request(nl, req, on_stats, &stats);
	if (ret)
		ret = connect_error(nl, "stats", ret);
	else
		print_stats(&stats);
	nl_close(nl);
	return ret;
}
