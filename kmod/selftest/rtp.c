// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the RTP classification and statistics with known vectors,
 * included by rtp.c under DEBUG and run at module load.
 */

struct rtp_vector {
	u16 seq;
	u32 ts;
	u32 arrival;
};

static void feed(struct rtpfwd_rtp_stats *st, u32 ssrc,
		 const struct rtp_vector *v, unsigned int n)
{
	struct rtpfwd_rtp_hdr hdr = { .ssrc = ssrc };
	unsigned int i;

	for (i = 0; i < n; i++) {
		hdr.seq = v[i].seq;
		hdr.ts = v[i].ts;
		rtpfwd_rtp_update(st, &hdr, v[i].arrival);
	}
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		pr_err("rtpfwd: selftest: rtp: %s failed\n", #cond);	\
		return false;						\
	}								\
	++*passed;							\
} while (0)

/**
 * rtpfwd_rtp_selftest - check RTP parsing and statistics
 * @passed: incremented for every passed check
 *
 * Context: module init.
 * Return: whether every check passed.
 */
bool rtpfwd_rtp_selftest(unsigned int *passed)
{
	/* 20 ms of 8 kHz audio per packet; sequence wraps after 65535. */
	static const struct rtp_vector wrap[] = {
		{ 65534, 0, 1000 }, { 65535, 160, 1160 },
		{ 0, 320, 1320 }, { 1, 480, 1480 },
	};
	/* 102 and 105 lost; 103 arrives after 104 (reordered, counted). */
	static const struct rtp_vector loss[] = {
		{ 100, 0, 0 }, { 101, 160, 160 }, { 104, 640, 640 },
		{ 103, 480, 480 }, { 106, 960, 960 },
	};
	/* |D| = 0, 32, 32, 0: J = 0, 32, 62, 58 (x16); reported 58 >> 4 = 3 */
	static const struct rtp_vector jitter[] = {
		{ 1, 0, 0 }, { 2, 160, 160 }, { 3, 320, 352 },
		{ 4, 480, 480 }, { 5, 640, 640 },
	};
	/* A jump beyond MAX_DROPOUT is ignored until the next confirms it. */
	static const struct rtp_vector restart[] = {
		{ 10, 0, 0 }, { 11, 160, 160 }, { 20000, 320, 320 },
		{ 20001, 480, 480 }, { 20002, 640, 640 },
	};
	static const u8 rtp_pkt[12] = { 0x80, 0x88, 0x12, 0x34, 0, 0, 0x01,
					0x40, 0xde, 0xad, 0xbe, 0xef };
	static const u8 rtcp_rr[8] = { 0x80, 201, 0, 1, 0xde, 0xad, 0xbe, 0xef };
	static const u8 v1_pkt[12] = { 0x40, 0x00 };
	u8 pt_mask[16] = { [1] = BIT(0) };	/* PT 8 only */
	struct rtpfwd_rtp_stats st = {};
	struct rtpfwd_rtp_hdr hdr;

	CHECK(rtpfwd_rtp_classify(rtp_pkt, 12, RTPFWD_F_RTP, &hdr) ==
	      RTPFWD_RTP_DATA && hdr.pt == 8 && hdr.seq == 0x1234 &&
	      hdr.ts == 0x140 && hdr.ssrc == 0xdeadbeef);
	CHECK(rtpfwd_rtp_classify(rtcp_rr, 8, RTPFWD_F_RTP, &hdr) ==
	      RTPFWD_RTP_CONTROL);
	CHECK(rtpfwd_rtp_classify(rtcp_rr, 7, RTPFWD_F_RTP, &hdr) ==
	      RTPFWD_RTP_MALFORMED);
	CHECK(rtpfwd_rtp_classify(rtp_pkt, 11, RTPFWD_F_RTP, &hdr) ==
	      RTPFWD_RTP_MALFORMED);
	CHECK(rtpfwd_rtp_classify(v1_pkt, 12, RTPFWD_F_RTP, &hdr) ==
	      RTPFWD_RTP_MALFORMED);
	CHECK(rtpfwd_rtp_classify(rtp_pkt, 12, RTPFWD_F_RTCP, &hdr) ==
	      RTPFWD_RTP_CONTROL);
	CHECK(rtpfwd_rtp_pt_allowed(pt_mask, 8) &&
	      !rtpfwd_rtp_pt_allowed(pt_mask, 0) &&
	      !rtpfwd_rtp_pt_allowed(pt_mask, 9));
	CHECK(rtpfwd_rtp_arrival(NSEC_PER_SEC, 8000) == 8000);
	CHECK(rtpfwd_rtp_arrival(20 * NSEC_PER_MSEC, 90000) == 1800);
	/* floor() across the second, and modulo 2^32 of the exact product. */
	CHECK(rtpfwd_rtp_arrival(4 * NSEC_PER_SEC - 1, 8000) == 31999);
	CHECK(rtpfwd_rtp_arrival(S64_MAX, 48000) == 923864645);

	feed(&st, 1, wrap, ARRAY_SIZE(wrap));
	CHECK(rtpfwd_rtp_ext_seq(&st) == 65537);
	CHECK(st.received == 4 && rtpfwd_rtp_lost(&st) == 0);
	CHECK(rtpfwd_rtp_jitter(&st) == 0);

	feed(&st, 2, loss, ARRAY_SIZE(loss));
	CHECK(st.ssrc == 2 && st.base_seq == 100);
	CHECK(rtpfwd_rtp_ext_seq(&st) == 106);
	CHECK(st.received == 5 && rtpfwd_rtp_lost(&st) == 2);

	feed(&st, 3, jitter, ARRAY_SIZE(jitter));
	CHECK(st.jitter == 58 && rtpfwd_rtp_jitter(&st) == 3);
	CHECK(rtpfwd_rtp_lost(&st) == 0);

	feed(&st, 4, restart, 3);
	CHECK(rtpfwd_rtp_ext_seq(&st) == 11 && st.received == 2);
	feed(&st, 4, restart + 3, 2);
	CHECK(st.base_seq == 20001 && rtpfwd_rtp_ext_seq(&st) == 20002);
	CHECK(st.received == 2 && rtpfwd_rtp_lost(&st) == 0);
	return true;
}
#undef CHECK
