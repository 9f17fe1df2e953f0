/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_PROXY_VIA_H
#define SIPPROXY_PROXY_VIA_H

#include "core.h"

/* One header value we build: a Via or a Record-Route. */
#define PROXY_HDR_MAX 512

int proxy_via_received(const struct sip_msg *msg, const struct tp_addr *src, char *out,
		       size_t cap, bool *changed);
int proxy_via_ours(struct core *c, const struct tp_addr *dst, const char *branch, char *out,
		   size_t cap);
void proxy_branch_make(struct core *c, const struct sip_msg *msg, char out[TXN_BRANCH_MAX]);
void proxy_branch_stateless(const struct sip_msg *msg, char out[TXN_BRANCH_MAX]);
bool proxy_loop_detected(struct core *c, const struct sip_msg *msg);
int proxy_record_route(struct core *c, const struct tp_addr *in, const struct tp_addr *out,
		       char *buf, size_t cap, char *second, size_t second_cap);

#endif
