// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6026 through the proxy's response path, under a virtual clock: an
 * INVITE forked to two branches, A answers, Timer L ends the server
 * transaction, then B answers too. B's 2xx must still reach the caller,
 * statelessly by its Via (our Via popped, received/rport honoured), and
 * so must its retransmissions, before and after Timer M; a late
 * provisional goes nowhere, and a 2xx whose top Via is not ours is
 * dropped and counted. The transactions run on a virtual clock; what leaves by Via
 * goes through the real transport to a UDP socket the test reads.
 *
 *   caller 127.0.0.1:CALLER (a socket here)
 *     |  server txn (virtual clock)
 *   proxy 127.0.0.1:PROXY -- branch A (client txn) -- uas A (messages made here)
 *                         \- branch B (client txn) -- uas B
 *
 * T1 = 500 ms: Timer L = Timer M = 32 s.
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
#include "sipproxyd/proxy_ctx.h"
#include "proxy_test.h"
#include "virtual_clock.h"

#define T1 500

static struct {
	char sent[8][2048];	/* what the transactions sent, by start line */
	int nsent;
} env;

static struct core core;

static int v_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	snprintf(env.sent[env.nsent++ % 8], sizeof(env.sent[0]), "%.*s", (int)strcspn(buf, "\r"),
		 buf);
	return 0;
}

static const struct txn_ops ops = {
	VCLOCK_TXN_OPS,
	.send = v_send,
	.response = proxy_on_response,
	.timeout = proxy_on_timeout,
	.terminated = proxy_on_terminated,
};

static int sent_count(const char *start)
{
	int i, n = 0;

	for (i = 0; i < env.nsent && i < 8; i++)
		n += !strcmp(env.sent[i], start);
	return n;
}

static void on_timer_c(struct timer *t, uint64_t now)
{
}

FIXTURE(late)
{
	struct loop *loop;
	struct config cfg;
	struct listeners l;
	struct proxy_ctx *ctx;
	int caller;
	uint16_t caller_port, proxy_port;
	struct sip_msg msg;
	char text[2048];
};

/* The caller's INVITE, as received. */
#define INVITE_FMT \
	"INVITE sip:bob@example.com SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;rport\r\n" \
	"Max-Forwards: 70\r\n" \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>\r\n" \
	"Call-ID: late-2xx\r\n" \
	"CSeq: 1 INVITE\r\n" \
	"Content-Length: 0\r\n\r\n"

/* Its copy on branch %s, our Via on top, the caller's with received and rport. */
#define COPY_FMT \
	"INVITE sip:bob@192.0.2.%d SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n" \
	"Max-Forwards: 69\r\n" \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>\r\n" \
	"Call-ID: late-2xx\r\n" \
	"CSeq: 1 INVITE\r\n" \
	"Content-Length: 0\r\n\r\n"

/* A response of branch %s with To tag %s. */
#define RESP_VIA_FMT \
	"SIP/2.0 %d %s\r\n" \
	"Via: SIP/2.0/UDP %s:%u;branch=%s\r\n" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n"
#define RESP_REST \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:bob@example.com>;tag=%s\r\n" \
	"Call-ID: late-2xx\r\n" \
	"CSeq: 1 INVITE\r\n" \
	"Contact: <sip:bob@192.0.2.%d>\r\n" \
	"Content-Length: 0\r\n\r\n"

static struct sip_msg *resp(struct _test_data_late *self, int status, const char *branch,
			    const char *tag, int host)
{
	return PARSE(self, RESP_VIA_FMT RESP_REST, status, status == 200 ? "OK" : "Ringing",
		     "127.0.0.1", self->proxy_port, branch, self->caller_port, tag, host);
}

