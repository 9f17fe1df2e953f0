// SPDX-License-Identifier: GPL-2.0
/* flow_args_*(): every option of flow add/set/del/show/flush, valid and not. */
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "rtpfwd/flow_args.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define BASE "local", "10.0.0.1:4000", "out", "10.0.1.1:5000", "peer", "10.0.1.2:6000"

/* Parses "flow add BASE WORDS..." and returns the result. */
#define ADD(args, err, ...) \
	flow_args_parse(FLOW_ARGS_ADD, ARGC(BASE, __VA_ARGS__), ARGV(BASE, __VA_ARGS__), args, err)
#define SET(args, err, ...) \
	flow_args_parse(FLOW_ARGS_SET, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), args, err)

FIXTURE(args) {
	struct flow_args a;
	char err[FLOW_ARGS_ERRLEN];
};

FIXTURE_SETUP(args)
{
	self->err[0] = '\0';
}

FIXTURE_TEARDOWN(args)
{
}

TEST_F(args, add_minimal)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, flow_args_parse(FLOW_ARGS_ADD, ARGC(BASE), ARGV(BASE), &self->a, self->err));
	EXPECT_EQ((1U << RTPFWD_A_LOCAL) | (1U << RTPFWD_A_OUT) | (1U << RTPFWD_A_PEER), f->attrs);
	EXPECT_EQ(AF_INET, f->local.family);
	EXPECT_EQ(4000, f->local.port);
	EXPECT_EQ(htonl(0x0a000101), f->out.addr.v4.s_addr);
	EXPECT_EQ(5000, f->out.port);
	EXPECT_EQ(6000, f->peer.port);
}

TEST_F(args, add_everything)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "strict", "[::1]:7", "rtp", "rtcp",
			 "pt", "0,8,96-127", "timeout", "30", "idle-delete", "tos", "0xb8",
			 "clock-rate", "48000", "cookie", "0xdeadbeefcafe", "owned"));
	EXPECT_EQ(RTPFWD_POLICY_STRICT, f->policy);
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_POLICY));
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_SOURCE));
	EXPECT_EQ(AF_INET6, f->source.family);
	EXPECT_EQ(7, f->source.port);
	EXPECT_EQ((uint32_t)(RTPFWD_F_RTP | RTPFWD_F_RTCP | RTPFWD_F_IDLE_DELETE | RTPFWD_F_OWNED),
		  f->flags);
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_FLAGS));
	EXPECT_EQ(0x01, f->pt_mask[0]);
	EXPECT_EQ(0x01, f->pt_mask[1]);
	EXPECT_EQ(0xff, f->pt_mask[12]);
	EXPECT_EQ(0xff, f->pt_mask[15]);
	EXPECT_EQ(0x00, f->pt_mask[11]);
	EXPECT_EQ(30U, f->timeout);
	EXPECT_EQ(0xb8, f->tos);
	EXPECT_EQ(48000U, f->clock_rate);
	EXPECT_EQ(0xdeadbeefcafeULL, f->cookie);
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_ID));
}

TEST_F(args, add_sources)
{
	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "any"));
	EXPECT_EQ(RTPFWD_POLICY_ANY, self->a.flow.policy);
	EXPECT_TRUE(nl_flow_has(&self->a.flow, RTPFWD_A_POLICY));
	EXPECT_FALSE(nl_flow_has(&self->a.flow, RTPFWD_A_SOURCE));
	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "learn"));
	EXPECT_EQ(RTPFWD_POLICY_LEARN, self->a.flow.policy);
	EXPECT_FALSE(nl_flow_has(&self->a.flow, RTPFWD_A_SOURCE));
}

TEST_F(args, add_ipv6)
{
	char *argv[] = { "local", "[::1]:4000", "out", "[2001:db8::1]:5000",
			 "peer", "[2001:db8::2]:6000", NULL };

	ASSERT_EQ(0, flow_args_parse(FLOW_ARGS_ADD, 6, argv, &self->a, self->err));
	EXPECT_EQ(AF_INET6, self->a.flow.local.family);
	EXPECT_EQ(AF_INET6, self->a.flow.peer.family);
}

