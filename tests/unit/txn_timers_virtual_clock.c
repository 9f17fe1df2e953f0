// SPDX-License-Identifier: GPL-2.0
/*
 * The four RFC 3261 section 17 state machines (with RFC 6026's Accepted
 * states) under a virtual clock: every timer's exact firing time, every
 * retransmission sent and absorbed, the hop-by-hop ACK of a non-2xx, and
 * the transaction limit. T1 = 500 ms, T2 = 4 s, T4 = 5 s.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/txn.h"
#include "virtual_clock.h"

#define T1 500
#define T2 4000
#define T4 5000
#define MAX_SENT 64

static const char invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-abc\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=f1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static const char ack[] =
	"ACK sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-abc\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=f1\r\n"
	"To: <sip:bob@example.com>;tag=t1\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 1 ACK\r\n"
	"Content-Length: 0\r\n\r\n";

static const char options[] =
	"OPTIONS sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-opt\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=f1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: call-2\r\n"
	"CSeq: 7 OPTIONS\r\n"
	"Content-Length: 0\r\n\r\n";

/* A response to the INVITE or OPTIONS above, as the next hop sends it. */
static const char resp_fmt[] =
	"SIP/2.0 %d Whatever\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=%s\r\n"
	"From: <sip:alice@example.com>;tag=f1\r\n"
	"To: <sip:bob@example.com>%s\r\n"
	"Call-ID: %s\r\n"
	"CSeq: %s\r\n"
	"Content-Length: 0\r\n\r\n";

struct sent {
	uint64_t at;
	char start[64];		/* the start line */
	char text[2048];
};

static struct {
	struct sent sent[MAX_SENT];
	int nsent;
	int responses[16];
	int nresponses;
	int timeouts;
	int terminated;
} env;

static int v_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	struct sent *s = &env.sent[env.nsent++ % MAX_SENT];
	size_t line = strcspn(buf, "\r");

	s->at = vclock.now;
	snprintf(s->start, sizeof(s->start), "%.*s", (int)line, buf);
	snprintf(s->text, sizeof(s->text), "%.*s", (int)len, buf);
	return 0;
}

static void v_response(void *ctx, struct txn *t, const struct sip_msg *msg)
{
	env.responses[env.nresponses++ % 16] = msg->status;
}

static void v_timeout(void *ctx, struct txn *t, bool transport_error)
{
	env.timeouts++;
}

static void v_terminated(void *ctx, struct txn *t)
{
	env.terminated++;
}

static const struct txn_ops ops = {
	VCLOCK_TXN_OPS,
	.send = v_send,
	.response = v_response,
	.timeout = v_timeout,
	.terminated = v_terminated,
};

FIXTURE(txn)
{
	struct txn_table *tab;
	struct sip_msg msg;
	struct tp_addr peer;
	char buf[2048];
};

FIXTURE_SETUP(txn)
{
	struct txn_config cfg = { .t1 = T1, .t2 = T2, .t4 = T4, .max_transactions = 4 };

	memset(&env, 0, sizeof(env));
	vclock_init(1000);
	ASSERT_EQ(0, txn_table_new(&cfg, &ops, NULL, &self->tab));
	self->peer = (struct tp_addr){ .proto = TP_UDP, .lfd = -1 };
	ASSERT_EQ(0, endpoint_parse(&self->peer.peer, "192.0.2.1:5060"));
}

FIXTURE_TEARDOWN(txn)
{
	txn_table_free(self->tab);
}

static struct sip_msg *parse(struct _test_data_txn *self, const char *text)
{
	snprintf(self->buf, sizeof(self->buf), "%s", text);
	if (sip_msg_parse(&self->msg, self->buf, strlen(self->buf), SIP_DATAGRAM))
		return NULL;
	return &self->msg;
}

static struct sip_msg *response(struct _test_data_txn *self, int status, const char *branch,
				const char *to_tag, const char *call_id, const char *cseq)
{
	char text[1024];

	snprintf(text, sizeof(text), resp_fmt, status, branch, to_tag, call_id, cseq);
	return parse(self, text);
}

static int sent_since(int from, const char *start)
{
	int i, n = 0;

	for (i = from; i < env.nsent; i++)
		n += !strncmp(env.sent[i % MAX_SENT].start, start, strlen(start));
	return n;
}

