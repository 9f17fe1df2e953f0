// SPDX-License-Identifier: GPL-2.0
/*
 * FLOW_NEW_MANY: many flows in one request, created all or none. The reply
 * lists their ids in element order; any refused element (a missing or bad
 * attribute, a LOCAL taken before or earlier in the same request, the
 * max_flows limit) leaves no flow of the request behind and explains itself
 * with FLOW_NEW's errno and extack, the bad attribute inside that element.
 */
#include "kselftest_harness.h"
#include "nltest.h"

#define N 3

FIXTURE(many) {
	struct nl *nl;
	struct nl_flow f[N];
	char *buf;
};

FIXTURE_VARIANT(many) {
	const char *local[N], *out, *peer;
};

FIXTURE_VARIANT_ADD(many, ipv4) {
	.local = { "127.0.0.1:41000", "127.0.0.1:41002", "127.0.0.1:41004" },
	.out = "127.0.0.1:41100",
	.peer = "127.0.0.1:41200",
};

FIXTURE_VARIANT_ADD(many, ipv6) {
	.local = { "[::1]:41000", "[::1]:41002", "[::1]:41004" },
	.out = "[::1]:41100",
	.peer = "[::1]:41200",
};

FIXTURE_SETUP(many)
{
	int i;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, nlt_open_flushed(&self->nl));
	for (i = 0; i < N; i++)
		nlt_flow(&self->f[i], variant->local[i], variant->out, variant->peer);
	self->buf = malloc(NL_BUFSIZE + (RTPFWD_MANY_MAX + 1) * NL_MANY_FLOW_SIZE);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(many)
{
	if (!self->nl)
		return;
	nlt_close_flushed(self->nl);
	free(self->buf);
}

static int on_ids(const struct nlmsghdr *nlh, void *data)
{
	struct nlt_ids *ids = data;
	long n = nl_flow_parse_ids(nlh, ids->ids, ids->cap);

	if (n < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	ids->count = (size_t)n;
	return MNL_CB_OK;
}

/* FLOW_NEW_MANY of @flows; the reply's ids land in @ids (room for N). */
static int new_many(FIXTURE_DATA(many) *self, const struct nl_flow *flows, size_t n,
		    struct nlt_ids *ids)
{
	struct nlmsghdr *req = nl_msg_start(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW_MANY, 0);

	nl_flow_put_many(req, flows, n);
	ids->count = 0;
	return nl_request(self->nl, req, on_ids, ids);
}

/* How many flows the netns has. */
static size_t flows(FIXTURE_DATA(many) *self)
{
	struct nlt_ids all = { 0 };
	size_t n;

	if (nlt_dump_ids(self->nl, &all))
		abort();
	n = all.count;
	free(all.ids);
	return n;
}

TEST_F(many, creates_all_in_order)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };
	struct nl_flow got;
	int i;

	ASSERT_EQ(0, new_many(self, self->f, N, &ids));
	ASSERT_EQ((size_t)N, ids.count);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, id[i], &got));
		EXPECT_EQ(id[i], got.id);
		EXPECT_EQ(0, memcmp(&self->f[i].local, &got.local, sizeof(got.local)))
			TH_LOG("flow %d has another flow's LOCAL", i);
	}
	EXPECT_EQ((size_t)N, flows(self));
}

TEST_F(many, missing_attribute_creates_none)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };

	self->f[1].attrs &= ~(1U << RTPFWD_A_PEER);
	EXPECT_EQ(-EINVAL, new_many(self, self->f, N, &ids));
	EXPECT_STREQ("rtpfwd: FLOW_NEW needs LOCAL, OUT and PEER", nl_errmsg(self->nl));
	EXPECT_EQ(RTPFWD_A_PEER, self->nl->miss_type);
	EXPECT_EQ((size_t)0, flows(self));
}

TEST_F(many, bad_value_names_the_element_attribute)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };
	struct nlmsghdr *req = nl_msg_start(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW_MANY, 0);
	struct nlattr *list, *elem, *bad = NULL;
	int i;

	/* Element 3 asks for policy 9: out of the policy's range. */
	list = mnl_attr_nest_start(req, RTPFWD_MANY_A_FLOWS);
	for (i = 0; i < N; i++) {
		elem = mnl_attr_nest_start(req, (uint16_t)(i + 1));
		nl_flow_put(req, &self->f[i]);
		if (i == 2) {
			bad = (struct nlattr *)mnl_nlmsg_get_payload_tail(req);
			mnl_attr_put_u8(req, RTPFWD_A_POLICY, 9);
		}
		mnl_attr_nest_end(req, elem);
	}
	mnl_attr_nest_end(req, list);
	EXPECT_EQ(-ERANGE, nl_request(self->nl, req, on_ids, &ids));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
	EXPECT_EQ((uint32_t)((char *)bad - (char *)req), self->nl->bad_offset);
	EXPECT_EQ((size_t)0, flows(self));
}

