/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_FLOW_H
#define _RTPFWD_FLOW_H

#include <linux/in6.h>
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
	u8 pt_mask[16];			/* bit N%8 of byte N/8 allows PT N */
	u32 timeout;			/* seconds, 0 = none */
	u32 clock_rate;			/* Hz */
	u8 flags;			/* enum rtpfwd_flag */
	u8 policy;			/* enum rtpfwd_policy */
	u8 tos;				/* DS field to write, 0 = leave */
	u8 src_state;			/* enum rtpfwd_src_state, learn only */
	u64 cookie;
};

/*
 * A forwarding flow: 224 bytes on x86-64 without lock debugging (checked at
 * build time: 18 fit a 4 KiB slab page), plus the per-CPU counters. Fields
 * the data path writes come after the configuration it reads.
 *
 * Lifetime: reached through the netns table under RCU (data path, /proc) or
 * with the netns lock held (netlink, idle work). Removal unlinks it under the
 * netns lock and frees it through call_rcu(), so RCU readers never need a
 * reference.
 */
struct rtpfwd_flow {
	struct rhash_head node;
	struct rtpfwd_key key;
	u32 id;
	seqlock_t lock;
	struct rtpfwd_flow_cfg cfg;
	struct rtpfwd_rtp_stats rtp;	/* under read_seqlock_excl() */
	u16 cand_seq;			/* sequence of the candidate's last packet */
	u32 dst_cookie;			/* IPv6 route validity, see dst_check() */
	u64 first;			/* jiffies64 of the first forwarded packet, 0 = none */
	u64 last;			/* of the last one; the creation time before */
	struct dst_entry __rcu *dst;	/* route to peer, one reference; forward.c */
	struct rtpfwd_counters __percpu *stats;
	/*
	 * Only holders of the netns lock use these, and never once the flow is
	 * unlinked: then its RCU callback takes their room.
	 */
	union {
		struct {
			u64 idle_ref;	/* the last value reported idle */
			u32 owner;	/* netlink portid of the creator */
		};
		struct rcu_head rcu;
	};
};

/* Whether a configuration filters payload types at all. */
static inline bool rtpfwd_flow_pt_filter(const struct rtpfwd_flow_cfg *cfg)
{
	return memchr_inv(cfg->pt_mask, 0xff, sizeof(cfg->pt_mask));
}

/* A consistent copy of a flow for replies, events and /proc. */
struct rtpfwd_flow_view {
	struct rtpfwd_flow_cfg cfg;
	struct rtpfwd_rtp_stats rtp;
	u64 first;
	u64 last;
};

int rtpfwd_flow_cache_init(void);
void rtpfwd_flow_cache_destroy(void);
void rtpfwd_flow_cfg_init(struct rtpfwd_flow_cfg *cfg);
struct rtpfwd_flow *rtpfwd_flow_create(const struct rtpfwd_key *key,
				       const struct rtpfwd_flow_cfg *cfg,
				       u32 owner, struct netlink_ext_ack *extack);
void rtpfwd_flow_put(struct rtpfwd_flow *flow);
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
