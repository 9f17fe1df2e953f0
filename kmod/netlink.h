/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_NETLINK_H
#define _RTPFWD_NETLINK_H

#include <net/genetlink.h>

struct rtpfwd_flow;

extern struct genl_family rtpfwd_nl_family;

int rtpfwd_nl_register(void);
void rtpfwd_nl_unregister(void);
size_t rtpfwd_nl_flow_size(void);
int rtpfwd_nl_fill_flow(struct sk_buff *skb, struct rtpfwd_flow *flow,
			u32 portid, u32 seq, int flags, u8 cmd, u8 reason,
			struct netlink_callback *cb);

#endif /* _RTPFWD_NETLINK_H */
