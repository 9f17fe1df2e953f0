// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/endpoint.h"
#include "util.h"

void bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned int bench_due(double start, double *now, double rate, uint64_t sent,
		       unsigned int batch)
{
	double due;

	if (rate <= 0)
		return batch;
	due = (*now - start) * rate - sent;
	if (due < 1) {
		usleep(200);
		*now = bench_now();
		return 0;
	}
	return due < batch ? due : batch;
}

socklen_t bench_sockaddr(const char *text, struct sockaddr_storage *ss)
{
	struct endpoint ep;

	if (endpoint_parse(&ep, text) < 0)
		bench_die("invalid endpoint \"%s\" (want ADDR:PORT or [ADDR6]:PORT)", text);
	return endpoint_to_sockaddr(&ep, ss);
}

int bench_udp_socket(const struct sockaddr_storage *bind_to, socklen_t len)
{
	int one = 1, size = 4 << 20;
	int fd = socket(bind_to->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		bench_die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Deep buffers so the sink measures the forwarder, not its own queue. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	if (bind(fd, (const struct sockaddr *)bind_to, len) < 0)
		bench_die("bind: %s", strerror(errno));
	return fd;
}
