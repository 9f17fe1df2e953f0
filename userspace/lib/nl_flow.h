/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_NL_FLOW_H
#define SIPPROXY_NL_FLOW_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>
#include <uapi/linux/rtpfwd.h>

#include "endpoint.h"

#define NL_PT_MASK_LEN 16

/* Counters of a flow or a netns, indexed by enum rtpfwd_stats. */
struct nl_stats {
	uint32_t present;	/* bit N: counter N was in the message */
	uint64_t v[RTPFWD_STATS_MAX + 1];
};

/*
 * The userspace view of a flow: a request to encode or a reply or event
 * decoded. Only the attributes whose bit (1 << RTPFWD_A_*) is in @attrs
 * are encoded, and decoding sets the bits of those it found.
 */
struct nl_flow {
	uint32_t attrs;
	uint32_t id;
	uint64_t cookie;
	struct endpoint local, out, peer, source;
	struct endpoint expect;		/* learn hint; port 0: any port */
	uint8_t policy;
	uint32_t flags;
	uint8_t pt_mask[NL_PT_MASK_LEN];
	uint32_t timeout;
	uint8_t tos;
	uint32_t clock_rate;
	uint8_t delete_reason;
	bool learned;
	struct nl_stats stats;
};

static inline bool nl_flow_has(const struct nl_flow *flow, int attr)
{
	return flow->attrs & (1U << attr);
}

static inline void nl_flow_mark(struct nl_flow *flow, int attr)
{
	flow->attrs |= 1U << attr;
}

static inline bool nl_stats_has(const struct nl_stats *stats, int counter)
{
	return stats->present & (1U << counter);
}

void nl_flow_put(struct nlmsghdr *nlh, const struct nl_flow *flow);

/*
 * FLOW_NEW_MANY: RTPFWD_MANY_MAX flows at most per request, all created or
 * none. An IPv6 flow with every attribute takes at most NL_MANY_FLOW_SIZE
 * bytes of the request.
 */
#define NL_MANY_FLOW_SIZE 256
void nl_flow_put_many(struct nlmsghdr *nlh, const struct nl_flow *flows, size_t n);
void nl_flow_put_refs(struct nlmsghdr *nlh, const struct nl_flow *const *flows, size_t n);
long nl_flow_parse_ids(const struct nlmsghdr *nlh, uint32_t *ids, size_t n);
int nl_flow_parse(const struct nlmsghdr *nlh, struct nl_flow *flow);
int nl_stats_parse(const struct nlmsghdr *nlh, struct nl_stats *stats);

#endif
