/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_REGISTRAR_H
#define SIPPROXY_REGISTRAR_H

#include "core.h"

/* "sip:" user "@" host, the longest AOR the location service keeps. */
#define REGISTRAR_AOR_MAX (LOCATION_MAX_AOR_LEN + 1)

void registrar_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		       const struct tp_addr *src);
int registrar_aor(const struct core *c, const struct sip_uri *uri, char aor[REGISTRAR_AOR_MAX]);
size_t registrar_contacts(const struct location_binding **b, size_t n, int64_t now,
			  char *out, size_t cap);

#endif
