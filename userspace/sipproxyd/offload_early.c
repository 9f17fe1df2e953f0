// SPDX-License-Identifier: GPL-2.0
/*
 * Early RTP in kernel mode. Until a call's flows are installed (when its
 * answer passes), packets sent to a relay port end up on the socket that
 * holds the port, and once the flow exists nothing reads that socket any
 * more. A callee starts sending as soon as it sent its 200 OK, so the
 * first packets of every answered call would be lost.
 *
 * They are not forwarded from userspace: the flow's learn policy locks on
 * two in-sequence packets, and its counters, loss and jitter are the
 * kernel's. A copy made here would be judged by another policy than the
 * flow's (learning it did not see, a sibling it cannot ask), leave the
 * kernel to restart probation on the next packet (losing one more), and
 * make /proc's counts differ from what the peer received. Instead each
 * queued datagram is rebuilt with its original source and the flow's
 * local endpoint as destination and sent through a raw socket: routed to
 * the local address, it comes back in through the loopback device and
 * PRE_ROUTING, where rtpfwd takes it like any packet from that source.
 *
 * Bounded: the newest OFFLOAD_EARLY_MAX datagrams of a socket are relayed,
 * the rest read and dropped. Only at a flow's first install: a port also
 * queues while a hold (c=0.0.0.0) has removed its flow, and what was sent
 * then is what the holder asked not to get; at the resume it is dropped.
 */
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "offload_early.h"

