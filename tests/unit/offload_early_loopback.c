// SPDX-License-Identifier: GPL-2.0
/*
 * offload_early on loopback, without rtpfwd.ko: the datagrams queued on a
 * "relay port" socket are rebuilt with their original source and sent,
 * through a raw socket, to the flow's LOCAL. With no flow there, the
 * stack delivers them to the socket bound on LOCAL, which proves they are
 * valid UDP (a bad checksum is dropped) from the original source. The
 * newest OFFLOAD_EARLY_MAX of 20 go, in order; the 4 oldest and one
 * oversized datagram are dropped. With nothing to keep (a re-add after a
 * hold) the queue is emptied and nothing goes. IPv4 and IPv6. The checksums of a
 * rebuilt datagram equal those computed independently (Python, RFC 1071).
 *
 *   sender 127.0.0.1:S --20+1--> relay socket R     (queued, not read)
 *        offload_early_relay(R) -- raw, src S --> LOCAL socket L: 16
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/offload_early.h"

/* A socket on @text's address and a free port, which lands in @ep. */
static int bound(const char *text, struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (endpoint_parse(ep, text))
		return -1;
	ep->port = 0;	/* any free one */
	len = endpoint_to_sockaddr(ep, &ss);
	fd = socket(ep->family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0)
		return -1;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	endpoint_from_sockaddr(&ss, ep);
	return fd;
}

FIXTURE(early)
{
	struct offload_early e;
	struct endpoint src, relay, local;
	int s, r, l;
};

FIXTURE_VARIANT(early)
{
	const char *any;
};

FIXTURE_VARIANT_ADD(early, ipv4) { .any = "127.0.0.1:1" };
FIXTURE_VARIANT_ADD(early, ipv6) { .any = "[::1]:1" };

FIXTURE_SETUP(early)
{
	self->s = bound(variant->any, &self->src);
	self->r = bound(variant->any, &self->relay);
	self->l = bound(variant->any, &self->local);
	ASSERT_LE(0, self->s);
	ASSERT_LE(0, self->r);
	ASSERT_LE(0, self->l);
	offload_early_init(&self->e);
	if (self->e.raw[self->src.family == AF_INET6] < 0)
		SKIP(return, "no raw socket (needs CAP_NET_RAW)");
}

FIXTURE_TEARDOWN(early)
{
	offload_early_close(&self->e);
	close(self->s);
	close(self->r);
	close(self->l);
}

