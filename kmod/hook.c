// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter entry. By default at PRE_ROUTING right after defragmentation
 * and before the raw table and conntrack, so media never creates conntrack
 * entries; with hook=input at LOCAL_IN after the filter table, so INPUT rules
 * see media first (conntrack has then seen the packet, but the entry is never
 * confirmed because the packet is stolen before the confirm hook); with
 * hook=ingress ingress.c hooks every device and calls rtpfwd_hook_v4/v6()
 * once it has checked the IP header as the IP layer would.
 *
 * A UDP packet whose destination is a flow's local endpoint belongs to the
 * module; every other packet continues untouched, UDP ones counted as misses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "events.h"
#include "flow.h"
#include "forward.h"
#include "hook.h"
#include "netns.h"
#include "policy.h"
#include "stats.h"
#include "table.h"

static bool parse_udp(struct sk_buff *skb, unsigned int thoff,
		      struct rtpfwd_pkt *pkt)
{
	const struct udphdr *uh;
	unsigned int ulen;

	if (!pskb_may_pull(skb, skb_network_offset(skb) + thoff + sizeof(*uh)))
		return false;
	uh = (const struct udphdr *)(skb_network_header(skb) + thoff);
	ulen = ntohs(uh->len);
	/* The IP layer trimmed the skb to the datagram; UDP must agree. */
	if (ulen < sizeof(*uh) ||
	    ulen != skb->len - skb_network_offset(skb) - thoff)
		return false;
	pkt->thoff = thoff;
	pkt->len = ulen - sizeof(*uh);
	pkt->dst.port = uh->dest;
	pkt->src.port = uh->source;
	return true;
}

/* Only whole, well-formed UDP datagrams; fragments are left to the stack. */
static bool parse_v4(struct sk_buff *skb, struct rtpfwd_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return false;
	memset(pkt, 0, sizeof(*pkt));
	if (!parse_udp(skb, iph->ihl * 4, pkt))
		return false;
	iph = ip_hdr(skb);
	pkt->dst.family = AF_INET;
	pkt->dst.addr.v4 = iph->daddr;
	pkt->src.addr.v4 = iph->saddr;
	return true;
}

/*
 * UDP right after the fixed header only: extension headers (fragments,
 * routing) would change what rewriting the addresses means. A zero UDP
 * checksum is invalid over IPv6 and left to the stack to drop.
 */
static bool parse_v6(struct sk_buff *skb, struct rtpfwd_pkt *pkt)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct udphdr *uh;

	if (ip6h->nexthdr != IPPROTO_UDP)
		return false;
	memset(pkt, 0, sizeof(*pkt));
	if (!parse_udp(skb, sizeof(*ip6h), pkt))
		return false;
	ip6h = ipv6_hdr(skb);
	uh = (const struct udphdr *)(ip6h + 1);
	if (!uh->check)
		return false;
	pkt->dst.family = AF_INET6;
	pkt->dst.addr.v6 = ip6h->daddr;
	pkt->src.addr.v6 = ip6h->saddr;
	return true;
}

/* Where the hooks attach; with hook=ingress, ingress.c's per device. */
static enum rtpfwd_hook_at hook_at __read_mostly;

static unsigned int handle(struct net *net, struct sk_buff *skb,
			   const struct rtpfwd_pkt *pkt)
{
	struct rtpfwd_net *rn = rtpfwd_net(net);
	struct rtpfwd_flow *flow;
	struct rtpfwd_fwd fwd;
	int verdict;

	flow = rtpfwd_table_lookup(&rn->table, &pkt->dst);
	if (!flow) {
		rtpfwd_stats_miss(rn->stats);
		return NF_ACCEPT;
	}

	verdict = rtpfwd_policy_judge(&rn->table, flow, skb, pkt, &fwd);
	if (fwd.learned)
		rtpfwd_events_flow(net, flow, RTPFWD_CMD_SOURCE_LEARNED);
	if (verdict == RTPFWD_PASS)
		verdict = rtpfwd_forward(net, rn, skb, flow, pkt, &fwd,
					 hook_at == RTPFWD_HOOK_INGRESS);
	else
		kfree_skb(skb);

	if (verdict == RTPFWD_PASS) {
		rtpfwd_flow_touch(flow);
		rtpfwd_stats_forwarded(flow->stats, fwd.rtcp, pkt->len);
		rtpfwd_stats_forwarded(&rn->stats->c, fwd.rtcp, pkt->len);
	} else {
		net_dbg_ratelimited("flow %u: dropped (%s)\n", flow->id,
				    rtpfwd_drop_names[verdict]);
		rtpfwd_stats_drop(flow->stats, verdict);
		rtpfwd_stats_drop(&rn->stats->c, verdict);
	}
	return NF_STOLEN;
}

