// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "media_net.h"

/* @ep as a sockaddr in @ss; returns its length, 0 for AF_UNSPEC. */
socklen_t media_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = ep->addr.v4;
		sin->sin_port = htons(ep->port);
		return sizeof(*sin);
	}
	if (ep->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = ep->addr.v6;
		sin6->sin6_port = htons(ep->port);
		return sizeof(*sin6);
	}
	return 0;
}

/* @ss as an endpoint; other families give AF_UNSPEC. */
void media_endpoint(const struct sockaddr_storage *ss, struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		ep->family = AF_INET;
		ep->addr.v4 = sin->sin_addr;
		ep->port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		ep->family = AF_INET6;
		ep->addr.v6 = sin6->sin6_addr;
		ep->port = ntohs(sin6->sin6_port);
	}
}
