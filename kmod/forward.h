/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_FORWARD_H
#define _RTPFWD_FORWARD_H

#include <linux/types.h>

struct net;
struct sk_buff;
struct rtpfwd_flow;
struct rtpfwd_fwd;
struct rtpfwd_net;
struct rtpfwd_pkt;

int rtpfwd_forward(struct net *net, struct rtpfwd_net *rn, struct sk_buff *skb,
		   struct rtpfwd_flow *flow, const struct rtpfwd_pkt *pkt,
		   const struct rtpfwd_fwd *fwd, bool direct);

#endif /* _RTPFWD_FORWARD_H */