TEST_F(args, add_no_flags_no_attr)
{
	ASSERT_EQ(0, ADD(&self->a, self->err, "timeout", "0"));
	EXPECT_FALSE(nl_flow_has(&self->a.flow, RTPFWD_A_FLAGS));
	EXPECT_TRUE(nl_flow_has(&self->a.flow, RTPFWD_A_TIMEOUT));
	EXPECT_EQ(0U, self->a.flow.timeout);
}

TEST_F(args, add_missing_required)
{
	char *no_peer[] = { "local", "1.2.3.4:5", "out", "1.2.3.4:6", NULL };
	char *no_local[] = { "out", "1.2.3.4:6", "peer", "1.2.3.4:7", NULL };

	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 4, no_peer, &self->a, self->err));
	EXPECT_STREQ("flow add: missing \"peer ADDR:PORT\"", self->err);
	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 4, no_local, &self->a, self->err));
	EXPECT_STREQ("flow add: missing \"local ADDR:PORT\"", self->err);
	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 0, no_local, &self->a, self->err));
	EXPECT_STREQ("flow add: missing \"local ADDR:PORT\"", self->err);
}

TEST_F(args, bad_endpoints)
{
	char *argv[] = { "local", "1.2.3.4", NULL };

	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 2, argv, &self->a, self->err));
	EXPECT_STREQ("invalid endpoint \"1.2.3.4\" (want ADDR:PORT or [ADDR6]:PORT)", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "strict", "1.2.3.4:0"));
	EXPECT_STREQ("invalid source \"1.2.3.4:0\" (want ADDR:PORT or [ADDR6]:PORT)", self->err);
	argv[1] = "1.2.3.4:65536";
	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 2, argv, &self->a, self->err));
	EXPECT_STREQ("invalid endpoint \"1.2.3.4:65536\" (want ADDR:PORT or [ADDR6]:PORT)",
		     self->err);
	argv[1] = "[::1]:0";
	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 2, argv, &self->a, self->err));
	EXPECT_STREQ("invalid endpoint \"[::1]:0\" (want ADDR:PORT or [ADDR6]:PORT)", self->err);
}

TEST_F(args, bad_values)
{
	static const struct {
		const char *opt, *value, *err;
	} cases[] = {
		{ "timeout", "-1", "invalid timeout \"-1\" (want seconds, 0-4294967295)" },
		{ "timeout", "4294967296", "invalid timeout \"4294967296\" (want seconds, 0-4294967295)" },
		{ "timeout", "1s", "invalid timeout \"1s\" (want seconds, 0-4294967295)" },
		{ "tos", "256", "invalid tos \"256\" (want 0-255 with the ECN bits clear)" },
		{ "tos", "0xb9", "invalid tos \"0xb9\" (want 0-255 with the ECN bits clear)" },
		{ "tos", "", "invalid tos \"\" (want 0-255 with the ECN bits clear)" },
		{ "clock-rate", "0", "invalid clock-rate \"0\" (want Hz, 1-4294967295)" },
		{ "clock-rate", "8k", "invalid clock-rate \"8k\" (want Hz, 1-4294967295)" },
		{ "cookie", "18446744073709551616",
		  "invalid cookie \"18446744073709551616\" (want a 64-bit number)" },
		{ "cookie", "0x", "invalid cookie \"0x\" (want a 64-bit number)" },
		{ "pt", "128", "invalid pt \"128\" (want payload types 0-127, e.g. 0,8,96-127)" },
		{ "pt", "8,", "invalid pt \"8,\" (want payload types 0-127, e.g. 0,8,96-127)" },
		{ "pt", "9-8", "invalid pt \"9-8\" (want payload types 0-127, e.g. 0,8,96-127)" },
		{ "source", "strictly", "invalid source \"strictly\" (want any, learn or strict ADDR:PORT)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(-1, ADD(&self->a, self->err, (char *)cases[i].opt, (char *)cases[i].value));
		EXPECT_STREQ(cases[i].err, self->err);
	}
}

TEST_F(args, edge_values)
{
	ASSERT_EQ(0, ADD(&self->a, self->err, "timeout", "4294967295", "tos", "252",
			 "clock-rate", "1", "cookie", "18446744073709551615", "pt", "127"));
	EXPECT_EQ(4294967295U, self->a.flow.timeout);
	EXPECT_EQ(252, self->a.flow.tos);
	EXPECT_EQ(1U, self->a.flow.clock_rate);
	EXPECT_EQ(UINT64_MAX, self->a.flow.cookie);
	EXPECT_EQ(0x80, self->a.flow.pt_mask[15]);
}

TEST_F(args, missing_values)
{
	static const char *const opts[] = { "source", "pt", "timeout", "tos", "clock-rate",
					    "cookie" };
	char expect[FLOW_ARGS_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		EXPECT_EQ(-1, ADD(&self->a, self->err, (char *)opts[i]));
		snprintf(expect, sizeof(expect), "missing value after \"%s\"", opts[i]);
		EXPECT_STREQ(expect, self->err);
	}
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "strict"));
	EXPECT_STREQ("missing value after \"source strict\" (want ADDR:PORT)", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "1", "out"));
	EXPECT_STREQ("missing value after \"out\"", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "1", "peer"));
	EXPECT_STREQ("missing value after \"peer\"", self->err);
	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_ADD, 1, ARGV("local"), &self->a, self->err));
	EXPECT_STREQ("missing value after \"local\"", self->err);
}

