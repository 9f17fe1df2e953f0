// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what: every command needs CAP_NET_ADMIN (EPERM without it),
 * and max_flows bounds the flows (ENOSPC, with room again after a delete).
 */
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nltest.h"

#define LIMIT 8

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_NET_ADMIN);
	data[0].permitted &= ~(1U << CAP_NET_ADMIN);
	data[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* In a child without CAP_NET_ADMIN: every command must fail with EPERM. */
static int unprivileged_commands(void)
{
	static const uint8_t cmds[] = { RTPFWD_CMD_FLOW_NEW, RTPFWD_CMD_FLOW_SET,
					RTPFWD_CMD_FLOW_DEL, RTPFWD_CMD_FLOW_GET,
					RTPFWD_CMD_FLUSH, RTPFWD_CMD_STATS_GET };
	struct nl_flow f = {};
	struct nlt_ids ids = {};
	struct nl *nl;
	size_t i;

	if (drop_net_admin() || nl_open(&nl))
		return 10;
	nlt_flow(&f, "127.0.0.1:40000", "127.0.0.1:40002", "127.0.0.1:40004");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (nlt_cmd(nl, cmds[i], &f, NULL) != -EPERM)
			return 20 + (int)i;
	if (nlt_dump_ids(nl, &ids) != -EPERM)
		return 30;
	nl_close(nl);
	return 0;
}

TEST(eperm_without_cap_net_admin)
{
	int status;
	pid_t child;

	if (geteuid())
		SKIP(return, "needs root");
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(unprivileged_commands());
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d did not get EPERM", WEXITSTATUS(status));
}

TEST(enospc_at_max_flows)
{
	struct nl_flow f, reply;
	char local[32];
	struct nl *nl;
	int i;

	if (geteuid())
		SKIP(return, "needs root");
	if (!getenv("RTPFWD_KO"))
		SKIP(return, "RTPFWD_KO not set: cannot reload with max_flows");
	ASSERT_EQ(0, nlt_sh("rmmod rtpfwd && insmod \"$RTPFWD_KO\" max_flows=%d", LIMIT));
	ASSERT_EQ(0, nl_open(&nl));
	for (i = 0; i <= LIMIT; i++) {
		snprintf(local, sizeof(local), "127.0.0.1:%d", 41000 + i);
		nlt_flow(&f, local, "127.0.0.1:2", "127.0.0.1:3");
		if (i < LIMIT) {
			ASSERT_EQ(0, nlt_cmd(nl, RTPFWD_CMD_FLOW_NEW, &f, &reply)) TH_LOG("flow %d", i);
			continue;
		}
		EXPECT_EQ(-ENOSPC, nlt_cmd(nl, RTPFWD_CMD_FLOW_NEW, &f, NULL));
		EXPECT_NE('\0', nl_errmsg(nl)[0]);
	}
	/* A delete makes room at once. */
	ASSERT_EQ(0, nlt_by_id(nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL));
	EXPECT_EQ(0, nlt_cmd(nl, RTPFWD_CMD_FLOW_NEW, &f, &reply));
	EXPECT_EQ(0, nlt_flush(nl));
	nl_close(nl);
}

TEST_HARNESS_MAIN
