// SPDX-License-Identifier: GPL-2.0
/*
 * One userspace relay flow, as pure state: learn locks after RFC 3550
 * probation (two in-sequence packets from one source) and then drops every
 * other source; strict drops all but SOURCE; the payload-type filter acts
 * before probation; malformed packets are dropped; counters and FLOW_GET
 * reports in the kernel's units; FLOW_IDLE once per silence under a
 * virtual clock; and configurations the kernel would refuse.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/relay_flow.h"

#define SIZE 172

static void rtp(uint8_t *buf, uint16_t seq, uint8_t pt)
{
	memset(buf, 0, SIZE);
	buf[0] = 0x80;
	buf[1] = pt;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	buf[7] = 160;
	buf[11] = 0x55;
}

FIXTURE(flow)
{
	struct relay_flow f;
	struct nl_flow cfg;
	struct endpoint good, other_port, other_host;
	uint8_t buf[SIZE];
};

FIXTURE_SETUP(flow)
{
	struct nl_flow *c = &self->cfg;

	memset(c, 0, sizeof(*c));
	ASSERT_EQ(0, endpoint_parse(&c->local, "127.0.0.1:30000"));
	ASSERT_EQ(0, endpoint_parse(&c->out, "127.0.0.1:30002"));
	ASSERT_EQ(0, endpoint_parse(&c->peer, "127.0.0.1:5004"));
	ASSERT_EQ(0, endpoint_parse(&self->good, "192.0.2.1:4000"));
	ASSERT_EQ(0, endpoint_parse(&self->other_port, "192.0.2.1:4002"));
	ASSERT_EQ(0, endpoint_parse(&self->other_host, "192.0.2.2:4000"));
	c->attrs = 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT | 1U << RTPFWD_A_PEER |
		   1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_FLAGS;
	c->policy = RTPFWD_POLICY_LEARN;
	c->flags = RTPFWD_F_RTP;
}

FIXTURE_TEARDOWN(flow)
{
}

/* Judges and counts one packet, as the relay does; returns the verdict. */
static int packet(struct relay_flow *f, const struct endpoint *src, uint8_t *buf,
		  uint16_t seq, uint8_t pt, bool *learned)
{
	bool rtcp;
	int v;

	rtp(buf, seq, pt);
	v = relay_flow_judge(f, NULL, src, buf, SIZE, 1000000ULL * seq, learned, &rtcp);
	relay_flow_count(f, v, SIZE, rtcp, 1000);
	return v;
}

TEST_F(flow, learn_locks_after_two_in_sequence_packets)
{
	bool learned;
	struct nl_flow r;

	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 1000, 8, &learned));
	EXPECT_FALSE(learned);
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, self->buf, 1001, 8, &learned));
	EXPECT_TRUE(learned);
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, self->buf, 1002, 8, &learned));
	EXPECT_FALSE(learned);
	EXPECT_EQ(RTPFWD_DROP_SOURCE, packet(&self->f, &self->other_port, self->buf, 1003, 8, &learned));
	EXPECT_EQ(RTPFWD_DROP_SOURCE, packet(&self->f, &self->other_host, self->buf, 1003, 8, &learned));

	relay_flow_report(&self->f, 1500, &r);
	EXPECT_TRUE(r.learned);
	EXPECT_TRUE(nl_flow_has(&r, RTPFWD_A_SOURCE));
	EXPECT_TRUE(endpoint_equal(&r.source, &self->good));
	EXPECT_EQ(2U, r.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(2U * SIZE, r.stats.v[RTPFWD_STATS_BYTES]);
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_DROP_PROBATION]);
	EXPECT_EQ(2U, r.stats.v[RTPFWD_STATS_DROP_SOURCE]);
	EXPECT_EQ(500U, r.stats.v[RTPFWD_STATS_LAST_MS]);
	/* Statistics start with the packet that won probation. */
	EXPECT_EQ(1002U, r.stats.v[RTPFWD_STATS_EXT_SEQ]);
	EXPECT_EQ(0x55U, r.stats.v[RTPFWD_STATS_SSRC]);
	EXPECT_EQ(0U, r.stats.v[RTPFWD_STATS_LOST]);
}

