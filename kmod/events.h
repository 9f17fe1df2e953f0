/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_EVENTS_H
#define _RTPFWD_EVENTS_H

#include <linux/types.h>

struct net;
struct rtpfwd_flow;

void rtpfwd_events_start(void);
void rtpfwd_events_stop(void);
void rtpfwd_events_flow(struct net *net, struct rtpfwd_flow *flow, u8 cmd);
void rtpfwd_events_deleted(struct net *net, struct rtpfwd_flow *flow,
			   u8 reason);

#endif /* _RTPFWD_EVENTS_H */
