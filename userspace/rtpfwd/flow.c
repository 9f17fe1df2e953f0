// SPDX-License-Identifier: GPL-2.0
/* "rtpfwd flow ...": add, set, del, show and flush flows. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connect.h"
#include "flow_args.h"
#include "flow_print.h"
#include "json.h"

/* Replies collected from a dump or a get, printed once complete. */
struct flow_list {
	struct nl_flow *flows;
	size_t count, cap;
};

static int collect_flow(const struct nlmsghdr *nlh, void *data)
{
	struct flow_list *list = data;
	struct nl_flow *grown;

	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 64;
		grown = reallocarray(list->flows, list->cap, sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		list->flows = grown;
	}
	if (nl_flow_parse(nlh, &list->flows[list->count])) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	list->count++;
	return MNL_CB_OK;
}

static void forget_flows(void *data)
{
	struct flow_list *list = data;

	list->count = 0;
}

static int by_id(const void *a, const void *b)
{
	const struct nl_flow *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void print_flows(const struct flow_list *list)
{
	struct json j;
	size_t i;

	if (output_mode == OUTPUT_JSON) {
		json_init(&j, stdout);
		json_array_begin(&j, NULL);
		for (i = 0; i < list->count; i++)
			flow_print_json(&j, NULL, &list->flows[i]);
		json_array_end(&j);
		putchar('\n');
		return;
	}
	for (i = 0; i < list->count; i++) {
		if (output_mode == OUTPUT_SCRIPT) {
			flow_print_script(&list->flows[i]);
			continue;
		}
		if (i)
			putchar('\n');
		flow_print_human(&list->flows[i]);
	}
}

/* Sends @cmd for @flow's attributes; replies go to @list when given. */
static int request(struct nl *nl, uint8_t cmd, const struct nl_flow *flow,
		   struct flow_list *list)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req = nl_msg_start(nl, buf, cmd, NLM_F_ACK);

	nl_flow_put(req, flow);
	return nl_request(nl, req, list ? collect_flow : NULL, list);
}

/*
 * An owned flow lives as long as our socket: print its id, then wait for
 * SIGINT, SIGTERM or SIGHUP, blocked before the flow existed so none is
 * missed.
 */
static void hold_until_signal(const sigset_t *sigs)
{
	int sig;

	fflush(stdout);
	sigwait(sigs, &sig);
}

static void print_new_id(uint32_t id)
{
	if (output_mode == OUTPUT_JSON)
		printf("{\"id\":%" PRIu32 "}\n", id);
	else
		printf("%" PRIu32 "\n", id);
}

static int flow_add(int argc, char **argv)
{
	struct flow_list list = {};
	char err[FLOW_ARGS_ERRLEN];
	struct flow_args args;
	struct nl *nl;
	sigset_t sigs;
	int ret;

	if (flow_args_parse(FLOW_ARGS_ADD, argc, argv, &args, err)) {
		connect_parse_error(err);
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	if (args.flow.flags & RTPFWD_F_OWNED)
		sigprocmask(SIG_BLOCK, &sigs, NULL);
	if (connect_open(&nl))
		return 1;
	ret = request(nl, RTPFWD_CMD_FLOW_NEW, &args.flow, &list);
	if (ret) {
		ret = connect_error(nl, "flow add", ret);
		goto out;
	}
	if (list.count != 1 || !nl_flow_has(&list.flows[0], RTPFWD_A_ID)) {
		fprintf(stderr, "rtpfwd: flow add: the kernel's reply has no flow id\n");
		ret = 1;
		goto out;
	}
	print_new_id(list.flows[0].id);
	if (args.flow.flags & RTPFWD_F_OWNED)
		hold_until_signal(&sigs);
out:
	free(list.flows);
	nl_close(nl);
	return ret;
}

/* Flag words change the current flags, so read them first. */
static int merge_flags(struct nl *nl, struct flow_args *args)
{
	struct nl_flow sel = { .id = args->flow.id };
	struct flow_list list = {};
	int ret;

	nl_flow_mark(&sel, RTPFWD_A_ID);
	ret = request(nl, RTPFWD_CMD_FLOW_GET, &sel, &list);
	if (!ret && (list.count != 1 || !nl_flow_has(&list.flows[0], RTPFWD_A_FLAGS)))
		ret = -EBADMSG;
	if (!ret) {
		args->flow.flags = (list.flows[0].flags & ~args->flags_off) | args->flags_on;
		nl_flow_mark(&args->flow, RTPFWD_A_FLAGS);
	}
	free(list.flows);
	return ret;
}

static int flow_set(int argc, char **argv)
{
	char err[FLOW_ARGS_ERRLEN];
	struct flow_args args;
	struct nl *nl;
	int ret = 0;

	if (flow_args_parse(FLOW_ARGS_SET, argc, argv, &args, err)) {
		connect_parse_error(err);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	if (args.flags_on || args.flags_off)
		ret = merge_flags(nl, &args);
	if (!ret)
		ret = request(nl, RTPFWD_CMD_FLOW_SET, &args.flow, NULL);
	if (ret)
		ret = connect_error(nl, "flow set", ret);
	nl_close(nl);
	return ret;
}

static int flow_del(int argc, char **argv)
{
	char err[FLOW_ARGS_ERRLEN];
	struct nl_flow sel;
	struct nl *nl;
	int ret;

	if (flow_args_select(argc, argv, false, &sel, err)) {
		connect_parse_error(err);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	ret = request(nl, RTPFWD_CMD_FLOW_DEL, &sel, NULL);
	if (ret)
		ret = connect_error(nl, "flow del", ret);
	nl_close(nl);
	return ret;
}

static int dump_flows(struct nl *nl, struct flow_list *list)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req = nl_msg_start(nl, buf, RTPFWD_CMD_FLOW_GET, NLM_F_DUMP);

	return nl_dump(nl, req, collect_flow, forget_flows, list);
}

static int flow_show(int argc, char **argv)
{
	struct flow_list list = {};
	char err[FLOW_ARGS_ERRLEN];
	struct nl_flow sel;
	struct nl *nl;
	int ret;

	if (flow_args_select(argc, argv, true, &sel, err)) {
		connect_parse_error(err);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	if (sel.attrs)
		ret = request(nl, RTPFWD_CMD_FLOW_GET, &sel, &list);
	else
		ret = dump_flows(nl, &list);
	if (ret) {
		ret = connect_error(nl, "flow show", ret);
		goto out;
	}
	qsort(list.flows, list.count, sizeof(*list.flows), by_id);
	print_flows(&list);
out:
	free(list.flows);
	nl_close(nl);
	return ret;
}

static int flow_flush(int argc, char **argv)
{
	char err[FLOW_ARGS_ERRLEN];
	struct nl_flow sel;
	struct nl *nl;
	int ret;

	if (flow_args_flush(argc, argv, &sel, err)) {
		connect_parse_error(err);
		return 1;
	}
	if (connect_open(&nl))
		return 1;
	ret = request(nl, RTPFWD_CMD_FLUSH, &sel, NULL);
	if (ret)
		ret = connect_error(nl, "flow flush", ret);
	nl_close(nl);
	return ret;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "add", flow_add },
	{ "set", flow_set },
	{ "del", flow_del },
	{ "show", flow_show },
	{ "flush", flow_flush },
};

/* "flow" alone shows every flow, as "ip route" does. */
int flow_main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return flow_show(0, NULL);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "rtpfwd: unknown flow command \"%s\" (want add, set, del, show or flush)\n",
		argv[1]);
	return 1;
}
