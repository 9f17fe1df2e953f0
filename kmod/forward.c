// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding: rewrite the packet in place (source := out, destination :=
 * peer), fix the UDP checksum incrementally, route it with the flow's cached
 * dst and send it as if it were locally generated. Only the IP and UDP
 * headers are made writable; the payload is never copied.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "flow.h"
#include "forward.h"
#include "netns.h"
#include "policy.h"
#include "stats.h"

/*
 * A route cached after a FLOW_SET changed the endpoints may be for the old
 * ones: fwd->seq tells, and the cache is reset again.
 */
static void cache_check(struct rtpfwd_flow *flow, const struct rtpfwd_fwd *fwd)
{
	if (read_seqretry(&flow->lock, fwd->seq))
		dst_cache_reset(&flow->dst_cache);
}

static struct dst_entry *route_v4(struct net *net, struct rtpfwd_flow *flow,
				  const struct rtpfwd_fwd *fwd)
{
	struct flowi4 fl4 = {};
	struct rtable *rt;
	__be32 saddr;

	rt = dst_cache_get_ip4(&flow->dst_cache, &saddr);
	if (rt)
		return &rt->dst;

	fl4.daddr = fwd->peer.addr.v4;
	fl4.saddr = fwd->out.addr.v4;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.fl4_sport = fwd->out.port;
	fl4.fl4_dport = fwd->peer.port;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	dst_cache_set_ip4(&flow->dst_cache, &rt->dst, fl4.saddr);
	cache_check(flow, fwd);
	return &rt->dst;
}

static struct dst_entry *route_v6(struct net *net, struct rtpfwd_flow *flow,
				  const struct rtpfwd_fwd *fwd)
{
	struct flowi6 fl6 = {};
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = dst_cache_get_ip6(&flow->dst_cache, &saddr);
	if (dst)
		return dst;

	fl6.daddr = fwd->peer.addr.v6;
	fl6.saddr = fwd->out.addr.v6;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.fl6_sport = fwd->out.port;
	fl6.fl6_dport = fwd->peer.port;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return NULL;
	dst_cache_set_ip6(&flow->dst_cache, dst, &fl6.saddr);
	cache_check(flow, fwd);
	return dst;
}

/* Count a copy when the headers are shared with a clone (e.g. a tap). */
static int make_writable(struct rtpfwd_net *rn, struct sk_buff *skb,
			 unsigned int len)
{
	if (skb_cloned(skb) && !skb_clone_writable(skb, len))
		rtpfwd_stats_copy(rn->stats);
	return skb_ensure_writable(skb, len);
}

/*
 * A checksum the receiver verifies (not CHECKSUM_PARTIAL) that comes out as
 * 0 must be sent as 0xffff: 0 means "no checksum".
 */
static void fix_zero_csum(struct sk_buff *skb, struct udphdr *uh)
{
	if (!uh->check && skb->ip_summed != CHECKSUM_PARTIAL)
		uh->check = CSUM_MANGLED_0;
}

static void rewrite_ports(struct sk_buff *skb, struct udphdr *uh,
			  const struct rtpfwd_fwd *fwd, bool csum)
{
	if (csum) {
		inet_proto_csum_replace2(&uh->check, skb, uh->source,
					 fwd->out.port, false);
		inet_proto_csum_replace2(&uh->check, skb, uh->dest,
					 fwd->peer.port, false);
	}
	uh->source = fwd->out.port;
	uh->dest = fwd->peer.port;
}

static void rewrite_v4(struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
		       const struct rtpfwd_fwd *fwd, struct dst_entry *dst)
{
	struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh = (void *)iph + pkt->thoff;
	/* IPv4 UDP may go without checksum; keep it that way. */
	bool csum = uh->check || skb->ip_summed == CHECKSUM_PARTIAL;

	if (csum) {
		inet_proto_csum_replace4(&uh->check, skb, iph->saddr,
					 fwd->out.addr.v4, true);
		inet_proto_csum_replace4(&uh->check, skb, iph->daddr,
					 fwd->peer.addr.v4, true);
	}
	rewrite_ports(skb, uh, fwd, csum);
	if (csum)
		fix_zero_csum(skb, uh);
	iph->saddr = fwd->out.addr.v4;
	iph->daddr = fwd->peer.addr.v4;
	iph->ttl = ip4_dst_hoplimit(dst);
	if (fwd->tos)
		ipv4_change_dsfield(iph, INET_ECN_MASK, fwd->tos);
	/* __ip_local_out() recomputes the header checksum. */
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
}

static void rewrite_v6(struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
		       const struct rtpfwd_fwd *fwd, struct dst_entry *dst)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct udphdr *uh = (void *)ip6h + pkt->thoff;

	inet_proto_csum_replace16(&uh->check, skb, ip6h->saddr.s6_addr32,
				  fwd->out.addr.v6.s6_addr32, true);
	inet_proto_csum_replace16(&uh->check, skb, ip6h->daddr.s6_addr32,
				  fwd->peer.addr.v6.s6_addr32, true);
	rewrite_ports(skb, uh, fwd, true);
	fix_zero_csum(skb, uh);
	ip6h->saddr = fwd->out.addr.v6;
	ip6h->daddr = fwd->peer.addr.v6;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	if (fwd->tos)
		ipv6_change_dsfield(ip6h, INET_ECN_MASK, fwd->tos);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
}

/*
 * From here the packet is a locally generated one: no socket, no receive
 * timestamp (it would read as a departure time), our route, and untracked so
 * conntrack at LOCAL_OUT and POST_ROUTING leaves it alone.
 */
static void make_local(struct sk_buff *skb, struct dst_entry *dst)
{
	skb_orphan(skb);
	skb_clear_tstamp(skb);
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
}

/**
 * rtpfwd_forward - rewrite and send a packet the policy let pass
 * @net: the netns it arrived in
 * @rn: its rtpfwd state
 * @skb: the packet, network header at skb->data; consumed
 * @flow: its flow
 * @pkt: what the hook parsed
 * @fwd: the flow's endpoints as judged
 *
 * Context: softirq (the netfilter hook), rcu_read_lock held.
 * Return: RTPFWD_PASS when the packet was sent, else the enum rtpfwd_drop
 * reason it was freed for.
 */
int rtpfwd_forward(struct net *net, struct rtpfwd_net *rn, struct sk_buff *skb,
		   struct rtpfwd_flow *flow, const struct rtpfwd_pkt *pkt,
		   const struct rtpfwd_fwd *fwd)
{
	bool v4 = pkt->dst.family == AF_INET;
	struct dst_entry *dst;
	int err;

	dst = v4 ? route_v4(net, flow, fwd) : route_v6(net, flow, fwd);
	if (!dst) {
		kfree_skb(skb);
		return RTPFWD_DROP_NO_ROUTE;
	}
	if (make_writable(rn, skb, skb_network_offset(skb) + pkt->thoff +
				   sizeof(struct udphdr))) {
		dst_release(dst);
		kfree_skb(skb);
		return RTPFWD_DROP_NOMEM;
	}

	/* The receiver's checksum state would not describe the new headers. */
	skb_forward_csum(skb);
	if (v4)
		rewrite_v4(skb, pkt, fwd, dst);
	else
		rewrite_v6(skb, pkt, fwd, dst);
	make_local(skb, dst);

	err = v4 ? ip_local_out(net, NULL, skb) : ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err) ? RTPFWD_DROP_XMIT : RTPFWD_PASS;
}
