// SPDX-License-Identifier: GPL-2.0
/* "rtpfwd monitor": one line per event of the "events" group, until SIGINT. */
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "connect.h"
#include "flow_print.h"
#include "json.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case RTPFWD_CMD_FLOW_IDLE:
		return "idle";
	case RTPFWD_CMD_SOURCE_LEARNED:
		return "learned";
	case RTPFWD_CMD_FLOW_DELETED:
		return "deleted";
	}
	return "unknown";
}

static const char *reason_name(uint8_t reason)
{
	switch (reason) {
	case RTPFWD_DEL_REQUEST:
		return "request";
	case RTPFWD_DEL_FLUSH:
		return "flush";
	case RTPFWD_DEL_IDLE:
		return "idle";
	case RTPFWD_DEL_OWNER:
		return "owner";
	}
	return "unknown";
}

/* What follows the flow id: the learned source, or why the flow went. */
static const char *event_detail(uint8_t cmd, const struct nl_flow *flow,
				char buf[static ENDPOINT_STRLEN])
{
	if (cmd == RTPFWD_CMD_SOURCE_LEARNED && nl_flow_has(flow, RTPFWD_A_SOURCE))
		return endpoint_format(&flow->source, buf);
	if (cmd == RTPFWD_CMD_FLOW_DELETED && nl_flow_has(flow, RTPFWD_A_DELETE_REASON))
		return reason_name(flow->delete_reason);
	return "-";
}

static void print_event(uint8_t cmd, const struct nl_flow *flow)
{
	const char *name = event_name(cmd);
	char buf[ENDPOINT_STRLEN];
	struct json j;

	switch (output_mode) {
	case OUTPUT_JSON:
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "event", name);
		if (cmd == RTPFWD_CMD_FLOW_DELETED && nl_flow_has(flow, RTPFWD_A_DELETE_REASON))
			json_string(&j, "reason", reason_name(flow->delete_reason));
		flow_print_json(&j, "flow", flow);
		json_object_end(&j);
		putchar('\n');
		break;
	case OUTPUT_SCRIPT:
		printf("%s\t%" PRIu32 "\t%s\n", name, flow->id, event_detail(cmd, flow, buf));
		break;
	case OUTPUT_HUMAN:
		printf("%s flow %" PRIu32, name, flow->id);
		if (cmd == RTPFWD_CMD_SOURCE_LEARNED)
			printf(" source %s", event_detail(cmd, flow, buf));
		else if (cmd == RTPFWD_CMD_FLOW_DELETED)
			printf(" reason %s", event_detail(cmd, flow, buf));
		else if (nl_flow_has(flow, RTPFWD_A_LOCAL))
			printf(" local %s", endpoint_format(&flow->local, buf));
		putchar('\n');
		break;
	}
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct nl_flow flow;

	if (nl_flow_parse(nlh, &flow)) {
		fprintf(stderr, "rtpfwd: monitor: skipping a malformed event\n");
		return MNL_CB_OK;
	}
	print_event(genl->cmd, &flow);
	return MNL_CB_OK;
}

static int listen_events(struct nl *nl)
{
	int ret;

	while (!stop) {
		ret = nl_recv_events(nl, on_event, NULL);
		if (ret == -ENOBUFS)
			fprintf(stderr, "rtpfwd: monitor: events lost (receive buffer overrun)\n");
		else if (ret && ret != -EINTR)
			return connect_error(nl, "monitor", ret);
	}
	return 0;
}

int monitor_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct nl *nl;
	int ret;

	if (argc > 1) {
		fprintf(stderr, "rtpfwd: unexpected \"%s\" after monitor\n", argv[1]);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	ret = nl_subscribe(nl);
	if (ret) {
		ret = connect_error(nl, "monitor", ret);
		goto out;
	}
	/* No SA_RESTART: the signal must end the blocking receive. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = listen_events(nl);
out:
	nl_close(nl);
	return ret;
}
