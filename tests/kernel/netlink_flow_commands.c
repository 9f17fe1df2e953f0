// SPDX-License-Identifier: GPL-2.0
/*
 * Every rtpfwd command over netlink, valid and invalid: the exact errno
 * and an extack explanation for each refusal, for IPv4 and IPv6 flows.
 */
#include "kselftest_harness.h"
#include "nltest.h"

FIXTURE(flow) {
	struct nl *nl;
	struct nl_flow f;
	char buf[NL_BUFSIZE];
};

FIXTURE_VARIANT(flow) {
	const char *local, *out, *peer, *source, *local2;
};

FIXTURE_VARIANT_ADD(flow, ipv4) {
	.local = "127.0.0.1:40000",
	.out = "127.0.0.1:40002",
	.peer = "127.0.0.1:40004",
	.source = "127.0.0.1:40006",
	.local2 = "127.0.0.1:40010",
};

FIXTURE_VARIANT_ADD(flow, ipv6) {
	.local = "[::1]:40000",
	.out = "[::1]:40002",
	.peer = "[::1]:40004",
	.source = "[::1]:40006",
	.local2 = "[::1]:40010",
};

FIXTURE_SETUP(flow)
{
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, nlt_open_flushed(&self->nl));
	nlt_flow(&self->f, variant->local, variant->out, variant->peer);
}

FIXTURE_TEARDOWN(flow)
{
	nlt_close_flushed(self->nl);
}

/* A request with raw attributes, for what nl_flow_put() cannot express. */
static struct nlmsghdr *raw(FIXTURE_DATA(flow) *self, uint8_t cmd)
{
	return nlt_req(self->nl, self->buf, cmd);
}

/* FLOW_NEW with LOCAL, OUT and PEER, to which a test appends one more. */
static struct nlmsghdr *raw_new(FIXTURE_DATA(flow) *self, const FIXTURE_VARIANT(flow) *variant)
{
	struct nl_flow f;

	nlt_flow(&f, variant->local, variant->out, variant->peer);
	return nlt_req_flow(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW, &f);
}

#define EXPECT_REFUSED(err, nlh) do { \
	EXPECT_EQ(err, nl_request(self->nl, nlh, NULL, NULL)); \
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]) TH_LOG("no extack message"); \
} while (0)

TEST_F(flow, add_get_del)
{
	struct nl_flow reply, got;

	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	ASSERT_TRUE(nl_flow_has(&reply, RTPFWD_A_ID));
	EXPECT_NE(0U, reply.id);
	EXPECT_TRUE(endpoint_equal(&self->f.local, &reply.local));

	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_EQ(reply.id, got.id);
	EXPECT_TRUE(endpoint_equal(&self->f.local, &got.local));
	EXPECT_TRUE(endpoint_equal(&self->f.out, &got.out));
	EXPECT_TRUE(endpoint_equal(&self->f.peer, &got.peer));
	EXPECT_EQ(RTPFWD_POLICY_ANY, got.policy);
	EXPECT_EQ(0U, got.flags);
	EXPECT_FALSE(got.learned);
	EXPECT_TRUE(nl_flow_has(&got, RTPFWD_A_STATS));
	EXPECT_EQ(0U, got.stats.v[RTPFWD_STATS_PACKETS]);

	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL));
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL));
}

TEST_F(flow, every_attribute_kept)
{
	struct nl_flow reply, got;

	self->f.cookie = 0x1122334455667788ULL;
	self->f.policy = RTPFWD_POLICY_STRICT;
	ASSERT_EQ(0, endpoint_parse(&self->f.source, variant->source));
	self->f.flags = RTPFWD_F_RTP | RTPFWD_F_IDLE_DELETE;
	self->f.pt_mask[0] = 0x01;
	self->f.pt_mask[12] = 0xff;
	self->f.timeout = 30;
	self->f.tos = 0xb8;
	self->f.clock_rate = 48000;
	self->f.attrs |= (1U << RTPFWD_A_COOKIE) | (1U << RTPFWD_A_POLICY) |
			 (1U << RTPFWD_A_SOURCE) | (1U << RTPFWD_A_FLAGS) |
			 (1U << RTPFWD_A_PT_MASK) | (1U << RTPFWD_A_TIMEOUT) |
			 (1U << RTPFWD_A_TOS) | (1U << RTPFWD_A_CLOCK_RATE);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_EQ(self->f.cookie, got.cookie);
	EXPECT_EQ(RTPFWD_POLICY_STRICT, got.policy);
	EXPECT_TRUE(endpoint_equal(&self->f.source, &got.source));
	EXPECT_EQ(self->f.flags, got.flags);
	EXPECT_EQ(0, memcmp(self->f.pt_mask, got.pt_mask, NL_PT_MASK_LEN));
	EXPECT_EQ(30U, got.timeout);
	EXPECT_EQ(0xb8, got.tos);
	EXPECT_EQ(48000U, got.clock_rate);
}

