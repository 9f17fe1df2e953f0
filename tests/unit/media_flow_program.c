// SPDX-License-Identifier: GPL-2.0
/*
 * The flows a call's stream gets, exactly: four without rtcp-mux (RTP and
 * RTCP each way), two with it on both sides; learn sends no SOURCE, strict
 * sends the SDP one; a held side (c=0.0.0.0) gets no flow towards it; a
 * rejected stream none; a T.38 stream one plain flow each way; and the netlink encoding of one FLOW_NEW carries
 * exactly the attributes built. FLOW_SET diffs: hold/resume and a moved
 * side change only what moved.
 */
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"

#include "lib/nl.h"
#include "sipproxyd/media_flow.h"

#define COOKIE 0x1122334455667788ULL

static struct sdp_oa_stream side(const char *addr, uint16_t port, bool mux)
{
	struct sdp_oa_stream s = { .type = SDP_MEDIA_AUDIO, .proto = SDP_PROTO_RTP };

	s.addr.family = AF_INET;
	inet_pton(AF_INET, addr, &s.addr.v4);
	s.rtcp_addr = s.addr;
	s.port = port;
	s.rtcp_port = mux ? port : port + 1;
	s.rtcp_mux = mux;
	return s;
}

static void ep(struct endpoint *e, const char *text)
{
	endpoint_parse(e, text);
}

FIXTURE(flows)
{
	struct sdp_oa_stream caller, callee;
	struct media_flow_spec spec;
	struct media_flow_set set;
	struct endpoint e;
};

FIXTURE_SETUP(flows)
{
	self->caller = side("10.0.1.2", 6000, false);
	self->callee = side("10.0.2.2", 7000, false);
	memset(&self->spec, 0, sizeof(self->spec));
	self->spec.cookie = COOKIE;
	ep(&self->spec.relay[SDP_OA_CALLER], "10.0.1.1:30000");
	ep(&self->spec.relay[SDP_OA_CALLEE], "10.0.1.1:30002");
	self->spec.side[SDP_OA_CALLER] = &self->caller;
	self->spec.side[SDP_OA_CALLEE] = &self->callee;
	self->spec.policy = RTPFWD_POLICY_LEARN;
	self->spec.timeout_s = 60;
}

FIXTURE_TEARDOWN(flows)
{
}

#define ALL_BUT_SOURCE (1U << RTPFWD_A_COOKIE | 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT | \
			1U << RTPFWD_A_PEER | 1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_FLAGS | \
			1U << RTPFWD_A_TIMEOUT | 1U << RTPFWD_A_CLOCK_RATE)

static bool is(const struct endpoint *e, const char *text)
{
	struct endpoint want;

	return !endpoint_parse(&want, text) && endpoint_equal(e, &want);
}

TEST_F(flows, four_flows_without_mux_learn)
{
	const struct nl_flow *f;

	media_flow_build(&self->spec, &self->set);
	f = &self->set.flow[SDP_OA_CALLER][MEDIA_RTP];
	EXPECT_EQ(ALL_BUT_SOURCE | 1U << RTPFWD_A_EXPECT, f->attrs);
	/* The learn hint: the caller's SDP address, any port. */
	EXPECT_TRUE(is(&f->source, "10.0.1.2:6000"));
	EXPECT_EQ(0, f->expect.port);
	EXPECT_EQ(htonl(0x0a000102), f->expect.addr.v4.s_addr);
	EXPECT_EQ(COOKIE, f->cookie);
	EXPECT_TRUE(is(&f->local, "10.0.1.1:30000"));
	EXPECT_TRUE(is(&f->out, "10.0.1.1:30002"));
	EXPECT_TRUE(is(&f->peer, "10.0.2.2:7000"));
	EXPECT_EQ(RTPFWD_POLICY_LEARN, f->policy);
	EXPECT_EQ((uint32_t)RTPFWD_F_RTP, f->flags);
	EXPECT_EQ(60U, f->timeout);
	EXPECT_EQ(8000U, f->clock_rate);

	f = &self->set.flow[SDP_OA_CALLER][MEDIA_RTCP];
	EXPECT_EQ(ALL_BUT_SOURCE | 1U << RTPFWD_A_EXPECT, f->attrs);
	EXPECT_EQ(htonl(0x0a000102), f->expect.addr.v4.s_addr);
	EXPECT_EQ(0, f->expect.port);
	EXPECT_TRUE(is(&f->local, "10.0.1.1:30001"));
	EXPECT_TRUE(is(&f->out, "10.0.1.1:30003"));
	EXPECT_TRUE(is(&f->peer, "10.0.2.2:7001"));
	EXPECT_EQ((uint32_t)RTPFWD_F_RTCP, f->flags);

	f = &self->set.flow[SDP_OA_CALLEE][MEDIA_RTP];
	EXPECT_TRUE(is(&f->local, "10.0.1.1:30002"));
	EXPECT_TRUE(is(&f->out, "10.0.1.1:30000"));
	EXPECT_TRUE(is(&f->peer, "10.0.1.2:6000"));
	f = &self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP];
	EXPECT_TRUE(is(&f->local, "10.0.1.1:30003"));
	EXPECT_TRUE(is(&f->peer, "10.0.1.2:6001"));
}

