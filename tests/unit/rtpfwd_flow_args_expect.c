// SPDX-License-Identifier: GPL-2.0
/*
 * "source learn [expect ADDR[:PORT] [only]]": the learn hint and the
 * EXPECT_ONLY flag the source phrase always decides.
 */
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "rtpfwd/flow_args.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define BASE "local", "10.0.0.1:4001", "out", "10.0.1.1:5001", "peer", "10.0.1.2:6001"

#define ADD(args, err, ...) \
	flow_args_parse(FLOW_ARGS_ADD, ARGC(BASE, __VA_ARGS__), ARGV(BASE, __VA_ARGS__), args, err)
#define SET(args, err, ...) \
	flow_args_parse(FLOW_ARGS_SET, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), args, err)

FIXTURE(expect) {
	struct flow_args a;
	char err[FLOW_ARGS_ERRLEN];
};

FIXTURE_SETUP(expect)
{
	self->err[0] = '\0';
}

FIXTURE_TEARDOWN(expect)
{
}

TEST_F(expect, address_and_port_then_flags)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "learn", "expect", "192.0.2.7:8000",
			 "rtcp"));
	EXPECT_EQ(RTPFWD_POLICY_LEARN, f->policy);
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_EXPECT));
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_SOURCE));
	EXPECT_EQ(AF_INET, f->expect.family);
	EXPECT_EQ(htonl(0xc0000207), f->expect.addr.v4.s_addr);
	EXPECT_EQ(8000, f->expect.port);
	EXPECT_EQ((uint32_t)RTPFWD_F_RTCP, f->flags);
}

TEST_F(expect, address_only_is_any_port)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "learn", "expect", "192.0.2.7", "only"));
	EXPECT_EQ(AF_INET, f->expect.family);
	EXPECT_EQ(0, f->expect.port);
	EXPECT_EQ((uint32_t)RTPFWD_F_EXPECT_ONLY, f->flags);
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_FLAGS));
}

TEST_F(expect, ipv6_with_and_without_port)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "learn", "expect", "[2001:db8::7]"));
	EXPECT_EQ(AF_INET6, f->expect.family);
	EXPECT_EQ(0, f->expect.port);
	EXPECT_EQ(0x07, f->expect.addr.v6.s6_addr[15]);
	ASSERT_EQ(0, ADD(&self->a, self->err, "source", "learn", "expect", "[2001:db8::7]:9"));
	EXPECT_EQ(9, f->expect.port);
}

TEST_F(expect, bad_hints)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "192.0.2.300", "invalid expect \"192.0.2.300\" (want ADDR[:PORT] or [ADDR6][:PORT])" },
		{ "192.0.2.7:0", "invalid expect \"192.0.2.7:0\" (want ADDR[:PORT] or [ADDR6][:PORT])" },
		{ "2001:db8::7", "invalid expect \"2001:db8::7\" (want ADDR[:PORT] or [ADDR6][:PORT])" },
		{ "[]", "invalid expect \"[]\" (want ADDR[:PORT] or [ADDR6][:PORT])" },
		{ "host", "invalid expect \"host\" (want ADDR[:PORT] or [ADDR6][:PORT])" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "learn", "expect", (char *)bad[i].text));
		EXPECT_STREQ(bad[i].msg, self->err);
	}
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "learn", "expect"));
	EXPECT_STREQ("missing value after \"expect\" (want ADDR[:PORT])", self->err);
	/* "only" belongs to "expect": alone it is an unknown option word. */
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "learn", "only"));
	EXPECT_STREQ("unknown option \"only\" for flow add", self->err);
	EXPECT_EQ(-1, ADD(&self->a, self->err, "source", "any", "expect", "192.0.2.7"));
	EXPECT_STREQ("unknown option \"expect\" for flow add", self->err);
}

/* flow set: the source phrase sets or clears EXPECT_ONLY, nothing else. */
TEST_F(expect, set_decides_expect_only)
{
	struct nl_flow *f = &self->a.flow;

	ASSERT_EQ(0, SET(&self->a, self->err, "9", "source", "learn", "expect", "192.0.2.7",
			 "only"));
	EXPECT_TRUE(nl_flow_has(f, RTPFWD_A_EXPECT));
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_FLAGS));
	EXPECT_EQ((uint32_t)RTPFWD_F_EXPECT_ONLY, self->a.flags_on);
	EXPECT_EQ(0U, self->a.flags_off);

	ASSERT_EQ(0, SET(&self->a, self->err, "9", "source", "learn", "expect", "192.0.2.7"));
	EXPECT_EQ(0U, self->a.flags_on);
	EXPECT_EQ((uint32_t)RTPFWD_F_EXPECT_ONLY, self->a.flags_off);

	ASSERT_EQ(0, SET(&self->a, self->err, "9", "source", "strict", "192.0.2.7:1"));
	EXPECT_FALSE(nl_flow_has(f, RTPFWD_A_EXPECT));
	EXPECT_EQ((uint32_t)RTPFWD_F_EXPECT_ONLY, self->a.flags_off);

	ASSERT_EQ(0, SET(&self->a, self->err, "9", "peer", "10.0.1.2:6002"));
	EXPECT_EQ(0U, self->a.flags_off);
}

TEST_HARNESS_MAIN
