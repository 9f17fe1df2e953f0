/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_REDIRECT_H
#define SIPPROXY_REDIRECT_H

#include "core.h"

void redirect_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		      const struct tp_addr *src);

#endif