TEST_F(flows, mux_on_both_sides_two_flows_strict_source)
{
	const struct nl_flow *f;

	self->caller = side("10.0.1.2", 6000, true);
	self->callee = side("10.0.2.2", 7000, true);
	self->spec.policy = RTPFWD_POLICY_STRICT;
	self->spec.clock_rate = 48000;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLER][MEDIA_RTCP].attrs);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP].attrs);
	f = &self->set.flow[SDP_OA_CALLER][MEDIA_RTP];
	EXPECT_EQ(ALL_BUT_SOURCE | 1U << RTPFWD_A_SOURCE, f->attrs);
	EXPECT_TRUE(is(&f->source, "10.0.1.2:6000"));
	EXPECT_EQ(48000U, f->clock_rate);
	f = &self->set.flow[SDP_OA_CALLEE][MEDIA_RTP];
	EXPECT_TRUE(is(&f->source, "10.0.2.2:7000"));
}

/* T.38 (UDPTL) is not RTP: the RTP checks would drop every packet. */
TEST_F(flows, udptl_plain_datagram_flows_without_rtcp)
{
	const struct nl_flow *f;
	int from;

	self->caller.type = self->callee.type = SDP_MEDIA_IMAGE;
	self->caller.proto = self->callee.proto = SDP_PROTO_UDPTL;
	media_flow_build(&self->spec, &self->set);
	for (from = 0; from < 2; from++) {
		f = &self->set.flow[from][MEDIA_RTP];
		EXPECT_EQ(ALL_BUT_SOURCE | 1U << RTPFWD_A_EXPECT, f->attrs);
		EXPECT_EQ(0U, f->flags);
		EXPECT_EQ(0U, self->set.flow[from][MEDIA_RTCP].attrs);
	}
	EXPECT_TRUE(is(&self->set.flow[SDP_OA_CALLER][MEDIA_RTP].peer, "10.0.2.2:7000"));
	EXPECT_TRUE(is(&self->set.flow[SDP_OA_CALLEE][MEDIA_RTP].peer, "10.0.1.2:6000"));
}

TEST_F(flows, mux_on_one_side_only_keeps_rtcp_flows)
{
	self->caller = side("10.0.1.2", 6000, true);
	media_flow_build(&self->spec, &self->set);
	EXPECT_NE(0U, self->set.flow[SDP_OA_CALLER][MEDIA_RTCP].attrs);
	/* The caller offered mux but the answer did not: it uses port + 1. */
	EXPECT_TRUE(is(&self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP].peer, "10.0.1.2:6001"));
}

TEST_F(flows, held_side_gets_nothing_towards_it)
{
	self->callee.addr.v4.s_addr = 0;
	self->callee.rtcp_addr.v4.s_addr = 0;
	self->callee.held = true;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLER][MEDIA_RTP].attrs);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLER][MEDIA_RTCP].attrs);
	EXPECT_EQ(ALL_BUT_SOURCE, self->set.flow[SDP_OA_CALLEE][MEDIA_RTP].attrs);
	/* strict cannot check a source it does not know: no flow either way */
	self->spec.policy = RTPFWD_POLICY_STRICT;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLEE][MEDIA_RTP].attrs);
}

