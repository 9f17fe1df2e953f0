/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP that reached a relay port before its rtpfwd flow existed waits on
 * the port's reservation socket. Once the flow is in, offload.c hands
 * that socket here, and its packets go to the flow as if they had just
 * arrived (see offload_early.c).
 */
#ifndef SIPPROXYD_OFFLOAD_EARLY_H
#define SIPPROXYD_OFFLOAD_EARLY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"
#include "lib/nl_flow.h"

/* Queued packets relayed per socket, the newest; older ones are dropped. */
#define OFFLOAD_EARLY_MAX 16
/* Largest datagram relayed: an Ethernet MTU's worth; larger ones are dropped. */
#define OFFLOAD_EARLY_SIZE 1472
/* IPv6 header + UDP header */
#define OFFLOAD_EARLY_HDR 48

/* One queued datagram: its source, and room for headers before its payload. */
struct offload_early_slot {
	struct endpoint src;
	size_t len;
	uint8_t data[OFFLOAD_EARLY_HDR + OFFLOAD_EARLY_SIZE];
};

struct offload_early {
	int raw[2];		/* IPPROTO_RAW sockets: [0] IPv4, [1] IPv6; -1: none */
	struct offload_early_slot slot[OFFLOAD_EARLY_MAX];	/* a ring */
};

/* What one socket held. */
struct offload_early_count {
	unsigned int relayed;	/* handed to the flow (its policy still judges them) */
	unsigned int dropped;	/* older than the newest OFFLOAD_EARLY_MAX, or too large */
};

void offload_early_init(struct offload_early *e);
void offload_early_close(struct offload_early *e);
void offload_early_relay(struct offload_early *e, const struct nl_flow *f, int fd,
			 unsigned int keep, struct offload_early_count *count);
const uint8_t *offload_early_packet(uint8_t *buf, const struct endpoint *src,
				    const struct endpoint *dst, size_t len, size_t *plen);

#endif
