// SPDX-License-Identifier: GPL-2.0
/*
 * nl_flow_put() and nl_flow_parse() without a kernel: messages built here
 * decode to the same flow, unknown attributes are skipped, and malformed
 * known ones are refused.
 */
#include <linux/genetlink.h>

#include "kselftest_harness.h"
#include "lib/nl.h"
#include "lib/nl_flow.h"

static struct nlmsghdr *start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));

	genl->cmd = cmd;
	return nlh;
}

static void full_flow(struct nl_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->id = 7;
	f->cookie = 0x1122334455667788ULL;
	endpoint_parse(&f->local, "10.0.0.1:4000");
	endpoint_parse(&f->out, "[2001:db8::1]:5000");
	endpoint_parse(&f->peer, "[2001:db8::2]:6000");
	endpoint_parse(&f->source, "10.9.9.9:7000");
	f->policy = RTPFWD_POLICY_STRICT;
	f->flags = RTPFWD_F_RTP | RTPFWD_F_IDLE_DELETE;
	f->pt_mask[0] = 0x01;
	f->pt_mask[15] = 0x80;
	f->timeout = 30;
	f->tos = 0xb8;
	f->clock_rate = 48000;
	f->attrs = (1U << RTPFWD_A_ID) | (1U << RTPFWD_A_COOKIE) | (1U << RTPFWD_A_LOCAL) |
		   (1U << RTPFWD_A_OUT) | (1U << RTPFWD_A_PEER) | (1U << RTPFWD_A_SOURCE) |
		   (1U << RTPFWD_A_POLICY) | (1U << RTPFWD_A_FLAGS) | (1U << RTPFWD_A_PT_MASK) |
		   (1U << RTPFWD_A_TIMEOUT) | (1U << RTPFWD_A_TOS) | (1U << RTPFWD_A_CLOCK_RATE);
}

TEST(roundtrip)
{
	char buf[NL_BUFSIZE];
	struct nl_flow in, out;
	struct nlmsghdr *nlh = start(buf, RTPFWD_CMD_FLOW_NEW);

	full_flow(&in);
	nl_flow_put(nlh, &in);
	ASSERT_EQ(0, nl_flow_parse(nlh, &out));
	EXPECT_EQ(in.attrs, out.attrs);
	EXPECT_EQ(in.id, out.id);
	EXPECT_EQ(in.cookie, out.cookie);
	EXPECT_TRUE(endpoint_equal(&in.local, &out.local));
	EXPECT_TRUE(endpoint_equal(&in.out, &out.out));
	EXPECT_TRUE(endpoint_equal(&in.peer, &out.peer));
	EXPECT_TRUE(endpoint_equal(&in.source, &out.source));
	EXPECT_EQ(in.policy, out.policy);
	EXPECT_EQ(in.flags, out.flags);
	EXPECT_EQ(0, memcmp(in.pt_mask, out.pt_mask, sizeof(in.pt_mask)));
	EXPECT_EQ(in.timeout, out.timeout);
	EXPECT_EQ(in.tos, out.tos);
	EXPECT_EQ(in.clock_rate, out.clock_rate);
	EXPECT_FALSE(out.learned);
}

TEST(only_marked_attrs_sent)
{
	char buf[NL_BUFSIZE];
	struct nl_flow in = { .id = 3 }, out;
	struct nlmsghdr *nlh = start(buf, RTPFWD_CMD_FLOW_DEL);

	nl_flow_mark(&in, RTPFWD_A_ID);
	nl_flow_put(nlh, &in);
	/* genl header + one u32 attribute */
	EXPECT_EQ(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) + 8, nlh->nlmsg_len);
	ASSERT_EQ(0, nl_flow_parse(nlh, &out));
	EXPECT_EQ(1U << RTPFWD_A_ID, out.attrs);
	EXPECT_EQ(3U, out.id);
}

TEST(reply_only_attrs)
{
	char buf[NL_BUFSIZE];
	struct nl_flow out;
	struct nlmsghdr *nlh = start(buf, RTPFWD_CMD_FLOW_DELETED);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, RTPFWD_A_ID, 9);
	mnl_attr_put_u8(nlh, RTPFWD_A_DELETE_REASON, RTPFWD_DEL_IDLE);
	mnl_attr_put(nlh, RTPFWD_A_LEARNED, 0, NULL);
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_STATS);
	mnl_attr_put_u64(nlh, RTPFWD_STATS_PACKETS, 1000);
	mnl_attr_put_u64(nlh, RTPFWD_STATS_BYTES, 160000);
	mnl_attr_put_u32(nlh, RTPFWD_STATS_LOST, (uint32_t)-2);
	mnl_attr_put_u32(nlh, RTPFWD_STATS_JITTER, 17);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_flow_parse(nlh, &out));
	EXPECT_EQ(RTPFWD_DEL_IDLE, out.delete_reason);
	EXPECT_TRUE(out.learned);
	EXPECT_TRUE(nl_flow_has(&out, RTPFWD_A_STATS));
	EXPECT_EQ(1000U, out.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(160000U, out.stats.v[RTPFWD_STATS_BYTES]);
	EXPECT_EQ(-2, (int64_t)out.stats.v[RTPFWD_STATS_LOST]);
	EXPECT_EQ(17U, out.stats.v[RTPFWD_STATS_JITTER]);
	EXPECT_TRUE(nl_stats_has(&out.stats, RTPFWD_STATS_JITTER));
	EXPECT_FALSE(nl_stats_has(&out.stats, RTPFWD_STATS_SSRC));
}

