// SPDX-License-Identifier: GPL-2.0
/*
 * The responses of a call that was ringing when a previous run stopped
 * (proxy_resume.c), through the proxy's response path under a virtual
 * clock: the restarted proxy has the call (early, its callee's tag on
 * media branch 1) and the stored stub of its one INVITE copy, no
 * transaction. The callee's 180 resumes the copy as a client transaction
 * and goes up by the caller's Via; its 486 is ACKed from the stub (the
 * copy's Request-URI, Via branch, Route), goes up by the Via and ends the
 * call with its rows; a retransmitted 486 is ACKed again and goes nowhere.
 * A 100, a 2xx or a 486 of another CSeq resume nothing.
 *
 *   caller 127.0.0.1:CALLER (a socket here)
 *     |  no server transaction (the previous run had it)
 *   proxy 127.0.0.1:PROXY -- stored copy z9hG4bK-ours --> callee 192.0.2.10 (messages made here)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/config.h"
#include "sipproxyd/core.h"
#include "sipproxyd/proxy.h"
#include "sipproxyd/proxy_calls.h"
#include "proxy_test.h"
#include "virtual_clock.h"

#define HANDLE 0x1234567890abcdefULL

static struct {
	char sent[4][1024];	/* what the transactions sent, whole */
	int nsent;
} env;

static struct core core;

static int v_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	snprintf(env.sent[env.nsent++ % 4], sizeof(env.sent[0]), "%.*s", (int)len, buf);
	return 0;
}

static const struct txn_ops ops = {
	VCLOCK_TXN_OPS,
	.send = v_send,
	.response = proxy_on_response,
	.timeout = proxy_on_timeout,
	.terminated = proxy_on_terminated,
};

/* The copy the previous run sent: our Via on top, the caller's with received and rport. */
#define COPY_FMT \
	"INVITE sip:bob@192.0.2.10 SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-ours\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n" \
	"Route: <sip:192.0.2.10;lr>\r\n" \
	"Max-Forwards: 69\r\n" \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>\r\n" \
	"Call-ID: resume-final\r\n" \
	"CSeq: 1 INVITE\r\n" \
	"Content-Length: 0\r\n\r\n"

/* The callee's response (status, reason, CSeq number). */
#define RESP_FMT \
	"SIP/2.0 %d %s\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-ours\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n" \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>;tag=tb\r\n" \
	"Call-ID: resume-final\r\n" \
	"CSeq: %d INVITE\r\n" \
	"Content-Length: 0\r\n\r\n"

/* What the caller must get of it: our Via gone. */
#define UP_FMT \
	"SIP/2.0 %d %s\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n" \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>;tag=tb\r\n" \
	"Call-ID: resume-final\r\n" \
	"CSeq: 1 INVITE\r\n" \
	"Content-Length: 0\r\n\r\n"

/* 17.1.1.3 from the stub: the copy's Request-URI, Via and Route, the response's To. */
static const char ack_want[] =
	"ACK sip:bob@192.0.2.10 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-ours\r\n"
	"Route: <sip:192.0.2.10;lr>\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=f1\r\n"
	"To: <sip:bob@example.com>;tag=tb\r\n"
	"Call-ID: resume-final\r\n"
	"CSeq: 1 ACK\r\n"
	"Content-Length: 0\r\n\r\n";

FIXTURE(resume)
{
	struct loop *loop;
	struct config cfg;
	struct listeners l;
	struct proxy_calls pc;
	char path[64];
	int caller;
	uint16_t caller_port, proxy_port;
	struct sip_msg msg;
	char text[2048];
};

/* The callee's @status with CSeq @cseq, as received; no transaction of this run matches it. */
static struct sip_msg *resp(struct _test_data_resume *self, int status, const char *reason,
			    int cseq)
{
	return PARSE(self, RESP_FMT, status, reason, self->proxy_port, self->caller_port, cseq);
}

