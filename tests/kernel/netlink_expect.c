// SPDX-License-Identifier: GPL-2.0
/*
 * The learn policy's EXPECT hint and EXPECT_ONLY flag over netlink, IPv4
 * and IPv6: what replies report, what FLOW_SET restarts, and the exact
 * errno and extack message of each refusal (bad length, family, address,
 * port, misplaced policy or flag).
 */
#include "kselftest_harness.h"
#include "nltest.h"

FIXTURE(expect) {
	struct nl *nl;
	struct nl_flow f;
	char buf[NL_BUFSIZE];
};

FIXTURE_VARIANT(expect) {
	const char *local, *out, *peer, *hint, *hint2;
	int family;
	/* Addresses: one of the other family; of this one, zero and loopback. */
	const void *other, *zero, *one;
	size_t other_len, len;
	int short_err;	/* for an address a byte short: IPV4 is a be32, IPV6 a range */
};

static const uint8_t v6_one[16] = { [15] = 1 }, v6_zero[16];
static const uint8_t v4_one[4] = { 127, 0, 0, 1 }, v4_zero[4];

FIXTURE_VARIANT_ADD(expect, ipv4) {
	.local = "127.0.0.1:41000",
	.out = "127.0.0.1:41002",
	.peer = "127.0.0.1:41004",
	.hint = "192.168.1.10:8000",
	.hint2 = "192.0.2.7:9",
	.family = AF_INET,
	.other = v6_one, .other_len = 16,
	.zero = v4_zero, .one = v4_one, .len = 4,
	.short_err = -EINVAL,
};

FIXTURE_VARIANT_ADD(expect, ipv6) {
	.local = "[::1]:41000",
	.out = "[::1]:41002",
	.peer = "[::1]:41004",
	.hint = "[fd00::10]:8000",
	.hint2 = "[2001:db8::7]:9",
	.family = AF_INET6,
	.other = v4_one, .other_len = 4,
	.zero = v6_zero, .one = v6_one, .len = 16,
	.short_err = -ERANGE,
};

FIXTURE_SETUP(expect)
{
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, nlt_open_flushed(&self->nl));
	nlt_flow(&self->f, variant->local, variant->out, variant->peer);
	self->f.policy = RTPFWD_POLICY_LEARN;
	nl_flow_mark(&self->f, RTPFWD_A_POLICY);
}

FIXTURE_TEARDOWN(expect)
{
	nlt_close_flushed(self->nl);
}

static void hint(struct nl_flow *f, const char *text, uint16_t port)
{
	if (endpoint_parse(&f->expect, text))
		abort();
	f->expect.port = port;
	nl_flow_mark(f, RTPFWD_A_EXPECT);
}

/* FLOW_NEW of a learn flow with LOCAL, OUT and PEER; the test adds EXPECT. */
static struct nlmsghdr *raw_new(FIXTURE_DATA(expect) *self)
{
	return nlt_req_flow(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW, &self->f);
}

#define EXPECT_REFUSED(err, msg, nlh) do { \
	EXPECT_EQ(err, nl_request(self->nl, nlh, NULL, NULL)); \
	EXPECT_STREQ(msg, nl_errmsg(self->nl)); \
} while (0)

static int addr_type(const FIXTURE_VARIANT(expect) *variant)
{
	return variant->family == AF_INET ? RTPFWD_EP_IPV4 : RTPFWD_EP_IPV6;
}

TEST_F(expect, reported_until_replaced)
{
	struct nl_flow reply, got, set = {};

	hint(&self->f, variant->hint, 8000);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_TRUE(nl_flow_has(&reply, RTPFWD_A_EXPECT));
	EXPECT_TRUE(endpoint_equal(&self->f.expect, &reply.expect));
	EXPECT_FALSE(nl_flow_has(&reply, RTPFWD_A_SOURCE));
	EXPECT_FALSE(reply.learned);

	/* A new hint without a port: any port. */
	set.id = reply.id;
	nl_flow_mark(&set, RTPFWD_A_ID);
	hint(&set, variant->hint2, 0);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_TRUE(nl_flow_has(&got, RTPFWD_A_EXPECT));
	EXPECT_TRUE(endpoint_equal(&set.expect, &got.expect));
	EXPECT_EQ(0, got.expect.port);

	/* FLOW_SET of other attributes keeps it; POLICY alone drops it. */
	memset(&set, 0, sizeof(set));
	set.id = reply.id;
	nl_flow_mark(&set, RTPFWD_A_ID);
	set.timeout = 5;
	nl_flow_mark(&set, RTPFWD_A_TIMEOUT);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_TRUE(nl_flow_has(&got, RTPFWD_A_EXPECT));
	set.policy = RTPFWD_POLICY_LEARN;
	nl_flow_mark(&set, RTPFWD_A_POLICY);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_FALSE(nl_flow_has(&got, RTPFWD_A_EXPECT));
	EXPECT_EQ(RTPFWD_POLICY_LEARN, got.policy);
}

