/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_RTP_H
#define _RTPFWD_RTP_H

#include <linux/types.h>

/* The fields of an RTP header the data path uses. */
struct rtpfwd_rtp_hdr {
	u32 ssrc;
	u32 ts;
	u16 seq;
	u8 pt;
};

/* What a UDP payload is, for a flow with RTPFWD_F_RTP or RTPFWD_F_RTCP. */
enum rtpfwd_rtp_kind {
	RTPFWD_RTP_DATA,
	RTPFWD_RTP_CONTROL,
	RTPFWD_RTP_MALFORMED,
};

/*
 * Receiver statistics of one SSRC, RFC 3550 A.1, A.3 and A.8, in 28 bytes:
 * sequence numbers are 16 bits, so are the wrap count (the extended
 * sequence is 32 bits and wraps with it) and A.1's bad_seq, whose "none"
 * (RTP_SEQ_MOD + 1 in A.1) is a state bit. The source policy keeps its
 * probation candidate's sequence here too, in what would be padding.
 */
struct rtpfwd_rtp_stats {
	u32 ssrc;
	u32 received;
	u32 transit;	/* last arrival - timestamp, RTP clock units */
	u32 jitter;	/* scaled by 16, as in A.8 */
	u16 max_seq;
	u16 base_seq;
	u16 cycles;	/* sequence wraps */
	u16 bad_seq;	/* sequence that confirms a restart, if RTPFWD_RTP_ST_BAD_SEQ */
	u16 cand_seq;	/* source policy: the candidate's last sequence */
	u8 state;	/* RTPFWD_RTP_ST_* */
};

#define RTPFWD_RTP_ST_ACTIVE	0x1	/* an SSRC has been seen */
#define RTPFWD_RTP_ST_BAD_SEQ	0x2	/* bad_seq holds a sequence */

static inline bool rtpfwd_rtp_active(const struct rtpfwd_rtp_stats *st)
{
	return st->state & RTPFWD_RTP_ST_ACTIVE;
}

/* Bytes of the UDP payload rtpfwd_rtp_classify() looks at. */
#define RTPFWD_RTP_HDR_LEN 12

enum rtpfwd_rtp_kind rtpfwd_rtp_classify(const u8 *buf, unsigned int len,
					 u32 flags, struct rtpfwd_rtp_hdr *hdr);
bool rtpfwd_rtp_pt_allowed(const u8 *pt_mask, u8 pt);
u32 rtpfwd_rtp_arrival(u64 now_ns, u32 clock_rate);
void rtpfwd_rtp_update(struct rtpfwd_rtp_stats *st,
		       const struct rtpfwd_rtp_hdr *hdr, u32 arrival);
u32 rtpfwd_rtp_ext_seq(const struct rtpfwd_rtp_stats *st);
s32 rtpfwd_rtp_lost(const struct rtpfwd_rtp_stats *st);
u32 rtpfwd_rtp_jitter(const struct rtpfwd_rtp_stats *st);

#ifdef DEBUG
bool rtpfwd_rtp_selftest(unsigned int *passed);
#endif

#endif /* _RTPFWD_RTP_H */
