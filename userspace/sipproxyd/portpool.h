/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The relay's UDP port pairs, from [media] port_range: an even RTP port
 * and the odd RTCP port above it. A pair is reserved by binding both
 * sockets, so no other program (and no other sipproxyd) can take it while
 * a call uses it, whichever backend forwards its packets.
 */
#ifndef SIPPROXYD_PORTPOOL_H
#define SIPPROXYD_PORTPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/endpoint.h"

struct portpool {
	uint16_t first;		/* even */
	unsigned int pairs;	/* in the range */
	unsigned int used;
	unsigned int cursor;	/* the pair to try next */
	uint64_t *taken;	/* bit per pair */
};

/* A reserved pair: sockets bound to port and port + 1 of one address. */
struct portpair {
	uint16_t port;		/* RTP, even; 0 when not reserved */
	int fd[2];		/* RTP, RTCP: non-blocking, close-on-exec */
};

int portpool_init(struct portpool *pool, unsigned int first, unsigned int last);
void portpool_destroy(struct portpool *pool);
int portpool_get(struct portpool *pool, const struct endpoint *addr,
		 struct portpair *pair);
int portpool_claim(struct portpool *pool, const struct endpoint *addr,
		   uint16_t port, struct portpair *pair);
void portpool_put(struct portpool *pool, struct portpair *pair);

static inline unsigned int portpool_free_pairs(const struct portpool *pool)
{
	return pool->pairs - pool->used;
}

#endif
