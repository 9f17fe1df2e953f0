// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2782 ordering with a seeded generator: priorities strictly ascending,
 * weighted shares within a priority close to their weights over many
 * draws, weight 0 first but rarely picked, "." and port 0 left out; then
 * hops and the target list built from canned SRV and address answers.
 */
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "sipproxyd/resolve_order.h"

#define DRAWS 20000

TEST(rng_stays_below_its_bound)
{
	struct resolve_rng rng;
	unsigned int seen[7] = { 0 };
	int i;

	resolve_rng_seed(&rng, 42);
	for (i = 0; i < 7000; i++) {
		uint32_t v = resolve_rng_below(&rng, 7);

		ASSERT_LT(v, 7U);
		seen[v]++;
	}
	/* Every value comes up within 15% of its fair share. */
	for (i = 0; i < 7; i++) {
		EXPECT_GT(seen[i], 850U);
		EXPECT_LT(seen[i], 1150U);
	}
	EXPECT_EQ(0U, resolve_rng_below(&rng, 0));
	EXPECT_EQ(0U, resolve_rng_below(&rng, 1));
}

TEST(priorities_ascend)
{
	static const struct resolve_srv recs[] = {
		{ 20, 0, 5060, "c.example.com" },
		{ 10, 5, 5060, "b.example.com" },
		{ 30, 1, 5060, "d.example.com" },
		{ 0, 100, 5060, "a.example.com" },
	};
	struct resolve_rng rng;
	size_t order[4];
	int round;

	resolve_rng_seed(&rng, 1);
	for (round = 0; round < 100; round++) {
		ASSERT_EQ(4U, resolve_srv_order(recs, 4, &rng, order));
		EXPECT_EQ(3U, order[0]);
		EXPECT_EQ(1U, order[1]);
		EXPECT_EQ(0U, order[2]);
		EXPECT_EQ(2U, order[3]);
	}
}

/*
 * Weights 60/30/10 and a weight 0 at one priority: the first pick goes to
 * each in proportion w / (sum + 1), the 0 only when the draw is exactly 0.
 */
TEST(weights_share_first_place)
{
	static const struct resolve_srv recs[] = {
		{ 10, 60, 5060, "a" },
		{ 10, 30, 5060, "b" },
		{ 10, 0, 5060, "zero" },
		{ 10, 10, 5060, "c" },
		{ 20, 50, 5060, "backup" },
	};
	unsigned int first[5] = { 0 };
	struct resolve_rng rng;
	size_t order[5];
	int i;

	resolve_rng_seed(&rng, 3263);
	for (i = 0; i < DRAWS; i++) {
		ASSERT_EQ(5U, resolve_srv_order(recs, 5, &rng, order));
		first[order[0]]++;
		/* The other priority never mixes in. */
		ASSERT_EQ(4U, order[4]);
	}
	/* Expected 60/101, 30/101, 1/101, 10/101 of the draws (+-10% relative, or a few). */
	EXPECT_GT(first[0], 11880U * 9 / 10);
	EXPECT_LT(first[0], 11880U * 11 / 10);
	EXPECT_GT(first[1], 5940U * 9 / 10);
	EXPECT_LT(first[1], 5940U * 11 / 10);
	EXPECT_GT(first[3], 1980U * 9 / 10);
	EXPECT_LT(first[3], 1980U * 11 / 10);
	EXPECT_GT(first[2], 100U);
	EXPECT_LT(first[2], 300U);
}

/* Every record appears exactly once whatever the draws. */
TEST(orders_are_permutations)
{
	static const struct resolve_srv recs[] = {
		{ 1, 1, 5060, "a" }, { 1, 0, 5060, "b" }, { 1, 65535, 5060, "c" },
		{ 1, 7, 5060, "d" }, { 0, 3, 5060, "e" }, { 1, 0, 5060, "f" },
	};
	struct resolve_rng rng;
	size_t order[6];
	int i, j;

	resolve_rng_seed(&rng, 7);
	for (i = 0; i < 1000; i++) {
		unsigned int mask = 0;

		ASSERT_EQ(6U, resolve_srv_order(recs, 6, &rng, order));
		for (j = 0; j < 6; j++)
			mask |= 1U << order[j];
		ASSERT_EQ(0x3fU, mask);
		ASSERT_EQ(4U, order[0]);
	}
}

/* The same seed gives the same order: runs are reproducible. */
TEST(seeded_is_reproducible)
{
	static const struct resolve_srv recs[] = {
		{ 1, 10, 5060, "a" }, { 1, 20, 5060, "b" }, { 1, 30, 5060, "c" }, { 1, 40, 5060, "d" },
	};
	struct resolve_rng r1, r2;
	size_t o1[4], o2[4];
	int i;

	resolve_rng_seed(&r1, 99);
	resolve_rng_seed(&r2, 99);
	for (i = 0; i < 50; i++) {
		resolve_srv_order(recs, 4, &r1, o1);
		resolve_srv_order(recs, 4, &r2, o2);
		ASSERT_EQ(0, memcmp(o1, o2, sizeof(o1)));
	}
}

TEST(no_service_and_port_zero_are_dropped)
{
	static const struct resolve_srv dot[] = { { 0, 0, 0, "." } };
	static const struct resolve_srv mixed[] = {
		{ 0, 0, 5060, "." }, { 1, 0, 0, "zero.example" }, { 2, 0, 5070, "ok.example." },
	};
	struct resolve_hop hops[4];
	struct resolve_rng rng;
	size_t order[3];

	resolve_rng_seed(&rng, 1);
	EXPECT_EQ(0U, resolve_srv_order(dot, 1, &rng, order));
	ASSERT_EQ(1U, resolve_srv_order(mixed, 3, &rng, order));
	EXPECT_EQ(2U, order[0]);
	ASSERT_EQ(1U, resolve_hops_srv(mixed, 3, RESOLVE_TCP, &rng, hops, 4));
	EXPECT_STREQ("ok.example", hops[0].name);
	EXPECT_EQ(5070, hops[0].port);
	EXPECT_EQ(RESOLVE_TCP, (int)hops[0].transport);
}

