// SPDX-License-Identifier: GPL-2.0
/*
 * udpsink: counts UDP packets arriving at ADDR:PORT until IDLE seconds pass
 * without one (after the first) or MAX seconds in all.
 *   udpsink -l ADDR:PORT [-i IDLE] [-m MAX] [-R READYFILE]
 * Prints "received=N bytes=B seconds=S" (S from first to last packet).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define BATCH 64
#define BUF 2048

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][BUF];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage ss;
	const char *listen_on = NULL, *ready = NULL;
	double idle = 1, max = 60, start, first = 0, last = 0;
	uint64_t received = 0, bytes = 0;
	socklen_t len;
	int opt, fd, i;

	while ((opt = getopt(argc, argv, "l:i:m:R:")) != -1) {
		switch (opt) {
		case 'l': listen_on = optarg; break;
		case 'i': idle = strtod(optarg, NULL); break;
		case 'm': max = strtod(optarg, NULL); break;
		case 'R': ready = optarg; break;
		default: bench_die("usage: udpsink -l ADDR:PORT [-i IDLE] [-m MAX] [-R READYFILE]");
		}
	}
	if (!listen_on)
		bench_die("udpsink: need -l ADDR:PORT");
	len = bench_sockaddr(listen_on, &ss);
	fd = bench_udp_socket(&ss, len);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (!f)
			bench_die("udpsink: %s: %s", ready, strerror(errno));
		fclose(f);
	}
	for (i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = BUF };
		msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}

	start = bench_now();
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double now = bench_now();
		int r;

		if (now - start > max || (received && now - last > idle))
			break;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		r = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (r <= 0)
			continue;
		now = bench_now();
		if (!received)
			first = now;
		last = now;
		received += r;
		for (i = 0; i < r; i++)
			bytes += msgs[i].msg_len;
	}
	printf("received=%llu bytes=%llu seconds=%.3f\n", (unsigned long long)received,
	       (unsigned long long)bytes, last - first);
	return 0;
}