TEST_F(flow, get_and_del_by_local)
{
	struct nl_flow reply, sel = {}, got;

	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	sel.local = self->f.local;
	nl_flow_mark(&sel, RTPFWD_A_LOCAL);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_GET, &sel, &got));
	EXPECT_EQ(reply.id, got.id);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_DEL, &sel, NULL));
	EXPECT_EQ(-ENOENT, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_GET, &sel, &got));
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
}

TEST_F(flow, set_changes_only_what_is_given)
{
	struct nl_flow reply, change = {}, got;

	self->f.timeout = 10;
	nl_flow_mark(&self->f, RTPFWD_A_TIMEOUT);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	change.id = reply.id;
	ASSERT_EQ(0, endpoint_parse(&change.peer, variant->source));
	change.clock_rate = 16000;
	change.attrs = (1U << RTPFWD_A_ID) | (1U << RTPFWD_A_PEER) | (1U << RTPFWD_A_CLOCK_RATE);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &change, NULL));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_TRUE(endpoint_equal(&change.peer, &got.peer));
	EXPECT_TRUE(endpoint_equal(&self->f.out, &got.out));
	EXPECT_EQ(16000U, got.clock_rate);
	EXPECT_EQ(10U, got.timeout);
}

TEST_F(flow, unknown_ids)
{
	struct nl_flow change = { .id = 0x7fffffff, .timeout = 1 }, got;

	change.attrs = (1U << RTPFWD_A_ID) | (1U << RTPFWD_A_TIMEOUT);
	EXPECT_EQ(-ENOENT, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &change, NULL));
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, 0x7fffffff, &got));
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_DEL, 0x7fffffff, NULL));
}

TEST_F(flow, duplicate_local)
{
	struct nl_flow reply;

	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_EQ(-EEXIST, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
}

TEST_F(flow, required_attrs_missing)
{
	static const int required[] = { RTPFWD_A_LOCAL, RTPFWD_A_OUT, RTPFWD_A_PEER };
	struct nl_flow reply, f;
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		f = self->f;
		f.attrs &= ~(1U << required[i]);
		EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
		EXPECT_TRUE(nl_errmsg(self->nl)[0] || self->nl->miss_type == required[i])
			TH_LOG("attribute %d: no extack", required[i]);
	}
}

TEST_F(flow, selector_missing)
{
	static const uint8_t cmds[] = { RTPFWD_CMD_FLOW_SET, RTPFWD_CMD_FLOW_DEL,
					RTPFWD_CMD_FLOW_GET };
	struct nl_flow none = { .timeout = 5 };
	size_t i;

	nl_flow_mark(&none, RTPFWD_A_TIMEOUT);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, cmds[i], &none, NULL)) TH_LOG("cmd %u", cmds[i]);
		EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
	}
}

TEST_F(flow, strict_needs_source)
{
	struct nl_flow reply;

	self->f.policy = RTPFWD_POLICY_STRICT;
	nl_flow_mark(&self->f, RTPFWD_A_POLICY);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
}

TEST_F(flow, wrong_lengths)
{
	struct nlmsghdr *nlh;
	uint8_t bytes[16] = {};
	struct nlattr *nest;

	nlh = raw(self, RTPFWD_CMD_FLOW_GET);
	mnl_attr_put_u16(nlh, RTPFWD_A_ID, 1);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw_new(self, variant);
	mnl_attr_put_u32(nlh, RTPFWD_A_COOKIE, 1);
	EXPECT_REFUSED(-EINVAL, nlh);

	/* Binary attributes of the wrong size fail their length range. */
	nlh = raw_new(self, variant);
	mnl_attr_put(nlh, RTPFWD_A_PT_MASK, 15, bytes);
	EXPECT_REFUSED(-ERANGE, nlh);

	nlh = raw_new(self, variant);
	mnl_attr_put_u32(nlh, RTPFWD_A_TOS, 0);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw(self, RTPFWD_CMD_FLOW_GET);
	nlt_put_raw_ep(nlh, RTPFWD_A_LOCAL, RTPFWD_EP_IPV4, bytes, 3, 1);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw(self, RTPFWD_CMD_FLOW_GET);
	nlt_put_raw_ep(nlh, RTPFWD_A_LOCAL, RTPFWD_EP_IPV6, bytes, 4, 1);
	EXPECT_REFUSED(-ERANGE, nlh);

	nlh = raw(self, RTPFWD_CMD_FLOW_GET);
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_LOCAL);
	mnl_attr_put_u32(nlh, RTPFWD_EP_IPV4, 0x0100007f);
	mnl_attr_put_u32(nlh, RTPFWD_EP_PORT, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_REFUSED(-EINVAL, nlh);
}

