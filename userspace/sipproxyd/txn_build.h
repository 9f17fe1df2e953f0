/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TXN_BUILD_H
#define SIPPROXY_TXN_BUILD_H

#include "sip_msg.h"

/* An ACK or CANCEL: the start line, a few fields and the Route set. */
#define TXN_BUILD_MAX (4 * SIP_MAX_LINE_LEN)

int txn_build_ack(const struct sip_msg *req, const struct sip_msg *resp, char *out, size_t cap,
		  size_t *len);
int txn_build_cancel(const struct sip_msg *req, char *out, size_t cap, size_t *len);
int txn_build_stub(const struct sip_msg *req, char *out, size_t cap, size_t *len);

#endif
