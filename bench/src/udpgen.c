// SPDX-License-Identifier: GPL-2.0
/*
 * udpgen: sends RTP-shaped UDP packets as fast as it can (or at a rate) for a
 * duration, cycling over a range of destination ports, with sendmmsg.
 *   udpgen -d ADDR:PORT [-P NPORTS] [-t SECONDS] [-r PPS] [-s SIZE] [-b ADDR:PORT]
 * Prints "sent=N seconds=S".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define BATCH 64
#define MAX_SIZE 1400

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static unsigned int get_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage dst[BATCH], bind_to = { 0 };
	uint8_t payload[BATCH][MAX_SIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	const char *dest = NULL, *bind_text = NULL;
	unsigned int nports = 1, base, size = 172, i;
	double seconds = 5, rate = 0, start, now;
	uint64_t sent = 0;
	uint16_t seq = 0;
	socklen_t len;
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:P:t:r:s:b:")) != -1) {
		switch (opt) {
		case 'd': dest = optarg; break;
		case 'P': nports = strtoul(optarg, NULL, 10); break;
		case 't': seconds = strtod(optarg, NULL); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 's': size = strtoul(optarg, NULL, 10); break;
		case 'b': bind_text = optarg; break;
		default: bench_die("usage: udpgen -d ADDR:PORT [-P N] [-t S] [-r PPS] [-s SIZE] [-b ADDR:PORT]");
		}
	}
	if (!dest || !nports || size < 12 || size > MAX_SIZE || seconds <= 0)
		bench_die("udpgen: need -d, 1 <= -P, 12 <= -s <= %d, -t > 0", MAX_SIZE);

	len = bench_sockaddr(dest, &dst[0]);
	base = get_port(&dst[0]);
	if (base + nports - 1 > 65535)
		bench_die("udpgen: port range beyond 65535");
	if (bind_text) {
		if (bench_sockaddr(bind_text, &bind_to) != len)
			bench_die("udpgen: -b and -d differ in family");
	} else {
		bind_to.ss_family = dst[0].ss_family;
	}
	fd = bench_udp_socket(&bind_to, len);

	for (i = 0; i < BATCH; i++) {
		memset(payload[i], 0, size);
		payload[i][0] = 0x80;	/* RTP version 2 */
		payload[i][1] = 8;	/* PCMA */
		memcpy(&payload[i][8], "SSRC", 4);
		iov[i] = (struct iovec){ .iov_base = payload[i], .iov_len = size };
		msgs[i].msg_hdr = (struct msghdr){ .msg_name = &dst[i], .msg_namelen = len,
						   .msg_iov = &iov[i], .msg_iovlen = 1 };
	}

	start = now = bench_now();
	while (now - start < seconds) {
		unsigned int n = bench_due(start, &now, rate, sent, BATCH);
		int r;

		if (!n)
			continue;
		for (i = 0; i < n; i++) {
			uint32_t ts = (uint32_t)(sent + i) * 160;

			dst[i] = dst[0];
			set_port(&dst[i], base + (sent + i) % nports);
			seq++;
			payload[i][2] = seq >> 8;
			payload[i][3] = seq;
			payload[i][4] = ts >> 24;
			payload[i][5] = ts >> 16;
			payload[i][6] = ts >> 8;
			payload[i][7] = ts;
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED)
				bench_die("udpgen: sendmmsg: %s", strerror(errno));
			r = 0;
		}
		/* A partial batch resends its tail with the same sequence numbers. */
		seq -= n - r;
		sent += r;
		now = bench_now();
	}
	printf("sent=%llu seconds=%.3f\n", (unsigned long long)sent, now - start);
	return 0;
}
