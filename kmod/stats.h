/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_STATS_H
#define _RTPFWD_STATS_H

#include <linux/u64_stats_sync.h>
#include <uapi/linux/rtpfwd.h>

struct sk_buff;

/* Per-CPU counters of a flow; a netns has the same plus its own below. */
struct rtpfwd_counters {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t rtcp_packets;
	u64_stats_t rtcp_bytes;
	u64_stats_t drops[__RTPFWD_DROP_MAX];
	struct u64_stats_sync syncp;	/* also covers misses and copies */
};

struct rtpfwd_net_counters {
	struct rtpfwd_counters c;
	u64_stats_t misses;
	u64_stats_t copies;
};

/* Totals over all CPUs. */
struct rtpfwd_totals {
	u64 packets;
	u64 bytes;
	u64 rtcp_packets;
	u64 rtcp_bytes;
	u64 drops[__RTPFWD_DROP_MAX];
	u64 misses;
	u64 copies;
};

extern const char *const rtpfwd_drop_names[__RTPFWD_DROP_MAX];

struct rtpfwd_net_counters __percpu *rtpfwd_stats_net_alloc(void);
void rtpfwd_stats_forwarded(struct rtpfwd_counters __percpu *pcpu, bool rtcp,
			    unsigned int bytes);
void rtpfwd_stats_drop(struct rtpfwd_counters __percpu *pcpu, int reason);
void rtpfwd_stats_miss(struct rtpfwd_net_counters __percpu *pcpu);
void rtpfwd_stats_copy(struct rtpfwd_net_counters __percpu *pcpu);
void rtpfwd_stats_sum(const struct rtpfwd_counters __percpu *pcpu,
		      struct rtpfwd_totals *t);
void rtpfwd_stats_sum_net(const struct rtpfwd_net_counters __percpu *pcpu,
			  struct rtpfwd_totals *t);
int rtpfwd_stats_put(struct sk_buff *skb, const struct rtpfwd_totals *t);
u64 rtpfwd_stats_drops(const struct rtpfwd_totals *t);

#endif /* _RTPFWD_STATS_H */
