// SPDX-License-Identifier: GPL-2.0
/*
 * Route processing of the proxy (RFC 3261 16.4, 16.6 steps 6-7): our own
 * entries leave the Route set, a strict-routing previous hop is undone, a
 * strict-routing next hop gets the Request-URI it expects, and the next
 * hop becomes an address and a transport.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proxy_route.h"

static bool entry_uri(struct sip_str entry, struct sip_uri *uri)
{
	struct sip_scan sc;
	struct sip_addr addr;

	sip_scan_init(&sc, entry);
	return sip_addr_scan(&sc, SIP_HDR_ROUTE, &addr) && !sip_uri_parse(addr.uri_text, uri);
}

static struct sip_str entry_uri_text(struct sip_str entry)
{
	struct sip_scan sc;
	struct sip_addr addr;

	sip_scan_init(&sc, entry);
	return sip_addr_scan(&sc, SIP_HDR_ROUTE, &addr) ? addr.uri_text : SIP_STR_NONE;
}

static void drop_first(struct proxy_route_set *rs)
{
	memmove(rs->routes, rs->routes + 1, (rs->n - 1) * sizeof(rs->routes[0]));
	rs->n--;
	rs->changed = true;
}

/**
 * proxy_route_preprocess - 16.4 on @msg
 *
 * A Request-URI naming us means the previous hop routed strictly: the last
 * Route entry is the real Request-URI. Then the top Route entries naming
 * us go (two when we record-routed twice, RFC 5658).
 *
 * Return: 0, or -E2BIG for more than PROXY_MAX_ROUTES entries.
 */
int proxy_route_preprocess(struct core *c, const struct sip_msg *msg, struct proxy_route_set *rs)
{
	struct sip_addr addr;
	struct sip_iter it;
	struct sip_uri uri;
	struct endpoint ep;
	int i;

	memset(rs, 0, sizeof(*rs));
	rs->ruri = msg->ruri.raw;
	sip_iter_init(&it, msg, SIP_HDR_ROUTE);
	while (sip_iter_addr(&it, &addr) == 1) {
		if (rs->n == PROXY_MAX_ROUTES)
			return -E2BIG;
		rs->routes[rs->n++] = addr.raw;
	}
	if (rs->n && core_uri_endpoint(&msg->ruri, &ep) && transport_is_local(c->tp, &ep)) {
		rs->ruri = entry_uri_text(rs->routes[rs->n - 1]);
		rs->n--;
		rs->changed = true;
		rs->ours = true;
	}
	for (i = 0; i < 2 && rs->n && entry_uri(rs->routes[0], &uri) && core_uri_is_us(c, &uri);
	     i++) {
		drop_first(rs);
		rs->ours = true;
	}
	return 0;
}

/* Path entries of a binding (RFC 3327) go on top of the Route set. */
int proxy_route_prepend(struct proxy_route_set *rs, struct sip_str path)
{
	struct sip_scan sc;
	struct sip_addr addr;
	struct sip_str add[PROXY_MAX_ROUTES];
	size_t n = 0;

	sip_scan_init(&sc, path);
	while (!sip_scan_eof(&sc)) {
		if (!sip_addr_scan(&sc, SIP_HDR_ROUTE, &addr) || n == PROXY_MAX_ROUTES)
			return -EINVAL;
		add[n++] = addr.raw;
		if (!sip_scan_eof(&sc) && !sip_scan_sep(&sc, ','))
			return -EINVAL;
	}
	if (rs->n + n > PROXY_MAX_ROUTES)
		return -E2BIG;
	memmove(rs->routes + n, rs->routes, rs->n * sizeof(rs->routes[0]));
	memcpy(rs->routes, add, n * sizeof(add[0]));
	rs->n += n;
	rs->changed |= n > 0;
	return 0;
}

/**
 * proxy_uri_destination - the address and transport to reach @uri by
 *
 * sips: means TLS, else the transport parameter, else UDP, with the
 * default port of the transport when none is given.
 *
 * Return: 0; -EAGAIN when the host is a name (or @uri is a tel: URI): the
 * caller routes and resolves it (routing.h, resolve.h); -EPROTONOSUPPORT
 * for a transport we lack.
 */
int proxy_uri_destination(struct core *c, const struct sip_uri *uri, struct tp_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->lfd = -1;
	if (uri->scheme == SIP_SCHEME_SIPS)
		dst->proto = TP_TLS;
	else if (sip_str_present(uri->transport) && !tp_proto_parse(uri->transport, &dst->proto))
		return -EPROTONOSUPPORT;
	if (!core_uri_endpoint(uri, &dst->peer))
		return -EAGAIN;
	if (uri->port < 0)
		dst->peer.port = tp_default_port(dst->proto);
	if (!transport_has(c->tp, dst->proto) && dst->proto != TP_TLS)
		return -EPROTONOSUPPORT;
	return 0;
}

/**
 * proxy_route_next_hop - where the request goes: the top Route or the Request-URI
 * @hop: the URI of the next hop, for the caller to resolve on -EAGAIN
 *
 * A top Route without lr is a strict router (16.6 step 6): it becomes the
 * Request-URI and the Request-URI goes to the end of the Route set.
 *
 * Return: as proxy_uri_destination(), or -EINVAL for a bad URI.
 */
int proxy_route_next_hop(struct core *c, struct proxy_route_set *rs, struct tp_addr *dst,
			 struct sip_uri *hop)
{
	struct sip_uri *uri = hop;

	if (!rs->n) {
		if (sip_uri_parse(rs->ruri, uri))
			return -EINVAL;
		return proxy_uri_destination(c, uri, dst);
	}
	if (!entry_uri(rs->routes[0], uri))
		return -EINVAL;
	if (!uri->lr) {
		if (rs->n == PROXY_MAX_ROUTES + 1)
			return -E2BIG;
		/* The old Request-URI goes last, as a name-addr. */
		rs->routes[rs->n++] = rs->ruri;
		rs->ruri = entry_uri_text(rs->routes[0]);
		drop_first(rs);
	}
	return proxy_uri_destination(c, uri, dst);
}

/* The Route set as one header value: "a, b, c". Returns the length, 0 if it did not fit. */
size_t proxy_route_join(const struct proxy_route_set *rs, char *out, size_t cap)
{
	size_t used = 0, i;
	int n;

	out[0] = '\0';
	for (i = 0; i < rs->n; i++) {
		struct sip_str e = rs->routes[i];
		bool bare = !memchr(e.s, '<', e.len);

		n = snprintf(out + used, cap - used, "%s%s%.*s%s", i ? ", " : "", bare ? "<" : "",
			     SIP_STR_FMT(e), bare ? ">" : "");
		if (n < 0 || (size_t)n >= cap - used)
			return 0;
		used += (size_t)n;
	}
	return used;
}
