// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps: 50k flows arrive over many messages with every id exactly once,
 * and a dump raced by adds is flagged NLM_F_DUMP_INTR.
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "nltest.h"

#define MANY 50000

struct added {
	uint32_t *ids;
	size_t count;
	long errors;
};

static void local_of(size_t index, struct endpoint *ep)
{
	/* 127.1.0.0 ports 1..60000, then the next address. */
	ep->family = AF_INET;
	ep->addr.v4.s_addr = htonl(0x7f010000 + (uint32_t)(index / 60000));
	ep->port = (uint16_t)(1 + index % 60000);
}

static int build_flow(struct nlmsghdr *req, size_t index, void *data)
{
	struct nl_flow f;

	nlt_flow(&f, "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3");
	local_of(index, &f.local);
	nl_flow_put(req, &f);
	return 0;
}

static void on_reply(const struct nlmsghdr *nlh, size_t index, void *data)
{
	struct added *added = data;
	struct nl_flow f;

	if (!nl_flow_parse(nlh, &f) && nl_flow_has(&f, RTPFWD_A_ID))
		added->ids[index] = f.id;
}

static void on_error(size_t index, int err, const char *msg, void *data)
{
	((struct added *)data)->errors++;
}

static const struct nl_batch_ops add_ops = {
	.build = build_flow,
	.reply = on_reply,
	.error = on_error,
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* max_flows must leave room for MANY; reload the module if we can. */
static void reload_for_many(void)
{
	if (getenv("RTPFWD_KO"))
		nlt_sh("rmmod rtpfwd && insmod \"$RTPFWD_KO\" max_flows=%d", 2 * MANY);
}

FIXTURE(dump) {
	struct nl *nl;
};

FIXTURE_SETUP(dump)
{
	if (geteuid())
		SKIP(return, "needs root");
	reload_for_many();
	ASSERT_EQ(0, nlt_open_flushed(&self->nl));
}

FIXTURE_TEARDOWN(dump)
{
	nlt_close_flushed(self->nl);
}

TEST_F(dump, many_flows_each_id_once)
{
	struct added added = { .ids = calloc(MANY, sizeof(uint32_t)) };
	struct nlt_ids dumped = {};
	size_t i;

	ASSERT_NE(NULL, added.ids);
	ASSERT_EQ(0, nl_batch(self->nl, RTPFWD_CMD_FLOW_NEW, MANY, &add_ops, &added));
	ASSERT_EQ(0, added.errors);
	ASSERT_EQ(0, nlt_dump_ids(self->nl, &dumped));
	ASSERT_EQ((size_t)MANY, dumped.count);
	qsort(added.ids, MANY, sizeof(uint32_t), cmp_u32);
	qsort(dumped.ids, MANY, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < MANY; i++) {
		ASSERT_NE(0U, added.ids[i]);
		ASSERT_EQ(added.ids[i], dumped.ids[i]) TH_LOG("index %zu", i);
		if (i)
			ASSERT_LT(dumped.ids[i - 1], dumped.ids[i]);
	}
	free(added.ids);
	free(dumped.ids);
}

/* Adds and deletes one flow forever, from its own socket. */
static void churn(void)
{
	struct nl_flow f, reply;
	struct nl *nl;

	if (nl_open(&nl))
		_exit(1);
	nlt_flow(&f, "127.2.0.1:9", "127.0.0.1:2", "127.0.0.1:3");
	for (;;) {
		if (nlt_cmd(nl, RTPFWD_CMD_FLOW_NEW, &f, &reply) == 0)
			nlt_by_id(nl, RTPFWD_CMD_FLOW_DEL, reply.id, NULL);
	}
}

/* One raw dump; returns whether any of its messages had NLM_F_DUMP_INTR. */
static int dump_saw_intr(struct nl *nl)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req = nl_msg_start(nl, buf, RTPFWD_CMD_FLOW_GET, NLM_F_DUMP);
	const struct nlmsghdr *nlh;
	int intr = 0, len;
	ssize_t n;

	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (n < 0)
			return -errno;
		len = (int)n;
		for (nlh = (void *)nl->rx; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
				return intr;
		}
	}
}

TEST_F(dump, raced_by_adds_is_interrupted)
{
	struct added added = { .ids = calloc(5000, sizeof(uint32_t)) };
	int attempt, intr = 0, status;
	pid_t child;

	ASSERT_NE(NULL, added.ids);
	ASSERT_EQ(0, nl_batch(self->nl, RTPFWD_CMD_FLOW_NEW, 5000, &add_ops, &added));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		churn();
	for (attempt = 0; attempt < 200 && intr == 0; attempt++)
		intr = dump_saw_intr(self->nl);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	EXPECT_EQ(1, intr) TH_LOG("no NLM_F_DUMP_INTR in %d raced dumps", attempt);
	free(added.ids);
}

TEST_HARNESS_MAIN
