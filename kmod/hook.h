/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_HOOK_H
#define _RTPFWD_HOOK_H

struct net;

void rtpfwd_hook_setup(bool input);
int rtpfwd_hook_register(struct net *net);
void rtpfwd_hook_unregister(struct net *net);

#endif /* _RTPFWD_HOOK_H */
