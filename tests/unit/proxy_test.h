/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests that drive a proxy over real sockets share: messages
 * written from a format, and what the proxy sent a peer's socket.
 */
#ifndef PROXY_TEST_H
#define PROXY_TEST_H

#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>

#include "sipproxyd/sip_msg.h"

/* Writes a message from @fmt into @text and parses it into @msg: @msg, or NULL. */
static inline __attribute__((format(printf, 4, 5)))
struct sip_msg *sip_msg_printf(struct sip_msg *msg, char *text, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, size, fmt, ap);
	va_end(ap);
	if (sip_msg_parse(msg, text, strlen(text), SIP_DATAGRAM))
		return NULL;
	return msg;
}

/* A fixture with a struct sip_msg msg and a char text[] to write it in. */
#define PARSE(self, ...) sip_msg_printf(&(self)->msg, (self)->text, sizeof((self)->text), __VA_ARGS__)

/* A free loopback UDP port, bound by the returned socket. */
static inline int udp_socket(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

/* What reached @fd within @ms, NUL-terminated into @buf; its length or -1. */
static inline int recv_within(int fd, char *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return -1;
	n = recv(fd, buf, size - 1, 0);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

#endif
