/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_ENDPOINT_H
#define SIPPROXY_ENDPOINT_H

#include <netinet/in.h>
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
bool endpoint_equal(const struct endpoint *a, const struct endpoint *b);

#endif
