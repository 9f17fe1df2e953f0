// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtppump.h"
#include "util.h"

int pump_init(struct pump *p, int fd, unsigned int n)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->n = n;
	p->s = calloc(n, sizeof(*p->s));
	p->order = calloc(n, sizeof(*p->order));
	if (!p->s || !p->order) {
		pump_free(p);
		return -1;
	}
	for (i = 0; i < 65536; i++)
		p->by_port[i] = -1;
	for (i = 0; i < PUMP_BATCH; i++) {
		p->buf[i][0] = 0x80;	/* RTP version 2 */
		p->buf[i][1] = 8;	/* PCMA */
		memset(&p->buf[i][12], 0xd5, RTP_SIZE - 12);	/* A-law silence */
	}
	return 0;
}

void pump_free(struct pump *p)
{
	free(p->s);
	free(p->order);
	p->s = NULL;
	p->order = NULL;
}

void pump_stream(struct pump *p, unsigned int i, const struct sockaddr_in *to,
		 uint32_t ssrc_out, uint32_t ssrc_in)
{
	struct rtp_stream *s = &p->s[i];

	if (s->active)
		p->by_port[ntohs(s->to.sin_port)] = -1;
	s->to = *to;
	s->ssrc_out = ssrc_out;
	s->ssrc_in = ssrc_in;
	s->active = true;
	p->by_port[ntohs(to->sin_port)] = i;
}

void pump_start(struct pump *p, double start, unsigned int per_stream)
{
	unsigned int i;

	p->n_active = 0;
	for (i = 0; i < p->n; i++)
		if (p->s[i].active)
			p->order[p->n_active++] = i;
	p->packets = (uint64_t)p->n_active * (RTP_WARMUP + per_stream);
	p->next = 0;
	p->start = start;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

bool pump_send(struct pump *p, double now)
{
	struct mmsghdr msgs[PUMP_BATCH];
	struct iovec iov[PUMP_BATCH];
	uint64_t due;

	if (!p->n_active || now < p->start)
		return p->next >= p->packets;
	due = (uint64_t)((now - p->start) * RTP_PPS * p->n_active);
	if (due > p->packets)
		due = p->packets;
	while (p->next < due) {
		unsigned int n = due - p->next < PUMP_BATCH ? due - p->next : PUMP_BATCH, i;
		int r;

		for (i = 0; i < n; i++) {
			uint64_t j = p->next + i;
			struct rtp_stream *s = &p->s[p->order[j % p->n_active]];
			uint32_t seq = j / p->n_active;

			p->buf[i][2] = seq >> 8;
			p->buf[i][3] = seq;
			put32(&p->buf[i][4], seq * 160);
			put32(&p->buf[i][8], s->ssrc_out);
			iov[i] = (struct iovec){ .iov_base = p->buf[i], .iov_len = RTP_SIZE };
			msgs[i].msg_hdr = (struct msghdr){ .msg_name = &s->to, .msg_namelen = sizeof(s->to),
							   .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		r = sendmmsg(p->fd, msgs, n, 0);
		if (r < 0) {
			/*
			 * A full queue: the rest goes out on the next tick, late.
			 * What fills it is what was sent but not yet taken on by
			 * the gateway's CPU (RPS backlog): the gateway's lag.
			 */
			if (errno == EAGAIN || errno == ENOBUFS) {
				p->full++;
				break;
			}
			bench_die("mediacall: sendmmsg: %s", strerror(errno));
		}
		for (i = 0; i < (unsigned int)r; i++)
			if ((p->next + i) / p->n_active >= RTP_WARMUP)
				p->s[p->order[(p->next + i) % p->n_active]].sent++;
		p->next += r;
		if ((unsigned int)r < n) {
			p->full++;
			break;
		}
	}
	return p->next >= p->packets;
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

void pump_receive(struct pump *p)
{
	struct sockaddr_in from[PUMP_BATCH];
	struct mmsghdr msgs[PUMP_BATCH];
	struct iovec iov[PUMP_BATCH];
	int r, i;

	for (i = 0; i < PUMP_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = p->rx[i], .iov_len = sizeof(p->rx[i]) };
		msgs[i].msg_hdr = (struct msghdr){ .msg_name = &from[i], .msg_namelen = sizeof(from[i]),
						   .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	do {
		r = recvmmsg(p->fd, msgs, PUMP_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; i < r; i++) {
			int32_t k = p->by_port[ntohs(from[i].sin_port)];
			struct rtp_stream *s = k >= 0 ? &p->s[k] : NULL;

			if (s && s->to.sin_addr.s_addr == from[i].sin_addr.s_addr &&
			    msgs[i].msg_len == RTP_SIZE && get32(&p->rx[i][8]) == s->ssrc_in) {
				if ((p->rx[i][2] << 8 | p->rx[i][3]) >= RTP_WARMUP)
					s->received++;
			} else {
				p->stray++;
			}
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
	} while (r == PUMP_BATCH);
}