TEST_F(args, duplicates)
{
	EXPECT_EQ(-1, ADD(&self->a, self->err, "local", "1.2.3.4:9"));
	EXPECT_STREQ("duplicate option \"local\"", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "timeout", "1", "timeout", "2"));
	EXPECT_STREQ("duplicate option \"timeout\"", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "any", "source", "learn"));
	EXPECT_STREQ("duplicate option \"source\"", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "rtp", "rtp"));
	EXPECT_STREQ("duplicate or contradicting option \"rtp\"", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "1", "rtp", "no-rtp"));
	EXPECT_STREQ("duplicate or contradicting option \"no-rtp\"", self->err);
}

TEST_F(args, unknown_words)
{
	EXPECT_EQ(-1, ADD(&self->a, self->err, "bogus"));
	EXPECT_STREQ("unknown option \"bogus\" for flow add", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "RTP"));
	EXPECT_STREQ("unknown option \"RTP\" for flow add", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "no-rtp"));
	EXPECT_STREQ("option \"no-rtp\" is not valid for flow add", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "1", "local", "1.2.3.4:5"));
	EXPECT_STREQ("option \"local\" is not valid for flow set", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "1", "owned"));
	EXPECT_STREQ("option \"owned\" is not valid for flow set", self->err);
}

TEST_F(args, set)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, SET(&self->a, self->err, "42", "peer", "[::2]:9", "no-rtp", "idle-delete",
			 "pt", "8", "source", "learn"));
	EXPECT_EQ(42U, f->id);
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_ID));
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_PEER));
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_OUT));
	/* Flag words are merged with the current flags by the caller. */
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_FLAGS));
	EXPECT_EQ((uint32_t)RTPFWD_F_IDLE_DELETE, self->a.flags_on);
	/* A source phrase without "expect ... only" clears EXPECT_ONLY. */
	EXPECT_EQ((uint32_t)(RTPFWD_F_RTP | RTPFWD_F_EXPECT_ONLY), self->a.flags_off);
	EXPECT_EQ(0x01, f->pt_mask[1]);
	EXPECT_EQ(RTPFWD_POLICY_LEARN, f->policy);
}

