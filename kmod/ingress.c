// SPDX-License-Identifier: GPL-2.0
/*
 * hook=ingress: media taken at each device's netfilter ingress hook
 * (NFPROTO_NETDEV), before the IP layer, as nf_flowtable's software fast
 * path is. A UDP packet that belongs to no flow pays one check of its IP
 * header and a lookup, and continues into ip_rcv()/ipv6_rcv() trimmed as
 * those would trim it; other packets only have their protocol read.
 *
 * There is no per-netns ingress hook: every device gets its own, attached
 * from a netdevice notifier at NETDEV_REGISTER (replayed for existing devices
 * in every netns at load) and detached at NETDEV_UNREGISTER, before the
 * device goes. A device that changes netns is unregistered from the old one
 * and registered in the new one, so its hook follows it. The notifier runs
 * under RTNL, which serialises everything here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hook.h"
#include "ingress.h"
#include "netns.h"

/* After nftables' netdev chains at priority filter (0): they see media first */
#define INGRESS_PRIORITY	1

struct ingress_hook {
	struct nf_hook_ops ops;
	struct rcu_head rcu;
};

/*
 * Whole UDP datagrams only (hook.c would refuse anything else): other
 * protocols and fragments go on untouched without the checks below. Then
 * what ip_rcv_core() checks before PRE_ROUTING: version, header length,
 * header checksum, a total length within the skb, which is then trimmed to
 * it. A packet failing any is left to the IP layer, which drops and counts it.
 */
static bool valid_v4(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return false;
	if (iph->version != 4 || iph->ihl < 5 ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = ip_hdr(skb);
	if (unlikely(ip_fast_csum((const u8 *)iph, iph->ihl)))
		return false;
	len = ntohs(iph->tot_len);
	if (len > skb->len || len < iph->ihl * 4)
		return false;
	return !pskb_trim_rcsum(skb, len);
}

/*
 * UDP right after the fixed header only, as hook.c takes. Then what
 * ipv6_rcv() checks before PRE_ROUTING: version, a payload length within
 * the skb (0, a jumbogram, is left to the stack), no multicast or v4-mapped
 * source, loopback addresses only on a loopback device, IPv6 enabled on the
 * device; the skb is then trimmed to the datagram.
 */
static bool valid_v6(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	struct inet6_dev *idev;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return false;
	ip6h = ipv6_hdr(skb);
	if (ip6h->nexthdr != IPPROTO_UDP)
		return false;
	len = ntohs(ip6h->payload_len);
	if (ip6h->version != 6 || !len || len > skb->len - sizeof(*ip6h))
		return false;
	if (ipv6_addr_is_multicast(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->daddr))
		return false;
	if (!(skb->dev->flags & IFF_LOOPBACK) &&
	    (ipv6_addr_loopback(&ip6h->saddr) ||
	     ipv6_addr_loopback(&ip6h->daddr)))
		return false;
	idev = __in6_dev_get(skb->dev);
	if (!idev || READ_ONCE(idev->cnf.disable_ipv6))
		return false;
	return !pskb_trim_rcsum(skb, len + sizeof(*ip6h));
}

/*
 * Only unicast to this host, untagged (a VLAN's packets are taken at the
 * VLAN device's own hook), and not shared: the IP layer would unshare a
 * shared skb (a tap still holding it) before writing to it, and a hook
 * cannot swap the skb it was handed for a copy.
 */
static unsigned int hook_ingress(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	if (skb->pkt_type != PACKET_HOST || skb_vlan_tag_present(skb) ||
	    skb_shared(skb))
		return NF_ACCEPT;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return valid_v4(skb) ? rtpfwd_hook_v4(state->net, skb) : NF_ACCEPT;
	case htons(ETH_P_IPV6):
		return valid_v6(skb) ? rtpfwd_hook_v6(state->net, skb) : NF_ACCEPT;
	}
	return NF_ACCEPT;
}

static int attach(struct net_device *dev)
{
	struct rtpfwd_net *rn = rtpfwd_net(dev_net(dev));
	struct ingress_hook *h;
	int err;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->ops.hook = hook_ingress;
	h->ops.pf = NFPROTO_NETDEV;
	h->ops.hooknum = NF_NETDEV_INGRESS;
	h->ops.priority = INGRESS_PRIORITY;
	h->ops.dev = dev;
	err = xa_insert(&rn->ingress, dev->ifindex, h, GFP_KERNEL);
	if (err)
		goto err_free;
	err = nf_register_net_hook(dev_net(dev), &h->ops);
	if (err)
		goto err_erase;
	return 0;

err_erase:
	xa_erase(&rn->ingress, dev->ifindex);
err_free:
	kfree(h);
	return err;
}

/*
 * Packets may still be inside the hook: the ops go after a grace period,
 * and whoever frees what those packets use (the netns's flows, the module)
 * waits for them first (rtpfwd_hook_unregister()).
 */
static void detach(struct net_device *dev)
{
	struct ingress_hook *h;

	h = xa_erase(&rtpfwd_net(dev_net(dev))->ingress, dev->ifindex);
	if (!h)
		return;
	nf_unregister_net_hook(dev_net(dev), &h->ops);
	kfree_rcu(h, rcu);
}

static int device_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_REGISTER:
		/* A device we cannot hook fails to register: media to it
		 * would otherwise silently go to the local stack.
		 */
		return notifier_from_errno(attach(dev));
	case NETDEV_UNREGISTER:
		detach(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block device_notifier = {
	.notifier_call = device_event,
};

/**
 * rtpfwd_ingress_register - hook every device, now and later, in every netns
 *
 * Context: module init, after every netns has its rtpfwd state.
 * Return: 0 or a negative errno (then no device is hooked).
 */
int rtpfwd_ingress_register(void)
{
	return register_netdevice_notifier(&device_notifier);
}

/**
 * rtpfwd_ingress_unregister - unhook every device
 *
 * The notifier's removal replays NETDEV_UNREGISTER for every device.
 *
 * Context: module exit, before the netns state goes.
 */
void rtpfwd_ingress_unregister(void)
{
	unregister_netdevice_notifier(&device_notifier);
}
