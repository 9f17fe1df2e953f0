/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_HOOK_H
#define _RTPFWD_HOOK_H

struct net;
struct sk_buff;

enum rtpfwd_hook_at {
	RTPFWD_HOOK_PREROUTING,
	RTPFWD_HOOK_INPUT,
	RTPFWD_HOOK_INGRESS,
};

void rtpfwd_hook_setup(enum rtpfwd_hook_at at);
int rtpfwd_hook_register(struct net *net);
void rtpfwd_hook_unregister(struct net *net);
unsigned int rtpfwd_hook_v4(struct net *net, struct sk_buff *skb);
unsigned int rtpfwd_hook_v6(struct net *net, struct sk_buff *skb);

#endif /* _RTPFWD_HOOK_H */
