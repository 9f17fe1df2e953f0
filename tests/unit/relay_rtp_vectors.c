// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace relay's RTP classification and RFC 3550 statistics
 * against the vectors kmod/selftest/rtp.c checks the kernel with, so both
 * backends report the same loss and jitter.
 */
#include <uapi/linux/rtpfwd.h>

#include "kselftest_harness.h"

#include "sipproxyd/relay_rtp.h"

struct vec {
	uint16_t seq;
	uint32_t ts;
	uint32_t arrival;
};

static void feed(struct relay_rtp_stats *st, uint32_t ssrc, const struct vec *v,
		 unsigned int n)
{
	struct relay_rtp_hdr hdr = { .ssrc = ssrc };

	for (unsigned int i = 0; i < n; i++) {
		hdr.seq = v[i].seq;
		hdr.ts = v[i].ts;
		relay_rtp_update(st, &hdr, v[i].arrival);
	}
}

static const uint8_t rtp_pkt[12] = { 0x80, 0x88, 0x12, 0x34, 0, 0, 0x01, 0x40,
				     0xde, 0xad, 0xbe, 0xef };
static const uint8_t rtcp_rr[8] = { 0x80, 201, 0, 1, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t v1_pkt[12] = { 0x40, 0x00 };

static int classify(const uint8_t *buf, size_t len, uint32_t flags,
		    struct relay_rtp_hdr *hdr)
{
	return relay_rtp_classify(buf, len, flags, hdr);
}

TEST(classify_rtp_rtcp_garbage)
{
	struct relay_rtp_hdr hdr = { 0 };
	/* CSRC count 1: needs 16 bytes. */
	uint8_t csrc[15] = { 0x81, 0x00 };

	ASSERT_EQ(RELAY_RTP_DATA, classify(rtp_pkt, 12, RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(8, hdr.pt);
	EXPECT_EQ(0x1234, hdr.seq);
	EXPECT_EQ(0x140U, hdr.ts);
	EXPECT_EQ(0xdeadbeefU, hdr.ssrc);
	EXPECT_EQ(RELAY_RTP_CONTROL, classify(rtcp_rr, 8, RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(RELAY_RTP_MALFORMED, classify(rtcp_rr, 7, RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(RELAY_RTP_MALFORMED, classify(rtp_pkt, 11, RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(RELAY_RTP_MALFORMED, classify(v1_pkt, 12, RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(RELAY_RTP_CONTROL, classify(rtp_pkt, 12, RTPFWD_F_RTCP, &hdr));
	EXPECT_EQ(RELAY_RTP_MALFORMED, classify(csrc, sizeof(csrc), RTPFWD_F_RTP, &hdr));
	EXPECT_EQ(RELAY_RTP_MALFORMED, classify(rtp_pkt, 0, RTPFWD_F_RTP, &hdr));
}

TEST(payload_type_mask_and_arrival)
{
	uint8_t mask[16] = { [1] = 1 };	/* PT 8 only */

	EXPECT_TRUE(relay_rtp_pt_allowed(mask, 8));
	EXPECT_FALSE(relay_rtp_pt_allowed(mask, 0));
	EXPECT_FALSE(relay_rtp_pt_allowed(mask, 9));
	EXPECT_EQ(8000U, relay_rtp_arrival(1000000000ULL, 8000));
	EXPECT_EQ(1800U, relay_rtp_arrival(20000000ULL, 90000));
}

TEST(statistics_vectors)
{
	static const struct vec wrap[] = {
		{ 65534, 0, 1000 }, { 65535, 160, 1160 }, { 0, 320, 1320 }, { 1, 480, 1480 },
	};
	static const struct vec loss[] = {
		{ 100, 0, 0 }, { 101, 160, 160 }, { 104, 640, 640 },
		{ 103, 480, 480 }, { 106, 960, 960 },
	};
	static const struct vec jitter[] = {
		{ 1, 0, 0 }, { 2, 160, 160 }, { 3, 320, 352 }, { 4, 480, 480 }, { 5, 640, 640 },
	};
	static const struct vec restart[] = {
		{ 10, 0, 0 }, { 11, 160, 160 }, { 20000, 320, 320 },
		{ 20001, 480, 480 }, { 20002, 640, 640 },
	};
	struct relay_rtp_stats st = { 0 };

	feed(&st, 1, wrap, 4);
	EXPECT_EQ(65537U, relay_rtp_ext_seq(&st));
	EXPECT_EQ(4U, st.received);
	EXPECT_EQ(0, relay_rtp_lost(&st));
	EXPECT_EQ(0U, relay_rtp_jitter(&st));

	feed(&st, 2, loss, 5);
	EXPECT_EQ(2U, st.ssrc);
	EXPECT_EQ(100U, st.base_seq);
	EXPECT_EQ(106U, relay_rtp_ext_seq(&st));
	EXPECT_EQ(5U, st.received);
	EXPECT_EQ(2, relay_rtp_lost(&st));

	feed(&st, 3, jitter, 5);
	EXPECT_EQ(58U, st.jitter);
	EXPECT_EQ(3U, relay_rtp_jitter(&st));
	EXPECT_EQ(0, relay_rtp_lost(&st));

	feed(&st, 4, restart, 3);
	EXPECT_EQ(11U, relay_rtp_ext_seq(&st));
	EXPECT_EQ(2U, st.received);
	feed(&st, 4, restart + 3, 2);
	EXPECT_EQ(20001U, st.base_seq);
	EXPECT_EQ(20002U, relay_rtp_ext_seq(&st));
	EXPECT_EQ(2U, st.received);
	EXPECT_EQ(0, relay_rtp_lost(&st));
}

TEST(duplicate_makes_loss_negative)
{
	static const struct vec dup[] = { { 7, 0, 0 }, { 8, 160, 160 }, { 8, 160, 160 } };
	struct relay_rtp_stats st = { 0 };

	feed(&st, 9, dup, 3);
	EXPECT_EQ(-1, relay_rtp_lost(&st));
}

TEST_HARNESS_MAIN
