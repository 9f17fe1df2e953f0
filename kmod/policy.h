/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_POLICY_H
#define _RTPFWD_POLICY_H

#include <linux/types.h>

#include "flow.h"

struct netlink_ext_ack;
struct nlattr;
struct rtpfwd_table;
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

int rtpfwd_policy_judge(struct rtpfwd_table *table, struct rtpfwd_flow *flow,
			struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
			struct rtpfwd_fwd *fwd);
int rtpfwd_policy_parse_learn(const struct nlattr *expect,
			      const struct nlattr *flags, u8 family,
			      struct rtpfwd_flow_cfg *cfg, bool restart,
			      struct netlink_ext_ack *extack);
int rtpfwd_policy_put_expect(struct sk_buff *skb, u8 family,
			     const struct rtpfwd_flow_cfg *cfg);

#endif /* _RTPFWD_POLICY_H */
