// SPDX-License-Identifier: GPL-2.0
/*
 * Port pairs for the relay. Allocation walks the range round-robin from
 * where the last one stopped, so a pair just released is the last to be
 * handed out again: late packets of an ended call rarely reach a new one.
 * A port another program holds is skipped, not counted as taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/endpoint.h"
#include "portpool.h"

#define BITS 64

static bool taken(const struct portpool *pool, unsigned int i)
{
	return pool->taken[i / BITS] & (1ULL << (i % BITS));
}

static void set_taken(struct portpool *pool, unsigned int i, bool on)
{
	if (on)
		pool->taken[i / BITS] |= 1ULL << (i % BITS);
	else
		pool->taken[i / BITS] &= ~(1ULL << (i % BITS));
}

/**
 * portpool_init() - a pool of the pairs within [@first, @last]
 * @pool: the pool
 * @first: the first port; must be even
 * @last: the last port (inclusive); when it is even, its pair's RTCP
 *	  port lies outside the range, so that pair is left out
 *
 * Return: 0, -EINVAL for an odd @first or a range without a whole pair,
 * -ENOMEM.
 */
int portpool_init(struct portpool *pool, unsigned int first, unsigned int last)
{
	memset(pool, 0, sizeof(*pool));
	if (first % 2 || first == 0 || last > 65535 || last < first + 1)
		return -EINVAL;
	pool->first = (uint16_t)first;
	pool->pairs = (last - first + 1) / 2;
	pool->taken = calloc((pool->pairs + BITS - 1) / BITS, sizeof(*pool->taken));
	return pool->taken ? 0 : -ENOMEM;
}

void portpool_destroy(struct portpool *pool)
{
	free(pool->taken);
	pool->taken = NULL;
}

static int bind_one(const struct endpoint *addr, uint16_t port)
{
	struct endpoint ep = *addr;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret, one = 1;

	fd = socket(addr->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* [::]:P must not also take 0.0.0.0:P from IPv4 relays. */
	if (addr->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		goto err_close;
	ep.port = port;
	len = endpoint_to_sockaddr(&ep, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		goto err_close;
	return fd;

err_close:
	ret = -errno;
	close(fd);
	return ret;
}

/* Binds both ports of pair @i; -EADDRINUSE when another program has one. */
static int bind_pair(struct portpool *pool, const struct endpoint *addr,
		     unsigned int i, struct portpair *pair)
{
	uint16_t port = (uint16_t)(pool->first + 2 * i);
	int rtp, rtcp;

	rtp = bind_one(addr, port);
	if (rtp < 0)
		return rtp;
	rtcp = bind_one(addr, port + 1);
	if (rtcp < 0) {
		close(rtp);
		return rtcp;
	}
	pair->port = port;
	pair->fd[0] = rtp;
	pair->fd[1] = rtcp;
	set_taken(pool, i, true);
	pool->used++;
	return 0;
}

static bool valid_addr(const struct endpoint *addr)
{
	return addr->family == AF_INET || addr->family == AF_INET6;
}

/**
 * portpool_get() - reserve the next free pair on @addr
 * @pool: the pool
 * @addr: a local address (its port is ignored)
 * @pair: filled on success; give it back with portpool_put()
 *
 * Return: 0; -ENOSPC when every pair is taken by us or by other programs;
 * -EINVAL for an address without a family; another negative errno when
 * binding fails for a reason other than a busy port (EADDRNOTAVAIL: not an
 * address of this host).
 */
int portpool_get(struct portpool *pool, const struct endpoint *addr,
		 struct portpair *pair)
{
	unsigned int tries, i;
	int ret;

	if (!valid_addr(addr))
		return -EINVAL;
	for (tries = 0; tries < pool->pairs; tries++) {
		i = pool->cursor;
		pool->cursor = (pool->cursor + 1) % pool->pairs;
		if (taken(pool, i))
			continue;
		ret = bind_pair(pool, addr, i, pair);
		if (ret != -EADDRINUSE && ret != -EACCES)
			return ret;
	}
	return -ENOSPC;
}

/**
 * portpool_claim() - reserve one given pair, for a call adopted at restart
 * @pool: the pool
 * @addr: the address the pair was bound on
 * @port: its RTP port
 * @pair: filled on success
 *
 * Return: 0; -ERANGE when @port is not a pair's RTP port in the range;
 * -EBUSY when we hold it already; a bind error (-EADDRINUSE) otherwise.
 */
int portpool_claim(struct portpool *pool, const struct endpoint *addr,
		   uint16_t port, struct portpair *pair)
{
	unsigned int i;

	if (!valid_addr(addr))
		return -EINVAL;
	if (port < pool->first || (port - pool->first) % 2 ||
	    (unsigned int)(port - pool->first) / 2 >= pool->pairs)
		return -ERANGE;
	i = (unsigned int)(port - pool->first) / 2;
	if (taken(pool, i))
		return -EBUSY;
	return bind_pair(pool, addr, i, pair);
}

/* Closes the pair's sockets and returns it to the pool; idempotent. */
void portpool_put(struct portpool *pool, struct portpair *pair)
{
	unsigned int i;

	if (!pair->port)
		return;
	i = (unsigned int)(pair->port - pool->first) / 2;
	close(pair->fd[0]);
	close(pair->fd[1]);
	set_taken(pool, i, false);
	pool->used--;
	pair->port = 0;
	pair->fd[0] = pair->fd[1] = -1;
}
