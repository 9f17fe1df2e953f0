/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One flow of the userspace relay, as pure state: its configuration (the
 * struct nl_flow a kernel flow would get), the source policy that decides
 * each packet (kmod/policy.c's semantics: RFC 3550 probation for learn,
 * then strict), the counters and idleness. relay.c does the sockets.
 */
#ifndef SIPPROXYD_RELAY_FLOW_H
#define SIPPROXYD_RELAY_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/nl_flow.h"
#include "relay_rtp.h"

/* relay_flow_judge() returns this or an enum rtpfwd_drop. */
#define RELAY_PASS (-1)

enum relay_src_state {
	RELAY_SRC_NONE,
	RELAY_SRC_CANDIDATE,	/* learn: one packet seen from source */
	RELAY_SRC_LOCKED,	/* learn: source passed probation */
};

struct relay_flow {
	struct nl_flow cfg;	/* id, cookie, endpoints, policy, flags, ...; EXPECT while held */
	bool pt_filter;
	enum relay_src_state src_state;
	uint16_t cand_seq;
	struct relay_rtp_stats rtp;
	uint64_t packets, bytes, rtcp_packets, rtcp_bytes;
	uint64_t drops[__RTPFWD_DROP_MAX];
	bool forwarded;			/* first_ms and last_ms are set */
	uint64_t first_ms, last_ms;	/* of forwarded packets */
	uint64_t quiet_since_ms;	/* last packet, creation or idle report */
	bool idle_reported;
};

int relay_flow_init(struct relay_flow *f, const struct nl_flow *cfg, uint64_t now_ms);
int relay_flow_set(struct relay_flow *f, const struct nl_flow *cfg);
bool relay_flow_wants_sibling(const struct relay_flow *f);
int relay_flow_judge(struct relay_flow *f, const struct relay_flow *sibling,
		     const struct endpoint *src, const uint8_t *buf, size_t len,
		     uint64_t arrival_ns, bool *learned, bool *rtcp);
void relay_flow_count(struct relay_flow *f, int verdict, size_t len, bool rtcp,
		      uint64_t now_ms);
bool relay_flow_idle(struct relay_flow *f, uint64_t now_ms);
void relay_flow_report(const struct relay_flow *f, uint64_t now_ms,
		       struct nl_flow *out);

#endif
