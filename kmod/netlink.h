/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_NETLINK_H
#define _RTPFWD_NETLINK_H

#include <net/genetlink.h>

struct rtpfwd_flow;
struct rtpfwd_endpoint;

/*
 * Refuses @attr with the literal @msg (NL_SET_ERR_MSG_MOD() pastes it,
 * hence a macro), as -EINVAL.
 */
#define reject(extack, attr, msg) ({			\
	NL_SET_ERR_MSG_MOD(extack, msg);		\
	NL_SET_BAD_ATTR(extack, attr);			\
	-EINVAL;					\
})


extern struct genl_family rtpfwd_nl_family;

int rtpfwd_nl_register(void);
void rtpfwd_nl_unregister(void);
size_t rtpfwd_nl_flow_size(void);
bool rtpfwd_nl_ep_addr(struct nlattr **tb, u8 family, struct rtpfwd_endpoint *ep);
int rtpfwd_nl_fill_flow(struct sk_buff *skb, struct rtpfwd_flow *flow,
			u32 portid, u32 seq, int flags, u8 cmd, u8 reason,
			struct netlink_callback *cb);

#endif /* _RTPFWD_NETLINK_H */
