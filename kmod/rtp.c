// SPDX-License-Identifier: GPL-2.0
/*
 * RTP and RTCP awareness: telling them apart (RFC 5761 section 4), the
 * payload-type filter, and the receiver statistics of RFC 3550 appendix A
 * (A.1 sequence tracking, A.3 loss, A.8 jitter).
 */
#include <linux/time64.h>

#include "compat.h"
#include "rtp.h"
#include <uapi/linux/rtpfwd.h>

#define RTP_VERSION	2
#define RTP_SEQ_MOD	(1U << 16)
#define MAX_DROPOUT	3000
#define MAX_MISORDER	100
#define RTCP_MIN_LEN	8	/* an RR without report blocks */
#define RTCP_PT_FIRST	192	/* RFC 5761: RTCP packet types 192..223 */
#define RTCP_PT_LAST	223

/**
 * rtpfwd_rtp_classify - tell RTP, RTCP and garbage apart
 * @buf: the first bytes of the UDP payload, min(@len, RTPFWD_RTP_HDR_LEN)
 * @len: the UDP payload length
 * @flags: the flow's RTPFWD_F_* flags (RTP or RTCP set)
 * @hdr: filled in for RTPFWD_RTP_DATA
 *
 * With RTPFWD_F_RTCP every packet must be RTCP; with RTPFWD_F_RTP the second
 * byte decides (RFC 5761 section 4). Both need version 2; RTP needs its
 * fixed header and CSRC list, RTCP its 8-byte minimum.
 *
 * Context: any.
 * Return: the packet's kind.
 */
enum rtpfwd_rtp_kind rtpfwd_rtp_classify(const u8 *buf, unsigned int len,
					 u32 flags, struct rtpfwd_rtp_hdr *hdr)
{
	bool rtcp;

	if (len < 2 || buf[0] >> 6 != RTP_VERSION)
		return RTPFWD_RTP_MALFORMED;
	rtcp = (flags & RTPFWD_F_RTCP) ||
	       (buf[1] >= RTCP_PT_FIRST && buf[1] <= RTCP_PT_LAST);
	if (rtcp)
		return len < RTCP_MIN_LEN ? RTPFWD_RTP_MALFORMED :
					    RTPFWD_RTP_CONTROL;
	if (len < RTPFWD_RTP_HDR_LEN + 4 * (buf[0] & 0x0f))
		return RTPFWD_RTP_MALFORMED;
	hdr->pt = buf[1] & 0x7f;
	hdr->seq = get_unaligned_be16(buf + 2);
	hdr->ts = get_unaligned_be32(buf + 4);
	hdr->ssrc = get_unaligned_be32(buf + 8);
	return RTPFWD_RTP_DATA;
}

/**
 * rtpfwd_rtp_pt_allowed - check a payload type against a flow's allow-list
 * @pt_mask: 16 bytes, bit N%8 of byte N/8 allows payload type N; NULL
 *	allows every type
 * @pt: the payload type, 0..127
 *
 * Return: whether @pt is allowed.
 */
bool rtpfwd_rtp_pt_allowed(const u8 *pt_mask, u8 pt)
{
	return !pt_mask || pt_mask[pt / 8] & BIT(pt % 8);
}

/**
 * rtpfwd_rtp_arrival - convert a clock reading to RTP timestamp units
 * @now_ns: monotonic nanoseconds
 * @clock_rate: the RTP clock in Hz
 *
 * Only differences of arrivals matter (A.8), so the value may wrap.
 *
 * Return: @now_ns in units of 1/@clock_rate seconds, modulo 2^32.
 */
u32 rtpfwd_rtp_arrival(u64 now_ns, u32 clock_rate)
{
	/*
	 * floor(now_ns * clock_rate / 10^9) in whole seconds plus the rest:
	 * the same value as a 128-bit multiply and divide, but the divisions
	 * are by a constant (multiplications) and rem * clock_rate < 2^62.
	 * Every RTP packet pays this; a divq costs tens of cycles.
	 */
	u64 sec = now_ns / NSEC_PER_SEC;
	u64 rem = now_ns - sec * NSEC_PER_SEC;

	return (u32)(sec * clock_rate + rem * clock_rate / NSEC_PER_SEC);
}

