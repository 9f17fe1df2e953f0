/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TXN_REPLY_H
#define SIPPROXY_TXN_REPLY_H

#include "sip_msg.h"
#include "transport.h"

int txn_reply_build(const struct sip_msg *req, const struct tp_addr *src, int status,
		    const char *reason, struct sip_str to_tag, struct sip_str extra, char *out,
		    size_t cap, size_t *len);

#endif
