// SPDX-License-Identifier: GPL-2.0
/*
 * The words after "flow add|set|del|show|flush", turned into the flow
 * attributes to send. Pure code: every failure is a message in @err for
 * the caller to print, so the unit tests can check each one.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flow_args.h"
#include "number.h"
#include "ptlist.h"

struct flow_option;
typedef int (*option_parse_t)(struct flow_args *args, const struct flow_option *opt,
			      int argc, char **argv, char *err);

/* An option word; @parse reads its values and returns how many it took. */
struct flow_option {
	const char *name;
	bool in_add, in_set;
	option_parse_t parse;
	int attr;		/* the RTPFWD_A_* it sets, or 0 for flag words */
	uint32_t flag;		/* for flag words */
	bool negate;		/* no-* flag words clear @flag */
};

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, FLOW_ARGS_ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_endpoint(const char *what, const char *text, struct endpoint *ep, char *err)
{
	if (endpoint_parse(ep, text))
		return fail(err, "invalid %s \"%s\" (want ADDR:PORT or [ADDR6]:PORT)", what, text);
	return 0;
}

static int parse_id(const char *text, uint32_t *id, char *err)
{
	uint64_t v;

	if (number_parse(text, 1, UINT32_MAX, &v))
		return fail(err, "invalid flow id \"%s\" (want 1-4294967295)", text);
	*id = (uint32_t)v;
	return 0;
}

static int parse_cookie(const char *text, uint64_t *cookie, char *err)
{
	if (number_parse(text, 0, UINT64_MAX, cookie))
		return fail(err, "invalid cookie \"%s\" (want a 64-bit number)", text);
	return 0;
}

static struct endpoint *endpoint_of(struct nl_flow *flow, int attr)
{
	switch (attr) {
	case RTPFWD_A_LOCAL:
		return &flow->local;
	case RTPFWD_A_OUT:
		return &flow->out;
	default:
		return &flow->peer;
	}
}

static int opt_endpoint(struct flow_args *args, const struct flow_option *opt,
			int argc, char **argv, char *err)
{
	if (parse_endpoint("endpoint", argv[0], endpoint_of(&args->flow, opt->attr), err))
		return -1;
	return 1;
}

/* The learn hint: ADDR:PORT, [ADDR6]:PORT, or without the port (any port). */
static int parse_hint(const char *text, struct endpoint *ep, char *err)
{
	char addr[INET6_ADDRSTRLEN];
	size_t len = strlen(text);

	if (!endpoint_parse(ep, text))
		return 0;
	memset(ep, 0, sizeof(*ep));
	if (len > 2 && text[0] == '[' && text[len - 1] == ']' && len - 2 < sizeof(addr)) {
		memcpy(addr, text + 1, len - 2);
		addr[len - 2] = '\0';
		if (inet_pton(AF_INET6, addr, &ep->addr.v6) == 1) {
			ep->family = AF_INET6;
			return 0;
		}
	} else if (inet_pton(AF_INET, text, &ep->addr.v4) == 1) {
		ep->family = AF_INET;
		return 0;
	}
	return fail(err, "invalid expect \"%s\" (want ADDR[:PORT] or [ADDR6][:PORT])", text);
}

/*
 * "learn [expect ADDR[:PORT] [only]]": returns the words taken after
 * "learn". The source phrase decides EXPECT_ONLY either way, so that
 * "flow set ID source ..." never keeps one the new policy cannot have.
 */
static int opt_learn(struct flow_args *args, int argc, char **argv, char *err)
{
	struct nl_flow *flow = &args->flow;
	int used = 0;

	flow->policy = RTPFWD_POLICY_LEARN;
	if (argc > 0 && !strcmp(argv[0], "expect")) {
		if (argc < 2)
			return fail(err, "missing value after \"expect\" (want ADDR[:PORT])");
		if (parse_hint(argv[1], &flow->expect, err))
			return -1;
		nl_flow_mark(flow, RTPFWD_A_EXPECT);
		used = 2;
		if (argc > 2 && !strcmp(argv[2], "only")) {
			args->flags_on |= RTPFWD_F_EXPECT_ONLY;
			return 3;
		}
	}
	args->flags_off |= RTPFWD_F_EXPECT_ONLY;
	return used;
}

static int opt_source(struct flow_args *args, const struct flow_option *opt,
		      int argc, char **argv, char *err)
{
	struct nl_flow *flow = &args->flow;
	int used;

	if (!strcmp(argv[0], "learn")) {
		used = opt_learn(args, argc - 1, argv + 1, err);
		return used < 0 ? -1 : used + 1;
	}
	args->flags_off |= RTPFWD_F_EXPECT_ONLY;
	if (!strcmp(argv[0], "any")) {
		flow->policy = RTPFWD_POLICY_ANY;
		return 1;
	}
	if (strcmp(argv[0], "strict"))
		return fail(err, "invalid source \"%s\" (want any, learn or strict ADDR:PORT)",
			    argv[0]);
	if (argc < 2)
		return fail(err, "missing value after \"source strict\" (want ADDR:PORT)");
	if (parse_endpoint("source", argv[1], &flow->source, err))
		return -1;
	flow->policy = RTPFWD_POLICY_STRICT;
	nl_flow_mark(flow, RTPFWD_A_SOURCE);
	return 2;
}

