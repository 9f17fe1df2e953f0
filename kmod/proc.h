/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_PROC_H
#define _RTPFWD_PROC_H

struct net;

int rtpfwd_proc_init(struct net *net);
void rtpfwd_proc_exit(struct net *net);

#endif /* _RTPFWD_PROC_H */
