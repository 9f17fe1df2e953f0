// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace relay's learn policy with an EXPECT hint, as kmod/policy.c
 * and tests/kernel/forward_learn_expect.sh: an attacker spraying an RTCP
 * flow or a non-RTP flow first is not learned (exact drop counts by
 * reason), the hinted endpoint is, at once; a NATed endpoint's RTCP is
 * learned on its RTP sibling's word (address, not port); EXPECT_ONLY never
 * learns another address; the hint is reported until it is replaced; and
 * the configurations the kernel refuses.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/relay_flow.h"

#define SIZE 172

static void rtp(uint8_t *buf, uint16_t seq)
{
	memset(buf, 0, SIZE);
	buf[0] = 0x80;
	buf[1] = 8;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	buf[11] = 0x55;
}

/* An empty RTCP receiver report (PT 201), 8 bytes. */
static const uint8_t rr[8] = { 0x80, 201, 0, 1, 0, 0, 0, 0x55 };

FIXTURE(expect)
{
	struct relay_flow rtp_flow, rtcp_flow;
	struct nl_flow cfg;
	struct endpoint phone, phone_rtcp, nat, nat_rtcp, attacker;
	uint8_t buf[SIZE];
};

/* A learn flow at @local hinted @hint (ADDR:PORT), its port then set to @port (0: any). */
static void base(struct nl_flow *c, const char *local, uint32_t flags, const char *hint,
		 uint16_t port)
{
	memset(c, 0, sizeof(*c));
	endpoint_parse(&c->local, local);
	endpoint_parse(&c->out, "127.0.0.1:30010");
	endpoint_parse(&c->peer, "127.0.0.1:5004");
	c->attrs = 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT | 1U << RTPFWD_A_PEER |
		   1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_FLAGS | 1U << RTPFWD_A_EXPECT;
	c->policy = RTPFWD_POLICY_LEARN;
	c->flags = flags;
	endpoint_parse(&c->expect, hint);
	c->expect.port = port;
}

FIXTURE_SETUP(expect)
{
	ASSERT_EQ(0, endpoint_parse(&self->phone, "192.0.2.1:4000"));
	ASSERT_EQ(0, endpoint_parse(&self->phone_rtcp, "192.0.2.1:4001"));
	ASSERT_EQ(0, endpoint_parse(&self->nat, "198.51.100.9:61000"));
	ASSERT_EQ(0, endpoint_parse(&self->nat_rtcp, "198.51.100.9:61007"));
	ASSERT_EQ(0, endpoint_parse(&self->attacker, "203.0.113.66:4001"));
}

FIXTURE_TEARDOWN(expect)
{
}

/* Judges and counts one packet, as relay.c does; returns the verdict. */
static int send_rtp(struct relay_flow *f, const struct relay_flow *sib,
		    const struct endpoint *src, uint8_t *buf, uint16_t seq)
{
	bool learned, rtcp;
	int v;

	rtp(buf, seq);
	v = relay_flow_judge(f, relay_flow_wants_sibling(f) ? sib : NULL, src, buf, SIZE, 0,
			     &learned, &rtcp);
	relay_flow_count(f, v, SIZE, rtcp, 1000);
	return v;
}

static int send_rtcp(struct relay_flow *f, const struct relay_flow *sib,
		     const struct endpoint *src, bool *learned)
{
	bool rtcp;
	int v;

	v = relay_flow_judge(f, relay_flow_wants_sibling(f) ? sib : NULL, src, rr, sizeof(rr), 0,
			     learned, &rtcp);
	relay_flow_count(f, v, sizeof(rr), rtcp, 1000);
	return v;
}

static void expect_drops(struct __test_metadata *_metadata, const struct relay_flow *f,
			 uint64_t source, uint64_t probation)
{
	EXPECT_EQ(source, f->drops[RTPFWD_DROP_SOURCE]);
	EXPECT_EQ(probation, f->drops[RTPFWD_DROP_PROBATION]);
}