TEST_F(expect, expect_only)
{
	struct nl_flow reply, got, set = {};

	hint(&self->f, variant->hint, 0);
	self->f.flags = RTPFWD_F_RTP | RTPFWD_F_EXPECT_ONLY;
	nl_flow_mark(&self->f, RTPFWD_A_FLAGS);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_EQ((uint32_t)(RTPFWD_F_RTP | RTPFWD_F_EXPECT_ONLY), reply.flags);

	/* Restarting learning needs the hint again. */
	set.id = reply.id;
	nl_flow_mark(&set, RTPFWD_A_ID);
	set.policy = RTPFWD_POLICY_LEARN;
	nl_flow_mark(&set, RTPFWD_A_POLICY);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));
	EXPECT_STREQ("rtpfwd: EXPECT_ONLY needs EXPECT", nl_errmsg(self->nl));
	set.policy = RTPFWD_POLICY_ANY;
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));
	EXPECT_STREQ("rtpfwd: EXPECT_ONLY applies to the learn policy only",
		     nl_errmsg(self->nl));
	/* Refused FLOW_SETs changed nothing. */
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_EQ(RTPFWD_POLICY_LEARN, got.policy);
	EXPECT_TRUE(endpoint_equal(&self->f.expect, &got.expect));

	/* Clearing the flag alone is fine. */
	memset(&set, 0, sizeof(set));
	set.id = reply.id;
	nl_flow_mark(&set, RTPFWD_A_ID);
	set.flags = RTPFWD_F_RTP;
	nl_flow_mark(&set, RTPFWD_A_FLAGS);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &set, NULL));

	/* FLOW_NEW: the flag without a hint, or with another policy. */
	self->f.attrs &= ~(1U << RTPFWD_A_EXPECT);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_STREQ("rtpfwd: EXPECT_ONLY needs EXPECT", nl_errmsg(self->nl));
	self->f.policy = RTPFWD_POLICY_ANY;
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_STREQ("rtpfwd: EXPECT_ONLY applies to the learn policy only",
		     nl_errmsg(self->nl));
}

TEST_F(expect, only_with_learn)
{
	struct nl_flow reply;

	hint(&self->f, variant->hint, 8000);
	self->f.policy = RTPFWD_POLICY_ANY;
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_STREQ("rtpfwd: EXPECT applies to the learn policy only", nl_errmsg(self->nl));
	self->f.attrs &= ~(1U << RTPFWD_A_POLICY);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_STREQ("rtpfwd: EXPECT applies to the learn policy only", nl_errmsg(self->nl));
}

TEST_F(expect, bad_nests)
{
	struct nlmsghdr *nlh;

	/* Bad lengths: the attribute policy refuses them. */
	nlh = raw_new(self);
	nlt_put_raw_ep(nlh, RTPFWD_A_EXPECT, addr_type(variant), variant->one, variant->len - 1,
		       8000);
	EXPECT_EQ(variant->short_err, nl_request(self->nl, nlh, NULL, NULL));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
	nlh = raw_new(self);
	mnl_attr_put_u32(nlh, RTPFWD_A_EXPECT, 1);
	EXPECT_EQ(-EINVAL, nl_request(self->nl, nlh, NULL, NULL));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
	nlh = raw_new(self);
	/* PORT, when present, is 1..65535 as in every endpoint. */
	nlt_put_raw_ep(nlh, RTPFWD_A_EXPECT, addr_type(variant), variant->one, variant->len, 0);
	EXPECT_EQ(-ERANGE, nl_request(self->nl, nlh, NULL, NULL));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);

	nlh = raw_new(self);
	nlt_put_raw_ep(nlh, RTPFWD_A_EXPECT,
		       variant->family == AF_INET ? RTPFWD_EP_IPV6 : RTPFWD_EP_IPV4,
		       variant->other, variant->other_len, -1);
	EXPECT_REFUSED(-EINVAL, "rtpfwd: EXPECT address family differs from LOCAL", nlh);

	nlh = raw_new(self);
	nlt_put_raw_ep(nlh, RTPFWD_A_EXPECT, 0, NULL, 0, 8000);
	EXPECT_REFUSED(-EINVAL, "rtpfwd: EXPECT needs exactly one of IPV4 and IPV6", nlh);

	nlh = raw_new(self);
	nlt_put_raw_ep(nlh, RTPFWD_A_EXPECT, addr_type(variant), variant->zero, variant->len, -1);
	EXPECT_REFUSED(-EINVAL, "rtpfwd: EXPECT address is unspecified", nlh);
}

TEST_HARNESS_MAIN
