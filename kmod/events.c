// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "events" multicast group: FLOW_IDLE, SOURCE_LEARNED
 * (from the data path) and FLOW_DELETED. Each carries the flow in the same
 * layout as a FLOW_GET reply.
 */
#include <net/genetlink.h>

#include "events.h"
#include "flow.h"
#include "netlink.h"

/*
 * The data path and the idle work may emit while the module unloads; after
 * rtpfwd_events_stop() nothing reaches the unregistered family.
 */
static bool live;

/**
 * rtpfwd_events_start - allow events, once the family is registered
 *
 * Context: module init.
 */
void rtpfwd_events_start(void)
{
	WRITE_ONCE(live, true);
}

/**
 * rtpfwd_events_stop - stop events before the family goes away
 *
 * Context: module exit; waits for emitters in flight.
 */
void rtpfwd_events_stop(void)
{
	WRITE_ONCE(live, false);
	synchronize_rcu();
}

static void notify(struct net *net, struct rtpfwd_flow *flow, u8 cmd,
		   u8 reason)
{
	struct sk_buff *msg;

	if (!READ_ONCE(live) ||
	    !genl_has_listeners(&rtpfwd_nl_family, net, 0))
		return;
	msg = genlmsg_new(rtpfwd_nl_flow_size(), GFP_ATOMIC);
	if (!msg)
		return;
	if (rtpfwd_nl_fill_flow(msg, flow, 0, 0, 0, cmd, reason, NULL)) {
		nlmsg_free(msg);
		return;
	}
	rcu_read_lock();
	if (READ_ONCE(live))
		genlmsg_multicast_netns(&rtpfwd_nl_family, net, msg, 0, 0,
					GFP_ATOMIC);
	else
		nlmsg_free(msg);
	rcu_read_unlock();
}

/**
 * rtpfwd_events_flow - announce FLOW_IDLE or SOURCE_LEARNED
 * @net: the flow's netns
 * @flow: the flow
 * @cmd: RTPFWD_CMD_FLOW_IDLE or RTPFWD_CMD_SOURCE_LEARNED
 *
 * Context: process or softirq; the flow alive (RCU or netns lock) and its
 * lock not held.
 */
void rtpfwd_events_flow(struct net *net, struct rtpfwd_flow *flow, u8 cmd)
{
	notify(net, flow, cmd, 0);
}

/**
 * rtpfwd_events_deleted - announce FLOW_DELETED
 * @net: the flow's netns
 * @flow: the flow, unlinked but not yet freed
 * @reason: enum rtpfwd_delete_reason
 *
 * Context: process, the netns lock held.
 */
void rtpfwd_events_deleted(struct net *net, struct rtpfwd_flow *flow,
			   u8 reason)
{
	notify(net, flow, RTPFWD_CMD_FLOW_DELETED, reason);
}
