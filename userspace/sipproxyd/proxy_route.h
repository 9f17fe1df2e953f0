/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_PROXY_ROUTE_H
#define SIPPROXY_PROXY_ROUTE_H

#include "core.h"

/* Route entries one request may carry through us; more is answered 400. */
#define PROXY_MAX_ROUTES 32

/*
 * The Request-URI and Route set a request leaves with, as views into the
 * received message (or into the binding it was sent to).
 */
struct proxy_route_set {
	struct sip_str ruri;
	struct sip_str routes[PROXY_MAX_ROUTES + 1];	/* whole entries: "<sip:x;lr>" */
	size_t n;
	bool changed;		/* the Route header must be written anew */
	bool ours;		/* a Route entry named us: we record-routed this dialog */
};

int proxy_route_preprocess(struct core *c, const struct sip_msg *msg, struct proxy_route_set *rs);
int proxy_route_prepend(struct proxy_route_set *rs, struct sip_str path);
int proxy_route_next_hop(struct core *c, struct proxy_route_set *rs, struct tp_addr *dst,
			 struct sip_uri *hop);
int proxy_uri_destination(struct core *c, const struct sip_uri *uri, struct tp_addr *dst);
size_t proxy_route_join(const struct proxy_route_set *rs, char *out, size_t cap);

#endif
