// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns state: the flow table and its bookkeeping (generation, counts,
 * owners), the idle-timeout work, the netfilter hooks and /proc entries.
 * Flows belong to the netns: they outlive the process that created them
 * (unless OWNED) and are freed with the netns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "events.h"
#include "flow.h"
#include "hook.h"
#include "netlink-gen.h"
#include "netns.h"
#include "proc.h"
#include "stats.h"

#define IDLE_PERIOD HZ

unsigned int rtpfwd_net_id __read_mostly;

static void bump_gen(struct rtpfwd_net *rn)
{
	/* 0 would read as "no previous dump" in genl_dump_check_consistent() */
	if (!++rn->gen)
		rn->gen = 1;
}

static int owner_get(struct rtpfwd_net *rn, u32 portid)
{
	unsigned long n = xa_to_value(xa_load(&rn->owners, portid) ?: xa_mk_value(0));

	return xa_err(xa_store(&rn->owners, portid, xa_mk_value(n + 1),
			       GFP_KERNEL));
}

static void owner_put(struct rtpfwd_net *rn, u32 portid)
{
	unsigned long n = xa_to_value(xa_load(&rn->owners, portid));

	if (n <= 1)
		xa_erase(&rn->owners, portid);
	else
		/* Replacing an existing entry allocates nothing. */
		xa_store(&rn->owners, portid, xa_mk_value(n - 1), GFP_KERNEL);
}

static void timed_add(struct rtpfwd_net *rn, struct rtpfwd_flow *flow)
{
	rtpfwd_table_mark(&rn->table, flow, RTPFWD_MARK_TIMED, true);
	if (!rn->n_timed++)
		schedule_delayed_work(&rn->idle_work, IDLE_PERIOD);
}

static void timed_del(struct rtpfwd_net *rn, struct rtpfwd_flow *flow)
{
	rtpfwd_table_mark(&rn->table, flow, RTPFWD_MARK_TIMED, false);
	rn->n_timed--;
}

/**
 * rtpfwd_netns_link - add a new flow to a netns
 * @rn: the netns state
 * @flow: the flow from rtpfwd_flow_create()
 *
 * On failure the caller still owns @flow and frees it with rtpfwd_flow_put().
 *
 * Context: process, rn->lock held.
 * Return: 0, -EEXIST when its local endpoint is taken, -EBUSY or -ENOMEM.
 */
int rtpfwd_netns_link(struct rtpfwd_net *rn, struct rtpfwd_flow *flow)
{
	bool owned = flow->cfg.flags & RTPFWD_F_OWNED;
	int err;

	lockdep_assert_held(&rn->lock);
	if (owned) {
		err = owner_get(rn, flow->owner);
		if (err)
			return err;
	}
	err = rtpfwd_table_insert(&rn->table, flow);
	if (err)
		goto err_owner;

	rn->n_flows++;
	bump_gen(rn);
	if (owned)
		rtpfwd_table_mark(&rn->table, flow, RTPFWD_MARK_OWNED, true);
	if (flow->cfg.timeout)
		timed_add(rn, flow);
	return 0;

err_owner:
	if (owned)
		owner_put(rn, flow->owner);
	return err;
}

/**
 * rtpfwd_netns_unlink - remove a flow from its netns and free it
 * @rn: the netns state
 * @flow: a linked flow
 * @reason: enum rtpfwd_delete_reason for the FLOW_DELETED event; 0 sends
 *	none (netns exit, module unload, a FLOW_NEW whose reply failed)
 *
 * Packets in flight may still use the flow; it is freed after an RCU grace
 * period.
 *
 * Context: process, rn->lock held.
 */
void rtpfwd_netns_unlink(struct rtpfwd_net *rn, struct rtpfwd_flow *flow,
			 u8 reason)
{
	lockdep_assert_held(&rn->lock);
	if (flow->cfg.timeout)
		timed_del(rn, flow);
	rtpfwd_table_remove(&rn->table, flow);
	if (flow->cfg.flags & RTPFWD_F_OWNED)
		owner_put(rn, flow->owner);
	rn->n_flows--;
	bump_gen(rn);
	if (reason)
		rtpfwd_events_deleted(rn->net, flow, reason);
	rtpfwd_flow_put(flow);
}

/**
 * rtpfwd_netns_changed - account a FLOW_SET
 * @rn: the netns state
 * @flow: the flow, already reconfigured
 * @old_timeout: its timeout before
 *
 * Context: process, rn->lock held.
 */
void rtpfwd_netns_changed(struct rtpfwd_net *rn, struct rtpfwd_flow *flow,
			  u32 old_timeout)
{
	lockdep_assert_held(&rn->lock);
	bump_gen(rn);
	if (!old_timeout && flow->cfg.timeout)
		timed_add(rn, flow);
	else if (old_timeout && !flow->cfg.timeout)
		timed_del(rn, flow);
}

