/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One side's G.711 media for every call of a mediacall run, on one UDP
 * socket: paced sending (each stream at RTP_PPS, the streams' packets
 * spread evenly over the 20 ms frame, sendmmsg batches) and counting what
 * arrives per stream. A stream is told apart by the relay port it comes
 * from (each call has its own) and must carry the SSRC its peer sends
 * with; anything else counts as stray. The first RTP_WARMUP packets of
 * every stream carry it through the relay's source learning (RFC 3550 A.1
 * probation drops the first packet of a new source): they are sent before
 * the counted ones and neither side counts them.
 */
#ifndef BENCH_RTPPUMP_H
#define BENCH_RTPPUMP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define RTP_PPS 50		/* one 20 ms G.711 frame per packet */
#define RTP_SIZE 172		/* 12-byte header + 160 bytes of audio */
#define RTP_WARMUP 5		/* sequence numbers 0..4: not counted */
#define PUMP_BATCH 64

struct rtp_stream {
	struct sockaddr_in to;	/* the relay port this call's media goes to */
	uint32_t ssrc_out, ssrc_in;
	uint64_t sent, received;
	bool active;		/* set up and pumped in this run */
};

struct pump {
	int fd;
	unsigned int n;			/* streams, indexed by call number */
	struct rtp_stream *s;
	int32_t by_port[65536];		/* relay port -> stream, -1 for none */
	unsigned int *order, n_active;	/* who sends packet j: order[j % n_active] */
	uint64_t packets, next;		/* to send in all, index of the next one */
	double start;
	uint64_t stray;
	uint64_t full;			/* sendmmsg calls that found the send queue full */
	uint8_t buf[PUMP_BATCH][RTP_SIZE];
	uint8_t rx[PUMP_BATCH][2048];
};

int pump_init(struct pump *p, int fd, unsigned int n);
void pump_free(struct pump *p);
/* Stream @i sends to @to with @ssrc_out and expects @ssrc_in back from there. */
void pump_stream(struct pump *p, unsigned int i, const struct sockaddr_in *to,
		 uint32_t ssrc_out, uint32_t ssrc_in);
/* From @start on, every active stream sends RTP_WARMUP + @per_stream packets. */
void pump_start(struct pump *p, double start, unsigned int per_stream);
/* Sends what is due at @now; true once every packet is out. */
bool pump_send(struct pump *p, double now);
/* Reads and counts every datagram queued on the socket. */
void pump_receive(struct pump *p);

#endif