TEST_F(early, newest_sixteen_reach_local_from_the_original_source)
{
	struct nl_flow f = { .local = self->local };
	struct offload_early_count count;
	struct sockaddr_storage to, from;
	uint8_t pkt[OFFLOAD_EARLY_SIZE + 1], got[64];
	socklen_t tolen = endpoint_to_sockaddr(&self->relay, &to), fromlen;
	struct endpoint seen;
	unsigned int i;
	ssize_t n;

	memset(pkt, 0xa5, sizeof(pkt));
	/* One too large to relay, then 20 of 12 bytes numbered 0..19. */
	ASSERT_EQ((ssize_t)sizeof(pkt),
		  sendto(self->s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, tolen));
	for (i = 0; i < 20; i++) {
		pkt[0] = (uint8_t)i;
		ASSERT_EQ(12, sendto(self->s, pkt, 12, 0, (struct sockaddr *)&to, tolen));
	}
	offload_early_relay(&self->e, &f, self->r, OFFLOAD_EARLY_MAX, &count);
	EXPECT_EQ(16U, count.relayed);
	EXPECT_EQ(5U, count.dropped);
	EXPECT_EQ(-1, recv(self->r, got, sizeof(got), MSG_DONTWAIT));
	for (i = 4; i < 20; i++) {
		fromlen = sizeof(from);
		n = recvfrom(self->l, got, sizeof(got), MSG_DONTWAIT, (struct sockaddr *)&from,
			     &fromlen);
		ASSERT_EQ(12, n);
		EXPECT_EQ(i, got[0]);
		EXPECT_EQ(0xa5, got[11]);
		endpoint_from_sockaddr(&from, &seen);
		EXPECT_TRUE(endpoint_equal(&seen, &self->src));
	}
	EXPECT_EQ(-1, recv(self->l, got, sizeof(got), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

/* A re-add after a hold keeps nothing: the queue is read and dropped. */
TEST_F(early, keep_zero_drops_the_queue)
{
	struct nl_flow f = { .local = self->local };
	struct offload_early_count count;
	struct sockaddr_storage to;
	socklen_t tolen = endpoint_to_sockaddr(&self->relay, &to);
	uint8_t pkt[12] = { 0x80 }, got[64];
	unsigned int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(12, sendto(self->s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, tolen));
	offload_early_relay(&self->e, &f, self->r, 0, &count);
	EXPECT_EQ(0U, count.relayed);
	EXPECT_EQ(3U, count.dropped);
	EXPECT_EQ(-1, recv(self->r, got, sizeof(got), MSG_DONTWAIT));
	EXPECT_EQ(-1, recv(self->l, got, sizeof(got), MSG_DONTWAIT));
}

TEST_F(early, empty_queue_relays_nothing)
{
	struct nl_flow f = { .local = self->local };
	struct offload_early_count count = { 7, 7 };

	offload_early_relay(&self->e, &f, self->r, OFFLOAD_EARLY_MAX, &count);
	EXPECT_EQ(0U, count.relayed);
	EXPECT_EQ(0U, count.dropped);
}

/* 10.0.1.2:6000 -> 10.0.1.1:40000 and fd01::2 -> fd01::1, payload 80 08 00 01 */
static const uint8_t payload[4] = { 0x80, 0x08, 0x00, 0x01 };

static const uint8_t *build(uint8_t *buf, const char *src, const char *dst, size_t *plen)
{
	struct endpoint s, d;

	if (endpoint_parse(&s, src) || endpoint_parse(&d, dst))
		return NULL;
	memcpy(buf + OFFLOAD_EARLY_HDR, payload, sizeof(payload));
	return offload_early_packet(buf, &s, &d, sizeof(payload), plen);
}

TEST(ipv4_headers_and_checksums)
{
	uint8_t buf[OFFLOAD_EARLY_HDR + 4];
	const uint8_t *p;
	size_t len;

	p = build(buf, "10.0.1.2:6000", "10.0.1.1:40000", &len);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(32U, len);
	EXPECT_EQ(OFFLOAD_EARLY_HDR - 28, p - buf);
	EXPECT_EQ(0x45, p[0]);
	EXPECT_EQ(32, p[2] << 8 | p[3]);
	EXPECT_EQ(64, p[8]);
	EXPECT_EQ(17, p[9]);
	EXPECT_EQ(0x64cb, p[10] << 8 | p[11]);
	EXPECT_EQ(6000, p[20] << 8 | p[21]);
	EXPECT_EQ(40000, p[22] << 8 | p[23]);
	EXPECT_EQ(12, p[24] << 8 | p[25]);
	EXPECT_EQ(0xb619, p[26] << 8 | p[27]);
	EXPECT_EQ(0, memcmp(p + 28, payload, sizeof(payload)));
}

TEST(ipv6_headers_and_checksum)
{
	uint8_t buf[OFFLOAD_EARLY_HDR + 4];
	const uint8_t *p;
	size_t len;

	p = build(buf, "[fd01::2]:6000", "[fd01::1]:40000", &len);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(52U, len);
	EXPECT_EQ(0, p - buf);
	EXPECT_EQ(0x60, p[0]);
	EXPECT_EQ(12, p[4] << 8 | p[5]);
	EXPECT_EQ(17, p[6]);
	EXPECT_EQ(64, p[7]);
	EXPECT_EQ(0xd215, p[46] << 8 | p[47]);
	EXPECT_EQ(0, memcmp(p + 48, payload, sizeof(payload)));
}

TEST_HARNESS_MAIN