TEST_F(flow, wrong_types)
{
	struct nlmsghdr *nlh;

	/* A scalar where a nest belongs. */
	nlh = raw(self, RTPFWD_CMD_FLOW_NEW);
	mnl_attr_put_u32(nlh, RTPFWD_A_LOCAL, 1);
	nlt_put_ep(nlh, RTPFWD_A_OUT, variant->out);
	nlt_put_ep(nlh, RTPFWD_A_PEER, variant->peer);
	EXPECT_REFUSED(-EINVAL, nlh);

	/* Read-only attributes have no place in a request. */
	nlh = raw_new(self, variant);
	mnl_attr_put(nlh, RTPFWD_A_LEARNED, 0, NULL);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw_new(self, variant);
	mnl_attr_put_u8(nlh, RTPFWD_A_DELETE_REASON, RTPFWD_DEL_REQUEST);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw_new(self, variant);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, RTPFWD_A_STATS));
	EXPECT_REFUSED(-EINVAL, nlh);
}

TEST_F(flow, unknown_attributes)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = raw_new(self, variant);
	mnl_attr_put_u32(nlh, RTPFWD_A_MAX + 1, 1);
	EXPECT_REFUSED(-EINVAL, nlh);

	nlh = raw(self, RTPFWD_CMD_FLOW_GET);
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_LOCAL);
	mnl_attr_put_u32(nlh, RTPFWD_EP_IPV4, 0x0100007f);
	mnl_attr_put_u16(nlh, RTPFWD_EP_PORT, 1);
	mnl_attr_put_u32(nlh, RTPFWD_EP_MAX + 1, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_REFUSED(-EINVAL, nlh);
}

TEST_F(flow, bad_values)
{
	struct nl_flow reply, f;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint8_t v6[16] = {};

	f = self->f;
	f.flags = 1U << 31;
	nl_flow_mark(&f, RTPFWD_A_FLAGS);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);

	f = self->f;
	f.policy = RTPFWD_POLICY_MAX + 1;
	nl_flow_mark(&f, RTPFWD_A_POLICY);
	EXPECT_EQ(-ERANGE, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);

	f = self->f;
	f.tos = 0xb9;
	nl_flow_mark(&f, RTPFWD_A_TOS);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);

	f = self->f;
	f.peer.port = 0;
	EXPECT_EQ(-ERANGE, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);

	nlh = raw(self, RTPFWD_CMD_FLOW_NEW);
	nlt_put_ep(nlh, RTPFWD_A_LOCAL, variant->local);
	nlt_put_ep(nlh, RTPFWD_A_OUT, variant->out);
	nest = mnl_attr_nest_start(nlh, RTPFWD_A_PEER);
	mnl_attr_put_u32(nlh, RTPFWD_EP_IPV4, 0x0100007f);
	mnl_attr_put(nlh, RTPFWD_EP_IPV6, sizeof(v6), v6);
	mnl_attr_put_u16(nlh, RTPFWD_EP_PORT, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_REFUSED(-EINVAL, nlh);
}

TEST_F(flow, events_are_not_commands)
{
	static const uint8_t cmds[] = { RTPFWD_CMD_UNSPEC, RTPFWD_CMD_FLOW_IDLE,
					RTPFWD_CMD_SOURCE_LEARNED, RTPFWD_CMD_FLOW_DELETED,
					RTPFWD_CMD_MAX + 1 };
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(-EOPNOTSUPP, nl_request(self->nl, raw(self, cmds[i]), NULL, NULL))
			TH_LOG("cmd %u", cmds[i]);
	}
}

static int read_stats(const struct nlmsghdr *nlh, void *data)
{
	return nl_stats_parse(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

TEST_F(flow, flush_and_stats)
{
	struct nl_flow reply, f = self->f, sel = { .cookie = 7 };
	struct nl_stats stats;

	f.cookie = 7;
	nl_flow_mark(&f, RTPFWD_A_COOKIE);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	ASSERT_EQ(0, endpoint_parse(&f.local, variant->local2));
	f.cookie = 8;
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	ASSERT_EQ(0, nl_request(self->nl, raw(self, RTPFWD_CMD_STATS_GET), read_stats, &stats));
	EXPECT_EQ(2U, stats.v[RTPFWD_STATS_FLOWS]);

	nl_flow_mark(&sel, RTPFWD_A_COOKIE);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLUSH, &sel, NULL));
	ASSERT_EQ(0, nl_request(self->nl, raw(self, RTPFWD_CMD_STATS_GET), read_stats, &stats));
	EXPECT_EQ(1U, stats.v[RTPFWD_STATS_FLOWS]);
	EXPECT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &f));
	EXPECT_EQ(8U, f.cookie);

	sel.attrs = 0;
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLUSH, &sel, NULL));
	ASSERT_EQ(0, nl_request(self->nl, raw(self, RTPFWD_CMD_STATS_GET), read_stats, &stats));
	EXPECT_EQ(0U, stats.v[RTPFWD_STATS_FLOWS]);
}

TEST_HARNESS_MAIN