TEST_F(txn, server_invite_final_retransmitted_until_ack_then_timer_i)
{
	char reply[] = "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n";
	struct txn *t;

	ASSERT_EQ(0, txn_server_new(self->tab, parse(self, invite), &self->peer, &t));
	/* 17.2.1: 100 Trying at once. */
	ASSERT_EQ(1, env.nsent);
	EXPECT_STREQ("SIP/2.0 100 Trying", env.sent[0].start);
	EXPECT_EQ(TXN_PROCEEDING, (int)txn_state(t));

	/* A retransmitted INVITE is absorbed and regenerates the 100. */
	EXPECT_EQ(t, txn_server_match(self->tab, parse(self, invite), SIP_METHOD_OTHER));
	EXPECT_TRUE(txn_server_retransmission(t, &self->msg));
	EXPECT_EQ(2, sent_since(0, "SIP/2.0 100"));

	EXPECT_EQ(0, txn_server_respond(t, 486, reply, strlen(reply)));
	EXPECT_EQ(TXN_COMPLETED, (int)txn_state(t));
	EXPECT_EQ(-EALREADY, txn_server_respond(t, 200, reply, strlen(reply)));
	/* Timer G: 500, 1000, 2000, 4000, 4000 ms apart. */
	vclock_run_until(1000 + 500 + 1000 + 2000 + 4000 + 4000);
	EXPECT_EQ(6, sent_since(0, "SIP/2.0 486"));
	EXPECT_EQ(1000 + 500 + 1000 + 2000 + 4000 + 4000, (int)env.sent[env.nsent - 1].at);

	/* The ACK matches the INVITE's transaction and stops Timer G. */
	EXPECT_EQ(t, txn_server_match(self->tab, parse(self, ack), SIP_METHOD_OTHER));
	EXPECT_TRUE(txn_server_retransmission(t, &self->msg));
	EXPECT_EQ(TXN_CONFIRMED, (int)txn_state(t));
	vclock_run_until(vclock.now + T4 - 1);
	EXPECT_EQ(6, sent_since(0, "SIP/2.0 486"));
	EXPECT_EQ(0, env.terminated);
	/* Timer I, then the deferred free. */
	vclock_run_until(vclock.now + 1);
	EXPECT_EQ(1, env.terminated);
	EXPECT_EQ(0U, txn_count(self->tab));
}

TEST_F(txn, server_invite_without_ack_ends_at_timer_h)
{
	char reply[] = "SIP/2.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	struct txn *t;

	ASSERT_EQ(0, txn_server_new(self->tab, parse(self, invite), &self->peer, &t));
	EXPECT_EQ(0, txn_server_respond(t, 404, reply, strlen(reply)));
	vclock_run_until(1000 + 64 * T1 - 1);
	EXPECT_EQ(0, env.terminated);
	vclock_run_until(1000 + 64 * T1);
	EXPECT_EQ(1, env.terminated);
	EXPECT_EQ(1U, txn_counts(self->tab)->timeouts);
}

