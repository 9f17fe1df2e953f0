// SPDX-License-Identifier: GPL-2.0
/*
 * Failed-attempt limiting per source address under a virtual clock: the
 * burst, the refill second by second, ports not mattering, families kept
 * apart, least-recently-failing eviction when the table is full, and a
 * clock stepping back.
 */
#include <errno.h>

#include "kselftest_harness.h"

#include "sipproxyd/ratelimit.h"

#define T0 1700000000

FIXTURE(rl)
{
	struct ratelimit *rl;
	struct endpoint a, a_other_port, b, c, v6;
};

FIXTURE_SETUP(rl)
{
	struct ratelimit_config cfg = { .max_failures_per_minute = 3, .max_sources = 2 };

	ASSERT_EQ(0, ratelimit_new(&cfg, &self->rl));
	ASSERT_EQ(0, endpoint_parse(&self->a, "192.0.2.1:5060"));
	ASSERT_EQ(0, endpoint_parse(&self->a_other_port, "192.0.2.1:40000"));
	ASSERT_EQ(0, endpoint_parse(&self->b, "192.0.2.2:5060"));
	ASSERT_EQ(0, endpoint_parse(&self->c, "192.0.2.3:5060"));
	ASSERT_EQ(0, endpoint_parse(&self->v6, "[::ffff:192.0.2.1]:5060"));
}

FIXTURE_TEARDOWN(rl)
{
	ratelimit_free(self->rl);
}

static void fail_n(struct ratelimit *rl, const struct endpoint *src, int n, int64_t now)
{
	while (n--)
		ratelimit_failure(rl, src, now);
}

TEST_F(rl, burst_then_one_per_twenty_seconds)
{
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0));
	fail_n(self->rl, &self->a, 2, T0);
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0));
	fail_n(self->rl, &self->a, 1, T0);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0));
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a_other_port, T0));
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 + 19));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0 + 20));
	fail_n(self->rl, &self->a, 1, T0 + 20);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 + 20));
	EXPECT_EQ(1U, ratelimit_sources(self->rl));
	/* A full bucket again: the source is forgotten. */
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0 + 80));
	EXPECT_EQ(0U, ratelimit_sources(self->rl));
}

TEST_F(rl, families_and_addresses_apart)
{
	fail_n(self->rl, &self->a, 3, T0);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->b, T0));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->v6, T0));
	fail_n(self->rl, &self->v6, 3, T0);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->v6, T0));
}

TEST_F(rl, full_table_forgets_least_recent)
{
	fail_n(self->rl, &self->a, 3, T0);
	fail_n(self->rl, &self->b, 3, T0 + 1);
	fail_n(self->rl, &self->a, 1, T0 + 2);
	fail_n(self->rl, &self->c, 3, T0 + 3);
	EXPECT_EQ(2U, ratelimit_sources(self->rl));
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 + 3));
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->c, T0 + 3));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->b, T0 + 3));
}

TEST_F(rl, failures_while_blocked_do_not_dig_deeper)
{
	fail_n(self->rl, &self->a, 50, T0);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 + 19));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0 + 20));
}

TEST_F(rl, clock_stepping_back_refills_nothing)
{
	fail_n(self->rl, &self->a, 3, T0);
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 - 100));
	EXPECT_TRUE(ratelimit_blocked(self->rl, &self->a, T0 - 81));
	EXPECT_FALSE(ratelimit_blocked(self->rl, &self->a, T0 - 80));
}

TEST(config_checked)
{
	struct ratelimit_config cfg;
	struct ratelimit *rl;

	ratelimit_config_default(&cfg);
	EXPECT_EQ(10U, cfg.max_failures_per_minute);
	cfg.max_failures_per_minute = 0;
	EXPECT_EQ(-EINVAL, ratelimit_new(&cfg, &rl));
	ratelimit_config_default(&cfg);
	cfg.max_sources = 0;
	EXPECT_EQ(-EINVAL, ratelimit_new(&cfg, &rl));
}

TEST_HARNESS_MAIN
