// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer cache on a virtual clock: expiry to the millisecond,
 * negative entries, replacement, the entry bound with least-recently-used
 * eviction; and the message scan that gives the cache its TTLs.
 */
#include <ares.h>

#include "kselftest_harness.h"
#include "sipproxyd/resolve_order.h"
#include "sipproxyd/resolve_cache.h"
#include "sipproxyd/resolve_msg.h"

#define T_SRV 33
#define T_A 1

FIXTURE(cache) {
	struct resolve_cache *c;
};

FIXTURE_SETUP(cache)
{
	ASSERT_EQ(0, resolve_cache_new(&self->c));
}

FIXTURE_TEARDOWN(cache)
{
	resolve_cache_free(self->c);
}

TEST_F(cache, expires_at_its_deadline)
{
	static const unsigned char answer[] = { 1, 2, 3, 4 };
	struct resolve_cache_hit hit;

	ASSERT_EQ(0, resolve_cache_put(self->c, T_SRV, "_sip._udp.example.com", ARES_SUCCESS,
				       answer, sizeof(answer), 1000 + 60000));
	ASSERT_TRUE(resolve_cache_get(self->c, T_SRV, "_sip._udp.example.com", 1000, &hit));
	EXPECT_EQ(ARES_SUCCESS, hit.status);
	ASSERT_EQ(sizeof(answer), hit.alen);
	EXPECT_EQ(0, memcmp(answer, hit.abuf, sizeof(answer)));
	/* Another type or name is another key. */
	EXPECT_FALSE(resolve_cache_get(self->c, T_A, "_sip._udp.example.com", 1000, &hit));
	EXPECT_FALSE(resolve_cache_get(self->c, T_SRV, "_sip._tcp.example.com", 1000, &hit));
	EXPECT_TRUE(resolve_cache_get(self->c, T_SRV, "_sip._udp.example.com", 60999, &hit));
	EXPECT_FALSE(resolve_cache_get(self->c, T_SRV, "_sip._udp.example.com", 61000, &hit));
	EXPECT_EQ(0U, resolve_cache_count(self->c));
}

TEST_F(cache, negative_entries_and_replacement)
{
	static const unsigned char answer[] = { 9 };
	struct resolve_cache_hit hit;

	ASSERT_EQ(0, resolve_cache_put(self->c, T_A, "gone.example.com", ARES_ENOTFOUND, NULL, 0,
				       5000));
	ASSERT_TRUE(resolve_cache_get(self->c, T_A, "gone.example.com", 0, &hit));
	EXPECT_EQ(ARES_ENOTFOUND, hit.status);
	EXPECT_EQ(NULL, hit.abuf);
	EXPECT_EQ(0U, hit.alen);
	/* The name came back: the new answer replaces the negative one. */
	ASSERT_EQ(0, resolve_cache_put(self->c, T_A, "gone.example.com", ARES_SUCCESS, answer, 1,
				       9000));
	EXPECT_EQ(1U, resolve_cache_count(self->c));
	ASSERT_TRUE(resolve_cache_get(self->c, T_A, "gone.example.com", 6000, &hit));
	EXPECT_EQ(ARES_SUCCESS, hit.status);
	EXPECT_EQ(9, hit.abuf[0]);
}

TEST_F(cache, refuses_what_it_cannot_keep)
{
	static unsigned char big[RESOLVE_CACHE_ANSWER_MAX + 1];
	char name[RESOLVE_NAME_MAX + 2];

	EXPECT_EQ(-EINVAL, resolve_cache_put(self->c, T_A, "x.example", ARES_SUCCESS, big,
					     sizeof(big), 1000));
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	EXPECT_EQ(-EINVAL, resolve_cache_put(self->c, T_A, name, ARES_ENOTFOUND, NULL, 0, 1000));
	EXPECT_EQ(0U, resolve_cache_count(self->c));
}

