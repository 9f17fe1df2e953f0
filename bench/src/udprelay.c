// SPDX-License-Identifier: GPL-2.0
/*
 * udprelay: the minimal userspace relay rtpfwd is measured against. N flows,
 * each a socket bound to LOCAL's address at consecutive ports; whatever
 * arrives is sent on to PEER from one socket bound to OUT and connected to
 * PEER (its route is cached: no lookup per packet). One thread, epoll,
 * recvmmsg into one batch of 64 filled from as many ready sockets as it
 * takes, and one sendmmsg per full batch: with thousands of flows each
 * socket holds a packet or two per wakeup, and a send per socket would cost
 * a syscall per packet. The best a userspace relay does per packet.
 *   udprelay -l ADDR:BASEPORT -n N -o ADDR:PORT -p ADDR:PORT [-R READYFILE]
 * Runs until SIGTERM or SIGINT, then prints "relayed=N".
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "util.h"

#define BATCH 64
#define BUF 2048
#define MAX_FLOWS 65535

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* Sends the @n datagrams received into @msgs on; returns how many went. */
static unsigned int relay(int out_fd, struct mmsghdr *msgs, struct iovec *iov, int n)
{
	int i, sent;

	for (i = 0; i < n; i++)
		iov[i].iov_len = msgs[i].msg_len;
	sent = sendmmsg(out_fd, msgs, n, 0);
	for (i = 0; i < n; i++)
		iov[i].iov_len = BUF;
	return sent > 0 ? sent : 0;
}

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][BUF];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage local, out, peer;
	const char *l = NULL, *o = NULL, *p = NULL, *ready = NULL;
	struct epoll_event events[256];
	unsigned int n = 1, i, base;
	uint64_t relayed = 0;
	socklen_t len, plen;
	int opt, ep, out_fd;

	while ((opt = getopt(argc, argv, "l:n:o:p:R:")) != -1) {
		switch (opt) {
		case 'l': l = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'o': o = optarg; break;
		case 'p': p = optarg; break;
		case 'R': ready = optarg; break;
		default: bench_die("usage: udprelay -l ADDR:BASEPORT -n N -o ADDR:PORT -p ADDR:PORT");
		}
	}
	if (!l || !o || !p || !n || n > MAX_FLOWS)
		bench_die("udprelay: need -l, -o, -p and 1 <= -n <= %d", MAX_FLOWS);
	len = bench_sockaddr(l, &local);
	if (bench_sockaddr(o, &out) != len || (plen = bench_sockaddr(p, &peer)) != len)
		bench_die("udprelay: mixed address families");
	base = ntohs(local.ss_family == AF_INET ? ((struct sockaddr_in *)&local)->sin_port
						: ((struct sockaddr_in6 *)&local)->sin6_port);
	if (base + n - 1 > 65535)
		bench_die("udprelay: port range beyond 65535");

	struct rlimit rl = { n + 64, n + 64 };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		bench_die("udprelay: cannot raise the file limit to %u: %s", n + 64, strerror(errno));
	ep = epoll_create1(EPOLL_CLOEXEC);
	out_fd = bench_udp_socket(&out, len);
	if (connect(out_fd, (struct sockaddr *)&peer, plen) < 0)
		bench_die("udprelay: connect: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		struct sockaddr_storage at = local;
		struct epoll_event ev = { .events = EPOLLIN };
		uint16_t port = htons(base + i);

		if (at.ss_family == AF_INET)
			((struct sockaddr_in *)&at)->sin_port = port;
		else
			((struct sockaddr_in6 *)&at)->sin6_port = port;
		ev.data.fd = bench_udp_socket(&at, len);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0)
			bench_die("udprelay: epoll_ctl: %s", strerror(errno));
	}
	for (i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = BUF };
		msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}

	while (!stop) {
		int ne = epoll_wait(ep, events, 256, 100), e, got = 0;

		for (e = 0; e < ne; e++) {
			int r = recvmmsg(events[e].data.fd, msgs + got, BATCH - got, MSG_DONTWAIT, NULL);

			if (r > 0)
				got += r;
			if (got == BATCH) {
				relayed += relay(out_fd, msgs, iov, got);
				got = 0;
			}
		}
		if (got)
			relayed += relay(out_fd, msgs, iov, got);
	}
	printf("relayed=%llu\n", (unsigned long long)relayed);
	return 0;
}
