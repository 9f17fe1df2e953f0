// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU packet counters of flows and netns, and their totals. Writers are
 * the data path (softirq); readers sum all CPUs under the u64_stats retry.
 */
#include <linux/percpu.h>
#include <net/netlink.h>

#include "stats.h"

/* The names /proc/net/rtpfwd/stats prints after "drop_"; API. */
const char *const rtpfwd_drop_names[__RTPFWD_DROP_MAX] = {
	[RTPFWD_DROP_SOURCE] = "source",
	[RTPFWD_DROP_PROBATION] = "probation",
	[RTPFWD_DROP_PAYLOAD_TYPE] = "payload_type",
	[RTPFWD_DROP_MALFORMED] = "malformed",
	[RTPFWD_DROP_NO_ROUTE] = "no_route",
	[RTPFWD_DROP_NOMEM] = "nomem",
	[RTPFWD_DROP_XMIT] = "xmit",
};

/**
 * rtpfwd_stats_net_alloc - allocate a netns' counters
 *
 * Context: process.
 * Return: the zeroed counters or NULL.
 */
struct rtpfwd_net_counters __percpu *rtpfwd_stats_net_alloc(void)
{
	struct rtpfwd_net_counters __percpu *pcpu;
	int cpu;

	pcpu = alloc_percpu(struct rtpfwd_net_counters);
	if (pcpu)
		for_each_possible_cpu(cpu)
			u64_stats_init(&per_cpu_ptr(pcpu, cpu)->c.syncp);
	return pcpu;
}

/**
 * rtpfwd_stats_forwarded - count a forwarded packet
 * @pcpu: the flow's or the netns' counters
 * @rtcp: count it as RTCP
 * @bytes: its UDP payload length
 *
 * Context: softirq (the netfilter hook).
 */
void rtpfwd_stats_forwarded(struct rtpfwd_counters __percpu *pcpu, bool rtcp,
			    unsigned int bytes)
{
	struct rtpfwd_counters *c = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&c->syncp);
	if (rtcp) {
		u64_stats_inc(&c->rtcp_packets);
		u64_stats_add(&c->rtcp_bytes, bytes);
	} else {
		u64_stats_inc(&c->packets);
		u64_stats_add(&c->bytes, bytes);
	}
	u64_stats_update_end(&c->syncp);
}

/**
 * rtpfwd_stats_drop - count a dropped packet
 * @pcpu: the flow's or the netns' counters
 * @reason: enum rtpfwd_drop
 *
 * Context: softirq (the netfilter hook).
 */
void rtpfwd_stats_drop(struct rtpfwd_counters __percpu *pcpu, int reason)
{
	struct rtpfwd_counters *c = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->drops[reason]);
	u64_stats_update_end(&c->syncp);
}

/**
 * rtpfwd_stats_miss - count a UDP packet that matched no flow
 * @pcpu: the netns' counters
 *
 * Context: softirq (the netfilter hook).
 */
void rtpfwd_stats_miss(struct rtpfwd_net_counters __percpu *pcpu)
{
	struct rtpfwd_net_counters *n = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&n->c.syncp);
	u64_stats_inc(&n->misses);
	u64_stats_update_end(&n->c.syncp);
}

/**
 * rtpfwd_stats_copy - count a packet whose headers had to be copied
 * @pcpu: the netns' counters
 *
 * Context: softirq (the netfilter hook).
 */
void rtpfwd_stats_copy(struct rtpfwd_net_counters __percpu *pcpu)
{
	struct rtpfwd_net_counters *n = this_cpu_ptr(pcpu);

	u64_stats_update_begin(&n->c.syncp);
	u64_stats_inc(&n->copies);
	u64_stats_update_end(&n->c.syncp);
}

static void add_counters(const struct rtpfwd_counters *c,
			 struct rtpfwd_totals *t)
{
	u64 drops[__RTPFWD_DROP_MAX];
	u64 packets, bytes, rtcp_packets, rtcp_bytes;
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&c->syncp);
		packets = u64_stats_read(&c->packets);
		bytes = u64_stats_read(&c->bytes);
		rtcp_packets = u64_stats_read(&c->rtcp_packets);
		rtcp_bytes = u64_stats_read(&c->rtcp_bytes);
		for (i = 0; i < __RTPFWD_DROP_MAX; i++)
			drops[i] = u64_stats_read(&c->drops[i]);
	} while (u64_stats_fetch_retry(&c->syncp, start));

	t->packets += packets;
	t->bytes += bytes;
	t->rtcp_packets += rtcp_packets;
	t->rtcp_bytes += rtcp_bytes;
	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		t->drops[i] += drops[i];
}

/**
 * rtpfwd_stats_sum - total a flow's counters over all CPUs
 * @pcpu: the flow's counters
 * @t: zeroed here, then filled
 *
 * Context: any.
 */
void rtpfwd_stats_sum(const struct rtpfwd_counters __percpu *pcpu,
		      struct rtpfwd_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu)
		add_counters(per_cpu_ptr(pcpu, cpu), t);
}

/**
 * rtpfwd_stats_sum_net - total a netns' counters over all CPUs
 * @pcpu: the netns' counters
 * @t: zeroed here, then filled
 *
 * Context: any.
 */
void rtpfwd_stats_sum_net(const struct rtpfwd_net_counters __percpu *pcpu,
			  struct rtpfwd_totals *t)
{
	const struct rtpfwd_net_counters *n;
	unsigned int start;
	u64 misses, copies;
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		n = per_cpu_ptr(pcpu, cpu);
		add_counters(&n->c, t);
		do {
			start = u64_stats_fetch_begin(&n->c.syncp);
			misses = u64_stats_read(&n->misses);
			copies = u64_stats_read(&n->copies);
		} while (u64_stats_fetch_retry(&n->c.syncp, start));
		t->misses += misses;
		t->copies += copies;
	}
}

/**
 * rtpfwd_stats_drops - all drops of a total, whatever the reason
 * @t: the totals
 *
 * Return: the sum of t->drops.
 */
u64 rtpfwd_stats_drops(const struct rtpfwd_totals *t)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		sum += t->drops[i];
	return sum;
}

/**
 * rtpfwd_stats_put - put the counters both flows and netns have
 * @skb: the message, inside an RTPFWD_A_STATS nest
 * @t: the totals
 *
 * Return: 0, or -EMSGSIZE.
 */
int rtpfwd_stats_put(struct sk_buff *skb, const struct rtpfwd_totals *t)
{
	int i;

	if (nla_put_u64_64bit(skb, RTPFWD_STATS_PACKETS, t->packets,
			      RTPFWD_STATS_PAD) ||
	    nla_put_u64_64bit(skb, RTPFWD_STATS_BYTES, t->bytes,
			      RTPFWD_STATS_PAD) ||
	    nla_put_u64_64bit(skb, RTPFWD_STATS_RTCP_PACKETS, t->rtcp_packets,
			      RTPFWD_STATS_PAD) ||
	    nla_put_u64_64bit(skb, RTPFWD_STATS_RTCP_BYTES, t->rtcp_bytes,
			      RTPFWD_STATS_PAD))
		return -EMSGSIZE;
	/* The drop attributes follow enum rtpfwd_drop in order. */
	BUILD_BUG_ON(RTPFWD_STATS_DROP_XMIT - RTPFWD_STATS_DROP_SOURCE !=
		     __RTPFWD_DROP_MAX - 1);
	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, RTPFWD_STATS_DROP_SOURCE + i,
				      t->drops[i], RTPFWD_STATS_PAD))
			return -EMSGSIZE;
	return 0;
}
