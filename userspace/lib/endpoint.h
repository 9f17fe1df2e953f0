/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_ENDPOINT_H
#define SIPPROXY_ENDPOINT_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdint.h>

/* "[" + IPv6 text + "]:" + 5 port digits + NUL */
#define ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 9)

/* A UDP endpoint; family AF_UNSPEC means "not set". */
struct endpoint {
	sa_family_t family;
	uint16_t port;		/* host order */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
};

int endpoint_parse(struct endpoint *ep, const char *text);
char *endpoint_format(const struct endpoint *ep, char buf[static ENDPOINT_STRLEN]);
char *endpoint_format_addr(const struct endpoint *ep, char buf[static INET6_ADDRSTRLEN]);
bool endpoint_equal(const struct endpoint *a, const struct endpoint *b);
/* @ep as a socket address in @ss; its length, 0 when @ep is not set. */
socklen_t endpoint_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss);
/* @ss as an endpoint; families other than IPv4 and IPv6 give AF_UNSPEC. */
void endpoint_from_sockaddr(const struct sockaddr_storage *ss, struct endpoint *ep);

#endif
