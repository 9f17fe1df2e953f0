// SPDX-License-Identifier: GPL-2.0
/*
 * Per-leg media statistics when a leg ends (the call ends, or its branch
 * fails or loses after early media): what each side sent into the relay,
 * summed over the flows the leg had (a re-INVITE may have replaced some),
 * from the kernel's or the userspace relay's counters.
 */
#include <inttypes.h>

#include "lib/log.h"
#include "media_priv.h"

static uint64_t v(const struct nl_flow *f, int counter)
{
	return nl_stats_has(&f->stats, counter) ? f->stats.v[counter] : 0;
}

/* Adds flow @f's counters to @t; loss adds up, jitter is the latest. */
void media_totals_add(struct media_totals *t, const struct nl_flow *f)
{
	int i;

	t->packets += v(f, RTPFWD_STATS_PACKETS);
	t->bytes += v(f, RTPFWD_STATS_BYTES);
	t->rtcp_packets += v(f, RTPFWD_STATS_RTCP_PACKETS);
	t->rtcp_bytes += v(f, RTPFWD_STATS_RTCP_BYTES);
	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		t->drops[i] += v(f, RTPFWD_STATS_DROP_SOURCE + i);
	if (nl_stats_has(&f->stats, RTPFWD_STATS_LOST)) {
		t->lost += (int64_t)f->stats.v[RTPFWD_STATS_LOST];
		t->jitter = (uint32_t)v(f, RTPFWD_STATS_JITTER);
		t->rtp_seen = true;
	}
}

/**
 * media_log_leg() - the line for one leg of one stream
 * @call: the call
 * @branch: the leg's branch (media_sdp()'s id)
 * @i: the stream
 * @from: the leg, by the side that sends into it
 * @t: its flows' counters, all already retired
 * @end: why the leg ends: the call's reason ("bye", "cancel", "failed",
 *       "media timeout"...), "failed" for a branch that failed before the
 *       call ended, "lost" for one another branch's 2xx beat
 *
 * "media: leg caller stream 0: packets=N bytes=N rtcp_packets=N
 * rtcp_bytes=N lost=N jitter=N drops=N (source=N probation=N
 * payload_type=N malformed=N no_route=N nomem=N xmit=N) branch=N
 * end=REASON"; lost and jitter read "-" when no RTP was forwarded.
 * Fields are only ever added at the end (parsers match the prefix);
 * REASON is last as it may hold spaces.
 */
void media_log_leg(const struct media_call *call, uint32_t branch, unsigned int i, int from,
		   const struct media_totals *t, const char *end)
{
	char lost[24] = "-", jitter[16] = "-";
	uint64_t drops = 0;
	int d;

	for (d = 0; d < __RTPFWD_DROP_MAX; d++)
		drops += t->drops[d];
	if (t->rtp_seen) {
		snprintf(lost, sizeof(lost), "%" PRId64, t->lost);
		snprintf(jitter, sizeof(jitter), "%" PRIu32, t->jitter);
	}
	log_msg(LOG_LEVEL_INFO, call->call_id,
		"media: leg %s stream %u: packets=%" PRIu64 " bytes=%" PRIu64
		" rtcp_packets=%" PRIu64 " rtcp_bytes=%" PRIu64 " lost=%s jitter=%s"
		" drops=%" PRIu64 " (source=%" PRIu64 " probation=%" PRIu64
		" payload_type=%" PRIu64 " malformed=%" PRIu64 " no_route=%" PRIu64
		" nomem=%" PRIu64 " xmit=%" PRIu64 ") branch=%" PRIu32 " end=%s",
		media_side_name(from), i, t->packets, t->bytes, t->rtcp_packets,
		t->rtcp_bytes, lost, jitter, drops, t->drops[RTPFWD_DROP_SOURCE],
		t->drops[RTPFWD_DROP_PROBATION], t->drops[RTPFWD_DROP_PAYLOAD_TYPE],
		t->drops[RTPFWD_DROP_MALFORMED], t->drops[RTPFWD_DROP_NO_ROUTE],
		t->drops[RTPFWD_DROP_NOMEM], t->drops[RTPFWD_DROP_XMIT], branch, end);
}
