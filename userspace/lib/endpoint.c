// SPDX-License-Identifier: GPL-2.0
/*
 * ADDR:PORT and [ADDR6]:PORT, the one way endpoints are written on the
 * command line, in output and in sipproxyd's configuration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "endpoint.h"

/* Decimal 1..65535, digits only: no sign, no spaces, no base prefixes. */
static int parse_port(const char *text, uint16_t *port)
{
	unsigned long value = 0;
	const char *p;

	if (!*text || strlen(text) > 5)
		return -EINVAL;
	for (p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		value = value * 10 + (unsigned long)(*p - '0');
	}
	if (value < 1 || value > 65535)
		return -EINVAL;
	*port = (uint16_t)value;
	return 0;
}

static int parse_v6(struct endpoint *ep, const char *text)
{
	char addr[INET6_ADDRSTRLEN];
	const char *close = strchr(text, ']');
	size_t len;

	if (!close || close[1] != ':')
		return -EINVAL;
	len = (size_t)(close - text - 1);
	if (len == 0 || len >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, text + 1, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET6, addr, &ep->addr.v6) != 1)
		return -EINVAL;
	if (parse_port(close + 2, &ep->port))
		return -EINVAL;
	ep->family = AF_INET6;
	return 0;
}

static int parse_v4(struct endpoint *ep, const char *text)
{
	char addr[INET_ADDRSTRLEN];
	const char *colon = strrchr(text, ':');
	size_t len;

	if (!colon)
		return -EINVAL;
	len = (size_t)(colon - text);
	if (len == 0 || len >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, text, len);
	addr[len] = '\0';
	/* inet_pton takes only the four-part dotted quad, unlike inet_aton. */
	if (inet_pton(AF_INET, addr, &ep->addr.v4) != 1)
		return -EINVAL;
	if (parse_port(colon + 1, &ep->port))
		return -EINVAL;
	ep->family = AF_INET;
	return 0;
}

/**
 * endpoint_parse - read "A.B.C.D:PORT" or "[IPV6]:PORT"
 * @ep: filled on success, zeroed on failure
 * @text: the whole string; nothing may follow the port
 *
 * Return: 0, or -EINVAL when @text is not exactly one endpoint.
 */
int endpoint_parse(struct endpoint *ep, const char *text)
{
	int ret;

	memset(ep, 0, sizeof(*ep));
	ret = text[0] == '[' ? parse_v6(ep, text) : parse_v4(ep, text);
	if (ret)
		memset(ep, 0, sizeof(*ep));
	return ret;
}

/* Dotted quad by hand: inet_ntop() goes through sprintf(), a hot spot per message. */
static size_t format_v4(const struct in_addr *a, char *out)
{
	const uint8_t *b = (const uint8_t *)&a->s_addr;
	char *p = out;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		if (b[i] >= 100)
			*p++ = (char)('0' + b[i] / 100);
		if (b[i] >= 10)
			*p++ = (char)('0' + b[i] / 10 % 10);
		*p++ = (char)('0' + b[i] % 10);
	}
	*p = '\0';
	return (size_t)(p - out);
}

static void format_port(uint16_t port, char *out)
{
	char digits[5], *d = digits + sizeof(digits);

	do {
		*--d = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	memcpy(out, d, (size_t)(digits + sizeof(digits) - d));
	out[digits + sizeof(digits) - d] = '\0';
}

/**
 * endpoint_format_addr - write @ep's address alone, as inet_ntop() does
 * @ep: an IPv4 or IPv6 endpoint
 * @buf: at least INET6_ADDRSTRLEN bytes
 *
 * Return: @buf.
 */
char *endpoint_format_addr(const struct endpoint *ep, char buf[static INET6_ADDRSTRLEN])
{
	if (ep->family == AF_INET)
		format_v4(&ep->addr.v4, buf);
	else
		inet_ntop(AF_INET6, &ep->addr.v6, buf, INET6_ADDRSTRLEN);
	return buf;
}

/**
 * endpoint_format - write @ep the way endpoint_parse() reads it
 * @ep: an endpoint; AF_UNSPEC prints as "-"
 * @buf: at least ENDPOINT_STRLEN bytes
 *
 * Return: @buf.
 */
char *endpoint_format(const struct endpoint *ep, char buf[static ENDPOINT_STRLEN])
{
	char addr[INET6_ADDRSTRLEN];
	size_t n;

	switch (ep->family) {
	case AF_INET:
		n = format_v4(&ep->addr.v4, buf);
		buf[n++] = ':';
		format_port(ep->port, buf + n);
		break;
	case AF_INET6:
		inet_ntop(AF_INET6, &ep->addr.v6, addr, sizeof(addr));
		snprintf(buf, ENDPOINT_STRLEN, "[%s]:%u", addr, ep->port);
		break;
	default:
		snprintf(buf, ENDPOINT_STRLEN, "-");
		break;
	}
	return buf;
}

bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
	return true;
}

/* @ep as a sockaddr in @ss; returns its length, 0 for AF_UNSPEC. */
socklen_t endpoint_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss)
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
void endpoint_from_sockaddr(const struct sockaddr_storage *ss, struct endpoint *ep)
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
