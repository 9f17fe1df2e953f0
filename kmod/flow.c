// SPDX-License-Identifier: GPL-2.0
/*
 * The flow object: allocation from a dedicated slab within the module-wide
 * max_flows limit, configuration changes under the flow's seqlock, and
 * two-phase removal (the netns unlinks it, the free list frees it after a
 * grace period).
 */
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/dst.h>
#include <net/netlink.h>

#include "flow.h"
#include "main.h"
#include "stats.h"

/*
 * The per-flow budget: 21 flows per slab page, so a flow with its share of
 * the table (rhashtable buckets, xarray nodes) stays within 256 bytes. Lock
 * debugging makes seqlock_t larger.
 */
#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_DEBUG_LOCK_ALLOC)
static_assert(sizeof(struct rtpfwd_flow) <= 192);
#endif
/* cfg.flags is a u8. */
static_assert(RTPFWD_F_ALL <= U8_MAX);

static struct kmem_cache *flow_cache;

/*
 * Unlinked flows wait here for their grace period together: a list node
 * takes 8 bytes of the flow where an rcu_head takes 16, and one
 * synchronize_rcu() serves a whole flush.
 */
static LLIST_HEAD(graveyard);
static void graveyard_empty(struct work_struct *work);
static DECLARE_WORK(graveyard_work, graveyard_empty);
static atomic_t flow_count = ATOMIC_INIT(0);
#ifndef RTPFWD_HAVE_NL_SET_ERR_MSG_FMT
/* Before 6.2 an extack only points to a string: this one, made at load. */
static char limit_msg[64];
#endif

static void limit_reached(struct netlink_ext_ack *extack)
{
#ifdef RTPFWD_HAVE_NL_SET_ERR_MSG_FMT
	NL_SET_ERR_MSG_FMT_MOD(extack, "flow limit reached (max_flows=%u)",
			       rtpfwd_max_flows);
#else
	if (extack)
		extack->_msg = limit_msg;
#endif
}

/**
 * rtpfwd_flow_cache_init - create the flow slab
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int rtpfwd_flow_cache_init(void)
{
#ifndef RTPFWD_HAVE_NL_SET_ERR_MSG_FMT
	snprintf(limit_msg, sizeof(limit_msg),
		 KBUILD_MODNAME ": flow limit reached (max_flows=%u)",
		 rtpfwd_max_flows);
#endif
	flow_cache = KMEM_CACHE(rtpfwd_flow, 0);
	return flow_cache ? 0 : -ENOMEM;
}

/**
 * rtpfwd_flow_cache_destroy - destroy the flow slab
 *
 * Waits for the frees still in flight first: the free list's, and the
 * kfree_rcu() of replaced payload-type masks.
 *
 * Context: module exit, after every flow has been put.
 */
void rtpfwd_flow_cache_destroy(void)
{
	flush_work(&graveyard_work);
	rcu_barrier();
	kmem_cache_destroy(flow_cache);
}

/**
 * rtpfwd_flow_cfg_init - the configuration a FLOW_NEW starts from
 * @cfg: filled with the defaults
 */
void rtpfwd_flow_cfg_init(struct rtpfwd_flow_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->policy = RTPFWD_POLICY_ANY;
	cfg->clock_rate = 8000;
}

/**
 * rtpfwd_flow_pt_mask - give a configuration a payload-type allow-list
 * @cfg: the configuration; its previous mask is not freed here
 * @bits: 16 bytes, bit N%8 of byte N/8 allows PT N
 *
 * A mask of all ones filters nothing and takes no memory.
 *
 * Context: process.
 * Return: 0 or -ENOMEM.
 */
int rtpfwd_flow_pt_mask(struct rtpfwd_flow_cfg *cfg, const u8 *bits)
{
	struct rtpfwd_pt_mask *mask;

	BUILD_BUG_ON(offsetof(struct rtpfwd_pt_mask, bits));
	if (!memchr_inv(bits, 0xff, sizeof(mask->bits))) {
		cfg->pt_mask = NULL;
		return 0;
	}
	mask = kmalloc(sizeof(*mask), GFP_KERNEL);
	if (!mask)
		return -ENOMEM;
	memcpy(mask->bits, bits, sizeof(mask->bits));
	cfg->pt_mask = mask->bits;
	return 0;
}

/**
 * rtpfwd_flow_pt_mask_free - free a mask packets may still be reading
 * @pt_mask: a cfg's pt_mask, or NULL
 *
 * Context: any.
 */
void rtpfwd_flow_pt_mask_free(const u8 *pt_mask)
{
	if (pt_mask)
		kfree_rcu(container_of(pt_mask, struct rtpfwd_pt_mask, bits[0]),
			  rcu);
}

/**
 * rtpfwd_flow_create - allocate a flow
 * @key: its local endpoint
 * @cfg: its configuration; the flow takes its pt_mask, which is freed
 *	here when the flow cannot be made
 * @owner: netlink portid of the creator (used with RTPFWD_F_OWNED)
 * @extack: for the flow-limit message
 *
 * Context: process.
 * Return: the flow, ERR_PTR(-ENOSPC) beyond max_flows, or ERR_PTR(-ENOMEM).
 */
