/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_TABLE_H
#define _RTPFWD_TABLE_H

#include <linux/rhashtable-types.h>
#include <linux/xarray.h>

struct rtpfwd_flow;
struct rtpfwd_key;

/*
 * A netns' flows, twice: by local endpoint for the data path (rhashtable,
 * RCU lookups) and by id for netlink and /proc (xarray, ids 1..U32_MAX
 * handed out cyclically so a deleted id is not reused soon).
 */
struct rtpfwd_table {
	struct rhashtable by_local;
	struct xarray by_id;
	u32 next_id;
};

/* xarray marks on by_id (XA_MARK_0 tracks free ids). */
#define RTPFWD_MARK_OWNED	XA_MARK_1
#define RTPFWD_MARK_TIMED	XA_MARK_2

int rtpfwd_table_init(struct rtpfwd_table *t);
void rtpfwd_table_destroy(struct rtpfwd_table *t);
int rtpfwd_table_insert(struct rtpfwd_table *t, struct rtpfwd_flow *flow);
void rtpfwd_table_remove(struct rtpfwd_table *t, struct rtpfwd_flow *flow);
struct rtpfwd_flow *rtpfwd_table_lookup(struct rtpfwd_table *t,
					const struct rtpfwd_key *key);
struct rtpfwd_flow *rtpfwd_table_find(struct rtpfwd_table *t, u32 id);
void rtpfwd_table_mark(struct rtpfwd_table *t, struct rtpfwd_flow *flow,
		       xa_mark_t mark, bool on);

#ifdef DEBUG
bool rtpfwd_table_selftest(unsigned int *passed);
#endif

#endif /* _RTPFWD_TABLE_H */
