/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_FLOW_H
#define _RTPFWD_FLOW_H

#include <linux/in6.h>
#include <linux/llist.h>
#include <linux/rhashtable-types.h>
#include <linux/seqlock.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <uapi/linux/rtpfwd.h>

#include "rtp.h"

struct dst_entry;
struct netlink_ext_ack;
struct rtpfwd_counters;

union rtpfwd_addr {
	__be32 v4;
	struct in6_addr v6;
};

/* An address and port; the family is the flow's (key.family). */
struct rtpfwd_endpoint {
	union rtpfwd_addr addr;
	__be16 port;
};

/* The lookup key: a local endpoint. Zero it whole before filling it in. */
struct rtpfwd_key {
	union rtpfwd_addr addr;
	__be16 port;
	u8 family;	/* AF_INET or AF_INET6 */
	u8 pad;
};

/*
 * The one source slot: what cfg.source holds for the learn policy. Until
 * locking it may also hold the EXPECT hint (policy.c): its bits are or-ed
 * into NONE and CANDIDATE, never into LOCKED, so the slot costs no bytes.
 */
enum rtpfwd_src_state {
	RTPFWD_SRC_NONE,
	RTPFWD_SRC_CANDIDATE,	/* in probation */
	RTPFWD_SRC_LOCKED,	/* learned: enforced like strict */
	RTPFWD_SRC_STATE	= 0x3,	/* mask of the three above */
	RTPFWD_SRC_EXPECT	= 0x4,	/* source.addr is the hint */
	RTPFWD_SRC_EXPECT_PORT	= 0x8,	/* and so is source.port */
};

/*
 * What FLOW_SET changes. Written under write_seqlock(&flow->lock) with the
 * netns lock held, so a packet sees the old or the new configuration, never
 * a mix. source and src_state are also written by the data path, under
 * read_seqlock_excl(), while learning.
 */
struct rtpfwd_flow_cfg {
	struct rtpfwd_endpoint out;
	struct rtpfwd_endpoint peer;
	struct rtpfwd_endpoint source;	/* strict: required; learn: hint/candidate/learned */
	u32 timeout;			/* seconds, 0 = none */
	u32 clock_rate;			/* Hz */
	u8 flags;			/* enum rtpfwd_flag */
	u8 policy;			/* enum rtpfwd_policy */
	u8 tos;				/* DS field to write, 0 = leave */
	u8 src_state;			/* enum rtpfwd_src_state, learn only */
	/*
	 * NULL: every payload type passes (the default, and what a mask of
	 * all ones becomes). Else the bits of a struct rtpfwd_pt_mask, which
	 * the flow owns; a replaced one is freed after a grace period.
	 */
	const u8 *pt_mask;
	u64 cookie;
};

/* A payload-type allow-list: bit N%8 of byte N/8 allows PT N. */
#define RTPFWD_PT_MASK_LEN 16
struct rtpfwd_pt_mask {
	u8 bits[RTPFWD_PT_MASK_LEN];
	struct rcu_head rcu;
};

/*
 * A forwarding flow: 192 bytes on x86-64 without lock debugging (checked at
 * build time: 21 fit a 4 KiB slab page), plus the per-CPU counters. The
 * lookup key, the lock and the endpoints come first; what the data path
 * writes (RTP state, times, route) is in the last of its three cache lines.
 *
 * Lifetime: reached through the netns table under RCU (data path, /proc) or
 * with the netns lock held (netlink, idle work). Removal unlinks it under the
 * netns lock and hands it to rtpfwd_flow_put(), which frees it after a grace
 * period, so RCU readers never need a reference.
 */
struct rtpfwd_flow {
	struct rhash_head node;
	struct rtpfwd_key key;
	u32 id;
	seqlock_t lock;
	struct rtpfwd_flow_cfg cfg;
	struct rtpfwd_rtp_stats rtp;	/* under read_seqlock_excl() */
	u32 dst_cookie;			/* IPv6 route validity, see dst_check() */
	/*
	 * Low 32 bits of jiffies: ages are exact up to 2^32 jiffies (49 days
	 * at HZ=1000, 198 at Debian's 250).
	 */
	u32 first;			/* of the first forwarded packet, 0 = none */
	u32 last;			/* of the last one; the creation time before */
	struct dst_entry __rcu *dst;	/* route to peer, one reference; forward.c */
	struct rtpfwd_counters __percpu *stats;
	/*
	 * Only holders of the netns lock use these, and never once the flow is
	 * unlinked: then the free list takes their room.
	 */
	union {
		struct {
			u32 idle_ref;	/* the last value reported idle */
			u32 owner;	/* netlink portid of the creator */
		};
		struct llist_node free;
	};
};

/* Whether a configuration filters payload types at all. */
static inline bool rtpfwd_flow_pt_filter(const struct rtpfwd_flow_cfg *cfg)
{
	return cfg->pt_mask;
}

/* A consistent copy of a flow for replies, events and /proc. */
struct rtpfwd_flow_view {
	struct rtpfwd_flow_cfg cfg;
	struct rtpfwd_rtp_stats rtp;
	u32 first;
	u32 last;
};

int rtpfwd_flow_cache_init(void);
void rtpfwd_flow_cache_destroy(void);
void rtpfwd_flow_cfg_init(struct rtpfwd_flow_cfg *cfg);
struct rtpfwd_flow *rtpfwd_flow_create(const struct rtpfwd_key *key,
				       const struct rtpfwd_flow_cfg *cfg,
				       u32 owner, struct netlink_ext_ack *extack);
void rtpfwd_flow_put(struct rtpfwd_flow *flow);
int rtpfwd_flow_pt_mask(struct rtpfwd_flow_cfg *cfg, const u8 *bits);
void rtpfwd_flow_pt_mask_free(const u8 *pt_mask);
void rtpfwd_flow_configure(struct rtpfwd_flow *flow,
			   const struct rtpfwd_flow_cfg *cfg,
			   bool restart_source, bool reroute);
void rtpfwd_flow_view(struct rtpfwd_flow *flow, struct rtpfwd_flow_view *v);
void rtpfwd_flow_touch(struct rtpfwd_flow *flow);

static inline bool rtpfwd_endpoint_equal(const struct rtpfwd_endpoint *a,
				   const struct rtpfwd_endpoint *b, u8 family)
{
	if (a->port != b->port)
		return false;
	if (family == AF_INET)
		return a->addr.v4 == b->addr.v4;
	return ipv6_addr_equal(&a->addr.v6, &b->addr.v6);
}

#endif /* _RTPFWD_FLOW_H */