FIXTURE_SETUP(resume)
{
	struct transport_hooks hooks = { 0 };
	char conf[128], err[CONFIG_ERR_MAX], stub[TXN_BUILD_MAX];
	struct txn_config tc = { .t1 = 500, .t2 = 4000, .t4 = 5000, .max_transactions = 16 };
	struct dialog_branch row = { .id = "z9hG4bK-ours", .proto = TP_UDP, .stub = stub };
	struct dialog *d;
	int probe;

	memset(&env, 0, sizeof(env));
	memset(&core, 0, sizeof(core));
	vclock_init(1000);
	self->caller = udp_socket(&self->caller_port);
	ASSERT_LE(0, self->caller);
	probe = udp_socket(&self->proxy_port);
	ASSERT_LE(0, probe);
	close(probe);
	snprintf(conf, sizeof(conf), "[listen]\nudp = 127.0.0.1:%u\n", self->proxy_port);
	ASSERT_EQ(0, config_parse(&self->cfg, "t.conf", conf, strlen(conf), err)) TH_LOG("%s", err);
	ASSERT_EQ(0, listeners_open(&self->l, &self->cfg, NULL, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, loop_new(&self->loop));
	core.loop = self->loop;
	core.cfg = &self->cfg;
	ASSERT_EQ(0, transport_new(self->loop, &self->cfg, &self->l, &hooks, &core.tp, err,
				   sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, txn_table_new(&tc, &ops, &core, &core.txns));

	/* What the restarted daemon loaded: the early call, without media, and its copy. */
	self->pc.core = &core;
	core.calls = &self->pc;
	ASSERT_EQ(0, dialogs_new(&self->pc.dialogs));
	strcpy(self->path, "/tmp/proxy_resume_final_XXXXXX");
	ASSERT_LE(0, mkstemp(self->path));
	ASSERT_EQ(0, dialog_store_open(&self->pc.store, self->path));
	ASSERT_EQ(0, dialog_add(self->pc.dialogs, HANDLE, sip_str_make("resume-final", 12),
				sip_str_make("f1", 2), &d));
	d->state = DIALOG_EARLY;
	d->next_branch = 2;
	ASSERT_EQ(0, dialog_early_add(d, sip_str_make("tb", 2), 1));
	ASSERT_EQ(0, dialog_store_put(self->pc.store, d));
	ASSERT_NE(NULL, PARSE(self, COPY_FMT, self->proxy_port, self->caller_port));
	ASSERT_EQ(0, txn_build_stub(&self->msg, stub, sizeof(stub), &row.stub_len));
	ASSERT_EQ(0, endpoint_parse(&row.peer, "192.0.2.10:5060"));
	ASSERT_EQ(0, dialog_store_branch_put(self->pc.store, HANDLE, 0, &row));
}

FIXTURE_TEARDOWN(resume)
{
	/* Freeing the transactions frees the resumed context with its last one. */
	txn_table_free(core.txns);
	dialog_store_close(self->pc.store);
	dialogs_free(self->pc.dialogs);
	unlink(self->path);
	transport_free(core.tp);
	listeners_close(&self->l, NULL);
	loop_free(self->loop);
	config_free(&self->cfg);
	close(self->caller);
}

/* The stored copies of the call: how many rows the store still has. */
static size_t stored_copies(struct _test_data_resume *self)
{
	struct dialog_branch rows[2];
	size_t n = 0, got;

	if (dialog_store_branches(self->pc.store, HANDLE, rows, 2, &n))
		return 99;
	got = n;
	dialog_branches_free(rows, &n);
	return got;
}

TEST_F(resume, ringing_then_busy_acked_from_the_stub_and_sent_up_by_via)
{
	char want[1024], got[2048];
	struct dialog *d = dialog_by_handle(self->pc.dialogs, HANDLE);

	/* The 180: no transaction of this run wants it; the stored copy resumes and takes it. */
	ASSERT_FALSE(txn_client_receive(core.txns, resp(self, 180, "Ringing", 1)));
	proxy_stray_response(&core, &self->msg);
	ASSERT_NE(NULL, d->invite);
	EXPECT_EQ(1u, txn_count(core.txns));
	snprintf(want, sizeof(want), UP_FMT, 180, "Ringing", self->caller_port);
	ASSERT_EQ((int)strlen(want), recv_within(self->caller, got, sizeof(got), 2000)) TH_LOG("%s", got);
	EXPECT_STREQ(want, got);
	EXPECT_EQ(0, env.nsent);
	EXPECT_EQ(1u, core.stats.responses_out[1]);

	/* The 486 goes to the resumed transaction: ACKed from the stub, sent up, the call ends. */
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 486, "Busy Here", 1)));
	ASSERT_EQ(1, env.nsent);
	snprintf(want, sizeof(want), ack_want, self->proxy_port);
	EXPECT_STREQ(want, env.sent[0]);
	snprintf(want, sizeof(want), UP_FMT, 486, "Busy Here", self->caller_port);
	ASSERT_EQ((int)strlen(want), recv_within(self->caller, got, sizeof(got), 2000)) TH_LOG("%s", got);
	EXPECT_STREQ(want, got);
	EXPECT_EQ(NULL, dialog_by_handle(self->pc.dialogs, HANDLE));
	EXPECT_EQ(0u, stored_copies(self));
	EXPECT_EQ(0u, core.stats.drops[STATS_DROP_STRAY_RESPONSE]);

	/* Its retransmission: ACKed again, byte for byte, and nothing goes up. */
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 486, "Busy Here", 1)));
	ASSERT_EQ(2, env.nsent);
	EXPECT_STREQ(env.sent[0], env.sent[1]);
	EXPECT_EQ(-1, recv_within(self->caller, got, sizeof(got), 100));
	EXPECT_EQ(1u, core.stats.responses_out[4]);

	/* Timer D ends the transaction, and with it the context. */
	vclock_run_until(vclock.now + 32000);
	EXPECT_EQ(0u, txn_count(core.txns));
}

TEST_F(resume, trying_2xx_and_other_cseq_resume_nothing)
{
	struct dialog *d = dialog_by_handle(self->pc.dialogs, HANDLE);

	EXPECT_FALSE(proxy_resume_response(&core, resp(self, 100, "Trying", 1)));
	EXPECT_FALSE(proxy_resume_response(&core, resp(self, 200, "OK", 1)));
	/* A CSeq none of the stored copies has (the store keeps the copy). */
	EXPECT_FALSE(proxy_resume_response(&core, resp(self, 486, "Busy Here", 2)));
	EXPECT_EQ(NULL, d->invite);
	EXPECT_EQ(0u, txn_count(core.txns));
	EXPECT_EQ(0, env.nsent);
	EXPECT_EQ(1u, stored_copies(self));
}

TEST_HARNESS_MAIN