/* Full: the least recently used entry goes, a recent hit saves an old entry. */
TEST_F(cache, bounded_with_lru_eviction)
{
	struct resolve_cache_hit hit;
	char name[64];
	size_t i;

	for (i = 0; i < RESOLVE_CACHE_MAX; i++) {
		snprintf(name, sizeof(name), "h%zu.example", i);
		ASSERT_EQ(0, resolve_cache_put(self->c, T_A, name, ARES_ENODATA, NULL, 0, 100000));
	}
	ASSERT_EQ((size_t)RESOLVE_CACHE_MAX, resolve_cache_count(self->c));
	ASSERT_TRUE(resolve_cache_get(self->c, T_A, "h0.example", 1, &hit));
	ASSERT_EQ(0, resolve_cache_put(self->c, T_A, "new.example", ARES_ENODATA, NULL, 0, 100000));
	EXPECT_EQ((size_t)RESOLVE_CACHE_MAX, resolve_cache_count(self->c));
	EXPECT_TRUE(resolve_cache_get(self->c, T_A, "h0.example", 1, &hit));
	EXPECT_FALSE(resolve_cache_get(self->c, T_A, "h1.example", 1, &hit));
	EXPECT_TRUE(resolve_cache_get(self->c, T_A, "h2.example", 1, &hit));
	EXPECT_TRUE(resolve_cache_get(self->c, T_A, "new.example", 1, &hit));
}

/* example.com SRV answer: one SRV (TTL 300) behind a CNAME (TTL 60). */
static const unsigned char srv_answer[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
	/* question: _sip._udp.example.com SRV IN */
	4, '_', 's', 'i', 'p', 4, '_', 'u', 'd', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	3, 'c', 'o', 'm', 0, 0, 33, 0, 1,
	/* CNAME to s.example.com, TTL 60 */
	0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 's', 0xc0, 22,
	/* SRV 10 60 5070 sip1.example.com, TTL 300 */
	0xc0, 51, 0, 33, 0, 1, 0, 0, 1, 44, 0, 13, 0, 10, 0, 60, 0x13, 0xce,
	4, 's', 'i', 'p', '1', 0xc0, 22,
};

/* NXDOMAIN with an SOA of TTL 3600 and MINIMUM 120. */
static const unsigned char nx_answer[] = {
	0xab, 0xcd, 0x81, 0x83, 0, 1, 0, 0, 0, 1, 0, 0,
	4, 'g', 'o', 'n', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
	0xc0, 17, 0, 6, 0, 1, 0, 0, 0x0e, 0x10, 0, 26,
	2, 'n', 's', 0xc0, 17, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 120,
};

TEST(msg_scan_ttls)
{
	struct resolve_msg m;

	ASSERT_EQ(0, resolve_msg_scan(srv_answer, sizeof(srv_answer), &m));
	EXPECT_EQ(0U, m.rcode);
	EXPECT_EQ(33U, m.qtype);
	EXPECT_EQ(1U, m.answers);
	EXPECT_EQ(1U, m.cnames);
	EXPECT_EQ(60U, m.ttl);
	EXPECT_EQ(RESOLVE_MSG_NO_TTL, m.negative_ttl);

	ASSERT_EQ(0, resolve_msg_scan(nx_answer, sizeof(nx_answer), &m));
	EXPECT_EQ(3U, m.rcode);
	EXPECT_EQ(0U, m.answers);
	EXPECT_EQ(RESOLVE_MSG_NO_TTL, m.ttl);
	EXPECT_EQ(120U, m.negative_ttl);
}

/* Every truncation of a valid message is refused, never read past. */
TEST(msg_scan_truncated)
{
	struct resolve_msg m;
	size_t n;

	for (n = 0; n < sizeof(srv_answer); n++)
		EXPECT_EQ(-EBADMSG, resolve_msg_scan(srv_answer, n, &m)) TH_LOG("%zu bytes", n);
	for (n = 0; n < sizeof(nx_answer); n++)
		EXPECT_EQ(-EBADMSG, resolve_msg_scan(nx_answer, n, &m)) TH_LOG("%zu bytes", n);
}

TEST_HARNESS_MAIN