/* A newer kernel's attributes, at the top and inside nests, are skipped. */
TEST(unknown_attrs_skipped)
{
	char buf[NL_BUFSIZE];
	struct nl_flow out;
	struct nlmsghdr *nlh = start(buf, RTPFWD_CMD_FLOW_GET);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, RTPFWD_A_ID, 5);
	mnl_attr_put_u64(nlh, RTPFWD_A_MAX + 1, 1);
	mnl_attr_put_strz(nlh, 200, "future");
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_LOCAL);
	mnl_attr_put_u32(nlh, RTPFWD_EP_IPV4, htonl(0x7f000001));
	mnl_attr_put_u16(nlh, RTPFWD_EP_PORT, 9);
	mnl_attr_put_u64(nlh, RTPFWD_EP_MAX + 1, 1);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_STATS);
	mnl_attr_put_u32(nlh, RTPFWD_STATS_MAX + 1, 1);
	mnl_attr_put_u64(nlh, RTPFWD_STATS_PACKETS, 4);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_flow_parse(nlh, &out));
	EXPECT_EQ(5U, out.id);
	EXPECT_EQ(9, out.local.port);
	EXPECT_EQ(4U, out.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(1U << RTPFWD_STATS_PACKETS, out.stats.present);
}

FIXTURE(malformed) {
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;
	struct nl_flow out;
};

FIXTURE_SETUP(malformed)
{
	self->nlh = start(self->buf, RTPFWD_CMD_FLOW_GET);
}

FIXTURE_TEARDOWN(malformed)
{
}

TEST_F(malformed, short_u32)
{
	mnl_attr_put_u16(self->nlh, RTPFWD_A_ID, 1);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, short_u64)
{
	mnl_attr_put_u32(self->nlh, RTPFWD_A_COOKIE, 1);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, pt_mask_length)
{
	uint8_t mask[15] = {};

	mnl_attr_put(self->nlh, RTPFWD_A_PT_MASK, sizeof(mask), mask);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, flag_with_payload)
{
	mnl_attr_put_u8(self->nlh, RTPFWD_A_LEARNED, 1);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, endpoint_both_families)
{
	struct nlattr *nest = mnl_attr_nest_start(self->nlh, RTPFWD_A_PEER);
	uint8_t v6[16] = {};

	mnl_attr_put_u32(self->nlh, RTPFWD_EP_IPV4, 1);
	mnl_attr_put(self->nlh, RTPFWD_EP_IPV6, sizeof(v6), v6);
	mnl_attr_put_u16(self->nlh, RTPFWD_EP_PORT, 1);
	mnl_attr_nest_end(self->nlh, nest);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, endpoint_no_port)
{
	struct nlattr *nest = mnl_attr_nest_start(self->nlh, RTPFWD_A_OUT);

	mnl_attr_put_u32(self->nlh, RTPFWD_EP_IPV4, 1);
	mnl_attr_nest_end(self->nlh, nest);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, endpoint_short_ipv6)
{
	struct nlattr *nest = mnl_attr_nest_start(self->nlh, RTPFWD_A_OUT);
	uint8_t v6[8] = {};

	mnl_attr_put(self->nlh, RTPFWD_EP_IPV6, sizeof(v6), v6);
	mnl_attr_put_u16(self->nlh, RTPFWD_EP_PORT, 1);
	mnl_attr_nest_end(self->nlh, nest);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, stats_short_counter)
{
	struct nlattr *nest = mnl_attr_nest_start(self->nlh, RTPFWD_A_STATS);

	mnl_attr_put_u32(self->nlh, RTPFWD_STATS_PACKETS, 1);
	mnl_attr_nest_end(self->nlh, nest);
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST_F(malformed, attr_overruns_message)
{
	struct nlattr *attr = mnl_nlmsg_get_payload_tail(self->nlh);

	mnl_attr_put_u32(self->nlh, RTPFWD_A_ID, 1);
	attr->nla_len = 64;
	/* The parser must stop at the message end, not read past it. */
	EXPECT_EQ(0, nl_flow_parse(self->nlh, &self->out));
	EXPECT_EQ(0U, self->out.attrs);
}

TEST_F(malformed, no_genl_header)
{
	self->nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	EXPECT_EQ(-EINVAL, nl_flow_parse(self->nlh, &self->out));
}

TEST(stats_reply)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = start(buf, RTPFWD_CMD_STATS_GET);
	struct nl_stats stats;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, RTPFWD_A_STATS);
	mnl_attr_put_u32(nlh, RTPFWD_STATS_FLOWS, 12);
	mnl_attr_put_u64(nlh, RTPFWD_STATS_MISSES, 99);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_stats_parse(nlh, &stats));
	EXPECT_EQ(12U, stats.v[RTPFWD_STATS_FLOWS]);
	EXPECT_EQ(99U, stats.v[RTPFWD_STATS_MISSES]);
	EXPECT_EQ((1U << RTPFWD_STATS_FLOWS) | (1U << RTPFWD_STATS_MISSES), stats.present);
}

TEST_HARNESS_MAIN