TEST_F(many, taken_local_undoes_the_earlier_ones)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };
	struct nl_flow before;

	/* Flow 3's LOCAL exists already: flows 1 and 2 are made, then undone. */
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f[2], &before));
	EXPECT_EQ(-EEXIST, new_many(self, self->f, N, &ids));
	EXPECT_STREQ("rtpfwd: LOCAL is already in use", nl_errmsg(self->nl));
	EXPECT_EQ((size_t)1, flows(self));
	EXPECT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, before.id, NULL));
}

TEST_F(many, same_local_twice_creates_none)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };

	self->f[2].local = self->f[0].local;
	EXPECT_EQ(-EEXIST, new_many(self, self->f, N, &ids));
	EXPECT_STREQ("rtpfwd: LOCAL is already in use", nl_errmsg(self->nl));
	EXPECT_EQ((size_t)0, flows(self));
}

TEST_F(many, flows_count_bounds)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };
	struct nl_flow *lots = calloc(RTPFWD_MANY_MAX + 1, sizeof(*lots));
	struct nlmsghdr *req;
	int i;

	ASSERT_NE(NULL, lots);
	for (i = 0; i <= RTPFWD_MANY_MAX; i++)
		lots[i] = self->f[0];
	EXPECT_EQ(-EINVAL, new_many(self, lots, RTPFWD_MANY_MAX + 1, &ids));
	EXPECT_STREQ("rtpfwd: FLOWS holds 1 to 256 flows", nl_errmsg(self->nl));
	free(lots);

	req = nl_msg_start(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW_MANY, 0);
	mnl_attr_nest_end(req, mnl_attr_nest_start(req, RTPFWD_MANY_A_FLOWS));
	EXPECT_EQ(-EINVAL, nl_request(self->nl, req, NULL, NULL));
	EXPECT_STREQ("rtpfwd: FLOWS holds 1 to 256 flows", nl_errmsg(self->nl));

	req = nl_msg_start(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW_MANY, 0);
	EXPECT_EQ(-EINVAL, nl_request(self->nl, req, NULL, NULL));
	EXPECT_STREQ("rtpfwd: FLOW_NEW_MANY needs FLOWS", nl_errmsg(self->nl));
	EXPECT_EQ(RTPFWD_MANY_A_FLOWS, self->nl->miss_type);

	/* FLOW_NEW's attributes are not FLOW_NEW_MANY's. */
	req = nl_msg_start(self->nl, self->buf, RTPFWD_CMD_FLOW_NEW_MANY, 0);
	nl_flow_put(req, &self->f[0]);
	EXPECT_EQ(-EINVAL, nl_request(self->nl, req, NULL, NULL));
	EXPECT_EQ((size_t)0, flows(self));
}

TEST_F(many, max_flows_creates_none)
{
	uint32_t id[N];
	struct nlt_ids ids = { .ids = id, .cap = N };

	if (!getenv("RTPFWD_KO"))
		SKIP(return, "RTPFWD_KO not set: cannot reload with max_flows");
	nl_close(self->nl);
	self->nl = NULL;
	ASSERT_EQ(0, nlt_sh("rmmod rtpfwd && insmod \"$RTPFWD_KO\" max_flows=%d", N - 1));
	ASSERT_EQ(0, nl_open(&self->nl));
	EXPECT_EQ(-ENOSPC, new_many(self, self->f, N, &ids));
	EXPECT_STREQ("rtpfwd: flow limit reached (max_flows=2)", nl_errmsg(self->nl));
	EXPECT_EQ((size_t)0, flows(self));
	ids.count = 0;
	EXPECT_EQ(0, new_many(self, self->f, N - 1, &ids));
	EXPECT_EQ((size_t)(N - 1), ids.count);
	nlt_close_flushed(self->nl);
	self->nl = NULL;
	free(self->buf);
	ASSERT_EQ(0, nlt_sh("rmmod rtpfwd && insmod \"$RTPFWD_KO\""));
}

TEST_HARNESS_MAIN
