/* SPDX-License-Identifier: GPL-2.0 */
/* Policies and operations of the rtpfwd family; handlers are in netlink.c. */
#ifndef _RTPFWD_NETLINK_GEN_H
#define _RTPFWD_NETLINK_GEN_H

#include <net/genetlink.h>
#include <uapi/linux/rtpfwd.h>

/* TIMEOUT's upper bound in seconds: one day. */
#define RTPFWD_TIMEOUT_MAX	86400
#define RTPFWD_CLOCK_RATE_MAX	1000000

extern const struct nla_policy rtpfwd_ep_nl_policy[RTPFWD_EP_MAX + 1];
extern const struct genl_ops rtpfwd_nl_ops[7];

int rtpfwd_nl_flow_new_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_flow_new_many_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_flow_set_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_flow_del_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int rtpfwd_nl_flush_doit(struct sk_buff *skb, struct genl_info *info);
int rtpfwd_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _RTPFWD_NETLINK_GEN_H */