FIXTURE_SETUP(late)
{
	struct transport_hooks hooks = { 0 };
	char conf[128], err[CONFIG_ERR_MAX];
	struct tp_addr src = { .proto = TP_UDP, .lfd = -1 };
	struct txn_config tc = { .t1 = T1, .t2 = 4000, .t4 = 5000, .max_transactions = 16 };
	int probe, i;

	memset(&env, 0, sizeof(env));
	memset(&core, 0, sizeof(core));
	vclock_init(1000);
	self->caller = udp_socket(&self->caller_port);
	ASSERT_LE(0, self->caller);
	probe = udp_socket(&self->proxy_port);
	ASSERT_LE(0, probe);
	close(probe);
	snprintf(conf, sizeof(conf), "[listen]\nudp = 127.0.0.1:%u\ntcp = 127.0.0.1:%u\n",
		 self->proxy_port, self->proxy_port);
	ASSERT_EQ(0, config_parse(&self->cfg, "t.conf", conf, strlen(conf), err)) TH_LOG("%s", err);
	ASSERT_EQ(0, listeners_open(&self->l, &self->cfg, NULL, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, loop_new(&self->loop));
	core.loop = self->loop;
	core.cfg = &self->cfg;
	ASSERT_EQ(0, transport_new(self->loop, &self->cfg, &self->l, &hooks, &core.tp, err,
				   sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, txn_table_new(&tc, &ops, &core, &core.txns));

	/* The server transaction and a context forking to A (192.0.2.10) and B (.20). */
	self->ctx = calloc(1, sizeof(*self->ctx) + 2 * sizeof(self->ctx->branches[0]));
	ASSERT_NE(NULL, self->ctx);
	self->ctx->core = &core;
	self->ctx->invite = true;
	self->ctx->nbranches = self->ctx->pending = 2;
	src.peer.family = AF_INET;
	src.peer.port = self->caller_port;
	inet_pton(AF_INET, "127.0.0.1", &src.peer.addr.v4);
	ASSERT_EQ(0, txn_server_new(core.txns, PARSE(self, INVITE_FMT), &src, &self->ctx->server));
	txn_set_user(self->ctx->server, self->ctx);
	for (i = 0; i < 2; i++) {
		struct proxy_branch *b = &self->ctx->branches[i];
		size_t len;

		b->ctx = self->ctx;
		timer_init(&b->timer_c, on_timer_c);
		snprintf(b->id, sizeof(b->id), "z9hG4bK-%c", 'a' + i);
		b->dst = (struct tp_addr){ .proto = TP_UDP, .lfd = -1 };
		ASSERT_EQ(0, endpoint_parse(&b->dst.peer, i ? "192.0.2.20:5060" : "192.0.2.10:5060"));
		ASSERT_NE(NULL, PARSE(self, COPY_FMT, 10 * (i + 1), self->proxy_port, b->id,
				      self->caller_port));
		len = strlen(self->text);
		ASSERT_EQ(0, txn_client_new(core.txns, &self->msg, self->text, len,
					    sip_str_make(b->id, strlen(b->id)), &b->dst, &b->client));
		txn_set_user(b->client, b);
	}
	/* Both ring (B's CANCEL may go), then A answers through the server transaction. */
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 180, "z9hG4bK-a", "ta", 10)));
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 180, "z9hG4bK-b", "tb", 20)));
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 200, "z9hG4bK-a", "ta", 10)));
	ASSERT_EQ(2, sent_count("SIP/2.0 180 Ringing"));
	ASSERT_EQ(1, sent_count("SIP/2.0 200 OK"));
	ASSERT_EQ(1, sent_count("CANCEL sip:bob@192.0.2.20 SIP/2.0"));
	ASSERT_NE(NULL, self->ctx->server);
	/* Timer L (and M for A): the server transaction is gone, B still rings. */
	vclock_run_until(vclock.now + 64 * T1);
	ASSERT_EQ(NULL, self->ctx->server);
	ASSERT_EQ(NULL, self->ctx->branches[0].client);
	ASSERT_NE(NULL, self->ctx->branches[1].client);
	ASSERT_EQ(TXN_PROCEEDING, (int)txn_state(self->ctx->branches[1].client));
	env.nsent = 0;
}

FIXTURE_TEARDOWN(late)
{
	/* Freeing the transactions frees the context with its last one. */
	txn_table_free(core.txns);
	transport_free(core.tp);
	listeners_close(&self->l, NULL);
	loop_free(self->loop);
	config_free(&self->cfg);
	close(self->caller);
}

TEST_F(late, second_branch_2xx_after_timer_l_goes_up_by_via)
{
	char want[1024], got[2048];

	snprintf(want, sizeof(want),
		 "SIP/2.0 200 OK\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-caller;received=127.0.0.1;rport=%u\r\n"
		 RESP_REST, self->caller_port, "tb", 20);
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 200, "z9hG4bK-b", "tb", 20)));
	ASSERT_EQ((int)strlen(want), recv_within(self->caller, got, sizeof(got), 2000)) TH_LOG("%s", got);
	EXPECT_STREQ(want, got);
	/* Not through a transaction (there is none), once, and nothing counted as dropped. */
	EXPECT_EQ(0, env.nsent);
	EXPECT_EQ(1u, core.stats.responses_out[2]);
	EXPECT_EQ(0u, core.stats.drops[STATS_DROP_STRAY_RESPONSE]);
	EXPECT_TRUE(self->ctx->branches[1].done);
	EXPECT_EQ(0u, self->ctx->pending);

	/* Its retransmission, while B's client transaction is in Accepted, goes up as well. */
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 200, "z9hG4bK-b", "tb", 20)));
	ASSERT_EQ((int)strlen(want), recv_within(self->caller, got, sizeof(got), 2000));
	EXPECT_STREQ(want, got);
	EXPECT_EQ(2u, core.stats.responses_out[2]);

	/* After Timer M nothing wants it: the stray path forwards it the same way. */
	vclock_run_until(vclock.now + 64 * T1);
	ASSERT_FALSE(txn_client_receive(core.txns, resp(self, 200, "z9hG4bK-b", "tb", 20)));
	proxy_stray_response(&core, &self->msg);
	ASSERT_EQ((int)strlen(want), recv_within(self->caller, got, sizeof(got), 2000));
	EXPECT_STREQ(want, got);
	EXPECT_EQ(3u, core.stats.responses_out[2]);
	EXPECT_EQ(0u, core.stats.drops[STATS_DROP_STRAY_RESPONSE]);
}

TEST_F(late, late_provisional_and_foreign_via_are_dropped)
{
	char got[2048];

	/* A 1xx after the call was answered goes nowhere. */
	ASSERT_TRUE(txn_client_receive(core.txns, resp(self, 183, "z9hG4bK-b", "tb", 20)));
	EXPECT_EQ(-1, recv_within(self->caller, got, sizeof(got), 100));
	/* A stray 2xx whose top Via names another host is not ours to forward. */
	ASSERT_NE(NULL, PARSE(self, RESP_VIA_FMT RESP_REST, 200, "OK", "192.0.2.99",
			      self->proxy_port, "z9hG4bK-x", self->caller_port, "tx", 30));
	ASSERT_FALSE(txn_client_receive(core.txns, &self->msg));
	proxy_stray_response(&core, &self->msg);
	EXPECT_EQ(-1, recv_within(self->caller, got, sizeof(got), 100));
	EXPECT_EQ(1u, core.stats.drops[STATS_DROP_STRAY_RESPONSE]);
	EXPECT_EQ(0u, core.stats.responses_out[2]);
	EXPECT_EQ(0, env.nsent);
}

TEST_HARNESS_MAIN