/* The Internet checksum's running sum over @len bytes (RFC 1071). */
static uint32_t sum16(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * UDP checksum with the pseudo-header of RFC 768 / RFC 8200 8.1; a sum of
 * zero is sent as 0xffff (zero means "none" over IPv4, invalid over IPv6).
 */
static uint16_t udp_check(const struct endpoint *src, const struct endpoint *dst,
			  const struct udphdr *uh, size_t ulen)
{
	size_t alen = src->family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
	uint32_t sum = IPPROTO_UDP + (uint32_t)ulen;
	uint16_t check;

	sum = sum16(sum, &src->addr, alen);
	sum = sum16(sum, &dst->addr, alen);
	sum = sum16(sum, uh, ulen);
	check = fold(sum);
	return htons(check ? check : 0xffff);
}

/**
 * offload_early_packet() - an IP datagram from @src to @dst around a payload
 * @buf: the payload at @buf + OFFLOAD_EARLY_HDR, @len bytes
 * @src: where it came from
 * @dst: where it goes (the same family)
 * @len: payload bytes, at most OFFLOAD_EARLY_SIZE
 * @plen: set to the datagram's length
 *
 * Return: the datagram's start in @buf, headers written right before the
 * payload with checksums, TTL 64 and no options.
 */
const uint8_t *offload_early_packet(uint8_t *buf, const struct endpoint *src,
				    const struct endpoint *dst, size_t len, size_t *plen)
{
	struct udphdr *uh = (struct udphdr *)(buf + OFFLOAD_EARLY_HDR - sizeof(*uh));
	size_t ulen = sizeof(*uh) + len;
	struct ip6_hdr *ip6;
	struct iphdr *ip;

	uh->source = htons(src->port);
	uh->dest = htons(dst->port);
	uh->len = htons((uint16_t)ulen);
	uh->check = 0;
	uh->check = udp_check(src, dst, uh, ulen);
	if (src->family == AF_INET) {
		ip = (struct iphdr *)((uint8_t *)uh - sizeof(*ip));
		memset(ip, 0, sizeof(*ip));
		ip->version = 4;
		ip->ihl = sizeof(*ip) / 4;
		ip->tot_len = htons((uint16_t)(sizeof(*ip) + ulen));
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->saddr = src->addr.v4.s_addr;
		ip->daddr = dst->addr.v4.s_addr;
		ip->check = htons(fold(sum16(0, ip, sizeof(*ip))));
		*plen = sizeof(*ip) + ulen;
		return (const uint8_t *)ip;
	}
	ip6 = (struct ip6_hdr *)((uint8_t *)uh - sizeof(*ip6));
	memset(ip6, 0, sizeof(*ip6));
	ip6->ip6_flow = htonl(6U << 28);
	ip6->ip6_plen = htons((uint16_t)ulen);
	ip6->ip6_nxt = IPPROTO_UDP;
	ip6->ip6_hlim = 64;
	ip6->ip6_src = src->addr.v6;
	ip6->ip6_dst = dst->addr.v6;
	*plen = sizeof(*ip6) + ulen;
	return (const uint8_t *)ip6;
}

/**
 * offload_early_init() - open the raw sockets early packets are sent on
 * @e: the state
 *
 * Needs CAP_NET_RAW; without it early packets are dropped, and that is
 * logged once here.
 */
void offload_early_init(struct offload_early *e)
{
	static const int family[2] = { AF_INET, AF_INET6 };
	int i;

	for (i = 0; i < 2; i++) {
		e->raw[i] = socket(family[i], SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);
		if (e->raw[i] < 0)
			log_warn("media: no raw IPv%d socket (%s): RTP that arrives before its flow is installed is dropped",
				 i ? 6 : 4, strerror(errno));
	}
}

void offload_early_close(struct offload_early *e)
{
	int i;

	for (i = 0; i < 2; i++)
		if (e->raw[i] >= 0)
			close(e->raw[i]);
}

/* Reads @fd's queue; the newest OFFLOAD_EARLY_MAX land in e->slot. */
static unsigned int drain(struct offload_early *e, int fd, struct offload_early_count *count)
{
	struct sockaddr_storage ss;
	unsigned int n = 0;
	socklen_t sslen;
	ssize_t len;

	for (;;) {
		sslen = sizeof(ss);
		len = recvfrom(fd, e->slot[n % OFFLOAD_EARLY_MAX].data + OFFLOAD_EARLY_HDR,
			       OFFLOAD_EARLY_SIZE, MSG_DONTWAIT | MSG_TRUNC,
			       (struct sockaddr *)&ss, &sslen);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return n;
		if ((size_t)len > OFFLOAD_EARLY_SIZE) {
			count->dropped++;
			continue;
		}
		endpoint_from_sockaddr(&ss, &e->slot[n % OFFLOAD_EARLY_MAX].src);
		e->slot[n % OFFLOAD_EARLY_MAX].len = (size_t)len;
		n++;
	}
}

/**
 * offload_early_relay() - hand the packets queued on @fd to flow @f
 * @e: the state
 * @f: a flow just installed; its LOCAL is @fd's address
 * @fd: the socket holding that port (non-blocking)
 * @keep: how many of the newest to hand on, at most OFFLOAD_EARLY_MAX;
 *	the others are read and dropped
 * @count: set to what became of the queued packets
 *
 * In arrival order; a packet from another family than the flow's, or
 * that the raw socket refuses, counts as dropped.
 */
void offload_early_relay(struct offload_early *e, const struct nl_flow *f, int fd,
			 unsigned int keep, struct offload_early_count *count)
{
	int raw = e->raw[f->local.family == AF_INET6];
	struct sockaddr_storage to;
	unsigned int n, k, first;
	const uint8_t *pkt;
	socklen_t tolen;
	size_t plen;

	memset(count, 0, sizeof(*count));
	n = drain(e, fd, count);
	first = n > keep ? n - keep : 0;
	count->dropped += first;
	/* A raw IPv6 socket takes no port (it would name the protocol). */
	tolen = endpoint_to_sockaddr(&f->local, &to);
	if (f->local.family == AF_INET6)
		((struct sockaddr_in6 *)&to)->sin6_port = 0;
	for (k = first; k < n; k++) {
		struct offload_early_slot *s = &e->slot[k % OFFLOAD_EARLY_MAX];

		if (raw < 0 || s->src.family != f->local.family) {
			count->dropped++;
			continue;
		}
		pkt = offload_early_packet(s->data, &s->src, &f->local, s->len, &plen);
		if (sendto(raw, pkt, plen, 0, (struct sockaddr *)&to, tolen) == (ssize_t)plen)
			count->relayed++;
		else
			count->dropped++;
	}
}