TEST_F(flow, probation_restarts_on_other_source_or_gap)
{
	bool learned;

	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 1000, 0, &learned));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->other_host, self->buf, 1001, 0, &learned));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 1001, 0, &learned));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 1003, 0, &learned));
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, self->buf, 1004, 0, &learned));
	EXPECT_TRUE(learned);
	EXPECT_EQ(4U, self->f.drops[RTPFWD_DROP_PROBATION]);
}

TEST_F(flow, rtcp_flow_locks_on_first_packet)
{
	uint8_t rr[8] = { 0x80, 201, 0, 1, 0, 0, 0, 0x55 };
	bool learned, rtcp;

	self->cfg.flags = RTPFWD_F_RTCP;
	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RELAY_PASS, relay_flow_judge(&self->f, NULL, &self->good, rr, 8, 0, &learned, &rtcp));
	EXPECT_TRUE(learned);
	EXPECT_TRUE(rtcp);
	EXPECT_EQ(RTPFWD_DROP_SOURCE, relay_flow_judge(&self->f, NULL, &self->other_port, rr, 8, 0, &learned, &rtcp));
}

TEST_F(flow, strict_drops_all_but_source)
{
	bool learned;

	self->cfg.policy = RTPFWD_POLICY_STRICT;
	self->cfg.source = self->good;
	nl_flow_mark(&self->cfg, RTPFWD_A_SOURCE);
	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, self->buf, 7, 0, &learned));
	EXPECT_FALSE(learned);
	EXPECT_EQ(RTPFWD_DROP_SOURCE, packet(&self->f, &self->other_port, self->buf, 8, 0, &learned));
	EXPECT_EQ(RTPFWD_DROP_SOURCE, packet(&self->f, &self->other_host, self->buf, 8, 0, &learned));
	EXPECT_EQ(1U, self->f.packets);
	EXPECT_EQ(2U, self->f.drops[RTPFWD_DROP_SOURCE]);
}

TEST_F(flow, payload_type_filter_before_probation)
{
	bool learned;

	memset(self->cfg.pt_mask, 0, sizeof(self->cfg.pt_mask));
	self->cfg.pt_mask[1] = 1;	/* PT 8 */
	nl_flow_mark(&self->cfg, RTPFWD_A_PT_MASK);
	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PAYLOAD_TYPE, packet(&self->f, &self->other_host, self->buf, 1, 0, &learned));
	EXPECT_EQ(RTPFWD_DROP_PAYLOAD_TYPE, packet(&self->f, &self->other_host, self->buf, 2, 0, &learned));
	EXPECT_EQ((int)RELAY_SRC_NONE, (int)self->f.src_state);
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 3, 8, &learned));
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, self->buf, 4, 8, &learned));
}

TEST_F(flow, malformed_dropped)
{
	uint8_t junk[SIZE] = { 0x40 };
	bool learned, rtcp;

	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_MALFORMED, relay_flow_judge(&self->f, NULL, &self->good, junk, SIZE, 0, &learned, &rtcp));
	EXPECT_EQ(RTPFWD_DROP_MALFORMED, relay_flow_judge(&self->f, NULL, &self->good, junk, 0, 0, &learned, &rtcp));
	EXPECT_EQ((int)RELAY_SRC_NONE, (int)self->f.src_state);
}

TEST_F(flow, set_policy_restarts_learning_keeps_counters)
{
	struct nl_flow change = { .attrs = 1U << RTPFWD_A_POLICY, .policy = RTPFWD_POLICY_LEARN };
	bool learned;

	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	packet(&self->f, &self->good, self->buf, 1, 0, &learned);
	packet(&self->f, &self->good, self->buf, 2, 0, &learned);
	ASSERT_EQ((int)RELAY_SRC_LOCKED, (int)self->f.src_state);
	ASSERT_EQ(0, relay_flow_set(&self->f, &change));
	EXPECT_EQ((int)RELAY_SRC_NONE, (int)self->f.src_state);
	EXPECT_EQ(1U, self->f.packets);
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->other_host, self->buf, 3, 0, &learned));
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->other_host, self->buf, 4, 0, &learned));
	EXPECT_TRUE(learned);
}