static int opt_pt(struct flow_args *args, const struct flow_option *opt,
		  int argc, char **argv, char *err)
{
	if (ptlist_parse(argv[0], args->flow.pt_mask))
		return fail(err, "invalid pt \"%s\" (want payload types 0-127, e.g. 0,8,96-127)",
			    argv[0]);
	return 1;
}

static int opt_timeout(struct flow_args *args, const struct flow_option *opt,
		       int argc, char **argv, char *err)
{
	uint64_t v;

	if (number_parse(argv[0], 0, UINT32_MAX, &v))
		return fail(err, "invalid timeout \"%s\" (want seconds, 0-4294967295)", argv[0]);
	args->flow.timeout = (uint32_t)v;
	return 1;
}

/* The two ECN bits belong to the transport, so a DS field leaves them 0. */
static int opt_tos(struct flow_args *args, const struct flow_option *opt,
		   int argc, char **argv, char *err)
{
	uint64_t v;

	if (number_parse(argv[0], 0, 255, &v) || (v & 3))
		return fail(err, "invalid tos \"%s\" (want 0-255 with the ECN bits clear)", argv[0]);
	args->flow.tos = (uint8_t)v;
	return 1;
}

static int opt_clock_rate(struct flow_args *args, const struct flow_option *opt,
			  int argc, char **argv, char *err)
{
	uint64_t v;

	if (number_parse(argv[0], 1, UINT32_MAX, &v))
		return fail(err, "invalid clock-rate \"%s\" (want Hz, 1-4294967295)", argv[0]);
	args->flow.clock_rate = (uint32_t)v;
	return 1;
}

static int opt_cookie(struct flow_args *args, const struct flow_option *opt,
		      int argc, char **argv, char *err)
{
	return parse_cookie(argv[0], &args->flow.cookie, err) ? -1 : 1;
}

#define VALUE(n, add, set, fn, a) \
	{ .name = n, .in_add = add, .in_set = set, .parse = fn, .attr = a }
#define FLAG(n, add, set, f, neg) \
	{ .name = n, .in_add = add, .in_set = set, .flag = f, .negate = neg }

static const struct flow_option options[] = {
	VALUE("local", true, false, opt_endpoint, RTPFWD_A_LOCAL),
	VALUE("out", true, true, opt_endpoint, RTPFWD_A_OUT),
	VALUE("peer", true, true, opt_endpoint, RTPFWD_A_PEER),
	VALUE("source", true, true, opt_source, RTPFWD_A_POLICY),
	VALUE("pt", true, true, opt_pt, RTPFWD_A_PT_MASK),
	VALUE("timeout", true, true, opt_timeout, RTPFWD_A_TIMEOUT),
	VALUE("tos", true, true, opt_tos, RTPFWD_A_TOS),
	VALUE("clock-rate", true, true, opt_clock_rate, RTPFWD_A_CLOCK_RATE),
	VALUE("cookie", true, true, opt_cookie, RTPFWD_A_COOKIE),
	FLAG("rtp", true, true, RTPFWD_F_RTP, false),
	FLAG("rtcp", true, true, RTPFWD_F_RTCP, false),
	FLAG("idle-delete", true, true, RTPFWD_F_IDLE_DELETE, false),
	FLAG("owned", true, false, RTPFWD_F_OWNED, false),
	FLAG("no-rtp", false, true, RTPFWD_F_RTP, true),
	FLAG("no-rtcp", false, true, RTPFWD_F_RTCP, true),
	FLAG("no-idle-delete", false, true, RTPFWD_F_IDLE_DELETE, true),
};

