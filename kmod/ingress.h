/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_INGRESS_H
#define _RTPFWD_INGRESS_H

int rtpfwd_ingress_register(void);
void rtpfwd_ingress_unregister(void);

#endif /* _RTPFWD_INGRESS_H */
