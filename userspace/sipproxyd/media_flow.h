/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flows one anchored stream needs, as pure data: what either backend
 * (rtpfwd.ko or the userspace relay) is told to install for a stream whose
 * offer/answer exchange completed.
 *
 * Flows are indexed [from][component]: the flow that takes packets sent by
 * side @from (SDP_OA_CALLER or SDP_OA_CALLEE) to the relay port facing it,
 * and sends them from the relay port facing the other side to that side's
 * SDP address. Component MEDIA_RTCP exists only without rtcp-mux.
 */
#ifndef SIPPROXYD_MEDIA_FLOW_H
#define SIPPROXYD_MEDIA_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/nl_flow.h"
#include "sdp_oa.h"

enum media_component {
	MEDIA_RTP,
	MEDIA_RTCP,
};

/* One anchored stream, both sides. */
struct media_flow_spec {
	uint64_t cookie;		/* the call's handle */
	struct endpoint relay[2];	/* [side]: relay RTP endpoint that side sends to */
	const struct sdp_oa_stream *side[2];	/* [side]: its negotiated stream */
	uint8_t policy;			/* RTPFWD_POLICY_LEARN or _STRICT */
	bool expect_only;		/* learn: never outside the SDP address */
	uint32_t timeout_s;		/* 0: never idle */
	uint32_t clock_rate;		/* of the negotiated codec; 0: the default */
};

/* Where a flow in a set is not wanted, its attrs are 0. */
struct media_flow_set {
	struct nl_flow flow[2][2];	/* [from side][component] */
};

void media_flow_build(const struct media_flow_spec *spec, struct media_flow_set *set);
uint32_t media_flow_diff(const struct nl_flow *old, const struct nl_flow *want);

#endif