/* Hinted (the phone's SDP address): the attacker first, then the phone. */
TEST_F(expect, rtcp_spray_not_learned_hinted_phone_locks_at_once)
{
	struct nl_flow r;
	bool learned;
	int i;

	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_RTP, "192.0.2.1:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	base(&self->cfg, "127.0.0.1:30001", RTPFWD_F_RTCP, "192.0.2.1:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtcp_flow, &self->cfg, 0));
	EXPECT_TRUE(relay_flow_wants_sibling(&self->rtcp_flow));
	EXPECT_FALSE(relay_flow_wants_sibling(&self->rtp_flow));

	for (i = 0; i < 10; i++)
		EXPECT_EQ(RTPFWD_DROP_PROBATION,
			  send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->attacker, &learned));
	EXPECT_FALSE(learned);
	relay_flow_report(&self->rtcp_flow, 1000, &r);
	EXPECT_TRUE(nl_flow_has(&r, RTPFWD_A_EXPECT));
	EXPECT_FALSE(nl_flow_has(&r, RTPFWD_A_SOURCE));

	EXPECT_EQ(RELAY_PASS, send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->phone_rtcp,
					&learned));
	EXPECT_TRUE(learned);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(RTPFWD_DROP_SOURCE,
			  send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->attacker, &learned));
	EXPECT_EQ(1U, self->rtcp_flow.rtcp_packets);
	expect_drops(_metadata, &self->rtcp_flow, 3, 10);
	relay_flow_report(&self->rtcp_flow, 1000, &r);
	EXPECT_FALSE(nl_flow_has(&r, RTPFWD_A_EXPECT));
	EXPECT_TRUE(r.learned);
	EXPECT_TRUE(endpoint_equal(&self->phone_rtcp, &r.source));
}

/* A non-RTP flow hinted with a port: the address from another port is foreign. */
TEST_F(expect, non_rtp_flow_hinted_with_port)
{
	bool learned;

	base(&self->cfg, "127.0.0.1:30020", 0, "192.0.2.1:4001", 4001);
	ASSERT_EQ(0, relay_flow_init(&self->rtcp_flow, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtcp(&self->rtcp_flow, NULL, &self->phone, &learned));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtcp(&self->rtcp_flow, NULL, &self->attacker, &learned));
	EXPECT_EQ(RELAY_PASS, send_rtcp(&self->rtcp_flow, NULL, &self->phone_rtcp, &learned));
	EXPECT_TRUE(learned);
	EXPECT_EQ(1U, self->rtcp_flow.packets);
	expect_drops(_metadata, &self->rtcp_flow, 0, 2);
}

/*
 * NATed: the SDP says 10.1.1.10 (private), the phone sends from
 * 198.51.100.9 with other ports for RTP and RTCP.
 */
TEST_F(expect, nat_rtcp_learned_on_the_rtp_siblings_word)
{
	struct nl_flow r;
	bool learned;
	int i;

	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_RTP, "10.1.1.10:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	base(&self->cfg, "127.0.0.1:30001", RTPFWD_F_RTCP, "10.1.1.10:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtcp_flow, &self->cfg, 0));

	for (i = 0; i < 10; i++)
		send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->attacker, &learned);
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtp(&self->rtp_flow, NULL, &self->nat, self->buf, 7));
	/* The candidate from another address took the hint's place. */
	relay_flow_report(&self->rtp_flow, 1000, &r);
	EXPECT_FALSE(nl_flow_has(&r, RTPFWD_A_EXPECT));
	EXPECT_EQ(RELAY_PASS, send_rtp(&self->rtp_flow, NULL, &self->nat, self->buf, 8));

	/* Locked on 198.51.100.9: the attacker still is not vouched for. */
	for (i = 0; i < 10; i++)
		send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->attacker, &learned);
	expect_drops(_metadata, &self->rtcp_flow, 0, 20);
	EXPECT_EQ(RELAY_PASS, send_rtcp(&self->rtcp_flow, &self->rtp_flow, &self->nat_rtcp,
					&learned));
	EXPECT_TRUE(learned);
	EXPECT_TRUE(endpoint_equal(&self->nat_rtcp, &self->rtcp_flow.cfg.source));
	EXPECT_EQ(1U, self->rtcp_flow.rtcp_packets);
}

