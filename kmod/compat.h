/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One spelling for kernel APIs that differ between the kernels we build for.
 * The RTPFWD_HAVE_* defines come from header probes in kmod/Kbuild.
 */
#ifndef _RTPFWD_COMPAT_H
#define _RTPFWD_COMPAT_H

#include <net/genetlink.h>

/*
 * Events carry peer addresses, so where the kernel can restrict a multicast
 * group to CAP_NET_ADMIN in the socket's user namespace, do it. Elsewhere any
 * local user may subscribe (Documentation/rtpfwd.rst says so).
 */
#ifdef RTPFWD_HAVE_GENL_MCAST_CAP
#define RTPFWD_MCGRP_FLAGS	.flags = GENL_MCAST_CAP_NET_ADMIN,
#else
#define RTPFWD_MCGRP_FLAGS
#endif

/* The attributes of a dump request. */
#ifdef RTPFWD_HAVE_GENL_DUMPIT_INFO_INFO
#define rtpfwd_dump_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#else
#define rtpfwd_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

#ifdef RTPFWD_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _RTPFWD_COMPAT_H */