TEST_F(txn, server_invite_2xx_accepted_state_rfc6026)
{
	char ok[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	char busy[] = "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n";
	struct txn *t;

	ASSERT_EQ(0, txn_server_new(self->tab, parse(self, invite), &self->peer, &t));
	EXPECT_EQ(0, txn_server_respond(t, 200, ok, strlen(ok)));
	EXPECT_EQ(TXN_ACCEPTED, (int)txn_state(t));
	/* 2xx from other branches (or their retransmissions) still pass... */
	EXPECT_EQ(0, txn_server_respond(t, 200, ok, strlen(ok)));
	EXPECT_EQ(2, sent_since(0, "SIP/2.0 200"));
	/* ...a non-2xx does not, and INVITE retransmissions are absorbed silently. */
	EXPECT_EQ(-EALREADY, txn_server_respond(t, 486, busy, strlen(busy)));
	EXPECT_TRUE(txn_server_retransmission(t, parse(self, invite)));
	EXPECT_EQ(2, sent_since(0, "SIP/2.0 200"));
	/* No Timer G for a 2xx: the UAS retransmits it, not the proxy. */
	vclock_run_until(1000 + 64 * T1 - 1);
	EXPECT_EQ(2, sent_since(0, "SIP/2.0 200"));
	EXPECT_EQ(0, env.terminated);
	vclock_run_until(1000 + 64 * T1);	/* Timer L */
	EXPECT_EQ(1, env.terminated);
}

TEST_F(txn, server_non_invite_absorbs_then_timer_j)
{
	char ok[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct txn *t;

	ASSERT_EQ(0, txn_server_new(self->tab, parse(self, options), &self->peer, &t));
	EXPECT_EQ(0, env.nsent);
	EXPECT_EQ(TXN_TRYING, (int)txn_state(t));
	/* Trying: a retransmission gets nothing, there is nothing to resend. */
	EXPECT_TRUE(txn_server_retransmission(t, parse(self, options)));
	EXPECT_EQ(0, env.nsent);
	EXPECT_EQ(0, txn_server_respond(t, 200, ok, strlen(ok)));
	EXPECT_TRUE(txn_server_retransmission(t, parse(self, options)));
	EXPECT_EQ(2, sent_since(0, "SIP/2.0 200"));
	vclock_run_until(1000 + 64 * T1 - 1);
	EXPECT_EQ(0, env.terminated);
	vclock_run_until(1000 + 64 * T1);
	EXPECT_EQ(1, env.terminated);
}

TEST_F(txn, server_non_invite_over_tcp_ends_at_once)
{
	char ok[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct txn *t;

	self->peer.proto = TP_TCP;
	ASSERT_EQ(0, txn_server_new(self->tab, parse(self, options), &self->peer, &t));
	EXPECT_EQ(0, txn_server_respond(t, 200, ok, strlen(ok)));
	vclock_run_until(1000);
	EXPECT_EQ(1, env.terminated);
}

TEST_F(txn, client_invite_timer_a_doubles_until_timer_b)
{
	struct txn *t;
	int i;

	ASSERT_EQ(0, txn_client_new(self->tab, parse(self, invite), invite, strlen(invite),
				    SIP_STR("z9hG4bK-abc"), &self->peer, &t));
	txn_set_user(t, self);
	EXPECT_EQ(TXN_CALLING, (int)txn_state(t));
	/* Sent at 0, then after 500, 1000, 2000, ... until Timer B at 64*T1. */
	vclock_run_until(1000 + 64 * T1 - 1);
	EXPECT_EQ(7, sent_since(0, "INVITE"));
	for (i = 1; i < 7; i++)
		EXPECT_EQ((uint64_t)(T1 << (i - 1)), env.sent[i].at - env.sent[i - 1].at);
	EXPECT_EQ(0, env.timeouts);
	vclock_run_until(1000 + 64 * T1);
	EXPECT_EQ(1, env.timeouts);
	EXPECT_EQ(1, env.terminated);
}

TEST_F(txn, client_invite_non_2xx_is_acked_hop_by_hop_then_timer_d)
{
	struct txn *t;

	ASSERT_EQ(0, txn_client_new(self->tab, parse(self, invite), invite, strlen(invite),
				    SIP_STR("z9hG4bK-abc"), &self->peer, &t));
	txn_set_user(t, self);
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 180, "z9hG4bK-abc", ";tag=t1",
							      "call-1", "1 INVITE")));
	EXPECT_EQ(TXN_PROCEEDING, (int)txn_state(t));
	/* Proceeding: no more retransmissions, no Timer B. */
	vclock_run_until(1000 + 64 * T1 + 10000);
	EXPECT_EQ(1, sent_since(0, "INVITE"));
	EXPECT_EQ(0, env.timeouts);

	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 486, "z9hG4bK-abc", ";tag=t1",
							      "call-1", "1 INVITE")));
	EXPECT_EQ(TXN_COMPLETED, (int)txn_state(t));
	ASSERT_EQ(1, sent_since(0, "ACK"));
	EXPECT_STREQ("ACK sip:bob@example.com SIP/2.0", env.sent[env.nsent - 1].start);
	EXPECT_NE(NULL, strstr(env.sent[env.nsent - 1].text,
			       "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-abc\r\n"));
	EXPECT_NE(NULL, strstr(env.sent[env.nsent - 1].text, "To: <sip:bob@example.com>;tag=t1\r\n"));
	EXPECT_NE(NULL, strstr(env.sent[env.nsent - 1].text, "CSeq: 1 ACK\r\n"));
	/* The 486 again: ACKed again, not passed up again. */
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 486, "z9hG4bK-abc", ";tag=t1",
							      "call-1", "1 INVITE")));
	EXPECT_EQ(2, sent_since(0, "ACK"));
	ASSERT_EQ(2, env.nresponses);
	EXPECT_EQ(180, env.responses[0]);
	EXPECT_EQ(486, env.responses[1]);
	/* Timer D: 32 s. */
	vclock_run_until(vclock.now + 32000 - 1);
	EXPECT_EQ(0, env.terminated);
	vclock_run_until(vclock.now + 1);
	EXPECT_EQ(1, env.terminated);
}