TEST_F(args, set_bad)
{
	char *none[] = { NULL };

	EXPECT_EQ(-1, flow_args_parse(FLOW_ARGS_SET, 0, none, &self->a, self->err));
	EXPECT_STREQ("flow set: missing flow id", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "7"));
	EXPECT_STREQ("flow set: nothing to change", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "0", "rtp"));
	EXPECT_STREQ("invalid flow id \"0\" (want 1-4294967295)", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "4294967296", "rtp"));
	EXPECT_STREQ("invalid flow id \"4294967296\" (want 1-4294967295)", self->err);
	EXPECT_EQ(-1, SET(&self->a, self->err, "rtp"));
	EXPECT_STREQ("invalid flow id \"rtp\" (want 1-4294967295)", self->err);
}

TEST_F(args, select)
{
	struct nl_flow sel;

	ASSERT_EQ(0, flow_args_select(1, ARGV("17"), false, &sel, self->err));
	EXPECT_EQ(1U << RTPFWD_A_ID, sel.attrs);
	EXPECT_EQ(17U, sel.id);
	ASSERT_EQ(0, flow_args_select(2, ARGV("local", "[::1]:5"), false, &sel, self->err));
	EXPECT_EQ(1U << RTPFWD_A_LOCAL, sel.attrs);
	EXPECT_EQ(AF_INET6, sel.local.family);
	ASSERT_EQ(0, flow_args_select(0, ARGV(NULL), true, &sel, self->err));
	EXPECT_EQ(0U, sel.attrs);
}

TEST_F(args, select_bad)
{
	struct nl_flow sel;

	EXPECT_EQ(-1, flow_args_select(0, ARGV(NULL), false, &sel, self->err));
	EXPECT_STREQ("missing flow: want ID or local ADDR:PORT", self->err);
	EXPECT_EQ(-1, flow_args_select(1, ARGV("local"), false, &sel, self->err));
	EXPECT_STREQ("missing value after \"local\"", self->err);
	EXPECT_EQ(-1, flow_args_select(2, ARGV("1", "2"), true, &sel, self->err));
	EXPECT_STREQ("unexpected \"2\" after the flow", self->err);
	EXPECT_EQ(-1, flow_args_select(3, ARGV("local", "1.2.3.4:5", "x"), true, &sel, self->err));
	EXPECT_STREQ("unexpected \"x\" after the flow", self->err);
	EXPECT_EQ(-1, flow_args_select(1, ARGV("-3"), true, &sel, self->err));
	EXPECT_STREQ("invalid flow id \"-3\" (want 1-4294967295)", self->err);
	EXPECT_EQ(-1, flow_args_select(2, ARGV("local", "1.2.3.4"), true, &sel, self->err));
	EXPECT_STREQ("invalid endpoint \"1.2.3.4\" (want ADDR:PORT or [ADDR6]:PORT)", self->err);
}

TEST_F(args, flush)
{
	struct nl_flow sel;

	ASSERT_EQ(0, flow_args_flush(0, ARGV(NULL), &sel, self->err));
	EXPECT_EQ(0U, sel.attrs);
	ASSERT_EQ(0, flow_args_flush(2, ARGV("cookie", "0x10"), &sel, self->err));
	EXPECT_EQ(1U << RTPFWD_A_COOKIE, sel.attrs);
	EXPECT_EQ(16U, sel.cookie);
	EXPECT_EQ(-1, flow_args_flush(1, ARGV("cookie"), &sel, self->err));
	EXPECT_STREQ("missing value after \"cookie\"", self->err);
	EXPECT_EQ(-1, flow_args_flush(1, ARGV("all"), &sel, self->err));
	EXPECT_STREQ("unknown option \"all\" for flow flush", self->err);
	EXPECT_EQ(-1, flow_args_flush(3, ARGV("cookie", "1", "2"), &sel, self->err));
	EXPECT_STREQ("unexpected \"2\" after the cookie", self->err);
	EXPECT_EQ(-1, flow_args_flush(2, ARGV("cookie", "x"), &sel, self->err));
	EXPECT_STREQ("invalid cookie \"x\" (want a 64-bit number)", self->err);
}

TEST_HARNESS_MAIN
