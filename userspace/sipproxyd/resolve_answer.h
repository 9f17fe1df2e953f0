/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RESOLVE_ANSWER_H
#define SIPPROXY_RESOLVE_ANSWER_H

#include <stddef.h>

#include "resolve_order.h"

/*
 * DNS answers (raw, as c-ares or the cache hands them over) turned into
 * resolve_order.h's steps with c-ares' record parsers. A malformed answer
 * counts as no records.
 */

size_t resolve_answer_services(const unsigned char *abuf, size_t alen,
			       const struct resolve_plan *plan, unsigned int transports,
			       struct resolve_service *out, size_t max);
size_t resolve_answer_hops(const unsigned char *abuf, size_t alen,
			   enum resolve_transport transport, struct resolve_rng *rng,
			   struct resolve_hop *out, size_t max, size_t *nhops);
bool resolve_answer_targets(struct resolve_targets *t, const struct resolve_hop *hop,
			    const unsigned char *a6, size_t a6len,
			    const unsigned char *a4, size_t a4len, bool prefer_ipv4);

#endif