/**
 * rtpfwd_hook_v4 - take an IPv4 packet if it belongs to a flow
 * @net: the netns it arrived in
 * @skb: the packet, its IP header checked and the skb trimmed to it
 *
 * Context: softirq, rcu_read_lock held.
 * Return: NF_STOLEN when the module took (forwarded or freed) it, else
 * NF_ACCEPT and the packet is untouched.
 */
unsigned int rtpfwd_hook_v4(struct net *net, struct sk_buff *skb)
{
	struct rtpfwd_pkt pkt;

	if (!parse_v4(skb, &pkt))
		return NF_ACCEPT;
	return handle(net, skb, &pkt);
}

/**
 * rtpfwd_hook_v6 - take an IPv6 packet if it belongs to a flow
 * @net: the netns it arrived in
 * @skb: the packet, its IPv6 header checked and the skb trimmed to it
 *
 * Context: softirq, rcu_read_lock held.
 * Return: as rtpfwd_hook_v4().
 */
unsigned int rtpfwd_hook_v6(struct net *net, struct sk_buff *skb)
{
	struct rtpfwd_pkt pkt;

	if (!parse_v6(skb, &pkt))
		return NF_ACCEPT;
	return handle(net, skb, &pkt);
}

static unsigned int hook_v4(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return rtpfwd_hook_v4(state->net, skb);
}

static unsigned int hook_v6(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return rtpfwd_hook_v6(state->net, skb);
}

static struct nf_hook_ops hook_ops[] = {
	{
		.hook = hook_v4,
		.pf = NFPROTO_IPV4,
	},
	{
		.hook = hook_v6,
		.pf = NFPROTO_IPV6,
	},
};

/**
 * rtpfwd_hook_setup - choose where the hooks attach
 * @at: PRE_ROUTING, LOCAL_IN or the devices' ingress
 *
 * Context: module init, before any netns registers the hooks.
 */
void rtpfwd_hook_setup(enum rtpfwd_hook_at at)
{
	hook_at = at;
	if (at == RTPFWD_HOOK_INPUT) {
		hook_ops[0].hooknum = NF_INET_LOCAL_IN;
		hook_ops[0].priority = NF_IP_PRI_FILTER + 1;
		hook_ops[1].hooknum = NF_INET_LOCAL_IN;
		hook_ops[1].priority = NF_IP6_PRI_FILTER + 1;
	} else {
		hook_ops[0].hooknum = NF_INET_PRE_ROUTING;
		hook_ops[0].priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1;
		hook_ops[1].hooknum = NF_INET_PRE_ROUTING;
		hook_ops[1].priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1;
	}
}

/**
 * rtpfwd_hook_register - attach the hooks in a netns
 * @net: the netns
 *
 * With hook=ingress there is nothing to attach per netns: ingress.c hooks
 * each device as it registers.
 *
 * Context: process (pernet init).
 * Return: 0 or a negative errno.
 */
int rtpfwd_hook_register(struct net *net)
{
	if (hook_at == RTPFWD_HOOK_INGRESS)
		return 0;
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

/**
 * rtpfwd_hook_unregister - detach the hooks from a netns
 * @net: the netns
 *
 * Returns after every packet inside the hooks has left them. The devices'
 * ingress hooks are gone by then: a netns unregisters its devices before
 * its pernet subsystems exit, and module unload removes them first.
 *
 * Context: process (pernet exit).
 */
void rtpfwd_hook_unregister(struct net *net)
{
	if (hook_at != RTPFWD_HOOK_INGRESS)
		nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
	/* Unregistering only stops new entries; wait for those inside. */
	synchronize_net();
}
