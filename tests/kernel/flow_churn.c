// SPDX-License-Identifier: GPL-2.0
/*
 * 1000 FLOW_NEW/FLOW_DEL cycles under max_flows=1, alternating plain,
 * owned, timed and owned+timed+learn+rtp flows so every piece of per-flow
 * bookkeeping (owner counts, the idle scan's set, the budget) is taken and
 * given back: each delete returns the budget at once (or the next add fails
 * with ENOSPC), and the namespace is left as found, with no flow and a
 * /proc/net/rtpfwd/stats identical byte for byte.
 */
#include <unistd.h>

#include "kselftest_harness.h"
#include "nltest.h"

#define CYCLES 1000

/* The whole of this netns' /proc/net/rtpfwd/stats; 0 or -1. */
static int read_stats(char *buf, size_t len)
{
	FILE *f = fopen("/proc/net/rtpfwd/stats", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n ? 0 : -1;
}

/* Cycle i's flow: the same local endpoint, its kind chosen by i % 4. */
static void cycle_flow(struct nl_flow *f, int i)
{
	nlt_flow(f, "127.0.0.1:42000", "127.0.0.1:42002", "127.0.0.1:42004");
	if (i % 4 == 1 || i % 4 == 3) {
		f->flags |= RTPFWD_F_OWNED;
		nl_flow_mark(f, RTPFWD_A_FLAGS);
	}
	if (i % 4 >= 2) {
		f->timeout = 1;
		nl_flow_mark(f, RTPFWD_A_TIMEOUT);
	}
	if (i % 4 == 3) {
		f->flags |= RTPFWD_F_RTP;
		f->policy = RTPFWD_POLICY_LEARN;
		nl_flow_mark(f, RTPFWD_A_POLICY);
	}
}

TEST(add_del_cycles_leave_nothing)
{
	char before[1024], after[1024];
	struct nl_flow f, reply;
	struct nlt_ids ids = {};
	struct nl *nl;
	int i;

	if (geteuid())
		SKIP(return, "needs root");
	if (!getenv("RTPFWD_KO"))
		SKIP(return, "RTPFWD_KO not set: cannot reload with max_flows");
	ASSERT_EQ(0, nlt_sh("rmmod rtpfwd && insmod \"$RTPFWD_KO\" max_flows=1"));
	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, read_stats(before, sizeof(before)));

	for (i = 0; i < CYCLES; i++) {
		cycle_flow(&f, i);
		ASSERT_EQ(0, nlt_cmd(nl, RTPFWD_CMD_FLOW_NEW, &f, &reply))
			TH_LOG("cycle %d: %s", i, nl_errmsg(nl));
		ASSERT_EQ(f.flags, reply.flags) TH_LOG("cycle %d", i);
		ASSERT_EQ(0, nlt_by_id(nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL))
			TH_LOG("cycle %d: %s", i, nl_errmsg(nl));
	}

	ASSERT_EQ(0, nlt_dump_ids(nl, &ids));
	EXPECT_EQ(0U, ids.count);
	ASSERT_EQ(0, read_stats(after, sizeof(after)));
	EXPECT_STREQ(before, after);
	free(ids.ids);
	nl_close(nl);
}

TEST_HARNESS_MAIN