/* More records than RESOLVE_SRV_MAX: the first ones in the answer are ordered. */
TEST(too_many_records)
{
	struct resolve_srv recs[RESOLVE_SRV_MAX + 8];
	size_t order[RESOLVE_SRV_MAX + 8];
	struct resolve_rng rng;
	size_t i;

	for (i = 0; i < RESOLVE_SRV_MAX + 8; i++)
		recs[i] = (struct resolve_srv){ (unsigned int)(RESOLVE_SRV_MAX + 8 - i), 1, 5060, "x" };
	resolve_rng_seed(&rng, 1);
	ASSERT_EQ((size_t)RESOLVE_SRV_MAX, resolve_srv_order(recs, RESOLVE_SRV_MAX + 8, &rng, order));
	EXPECT_EQ((size_t)RESOLVE_SRV_MAX - 1, order[0]);
	EXPECT_EQ(0U, order[RESOLVE_SRV_MAX - 1]);
}

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static const char *target(const struct resolve_targets *t, size_t i)
{
	static char buf[8][ENDPOINT_STRLEN + 8];
	static int n;
	char *b = buf[n++ % 8];
	char ep[ENDPOINT_STRLEN];

	snprintf(b, ENDPOINT_STRLEN + 8, "%s %s", resolve_transport_name(t->v[i].transport),
		 endpoint_format(&t->v[i].addr, ep));
	return b;
}

TEST(targets_from_canned_answers)
{
	static const struct resolve_srv srv[] = {
		{ 10, 0, 5070, "sip1.example.com." },
		{ 20, 0, 5080, "sip2.example.com" },
	};
	struct in6_addr a6[] = { v6("2001:db8::1") };
	struct in_addr a4[] = { v4("192.0.2.1"), v4("192.0.2.2") };
	struct in_addr b4[] = { v4("192.0.2.1"), v4("198.51.100.9") };
	struct resolve_targets t = { 0 };
	struct resolve_hop hops[2];
	struct resolve_rng rng;

	resolve_rng_seed(&rng, 5);
	ASSERT_EQ(2U, resolve_hops_srv(srv, 2, RESOLVE_UDP, &rng, hops, 2));
	EXPECT_STREQ("sip1.example.com", hops[0].name);
	EXPECT_STREQ("sip2.example.com", hops[1].name);
	ASSERT_TRUE(resolve_targets_hop(&t, &hops[0], a6, 1, a4, 2, false));
	ASSERT_TRUE(resolve_targets_hop(&t, &hops[1], NULL, 0, b4, 2, false));
	ASSERT_EQ(5U, t.n);
	EXPECT_STREQ("udp [2001:db8::1]:5070", target(&t, 0));
	EXPECT_STREQ("udp 192.0.2.1:5070", target(&t, 1));
	EXPECT_STREQ("udp 192.0.2.2:5070", target(&t, 2));
	/* The same address on another port is another target. */
	EXPECT_STREQ("udp 192.0.2.1:5080", target(&t, 3));
	EXPECT_STREQ("udp 198.51.100.9:5080", target(&t, 4));

	/* IPv4 first on request; a repeated hop adds nothing. */
	memset(&t, 0, sizeof(t));
	ASSERT_TRUE(resolve_targets_hop(&t, &hops[0], a6, 1, a4, 2, true));
	ASSERT_TRUE(resolve_targets_hop(&t, &hops[0], a6, 1, a4, 2, true));
	ASSERT_EQ(3U, t.n);
	EXPECT_STREQ("udp 192.0.2.1:5070", target(&t, 0));
	EXPECT_STREQ("udp 192.0.2.2:5070", target(&t, 1));
	EXPECT_STREQ("udp [2001:db8::1]:5070", target(&t, 2));

	/* The iterator walks them once. */
	EXPECT_EQ(&t.v[0], resolve_targets_next(&t));
	EXPECT_EQ(&t.v[1], resolve_targets_next(&t));
	EXPECT_EQ(&t.v[2], resolve_targets_next(&t));
	EXPECT_EQ(NULL, resolve_targets_next(&t));
	EXPECT_EQ(NULL, resolve_targets_next(&t));
}

TEST(targets_stop_at_the_limit)
{
	struct resolve_hop hop = { .transport = RESOLVE_TLS, .port = 5061, .name = "big" };
	struct in_addr a4[RESOLVE_TARGETS_MAX + 4];
	struct resolve_targets t = { 0 };
	char text[32];
	size_t i;

	for (i = 0; i < RESOLVE_TARGETS_MAX + 4; i++) {
		snprintf(text, sizeof(text), "10.0.0.%zu", i + 1);
		a4[i] = v4(text);
	}
	EXPECT_FALSE(resolve_targets_hop(&t, &hop, NULL, 0, a4, RESOLVE_TARGETS_MAX + 4, false));
	ASSERT_EQ((size_t)RESOLVE_TARGETS_MAX, t.n);
	EXPECT_STREQ("tls 10.0.0.16:5061", target(&t, RESOLVE_TARGETS_MAX - 1));
	/* A duplicate is no new target, so a full list takes it. */
	EXPECT_TRUE(resolve_targets_hop(&t, &hop, NULL, 0, a4, 1, false));
	EXPECT_EQ((size_t)RESOLVE_TARGETS_MAX, t.n);
}

TEST_HARNESS_MAIN