TEST_F(flow, set_is_all_or_nothing)
{
	struct nl_flow change = { 0 };

	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	/* strict without SOURCE: refused, and PEER not changed either */
	change.attrs = 1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_PEER;
	change.policy = RTPFWD_POLICY_STRICT;
	ASSERT_EQ(0, endpoint_parse(&change.peer, "127.0.0.1:6000"));
	EXPECT_EQ(-EINVAL, relay_flow_set(&self->f, &change));
	EXPECT_EQ(5004, self->f.cfg.peer.port);
	EXPECT_EQ(RTPFWD_POLICY_LEARN, self->f.cfg.policy);
	change.attrs = 1U << RTPFWD_A_PEER;
	EXPECT_EQ(0, relay_flow_set(&self->f, &change));
	EXPECT_EQ(6000, self->f.cfg.peer.port);
	change.attrs = 1U << RTPFWD_A_LOCAL;
	EXPECT_EQ(-EOPNOTSUPP, relay_flow_set(&self->f, &change));
}

TEST_F(flow, idle_once_per_silence_virtual_clock)
{
	bool learned;
	uint8_t *buf = self->buf;

	self->cfg.timeout = 5;
	nl_flow_mark(&self->cfg, RTPFWD_A_TIMEOUT);
	self->cfg.policy = RTPFWD_POLICY_ANY;
	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 10000));
	EXPECT_FALSE(relay_flow_idle(&self->f, 14999));
	EXPECT_TRUE(relay_flow_idle(&self->f, 15000));
	EXPECT_FALSE(relay_flow_idle(&self->f, 16000));
	EXPECT_FALSE(relay_flow_idle(&self->f, 99000));
	/* A packet at 1000 ms (packet()'s clock) ends the silence. */
	EXPECT_EQ(RELAY_PASS, packet(&self->f, &self->good, buf, 1, 0, &learned));
	EXPECT_FALSE(relay_flow_idle(&self->f, 5999));
	EXPECT_TRUE(relay_flow_idle(&self->f, 6000));
}

TEST_F(flow, dropped_packets_do_not_end_silence)
{
	bool learned;

	self->cfg.timeout = 1;
	nl_flow_mark(&self->cfg, RTPFWD_A_TIMEOUT);
	ASSERT_EQ(0, relay_flow_init(&self->f, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, packet(&self->f, &self->good, self->buf, 1, 0, &learned));
	EXPECT_TRUE(relay_flow_idle(&self->f, 1000));
}

TEST_F(flow, refused_like_the_kernel)
{
	struct nl_flow c = self->cfg;

	c.attrs &= ~(1U << RTPFWD_A_PEER);
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	ASSERT_EQ(0, endpoint_parse(&c.peer, "[::1]:5004"));
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	ASSERT_EQ(0, endpoint_parse(&c.peer, "0.0.0.0:5004"));
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.policy = RTPFWD_POLICY_STRICT;
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.source = self->good;
	nl_flow_mark(&c, RTPFWD_A_SOURCE);
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.flags = RTPFWD_F_RTP | RTPFWD_F_OWNED;
	EXPECT_EQ(-EOPNOTSUPP, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.timeout = 86401;
	nl_flow_mark(&c, RTPFWD_A_TIMEOUT);
	EXPECT_EQ(-ERANGE, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.clock_rate = 0;
	nl_flow_mark(&c, RTPFWD_A_CLOCK_RATE);
	EXPECT_EQ(-ERANGE, relay_flow_init(&self->f, &c, 0));
	c = self->cfg;
	c.tos = 0x20;
	nl_flow_mark(&c, RTPFWD_A_TOS);
	EXPECT_EQ(-EOPNOTSUPP, relay_flow_init(&self->f, &c, 0));
}

TEST_HARNESS_MAIN
