/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_REPLY_H
#define SIPPROXY_SIP_REPLY_H

#include "sip_msg.h"

int sip_reply_build(const struct sip_msg *req, int status, const char *reason,
		    struct sip_str to_tag, struct sip_str extra,
		    char *out, size_t cap, size_t *len);

#endif