/* Only an RTP flow (F_RTP without F_RTCP) vouches, as in the kernel. */
TEST_F(expect, rtcp_sibling_does_not_vouch)
{
	struct relay_flow other;
	bool learned;

	/* Without a hint, it locks onto the NATed address at once. */
	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_RTCP, "10.1.1.10:1", 0);
	self->cfg.attrs &= ~(1U << RTPFWD_A_EXPECT);
	ASSERT_EQ(0, relay_flow_init(&other, &self->cfg, 0));
	EXPECT_EQ(RELAY_PASS, send_rtcp(&other, NULL, &self->nat, &learned));
	base(&self->cfg, "127.0.0.1:30001", RTPFWD_F_RTCP, "10.1.1.10:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtcp_flow, &self->cfg, 0));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtcp(&self->rtcp_flow, &other, &self->nat_rtcp,
						   &learned));
}

TEST_F(expect, expect_only_never_learns_another_address)
{
	int i;

	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_RTP | RTPFWD_F_EXPECT_ONLY, "192.0.2.1:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	for (i = 0; i < 20; i++)
		EXPECT_EQ(RTPFWD_DROP_SOURCE,
			  send_rtp(&self->rtp_flow, NULL, &self->attacker, self->buf, (uint16_t)(100 + i)));
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtp(&self->rtp_flow, NULL, &self->phone, self->buf, 3000));
	/* A hinted candidate from another port of the address (hint port any). */
	EXPECT_EQ(RTPFWD_DROP_PROBATION, send_rtp(&self->rtp_flow, NULL, &self->phone_rtcp, self->buf, 3001));
	EXPECT_EQ(RELAY_PASS, send_rtp(&self->rtp_flow, NULL, &self->phone_rtcp, self->buf, 3002));
	EXPECT_EQ(1U, self->rtp_flow.packets);
	expect_drops(_metadata, &self->rtp_flow, 20, 2);
	EXPECT_TRUE(endpoint_equal(&self->phone_rtcp, &self->rtp_flow.cfg.source));
}

TEST_F(expect, configurations_the_kernel_refuses)
{
	struct nl_flow set;

	base(&self->cfg, "127.0.0.1:30000", 0, "192.0.2.1:1", 0);
	self->cfg.policy = RTPFWD_POLICY_ANY;
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	base(&self->cfg, "127.0.0.1:30000", 0, "[2001:db8::1]:1", 0);
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	base(&self->cfg, "127.0.0.1:30000", 0, "0.0.0.0:1", 0);
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_EXPECT_ONLY, "192.0.2.1:1", 0);
	self->cfg.attrs &= ~(1U << RTPFWD_A_EXPECT);
	EXPECT_EQ(-EINVAL, relay_flow_init(&self->rtp_flow, &self->cfg, 0));

	/* FLOW_SET: POLICY without EXPECT restarts without the hint, refused with the flag. */
	base(&self->cfg, "127.0.0.1:30000", RTPFWD_F_EXPECT_ONLY, "192.0.2.1:1", 0);
	ASSERT_EQ(0, relay_flow_init(&self->rtp_flow, &self->cfg, 0));
	memset(&set, 0, sizeof(set));
	set.attrs = 1U << RTPFWD_A_POLICY;
	set.policy = RTPFWD_POLICY_LEARN;
	EXPECT_EQ(-EINVAL, relay_flow_set(&self->rtp_flow, &set));
	EXPECT_TRUE(nl_flow_has(&self->rtp_flow.cfg, RTPFWD_A_EXPECT));
	set.attrs |= 1U << RTPFWD_A_FLAGS;
	set.flags = 0;
	ASSERT_EQ(0, relay_flow_set(&self->rtp_flow, &set));
	EXPECT_FALSE(nl_flow_has(&self->rtp_flow.cfg, RTPFWD_A_EXPECT));
}

TEST_HARNESS_MAIN
