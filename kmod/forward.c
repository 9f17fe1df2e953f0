// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding: rewrite the packet in place (source := out, destination :=
 * peer), fix the UDP checksum incrementally, route it with the flow's cached
 * route and send it as if it were locally generated. Only the IP and UDP
 * headers are made writable; the payload is never copied. With hook=ingress
 * the packet goes straight to the neighbour when the route allows (see
 * xmit_direct()), as nf_flowtable's software fast path sends.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip6_fib.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "flow.h"
#include "forward.h"
#include "netns.h"
#include "policy.h"
#include "stats.h"

static struct dst_entry *lookup_v4(struct net *net,
				   const struct rtpfwd_fwd *fwd, u32 *cookie)
{
	struct flowi4 fl4 = {};
	struct rtable *rt;

	fl4.daddr = fwd->peer.addr.v4;
	fl4.saddr = fwd->out.addr.v4;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.fl4_sport = fwd->out.port;
	fl4.fl4_dport = fwd->peer.port;
	rt = ip_route_output_key(net, &fl4);
	*cookie = 0;	/* IPv4 routes are checked by generation instead */
	return IS_ERR(rt) ? NULL : &rt->dst;
}

static struct dst_entry *lookup_v6(struct net *net,
				   const struct rtpfwd_fwd *fwd, u32 *cookie)
{
	struct flowi6 fl6 = {};
	struct dst_entry *dst;

	fl6.daddr = fwd->peer.addr.v6;
	fl6.saddr = fwd->out.addr.v6;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.fl6_sport = fwd->out.port;
	fl6.fl6_dport = fwd->peer.port;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return NULL;
	*cookie = rt6_get_cookie(dst_rt6_info(dst));
	return dst;
}

/*
 * The flow's route, unless it went stale (the FIB changed, its device left).
 * IPv4 output routes are always "obsolete" (checked by generation), so the
 * check runs for every packet: dst_check() calls ipv4_dst_check() and
 * ip6_dst_check() directly rather than through a retpoline.
 */
static struct dst_entry *cached_route(struct rtpfwd_flow *flow)
{
	struct dst_entry *dst = rcu_dereference(flow->dst);

	return dst ? dst_check(dst, READ_ONCE(flow->dst_cookie)) : NULL;
}

/*
 * Hand a route just looked up to the flow, which then holds its reference.
 * Under the flow's lock a FLOW_SET cannot be halfway: if it changed the
 * endpoints since this packet read them (fwd->seq), the route is for the old
 * ones and stays the packet's alone.
 */
static bool cache_route(struct rtpfwd_flow *flow, const struct rtpfwd_fwd *fwd,
			struct dst_entry *dst, u32 cookie)
{
	struct dst_entry *old;

	read_seqlock_excl(&flow->lock);
	if (read_seqretry(&flow->lock, fwd->seq)) {
		read_sequnlock_excl(&flow->lock);
		return false;
	}
	WRITE_ONCE(flow->dst_cookie, cookie);
	old = rcu_replace_pointer(flow->dst, dst,
				  lockdep_is_held(&flow->lock.lock));
	read_sequnlock_excl(&flow->lock);
	dst_release(old);
	return true;
}

/*
 * Give the packet its route to the peer. The flow's cached route is shared
 * by all CPUs and attached without a reference (skb_dst_set_noref()): the
 * hook runs under rcu_read_lock, a replaced route is freed only after a
 * grace period, and whatever keeps the packet beyond that (a qdisc, a
 * queue) takes a reference with skb_dst_force().
 */
static bool route(struct net *net, struct sk_buff *skb,
		  struct rtpfwd_flow *flow, const struct rtpfwd_fwd *fwd,
		  bool v4)
{
	struct dst_entry *dst = cached_route(flow);
	u32 cookie;

	skb_dst_drop(skb);
	if (dst) {
		skb_dst_set_noref(skb, dst);
		return true;
	}
	dst = v4 ? lookup_v4(net, fwd, &cookie) : lookup_v6(net, fwd, &cookie);
	if (!dst)
		return false;
	if (cache_route(flow, fwd, dst, cookie))
		skb_dst_set_noref(skb, dst);
	else
		skb_dst_set(skb, dst);
	return true;
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
		       const struct rtpfwd_fwd *fwd)
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
	iph->ttl = ip4_dst_hoplimit(skb_dst(skb));
	if (fwd->tos)
		ipv4_change_dsfield(iph, INET_ECN_MASK, fwd->tos);
	/* __ip_local_out() recomputes the header checksum. */
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
}

static void rewrite_v6(struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
		       const struct rtpfwd_fwd *fwd)
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
	ip6h->hop_limit = ip6_dst_hoplimit(skb_dst(skb));
	if (fwd->tos)
		ipv6_change_dsfield(ip6h, INET_ECN_MASK, fwd->tos);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
}