/**
 * rtpfwd_netns_release_owner - delete the OWNED flows of a closed socket
 * @net: the socket's netns
 * @portid: its netlink portid
 *
 * Context: process (the NETLINK_URELEASE notifier).
 */
void rtpfwd_netns_release_owner(struct net *net, u32 portid)
{
	struct rtpfwd_net *rn = rtpfwd_net(net);
	struct rtpfwd_flow *flow;
	unsigned long id;

	/* Most sockets own nothing: answer those without the lock. */
	if (!xa_load(&rn->owners, portid))
		return;

	mutex_lock(&rn->lock);
	xa_for_each_marked(&rn->table.by_id, id, flow, RTPFWD_MARK_OWNED) {
		if (flow->owner == portid)
			rtpfwd_netns_unlink(rn, flow, RTPFWD_DEL_OWNER);
		cond_resched();
	}
	mutex_unlock(&rn->lock);
}

/*
 * Once a second, visit the flows that have a timeout. A flow is idle when
 * nothing was forwarded for its timeout since its last packet (or its
 * creation); it is reported once per silence, or deleted with IDLE_DELETE.
 */
/* Times are 32-bit jiffies: a timeout must stay far below their wrap. */
static_assert((u64)RTPFWD_TIMEOUT_MAX * HZ < S32_MAX);

static void idle_work(struct work_struct *work)
{
	struct rtpfwd_net *rn = container_of(to_delayed_work(work),
					     struct rtpfwd_net, idle_work);
	u32 now = jiffies;
	struct rtpfwd_flow *flow;
	unsigned long id;
	u32 last;

	mutex_lock(&rn->lock);
	xa_for_each_marked(&rn->table.by_id, id, flow, RTPFWD_MARK_TIMED) {
		last = READ_ONCE(flow->last);
		if (last == flow->idle_ref ||
		    time_before32(now, last + flow->cfg.timeout * HZ))
			continue;
		if (flow->cfg.flags & RTPFWD_F_IDLE_DELETE) {
			rtpfwd_netns_unlink(rn, flow, RTPFWD_DEL_IDLE);
		} else {
			flow->idle_ref = last;
			rtpfwd_events_flow(rn->net, flow, RTPFWD_CMD_FLOW_IDLE);
		}
		cond_resched();
	}
	if (rn->n_timed)
		schedule_delayed_work(&rn->idle_work, IDLE_PERIOD);
	mutex_unlock(&rn->lock);
}

static int __net_init rtpfwd_net_init(struct net *net)
{
	struct rtpfwd_net *rn = rtpfwd_net(net);
	int err;

	rn->net = net;
	rn->gen = 1;
	mutex_init(&rn->lock);
	xa_init(&rn->owners);
	xa_init(&rn->ingress);
	INIT_DELAYED_WORK(&rn->idle_work, idle_work);

	rn->stats = rtpfwd_stats_net_alloc();
	if (!rn->stats)
		return -ENOMEM;
	err = rtpfwd_table_init(&rn->table);
	if (err)
		goto err_stats;
	err = rtpfwd_proc_init(net);
	if (err)
		goto err_table;
	err = rtpfwd_hook_register(net);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	rtpfwd_proc_exit(net);
err_table:
	rtpfwd_table_destroy(&rn->table);
err_stats:
	free_percpu(rn->stats);
	return err;
}

static void __net_exit rtpfwd_net_exit(struct net *net)
{
	struct rtpfwd_net *rn = rtpfwd_net(net);
	struct rtpfwd_flow *flow;
	unsigned long id;
	u32 freed;

	/* No packet reaches a flow after this (it waits for the hooks). */
	rtpfwd_hook_unregister(net);
	rtpfwd_proc_exit(net);
	cancel_delayed_work_sync(&rn->idle_work);

	mutex_lock(&rn->lock);
	freed = rn->n_flows;
	xa_for_each(&rn->table.by_id, id, flow) {
		rtpfwd_netns_unlink(rn, flow, 0);
		cond_resched();
	}
	mutex_unlock(&rn->lock);

	rtpfwd_table_destroy(&rn->table);
	xa_destroy(&rn->owners);
	xa_destroy(&rn->ingress);
	free_percpu(rn->stats);
	if (freed)
		pr_info("netns exit, %u flows freed\n", freed);
}

static struct pernet_operations rtpfwd_net_ops = {
	.init = rtpfwd_net_init,
	.exit = rtpfwd_net_exit,
	.id = &rtpfwd_net_id,
	.size = sizeof(struct rtpfwd_net),
};

/**
 * rtpfwd_netns_register - set the module up in every netns, now and later
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int rtpfwd_netns_register(void)
{
	return register_pernet_subsys(&rtpfwd_net_ops);
}

/**
 * rtpfwd_netns_unregister - tear the module down in every netns
 *
 * Context: module exit, after netlink is gone.
 */
void rtpfwd_netns_unregister(void)
{
	unregister_pernet_subsys(&rtpfwd_net_ops);
}