TEST_F(txn, client_invite_every_2xx_passes_up_until_timer_m)
{
	struct txn *t;

	ASSERT_EQ(0, txn_client_new(self->tab, parse(self, invite), invite, strlen(invite),
				    SIP_STR("z9hG4bK-abc"), &self->peer, &t));
	txn_set_user(t, self);
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 200, "z9hG4bK-abc", ";tag=t1",
							      "call-1", "1 INVITE")));
	EXPECT_EQ(TXN_ACCEPTED, (int)txn_state(t));
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 200, "z9hG4bK-abc", ";tag=t1",
							      "call-1", "1 INVITE")));
	EXPECT_EQ(2, env.nresponses);
	/* No ACK from the transaction for a 2xx: that is the UAC's, end to end. */
	EXPECT_EQ(0, sent_since(0, "ACK"));
	vclock_run_until(1000 + 64 * T1);
	EXPECT_EQ(1, env.terminated);
	/* Gone: a late 2xx matches nothing and goes statelessly. */
	EXPECT_FALSE(txn_client_receive(self->tab, response(self, 200, "z9hG4bK-abc", ";tag=t1",
							       "call-1", "1 INVITE")));
}

TEST_F(txn, client_non_invite_timer_e_capped_at_t2_then_timer_k)
{
	struct txn *t;
	int before;

	ASSERT_EQ(0, txn_client_new(self->tab, parse(self, options), options, strlen(options),
				    SIP_STR("z9hG4bK-opt"), &self->peer, &t));
	txn_set_user(t, self);
	/* 0, +500, +1000, +2000, +4000, +4000: at 12500 the sixth send. */
	vclock_run_until(1000 + 11500);
	EXPECT_EQ(6, sent_since(0, "OPTIONS"));
	EXPECT_EQ(4000U, env.sent[5].at - env.sent[4].at);
	/* A provisional: Timer E runs at T2 from now on. */
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 100, "z9hG4bK-opt", "",
							      "call-2", "7 OPTIONS")));
	EXPECT_EQ(TXN_PROCEEDING, (int)txn_state(t));
	before = env.nsent;
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 200, "z9hG4bK-opt", ";tag=t2",
							      "call-2", "7 OPTIONS")));
	EXPECT_EQ(TXN_COMPLETED, (int)txn_state(t));
	/* Completed: the 200 again is absorbed, nothing is resent, Timer K is T4. */
	EXPECT_TRUE(txn_client_receive(self->tab, response(self, 200, "z9hG4bK-opt", ";tag=t2",
							      "call-2", "7 OPTIONS")));
	EXPECT_EQ(2, env.nresponses);
	vclock_run_until(vclock.now + T4 - 1);
	EXPECT_EQ(before, env.nsent);
	EXPECT_EQ(0, env.terminated);
	vclock_run_until(vclock.now + 1);
	EXPECT_EQ(1, env.terminated);
	EXPECT_EQ(0, env.timeouts);
}

TEST_F(txn, client_non_invite_timer_f)
{
	struct txn *t;

	ASSERT_EQ(0, txn_client_new(self->tab, parse(self, options), options, strlen(options),
				    SIP_STR("z9hG4bK-opt"), &self->peer, &t));
	txn_set_user(t, self);
	vclock_run_until(1000 + 64 * T1 - 1);
	EXPECT_EQ(0, env.timeouts);
	vclock_run_until(1000 + 64 * T1);
	EXPECT_EQ(1, env.timeouts);
	EXPECT_EQ(1U, txn_counts(self->tab)->timeouts);
}

TEST_F(txn, max_transactions_refused_and_counted)
{
	int head = (int)(strstr(options, "branch=") - options) + 7;
	char via[2048];
	struct txn *t;
	int i;

	/* Four OPTIONS with branches of their own. */
	for (i = 0; i < 4; i++) {
		snprintf(via, sizeof(via), "%.*sz9hG4bK-%d%s", head, options, i,
			 strstr(options, "\r\nMax-Forwards"));
		ASSERT_EQ(0, txn_server_new(self->tab, parse(self, via), &self->peer, &t));
	}
	EXPECT_EQ(-EBUSY, txn_server_new(self->tab, parse(self, invite), &self->peer, &t));
	EXPECT_EQ(-EBUSY, txn_client_new(self->tab, &self->msg, invite, strlen(invite),
					 SIP_STR("z9hG4bK-x"), &self->peer, &t));
	EXPECT_EQ(2U, txn_counts(self->tab)->refused);
	EXPECT_EQ(4U, txn_count(self->tab));
}

TEST_HARNESS_MAIN
