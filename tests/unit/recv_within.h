/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading what a proxy under test sent to a peer's socket, with a deadline.
 */
#ifndef RECV_WITHIN_H
#define RECV_WITHIN_H

#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

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
