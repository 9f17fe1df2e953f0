/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP/RTCP classification and RFC 3550 receiver statistics for the
 * userspace relay: the semantics of kmod/rtp.c, tested against its
 * self-test vectors, so both backends count alike.
 */
#ifndef SIPPROXYD_RELAY_RTP_H
#define SIPPROXYD_RELAY_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct relay_rtp_hdr {
	uint32_t ssrc;
	uint32_t ts;
	uint16_t seq;
	uint8_t pt;
};

enum relay_rtp_kind {
	RELAY_RTP_DATA,
	RELAY_RTP_CONTROL,
	RELAY_RTP_MALFORMED,
};

/* Receiver statistics of one SSRC, RFC 3550 A.1, A.3 and A.8. */
struct relay_rtp_stats {
	uint32_t ssrc;
	uint32_t cycles;	/* sequence wraps, shifted left by 16 */
	uint32_t base_seq;
	uint32_t bad_seq;	/* sequence that confirms a restart; > 0xffff: none */
	uint32_t received;
	uint32_t transit;
	uint32_t jitter;	/* scaled by 16 */
	uint16_t max_seq;
	bool active;
};

enum relay_rtp_kind relay_rtp_classify(const uint8_t *buf, size_t len,
				       uint32_t flags, struct relay_rtp_hdr *hdr);
bool relay_rtp_pt_allowed(const uint8_t *pt_mask, uint8_t pt);
uint32_t relay_rtp_arrival(uint64_t now_ns, uint32_t clock_rate);
void relay_rtp_update(struct relay_rtp_stats *st, const struct relay_rtp_hdr *hdr,
		      uint32_t arrival);
uint32_t relay_rtp_ext_seq(const struct relay_rtp_stats *st);
int32_t relay_rtp_lost(const struct relay_rtp_stats *st);
uint32_t relay_rtp_jitter(const struct relay_rtp_stats *st);

#endif