static const struct flow_option *find_option(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

static const char *cmd_name(enum flow_args_cmd cmd)
{
	return cmd == FLOW_ARGS_ADD ? "flow add" : "flow set";
}

static int apply_flag(struct flow_args *args, const struct flow_option *opt, char *err)
{
	if ((args->flags_on | args->flags_off) & opt->flag)
		return fail(err, "duplicate or contradicting option \"%s\"", opt->name);
	if (opt->negate)
		args->flags_off |= opt->flag;
	else
		args->flags_on |= opt->flag;
	return 0;
}

/* One option word and its values at @argv; returns how many words it took. */
static int parse_option(enum flow_args_cmd cmd, struct flow_args *args,
			int argc, char **argv, char *err)
{
	const struct flow_option *opt = find_option(argv[0]);
	int used;

	if (!opt)
		return fail(err, "unknown option \"%s\" for %s", argv[0], cmd_name(cmd));
	if (!(cmd == FLOW_ARGS_ADD ? opt->in_add : opt->in_set))
		return fail(err, "option \"%s\" is not valid for %s", opt->name, cmd_name(cmd));
	if (!opt->parse)
		return apply_flag(args, opt, err) ? -1 : 1;
	if (nl_flow_has(&args->flow, opt->attr))
		return fail(err, "duplicate option \"%s\"", opt->name);
	if (argc < 2)
		return fail(err, "missing value after \"%s\"", opt->name);
	used = opt->parse(args, opt, argc - 1, argv + 1, err);
	if (used < 0)
		return -1;
	nl_flow_mark(&args->flow, opt->attr);
	return used + 1;
}

static int check_add(const struct flow_args *args, char *err)
{
	static const struct { int attr; const char *what; } required[] = {
		{ RTPFWD_A_LOCAL, "local ADDR:PORT" },
		{ RTPFWD_A_OUT, "out ADDR:PORT" },
		{ RTPFWD_A_PEER, "peer ADDR:PORT" },
	};
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!nl_flow_has(&args->flow, required[i].attr))
			return fail(err, "flow add: missing \"%s\"", required[i].what);
	return 0;
}

/**
 * flow_args_parse - read "flow add OPTIONS" or "flow set ID OPTIONS"
 * @cmd: which of the two
 * @argc: words after "add" or "set"
 * @argv: the words
 * @args: zeroed, then filled; for add, the flag words are also in
 *	@args->flow as RTPFWD_A_FLAGS
 * @err: why parsing failed
 *
 * Return: 0, or -1 with @err set.
 */
int flow_args_parse(enum flow_args_cmd cmd, int argc, char **argv,
		    struct flow_args *args, char err[static FLOW_ARGS_ERRLEN])
{
	int i = 0, used;

	memset(args, 0, sizeof(*args));
	if (cmd == FLOW_ARGS_SET) {
		if (argc < 1)
			return fail(err, "flow set: missing flow id");
		if (parse_id(argv[0], &args->flow.id, err))
			return -1;
		nl_flow_mark(&args->flow, RTPFWD_A_ID);
		i = 1;
	}
	for (; i < argc; i += used) {
		used = parse_option(cmd, args, argc - i, argv + i, err);
		if (used < 0)
			return -1;
	}
	if (cmd == FLOW_ARGS_SET)
		return args->flow.attrs == (1U << RTPFWD_A_ID) && !args->flags_on &&
		       !args->flags_off ? fail(err, "flow set: nothing to change") : 0;
	if (check_add(args, err))
		return -1;
	if (args->flags_on) {
		args->flow.flags = args->flags_on;
		nl_flow_mark(&args->flow, RTPFWD_A_FLAGS);
	}
	return 0;
}

/**
 * flow_args_select - read "ID" or "local ADDR:PORT" (flow del, flow show)
 * @argc: words left
 * @argv: the words
 * @optional: whether no words at all is fine (show: every flow)
 * @sel: zeroed, then RTPFWD_A_ID or RTPFWD_A_LOCAL set
 * @err: why parsing failed
 *
 * Return: 0, or -1 with @err set.
 */
int flow_args_select(int argc, char **argv, bool optional, struct nl_flow *sel,
		     char err[static FLOW_ARGS_ERRLEN])
{
	memset(sel, 0, sizeof(*sel));
	if (argc == 0)
		return optional ? 0 : fail(err, "missing flow: want ID or local ADDR:PORT");
	if (!strcmp(argv[0], "local")) {
		if (argc < 2)
			return fail(err, "missing value after \"local\"");
		if (parse_endpoint("endpoint", argv[1], &sel->local, err))
			return -1;
		nl_flow_mark(sel, RTPFWD_A_LOCAL);
		return argc > 2 ? fail(err, "unexpected \"%s\" after the flow", argv[2]) : 0;
	}
	if (parse_id(argv[0], &sel->id, err))
		return -1;
	nl_flow_mark(sel, RTPFWD_A_ID);
	return argc > 1 ? fail(err, "unexpected \"%s\" after the flow", argv[1]) : 0;
}

/**
 * flow_args_flush - read "flow flush [cookie N]"
 * @argc: words after "flush"
 * @argv: the words
 * @sel: zeroed, then RTPFWD_A_COOKIE set when a cookie was given
 * @err: why parsing failed
 *
 * Return: 0, or -1 with @err set.
 */
int flow_args_flush(int argc, char **argv, struct nl_flow *sel,
		    char err[static FLOW_ARGS_ERRLEN])
{
	memset(sel, 0, sizeof(*sel));
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "cookie"))
		return fail(err, "unknown option \"%s\" for flow flush", argv[0]);
	if (argc < 2)
		return fail(err, "missing value after \"cookie\"");
	if (parse_cookie(argv[1], &sel->cookie, err))
		return -1;
	nl_flow_mark(sel, RTPFWD_A_COOKIE);
	return argc > 2 ? fail(err, "unexpected \"%s\" after the cookie", argv[2]) : 0;
}
