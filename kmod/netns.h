/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_NETNS_H
#define _RTPFWD_NETNS_H

#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "table.h"

struct rtpfwd_flow;
struct rtpfwd_net_counters;

/* The module's state in one network namespace. */
struct rtpfwd_net {
	struct net *net;
	struct mutex lock;	/* serialises changes to the table and below */
	struct rtpfwd_table table;
	struct xarray owners;	/* portid -> xa_mk_value(OWNED flows it has) */
	struct xarray ingress;	/* ifindex -> its hook with hook=ingress (RTNL) */
	u32 gen;		/* changes with every flow change; dumps compare */
	u32 n_flows;
	u32 n_timed;		/* flows with a timeout: the idle work's load */
	struct delayed_work idle_work;
	struct rtpfwd_net_counters __percpu *stats;
};

extern unsigned int rtpfwd_net_id;

static inline struct rtpfwd_net *rtpfwd_net(const struct net *net)
{
	return net_generic(net, rtpfwd_net_id);
}

int rtpfwd_netns_register(void);
void rtpfwd_netns_unregister(void);
int rtpfwd_netns_link(struct rtpfwd_net *rn, struct rtpfwd_flow *flow);
void rtpfwd_netns_unlink(struct rtpfwd_net *rn, struct rtpfwd_flow *flow,
			 u8 reason);
void rtpfwd_netns_changed(struct rtpfwd_net *rn, struct rtpfwd_flow *flow,
			  u32 old_timeout);
void rtpfwd_netns_release_owner(struct net *net, u32 portid);

#endif /* _RTPFWD_NETNS_H */