static void start(struct rtpfwd_rtp_stats *st, const struct rtpfwd_rtp_hdr *hdr,
		  u32 arrival)
{
	st->ssrc = hdr->ssrc;
	st->base_seq = hdr->seq;
	st->max_seq = hdr->seq;
	st->cycles = 0;
	st->received = 1;
	st->transit = arrival - hdr->ts;
	st->jitter = 0;
	st->state = RTPFWD_RTP_ST_ACTIVE;	/* and no bad_seq */
}

static void update_jitter(struct rtpfwd_rtp_stats *st, u32 transit)
{
	s32 d = transit - st->transit;

	st->transit = transit;
	if (d < 0)
		d = -d;
	st->jitter += d - ((st->jitter + 8) >> 4);
}

/**
 * rtpfwd_rtp_update - account an RTP packet in a flow's statistics
 * @st: the statistics
 * @hdr: the packet's header
 * @arrival: rtpfwd_rtp_arrival() of its arrival
 *
 * A new SSRC restarts the statistics. Otherwise this is A.1's update_seq()
 * without probation (the source policy does that): a jump of more than
 * MAX_DROPOUT is ignored unless the next packet confirms it, which restarts
 * the sequence. Jitter follows A.8 for every counted packet.
 *
 * Context: the flow's lock held (read_seqlock_excl).
 */
void rtpfwd_rtp_update(struct rtpfwd_rtp_stats *st,
		       const struct rtpfwd_rtp_hdr *hdr, u32 arrival)
{
	u16 udelta = hdr->seq - st->max_seq;

	if (!rtpfwd_rtp_active(st) || hdr->ssrc != st->ssrc) {
		start(st, hdr, arrival);
		return;
	}
	if (udelta < MAX_DROPOUT) {
		if (hdr->seq < st->max_seq)
			st->cycles++;
		st->max_seq = hdr->seq;
	} else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
		if (!(st->state & RTPFWD_RTP_ST_BAD_SEQ) ||
		    hdr->seq != st->bad_seq) {
			st->bad_seq = hdr->seq + 1;	/* modulo RTP_SEQ_MOD */
			st->state |= RTPFWD_RTP_ST_BAD_SEQ;
			return;
		}
		/* Two sequential packets after a jump: the sender restarted. */
		start(st, hdr, arrival);
		return;
	}
	/* else a duplicate or reordered packet: counted, max_seq kept */
	st->received++;
	update_jitter(st, arrival - hdr->ts);
}

/**
 * rtpfwd_rtp_ext_seq - extended highest sequence number received
 * @st: the statistics
 *
 * Return: cycles * 2^16 + max_seq, modulo 2^32.
 */
u32 rtpfwd_rtp_ext_seq(const struct rtpfwd_rtp_stats *st)
{
	return (u32)st->cycles << 16 | st->max_seq;
}

/**
 * rtpfwd_rtp_lost - cumulative number of packets lost (A.3)
 * @st: the statistics
 *
 * Duplicates make it negative, as RFC 3550 allows.
 *
 * Return: expected - received, clamped to s32.
 */
s32 rtpfwd_rtp_lost(const struct rtpfwd_rtp_stats *st)
{
	s64 expected = (s64)rtpfwd_rtp_ext_seq(st) - st->base_seq + 1;

	return clamp_t(s64, expected - st->received, S32_MIN, S32_MAX);
}

/**
 * rtpfwd_rtp_jitter - interarrival jitter (A.8)
 * @st: the statistics
 *
 * Return: the jitter estimate in RTP clock units.
 */
u32 rtpfwd_rtp_jitter(const struct rtpfwd_rtp_stats *st)
{
	return st->jitter >> 4;
}

#ifdef DEBUG
#include "selftest/rtp.c"
#endif
