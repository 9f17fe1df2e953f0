/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RTPFWD_MAIN_H
#define _RTPFWD_MAIN_H

#include <linux/types.h>

/* Module parameter, read-only once loaded. */
extern unsigned int rtpfwd_max_flows;

#endif /* _RTPFWD_MAIN_H */
