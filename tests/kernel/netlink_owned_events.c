// SPDX-License-Identifier: GPL-2.0
/*
 * Owned flows die with their socket, unowned ones outlive it; every
 * deletion is announced on the "events" group with its reason.
 */
#include <linux/genetlink.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "nltest.h"

struct event {
	uint8_t cmd;
	struct nl_flow flow;
};

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct event *ev = data;

	ev->cmd = genl->cmd;
	return nl_flow_parse(nlh, &ev->flow) ? MNL_CB_ERROR : MNL_CB_OK;
}

FIXTURE(owned) {
	struct nl *nl, *events;
	struct nl_flow f;
};

FIXTURE_SETUP(owned)
{
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, nlt_open_flushed(&self->nl));
	ASSERT_EQ(0, nl_open(&self->events));
	ASSERT_EQ(0, nl_subscribe(self->events));
	/* A missing event fails the test instead of hanging it. */
	ASSERT_EQ(0, setsockopt(mnl_socket_get_fd(self->events->sock), SOL_SOCKET, SO_RCVTIMEO,
				&(struct timeval){ .tv_sec = 5 }, sizeof(struct timeval)));
	nlt_flow(&self->f, "127.0.0.1:42000", "127.0.0.1:42002", "127.0.0.1:42004");
}

FIXTURE_TEARDOWN(owned)
{
	if (!self->nl)
		return;
	nlt_flush(self->nl);
	nl_close(self->events);
	nl_close(self->nl);
}

/* The next event; the kernel sends them before the request's ACK. */
static void expect_deleted(struct __test_metadata *_metadata, struct nl *events,
			   uint32_t id, uint8_t reason)
{
	struct event ev = {};

	ASSERT_EQ(0, nl_recv_events(events, on_event, &ev));
	EXPECT_EQ(RTPFWD_CMD_FLOW_DELETED, ev.cmd);
	EXPECT_EQ(id, ev.flow.id);
	EXPECT_TRUE(nl_flow_has(&ev.flow, RTPFWD_A_DELETE_REASON));
	EXPECT_EQ(reason, ev.flow.delete_reason);
}

TEST_F(owned, vanishes_with_its_socket)
{
	struct nl_flow reply, got;
	struct nl *owner;

	ASSERT_EQ(0, nl_open(&owner));
	self->f.flags = RTPFWD_F_OWNED;
	nl_flow_mark(&self->f, RTPFWD_A_FLAGS);
	ASSERT_EQ(0, nlt_cmd(owner, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
	EXPECT_EQ((uint32_t)RTPFWD_F_OWNED, got.flags);
	nl_close(owner);
	expect_deleted(_metadata, self->events, reply.id, RTPFWD_DEL_OWNER);
	EXPECT_EQ(-ENOENT, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
}

TEST_F(owned, unowned_outlives_its_creator)
{
	struct nl_flow reply, got;
	struct nl *creator;

	ASSERT_EQ(0, nl_open(&creator));
	ASSERT_EQ(0, nlt_cmd(creator, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	nl_close(creator);
	EXPECT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_GET, reply.id, &got));
}

TEST_F(owned, owned_flag_cannot_change)
{
	struct nl_flow reply, change = {};

	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	change.id = reply.id;
	change.flags = RTPFWD_F_OWNED;
	change.attrs = (1U << RTPFWD_A_ID) | (1U << RTPFWD_A_FLAGS);
	EXPECT_EQ(-EINVAL, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_SET, &change, NULL));
	EXPECT_NE('\0', nl_errmsg(self->nl)[0]);
}

TEST_F(owned, delete_reasons)
{
	struct nl_flow reply;

	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	ASSERT_EQ(0, nlt_by_id(self->nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL));
	expect_deleted(_metadata, self->events, reply.id, RTPFWD_DEL_REQUEST);
	ASSERT_EQ(0, nlt_cmd(self->nl, RTPFWD_CMD_FLOW_NEW, &self->f, &reply));
	ASSERT_EQ(0, nlt_flush(self->nl));
	expect_deleted(_metadata, self->events, reply.id, RTPFWD_DEL_FLUSH);
}

TEST_HARNESS_MAIN
