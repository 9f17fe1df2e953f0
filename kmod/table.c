// SPDX-License-Identifier: GPL-2.0
/*
 * The per-netns flow table: an rhashtable keyed by local endpoint (family,
 * address, port) for O(1) lookups from the data path, and an xarray of ids
 * for netlink, dumps and /proc. Writers hold the netns lock; readers use RCU.
 */
#include <linux/rhashtable.h>

#include "flow.h"
#include "table.h"

static const struct rhashtable_params params = {
	.key_len = sizeof(struct rtpfwd_key),
	.key_offset = offsetof(struct rtpfwd_flow, key),
	.head_offset = offsetof(struct rtpfwd_flow, node),
	.automatic_shrinking = true,
};

/**
 * rtpfwd_table_init - set up an empty table
 * @t: the table
 *
 * Context: process.
 * Return: 0 or -ENOMEM.
 */
int rtpfwd_table_init(struct rtpfwd_table *t)
{
	xa_init_flags(&t->by_id, XA_FLAGS_ALLOC1);
	t->next_id = 1;
	return rhashtable_init(&t->by_local, &params);
}

/**
 * rtpfwd_table_destroy - free an empty table's memory
 * @t: the table, which must hold no flows any more
 *
 * Context: process.
 */
void rtpfwd_table_destroy(struct rtpfwd_table *t)
{
	WARN_ON(!xa_empty(&t->by_id));
	rhashtable_destroy(&t->by_local);
	xa_destroy(&t->by_id);
}

/**
 * rtpfwd_table_insert - give a flow an id and make it reachable
 * @t: the table
 * @flow: the new flow, key filled in; flow->id is set here
 *
 * The flow is visible to RCU readers from here on, even if this fails, so
 * the caller frees it with rtpfwd_flow_put() either way.
 *
 * Context: process, the netns lock held.
 * Return: 0, -EEXIST when the local endpoint is taken, -EBUSY when all ids
 * are in use, or -ENOMEM.
 */
int rtpfwd_table_insert(struct rtpfwd_table *t, struct rtpfwd_flow *flow)
{
	int err;

	err = xa_alloc_cyclic(&t->by_id, &flow->id, flow, xa_limit_32b,
			      &t->next_id, GFP_KERNEL);
	if (err < 0)
		return err;
	err = rhashtable_lookup_insert_fast(&t->by_local, &flow->node, params);
	if (err)
		xa_erase(&t->by_id, flow->id);
	return err;
}

/**
 * rtpfwd_table_remove - make a flow unreachable
 * @t: the table
 * @flow: a flow rtpfwd_table_insert() succeeded for
 *
 * RCU readers may still hold it until a grace period has passed.
 *
 * Context: process, the netns lock held.
 */
void rtpfwd_table_remove(struct rtpfwd_table *t, struct rtpfwd_flow *flow)
{
	rhashtable_remove_fast(&t->by_local, &flow->node, params);
	xa_erase(&t->by_id, flow->id);
}

/**
 * rtpfwd_table_lookup - find the flow of a local endpoint
 * @t: the table
 * @key: the endpoint, padding zeroed
 *
 * Context: rcu_read_lock held, or the netns lock.
 * Return: the flow or NULL.
 */
struct rtpfwd_flow *rtpfwd_table_lookup(struct rtpfwd_table *t,
					const struct rtpfwd_key *key)
{
	return rhashtable_lookup(&t->by_local, key, params);
}

/**
 * rtpfwd_table_find - find a flow by id
 * @t: the table
 * @id: its id
 *
 * Context: rcu_read_lock held, or the netns lock.
 * Return: the flow or NULL.
 */
struct rtpfwd_flow *rtpfwd_table_find(struct rtpfwd_table *t, u32 id)
{
	return xa_load(&t->by_id, id);
}

/**
 * rtpfwd_table_mark - set or clear an xarray mark on a flow
 * @t: the table
 * @flow: a flow in @t
 * @mark: RTPFWD_MARK_OWNED or RTPFWD_MARK_TIMED
 * @on: set or clear
 *
 * Marks let the owner release and the idle work visit only the flows
 * concerned (xa_for_each_marked()).
 *
 * Context: the netns lock held.
 */
void rtpfwd_table_mark(struct rtpfwd_table *t, struct rtpfwd_flow *flow,
		       xa_mark_t mark, bool on)
{
	if (on)
		xa_set_mark(&t->by_id, flow->id, mark);
	else
		xa_clear_mark(&t->by_id, flow->id, mark);
}

#ifdef DEBUG
#include "selftest/table.c"
#endif
