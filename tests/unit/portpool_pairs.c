// SPDX-License-Identifier: GPL-2.0
/*
 * The relay port pool on loopback: pairs are an even RTP and the next odd
 * RTCP port, both really bound; exhaustion is -ENOSPC; a released pair is
 * handed out again only after the others; a port another program holds is
 * skipped; adoption claims a given pair; bad ranges are refused.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/portpool.h"

/* Three pairs; the range ends on an even port, whose pair is left out. */
#define FIRST 47110
#define LAST 47116

static uint16_t bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return 0;
	return ntohs(sin.sin_port);
}

FIXTURE(pool)
{
	struct portpool pool;
	struct endpoint lo;
	struct portpair p[4];
};

FIXTURE_SETUP(pool)
{
	ASSERT_EQ(0, portpool_init(&self->pool, FIRST, LAST));
	ASSERT_EQ(0, endpoint_parse(&self->lo, "127.0.0.1:1"));
}

FIXTURE_TEARDOWN(pool)
{
	for (int i = 0; i < 4; i++)
		portpool_put(&self->pool, &self->p[i]);
	portpool_destroy(&self->pool);
}

TEST_F(pool, even_rtp_odd_rtcp_really_bound)
{
	ASSERT_EQ(3U, portpool_free_pairs(&self->pool));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[0]));
	EXPECT_EQ(FIRST, self->p[0].port);
	EXPECT_EQ(FIRST, bound_port(self->p[0].fd[0]));
	EXPECT_EQ(FIRST + 1, bound_port(self->p[0].fd[1]));
	EXPECT_EQ(2U, portpool_free_pairs(&self->pool));
}

TEST_F(pool, exhaustion_then_reuse_after_release)
{
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[0]));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[1]));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[2]));
	EXPECT_EQ(FIRST + 2, self->p[1].port);
	EXPECT_EQ(FIRST + 4, self->p[2].port);
	EXPECT_EQ(-ENOSPC, portpool_get(&self->pool, &self->lo, &self->p[3]));
	EXPECT_EQ(0, self->p[3].port);

	portpool_put(&self->pool, &self->p[1]);
	EXPECT_EQ(0, self->p[1].port);
	EXPECT_EQ(-1, self->p[1].fd[0]);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[3]));
	EXPECT_EQ(FIRST + 2, self->p[3].port);
	EXPECT_EQ(FIRST + 2, bound_port(self->p[3].fd[0]));
}

TEST_F(pool, released_pair_comes_back_last)
{
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[0]));
	portpool_put(&self->pool, &self->p[0]);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[1]));
	EXPECT_EQ(FIRST + 2, self->p[1].port);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[2]));
	EXPECT_EQ(FIRST + 4, self->p[2].port);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[3]));
	EXPECT_EQ(FIRST, self->p[3].port);
}

TEST_F(pool, port_held_by_another_program_is_skipped)
{
	struct portpool other;
	struct portpair held = { 0 };

	/* Another program holds the RTCP port of the first pair. */
	ASSERT_EQ(0, portpool_init(&other, FIRST, FIRST + 1));
	ASSERT_EQ(0, portpool_get(&other, &self->lo, &held));
	close(held.fd[0]);
	held.fd[0] = socket(AF_INET, SOCK_DGRAM, 0);

	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[0]));
	EXPECT_EQ(FIRST + 2, self->p[0].port);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[1]));
	EXPECT_EQ(FIRST + 4, self->p[1].port);
	EXPECT_EQ(-ENOSPC, portpool_get(&self->pool, &self->lo, &self->p[2]));
	EXPECT_EQ(1U, portpool_free_pairs(&self->pool));
	portpool_put(&other, &held);
	portpool_destroy(&other);
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[2]));
	EXPECT_EQ(FIRST, self->p[2].port);
}

TEST_F(pool, claim_for_adoption)
{
	ASSERT_EQ(0, portpool_claim(&self->pool, &self->lo, FIRST + 4, &self->p[0]));
	EXPECT_EQ(FIRST + 5, bound_port(self->p[0].fd[1]));
	EXPECT_EQ(-EBUSY, portpool_claim(&self->pool, &self->lo, FIRST + 4, &self->p[1]));
	EXPECT_EQ(-ERANGE, portpool_claim(&self->pool, &self->lo, FIRST + 1, &self->p[1]));
	EXPECT_EQ(-ERANGE, portpool_claim(&self->pool, &self->lo, FIRST + 6, &self->p[1]));
	EXPECT_EQ(-ERANGE, portpool_claim(&self->pool, &self->lo, FIRST - 2, &self->p[1]));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->p[1]));
	EXPECT_EQ(FIRST, self->p[1].port);
}

TEST_F(pool, address_not_on_this_host)
{
	struct endpoint none = { 0 }, foreign;

	ASSERT_EQ(0, endpoint_parse(&foreign, "192.0.2.1:1"));
	EXPECT_EQ(-EADDRNOTAVAIL, portpool_get(&self->pool, &foreign, &self->p[0]));
	EXPECT_EQ(-EINVAL, portpool_get(&self->pool, &none, &self->p[0]));
	EXPECT_EQ(3U, portpool_free_pairs(&self->pool));
}

TEST(bad_ranges)
{
	struct portpool pool;

	EXPECT_EQ(-EINVAL, portpool_init(&pool, 30001, 30010));
	EXPECT_EQ(-EINVAL, portpool_init(&pool, 30000, 30000));
	EXPECT_EQ(-EINVAL, portpool_init(&pool, 0, 10));
	EXPECT_EQ(-EINVAL, portpool_init(&pool, 65534, 65536));
	ASSERT_EQ(0, portpool_init(&pool, 65534, 65535));
	EXPECT_EQ(1U, pool.pairs);
	portpool_destroy(&pool);
}

TEST_HARNESS_MAIN