struct rtpfwd_flow *rtpfwd_flow_create(const struct rtpfwd_key *key,
				       const struct rtpfwd_flow_cfg *cfg,
				       u32 owner, struct netlink_ext_ack *extack)
{
	struct rtpfwd_flow *flow;
	int err = -ENOMEM;

	if (atomic_inc_return(&flow_count) > rtpfwd_max_flows) {
		limit_reached(extack);
		err = -ENOSPC;
		goto err_count;
	}
	flow = kmem_cache_zalloc(flow_cache, GFP_KERNEL);
	if (!flow)
		goto err_count;
	flow->stats = netdev_alloc_pcpu_stats(struct rtpfwd_counters);
	if (!flow->stats)
		goto err_flow;

	seqlock_init(&flow->lock);
	flow->key = *key;
	flow->cfg = *cfg;
	flow->owner = owner;
	flow->last = jiffies;
	return flow;

err_flow:
	kmem_cache_free(flow_cache, flow);
err_count:
	atomic_dec(&flow_count);
	kfree(cfg->pt_mask);	/* never seen by a packet */
	return ERR_PTR(err);
}

static void graveyard_empty(struct work_struct *work)
{
	struct llist_node *batch = llist_del_all(&graveyard);
	struct rtpfwd_flow *flow, *next;

	if (!batch)
		return;
	/* Each flow of the batch was unlinked before it was queued. */
	synchronize_rcu();
	llist_for_each_entry_safe(flow, next, batch, free) {
		dst_release(rcu_dereference_protected(flow->dst, true));
		free_percpu(flow->stats);
		kfree(flow->cfg.pt_mask);
		kmem_cache_free(flow_cache, flow);
		cond_resched();
	}
}

/**
 * rtpfwd_flow_put - free a flow once RCU readers are done with it
 * @flow: a flow no table reaches any more
 *
 * It leaves the max_flows count at once, so a flush makes room immediately.
 *
 * Context: any.
 */
void rtpfwd_flow_put(struct rtpfwd_flow *flow)
{
	atomic_dec(&flow_count);
	llist_add(&flow->free, &graveyard);
	queue_work(system_unbound_wq, &graveyard_work);
}

/**
 * rtpfwd_flow_configure - replace a flow's configuration atomically
 * @flow: the flow
 * @cfg: the new configuration; the flow takes its pt_mask, and a mask it
 *	replaces is freed after a grace period
 * @restart_source: take @cfg's source slot (policy or source changed);
 *	otherwise keep what the data path has learned so far
 * @reroute: out or peer changed: drop the cached route
 *
 * The route goes in the same write section that changes the sequence, so a
 * packet that looked one up for the old endpoints cannot cache it afterwards
 * (rtpfwd_forward() checks the sequence under the lock).
 *
 * Context: process, the netns lock held.
 */
void rtpfwd_flow_configure(struct rtpfwd_flow *flow,
			   const struct rtpfwd_flow_cfg *cfg,
			   bool restart_source, bool reroute)
{
	const u8 *old_pt_mask = flow->cfg.pt_mask;
	struct dst_entry *old_dst = NULL;
	struct rtpfwd_endpoint source;
	u8 src_state;

	write_seqlock_bh(&flow->lock);
	source = flow->cfg.source;
	src_state = flow->cfg.src_state;
	flow->cfg = *cfg;
	if (!restart_source) {
		flow->cfg.source = source;
		flow->cfg.src_state = src_state;
	}
	if (reroute)
		old_dst = rcu_replace_pointer(flow->dst, NULL,
					      lockdep_is_held(&flow->lock.lock));
	write_sequnlock_bh(&flow->lock);
	/* Packets still using it without a reference are inside RCU. */
	dst_release(old_dst);
	if (old_pt_mask != cfg->pt_mask)
		rtpfwd_flow_pt_mask_free(old_pt_mask);
}

/**
 * rtpfwd_flow_view - copy a flow's configuration and state consistently
 * @flow: the flow
 * @v: the copy
 *
 * Context: process or softirq; the flow must stay alive (RCU or netns lock),
 * and the caller must not hold the flow's lock.
 */
void rtpfwd_flow_view(struct rtpfwd_flow *flow, struct rtpfwd_flow_view *v)
{
	read_seqlock_excl_bh(&flow->lock);
	v->cfg = flow->cfg;
	v->rtp = flow->rtp;
	read_sequnlock_excl_bh(&flow->lock);
	v->first = READ_ONCE(flow->first);
	v->last = READ_ONCE(flow->last);
}

/**
 * rtpfwd_flow_touch - note that a packet was forwarded now
 * @flow: the flow
 *
 * Context: softirq (the netfilter hook), rcu_read_lock held.
 */
void rtpfwd_flow_touch(struct rtpfwd_flow *flow)
{
	u32 now = jiffies;

	/* A first packet at jiffy 0 (mod 2^32) is dated by the next one. */
	if (unlikely(!READ_ONCE(flow->first)))
		WRITE_ONCE(flow->first, now);
	/* One write per jiffy at most keeps the cache line quiet. */
	if (READ_ONCE(flow->last) != now)
		WRITE_ONCE(flow->last, now);
}