/*
 * From here the packet is a locally generated one: no socket, no receive
 * timestamp (it would read as a departure time), and untracked so conntrack
 * at LOCAL_OUT and POST_ROUTING leaves it alone.
 */
static void make_local(struct sk_buff *skb)
{
	skb_orphan(skb);
	skb_clear_tstamp(skb);
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/*
 * What ip_output()/ip6_output() and their POST_ROUTING continuation would
 * do for this packet, if nothing but the neighbour is in the way: a plain
 * unicast route (not IPsec, multicast or a lightweight tunnel: their dst
 * has another output, a multicast destination, or lwtstate), a packet
 * within the route's MTU that is not GSO, headroom for the link header,
 * IPv6 enabled on the device. Anything else takes ip_local_out() or
 * ip6_local_out(), which fragment, refuse or encapsulate as always.
 */
static bool direct_ok(const struct sk_buff *skb, struct dst_entry *dst,
		      bool v4)
{
	const struct inet6_dev *idev;

	if (dst->lwtstate || skb_is_gso(skb) || skb->len > dst_mtu(dst) ||
	    skb_headroom(skb) < LL_RESERVED_SPACE(dst->dev))
		return false;
	if (v4)
		return dst->output == ip_output;
	/* IPv6 multicast shares ip6_output; its loopback copy is not ours. */
	if (dst->output != ip6_output ||
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		return false;
	idev = ip6_dst_idev(dst);
	return idev && !READ_ONCE(idev->cnf.disable_ipv6);
}

/*
 * The tail of ip_finish_output2()/ip6_finish_output2(): the header checksum
 * (IPv4), then the route's next hop's neighbour, which adds the link header
 * and queues to the device. Skips LOCAL_OUT and POST_ROUTING.
 */
static int xmit_direct(struct sk_buff *skb, bool v4)
{
	struct dst_entry *dst = skb_dst(skb);
	struct neighbour *neigh;
	bool is_v6gw = false;

	skb->dev = dst->dev;
	if (v4) {
		ip_send_check(ip_hdr(skb));
		skb->protocol = htons(ETH_P_IP);
		neigh = ip_neigh_for_gw(container_of(dst, struct rtable, dst),
					 skb, &is_v6gw);
	} else {
		const struct in6_addr *nexthop;

		skb->protocol = htons(ETH_P_IPV6);
		nexthop = rt6_nexthop(dst_rt6_info(dst), &ipv6_hdr(skb)->daddr);
		neigh = __ipv6_neigh_lookup_noref(dst->dev, nexthop);
		if (unlikely(!neigh))
			neigh = __neigh_create(&nd_tbl, nexthop, dst->dev, false);
	}
	if (IS_ERR(neigh)) {
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	return neigh_output(neigh, skb, is_v6gw);
}

/**
 * rtpfwd_forward - rewrite and send a packet the policy let pass
 * @net: the netns it arrived in
 * @rn: its rtpfwd state
 * @skb: the packet, network header at skb->data; consumed
 * @flow: its flow
 * @pkt: what the hook parsed
 * @fwd: the flow's endpoints as judged
 * @direct: to the neighbour when the route allows (hook=ingress)
 *
 * Context: softirq (the netfilter hook), rcu_read_lock held.
 * Return: RTPFWD_PASS when the packet was sent, else the enum rtpfwd_drop
 * reason it was freed for.
 */
int rtpfwd_forward(struct net *net, struct rtpfwd_net *rn, struct sk_buff *skb,
		   struct rtpfwd_flow *flow, const struct rtpfwd_pkt *pkt,
		   const struct rtpfwd_fwd *fwd, bool direct)
{
	bool v4 = pkt->dst.family == AF_INET;
	int err;

	if (!route(net, skb, flow, fwd, v4)) {
		kfree_skb(skb);
		return RTPFWD_DROP_NO_ROUTE;
	}
	if (make_writable(rn, skb, skb_network_offset(skb) + pkt->thoff +
				   sizeof(struct udphdr))) {
		kfree_skb(skb);
		return RTPFWD_DROP_NOMEM;
	}

	/* The receiver's checksum state would not describe the new headers. */
	skb_forward_csum(skb);
	if (v4)
		rewrite_v4(skb, pkt, fwd);
	else
		rewrite_v6(skb, pkt, fwd);
	make_local(skb);

	if (direct && direct_ok(skb, skb_dst(skb), v4))
		err = xmit_direct(skb, v4);
	else if (v4)
		err = ip_local_out(net, NULL, skb);
	else
		err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err) ? RTPFWD_DROP_XMIT : RTPFWD_PASS;
}
