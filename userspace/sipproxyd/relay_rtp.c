// SPDX-License-Identifier: GPL-2.0
/*
 * RTP and RTCP told apart (RFC 5761 section 4) and the receiver
 * statistics of RFC 3550 appendix A, as kmod/rtp.c computes them.
 */
#include <uapi/linux/rtpfwd.h>

#include "relay_rtp.h"

#define RTP_VERSION	2
#define RTP_HDR_LEN	12
#define RTP_SEQ_MOD	(1U << 16)
#define MAX_DROPOUT	3000
#define MAX_MISORDER	100
#define RTCP_MIN_LEN	8
#define RTCP_PT_FIRST	192
#define RTCP_PT_LAST	223

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/**
 * relay_rtp_classify() - tell RTP, RTCP and garbage apart
 * @buf: the UDP payload
 * @len: its length
 * @flags: the flow's RTPFWD_F_RTP or RTPFWD_F_RTCP
 * @hdr: filled for RELAY_RTP_DATA
 *
 * Return: the packet's kind: version 2 needed; RTCP (every packet with
 * RTPFWD_F_RTCP, else a second byte of 192..223) needs 8 bytes, RTP its
 * fixed header and CSRC list.
 */
enum relay_rtp_kind relay_rtp_classify(const uint8_t *buf, size_t len,
				       uint32_t flags, struct relay_rtp_hdr *hdr)
{
	bool rtcp;

	if (len < 2 || buf[0] >> 6 != RTP_VERSION)
		return RELAY_RTP_MALFORMED;
	rtcp = (flags & RTPFWD_F_RTCP) ||
	       (buf[1] >= RTCP_PT_FIRST && buf[1] <= RTCP_PT_LAST);
	if (rtcp)
		return len < RTCP_MIN_LEN ? RELAY_RTP_MALFORMED : RELAY_RTP_CONTROL;
	if (len < RTP_HDR_LEN + 4U * (buf[0] & 0x0f))
		return RELAY_RTP_MALFORMED;
	hdr->pt = buf[1] & 0x7f;
	hdr->seq = be16(buf + 2);
	hdr->ts = be32(buf + 4);
	hdr->ssrc = be32(buf + 8);
	return RELAY_RTP_DATA;
}

/* @pt_mask: 16 bytes, bit N % 8 of byte N / 8 allows payload type N. */
bool relay_rtp_pt_allowed(const uint8_t *pt_mask, uint8_t pt)
{
	return pt_mask[pt / 8] & (1U << (pt % 8));
}

/* Monotonic nanoseconds in RTP clock units, modulo 2^32 (A.8 uses differences). */
uint32_t relay_rtp_arrival(uint64_t now_ns, uint32_t clock_rate)
{
	return (uint32_t)((unsigned __int128)now_ns * clock_rate / 1000000000U);
}

static void start(struct relay_rtp_stats *st, const struct relay_rtp_hdr *hdr,
		  uint32_t arrival)
{
	st->ssrc = hdr->ssrc;
	st->base_seq = hdr->seq;
	st->max_seq = hdr->seq;
	st->bad_seq = RTP_SEQ_MOD + 1;
	st->cycles = 0;
	st->received = 1;
	st->transit = arrival - hdr->ts;
	st->jitter = 0;
	st->active = true;
}

static void update_jitter(struct relay_rtp_stats *st, uint32_t transit)
{
	int32_t d = (int32_t)(transit - st->transit);

	st->transit = transit;
	if (d < 0)
		d = -d;
	st->jitter += (uint32_t)d - ((st->jitter + 8) >> 4);
}

/**
 * relay_rtp_update() - account a forwarded RTP packet
 * @st: the flow's statistics
 * @hdr: the packet's header
 * @arrival: relay_rtp_arrival() of its arrival
 *
 * A new SSRC restarts the statistics; otherwise A.1's update_seq()
 * without probation (the source policy does that): a jump beyond
 * MAX_DROPOUT is ignored unless the next packet confirms it.
 */
void relay_rtp_update(struct relay_rtp_stats *st, const struct relay_rtp_hdr *hdr,
		      uint32_t arrival)
{
	uint16_t udelta = (uint16_t)(hdr->seq - st->max_seq);

	if (!st->active || hdr->ssrc != st->ssrc) {
		start(st, hdr, arrival);
		return;
	}
	if (udelta < MAX_DROPOUT) {
		if (hdr->seq < st->max_seq)
			st->cycles += RTP_SEQ_MOD;
		st->max_seq = hdr->seq;
	} else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
		if (hdr->seq != st->bad_seq) {
			st->bad_seq = (hdr->seq + 1U) & (RTP_SEQ_MOD - 1);
			return;
		}
		/* Two sequential packets after a jump: the sender restarted. */
		start(st, hdr, arrival);
		return;
	}
	st->received++;
	update_jitter(st, arrival - hdr->ts);
}

uint32_t relay_rtp_ext_seq(const struct relay_rtp_stats *st)
{
	return st->cycles + st->max_seq;
}

/* Cumulative packets lost (A.3); duplicates make it negative. */
int32_t relay_rtp_lost(const struct relay_rtp_stats *st)
{
	int64_t lost = (int64_t)relay_rtp_ext_seq(st) - st->base_seq + 1 - st->received;

	if (lost > INT32_MAX)
		return INT32_MAX;
	if (lost < INT32_MIN)
		return INT32_MIN;
	return (int32_t)lost;
}

uint32_t relay_rtp_jitter(const struct relay_rtp_stats *st)
{
	return st->jitter >> 4;
}