/* source_policy = sdp-address: learn only at the SDP address, else no flow. */
TEST_F(flows, expect_only_needs_the_sdp_address)
{
	const struct nl_flow *f;

	self->spec.expect_only = true;
	media_flow_build(&self->spec, &self->set);
	f = &self->set.flow[SDP_OA_CALLER][MEDIA_RTCP];
	EXPECT_EQ(ALL_BUT_SOURCE | 1U << RTPFWD_A_EXPECT, f->attrs);
	EXPECT_EQ((uint32_t)(RTPFWD_F_RTCP | RTPFWD_F_EXPECT_ONLY), f->flags);
	EXPECT_EQ(RTPFWD_POLICY_LEARN, f->policy);
	self->callee.addr.v4.s_addr = 0;
	self->callee.rtcp_addr.v4.s_addr = 0;
	self->callee.held = true;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLEE][MEDIA_RTP].attrs);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP].attrs);
}

TEST_F(flows, rejected_or_other_family_none)
{
	self->callee.rejected = true;
	self->callee.port = 0;
	media_flow_build(&self->spec, &self->set);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0U, self->set.flow[i / 2][i % 2].attrs);
	self->callee = side("10.0.2.2", 7000, false);
	self->callee.addr.family = AF_INET6;
	self->callee.rtcp_addr.family = AF_INET6;
	memset(&self->callee.addr.v6, 0, 16);
	self->callee.addr.v6.s6_addr[15] = 1;
	self->callee.rtcp_addr = self->callee.addr;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, self->set.flow[SDP_OA_CALLER][MEDIA_RTP].attrs);
	EXPECT_EQ(ALL_BUT_SOURCE, self->set.flow[SDP_OA_CALLEE][MEDIA_RTP].attrs);
}

TEST_F(flows, netlink_encoding_round_trip)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nl_flow back;

	self->spec.policy = RTPFWD_POLICY_STRICT;
	media_flow_build(&self->spec, &self->set);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 30;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = RTPFWD_CMD_FLOW_NEW;
	nl_flow_put(nlh, &self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP]);
	memset(&back, 0, sizeof(back));
	ASSERT_EQ(0, nl_flow_parse(nlh, &back));
	EXPECT_EQ(self->set.flow[SDP_OA_CALLEE][MEDIA_RTCP].attrs, back.attrs);
	EXPECT_EQ(COOKIE, back.cookie);
	EXPECT_TRUE(is(&back.local, "10.0.1.1:30003"));
	EXPECT_TRUE(is(&back.out, "10.0.1.1:30001"));
	EXPECT_TRUE(is(&back.peer, "10.0.1.2:6001"));
	EXPECT_TRUE(is(&back.source, "10.0.2.2:7001"));
	EXPECT_EQ(RTPFWD_POLICY_STRICT, back.policy);
	EXPECT_EQ((uint32_t)RTPFWD_F_RTCP, back.flags);
}

TEST_F(flows, diff_hold_resume_and_move)
{
	struct media_flow_set before;
	const int c = SDP_OA_CALLER, e = SDP_OA_CALLEE;

	media_flow_build(&self->spec, &before);
	/* Same SDP again: nothing to set. */
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(0U, media_flow_diff(&before.flow[c][MEDIA_RTP], &self->set.flow[c][MEDIA_RTP]));
	/* The callee moves port: the flow to it changes PEER only; the flow
	 * from it restarts learning (POLICY resent). */
	self->callee.port = 7100;
	self->callee.rtcp_port = 7101;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(1U << RTPFWD_A_PEER,
		  media_flow_diff(&before.flow[c][MEDIA_RTP], &self->set.flow[c][MEDIA_RTP]));
	EXPECT_EQ(1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_EXPECT,
		  media_flow_diff(&before.flow[e][MEDIA_RTP], &self->set.flow[e][MEDIA_RTP]));
	/* strict: the moved source is sent along */
	self->spec.policy = RTPFWD_POLICY_STRICT;
	media_flow_build(&self->spec, &before);
	self->callee.port = 7200;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_SOURCE,
		  media_flow_diff(&before.flow[e][MEDIA_RTP], &self->set.flow[e][MEDIA_RTP]));
	/* A codec change to a 16 kHz clock. */
	self->spec.clock_rate = 16000;
	media_flow_build(&self->spec, &before);
	self->spec.clock_rate = 8000;
	media_flow_build(&self->spec, &self->set);
	EXPECT_EQ(1U << RTPFWD_A_CLOCK_RATE,
		  media_flow_diff(&before.flow[c][MEDIA_RTP], &self->set.flow[c][MEDIA_RTP]));
}

TEST_HARNESS_MAIN
