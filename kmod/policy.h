/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_POLICY_H
#define _RTPFWD_POLICY_H

#include <linux/types.h>

#include "flow.h"

struct sk_buff;

/* rtpfwd_policy_judge() and rtpfwd_forward() return this or an rtpfwd_drop. */
#define RTPFWD_PASS (-1)

/* A UDP packet the hook parsed. */
struct rtpfwd_pkt {
	struct rtpfwd_key dst;		/* its destination: the lookup key */
	struct rtpfwd_endpoint src;
	unsigned int thoff;		/* UDP header offset from the network header */
	unsigned int len;		/* UDP payload length */
};

/* What forwarding needs, copied from the flow while judging. */
struct rtpfwd_fwd {
	struct rtpfwd_endpoint out;
	struct rtpfwd_endpoint peer;
	unsigned int seq;		/* flow->lock sequence the copy is from */
	u8 tos;
	bool rtcp;			/* count as RTCP */
	bool learned;			/* this packet locked a learn source */
};

int rtpfwd_policy_judge(struct rtpfwd_flow *flow, struct sk_buff *skb,
			const struct rtpfwd_pkt *pkt, struct rtpfwd_fwd *fwd);

#endif /* _RTPFWD_POLICY_H */
