/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_ROUTING_H
#define SIPPROXY_ROUTING_H

#include <stddef.h>

#include "config.h"
#include "sip_uri.h"

/*
 * Where a request goes, decided from its Request-URI alone (no I/O):
 *
 * 1. A telephone number: a tel: URI with a global number, or a sip:/sips:
 *    URI with user=phone whose user part (up to the first ';') is "+" and
 *    digits with the visual separators "-.()" of RFC 3966. Separators are
 *    dropped and the longest "+DIGITS" route that is a prefix of the number
 *    wins (ROUTING_STATIC). Numbers of more than 15 digits are no numbers.
 *    A tel: URI that matches no number route (local numbers included) is
 *    ROUTING_NONE with 404: there is no host to fall back to.
 * 2. A host that is one of [general] domains (case-insensitive, a trailing
 *    dot ignored; addresses compared as addresses): ROUTING_LOCAL.
 * 3. A domain route equal to the host or to one of its parent domains at a
 *    label boundary ("example.com" matches "pbx.example.com", never
 *    "badexample.com"); the longest wins (ROUTING_STATIC).
 * 4. Anything else with a host: ROUTING_DNS, RFC 3263 on the URI itself.
 *
 * Other schemes are ROUTING_NONE with 416 (Unsupported URI Scheme).
 *
 * A static route's next hop is used as configured: a sips: Request-URI
 * routed to a sip: next hop would leave over a hop that may not be TLS
 * (RFC 3261 26.2.2), so the core should refuse that pairing (or the
 * operator configure a sips: next hop for it).
 */
enum routing_kind {
	ROUTING_LOCAL = 1,	/* our domain: the location service decides */
	ROUTING_STATIC,		/* resolve @next_hop and send there */
	ROUTING_DNS,		/* resolve the Request-URI itself */
	ROUTING_NONE,		/* reply @status */
};

struct routing_decision {
	enum routing_kind kind;
	/* ROUTING_STATIC: the [routes] key and its parsed next hop, owned by the table. */
	const char *match;
	const struct sip_uri *next_hop;
	/* ROUTING_NONE: the final response to send. */
	int status;
};

struct routing;

int routing_new(const struct config *cfg, struct routing **out, char *why, size_t len);
void routing_free(struct routing *r);
void routing_decide(const struct routing *r, const struct sip_uri *uri,
		    struct routing_decision *d);

#endif
