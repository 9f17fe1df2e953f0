// SPDX-License-Identifier: GPL-2.0
/*
 * media_fwd_add(): the flows of one media change go in all or none. A
 * backend with add_many gets them in one call; one without gets them one
 * at a time, and a failure deletes exactly the flows made before it, in
 * reverse order, leaving every id 0 and the failure's errno.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/media_backend.h"

/* A backend that records calls; add number fail_at (1-based) fails. */
struct fake {
	struct media_fwd b;
	unsigned int fail_at;
	unsigned int adds, many_calls;
	uint32_t next_id;
	uint32_t deleted[8];
	unsigned int n_deleted;
	int in_fd[8];
};

static struct fake *fake_of(struct media_fwd *b)
{
	return container_of(b, struct fake, b);
}

static int fake_add(struct media_fwd *b, const struct nl_flow *f, int in_fd, int out_fd,
		    uint32_t *id)
{
	struct fake *fk = fake_of(b);

	fk->in_fd[fk->adds] = in_fd;
	if (++fk->adds == fk->fail_at)
		return -EEXIST;
	*id = fk->next_id++;
	return 0;
}

static int fake_del(struct media_fwd *b, uint32_t id)
{
	struct fake *fk = fake_of(b);

	fk->deleted[fk->n_deleted++] = id;
	return 0;
}

static int fake_many(struct media_fwd *b, struct media_fwd_new *nf, size_t n)
{
	struct fake *fk = fake_of(b);
	size_t i;

	fk->many_calls++;
	for (i = 0; i < n; i++)
		nf[i].id = 100 + (uint32_t)i;
	return 0;
}

static const struct media_fwd_ops one_by_one_ops = {
	.name = "fake",
	.add = fake_add,
	.del = fake_del,
};

static const struct media_fwd_ops many_ops = {
	.name = "fake-many",
	.add = fake_add,
	.add_many = fake_many,
	.del = fake_del,
};

FIXTURE(add)
{
	struct fake fk;
	struct nl_flow flow[4];
	struct media_fwd_new nf[4];
};

FIXTURE_SETUP(add)
{
	int i;

	memset(&self->fk, 0, sizeof(self->fk));
	self->fk.b.ops = &one_by_one_ops;
	self->fk.next_id = 1;
	for (i = 0; i < 4; i++) {
		memset(&self->flow[i], 0, sizeof(self->flow[i]));
		self->flow[i].cookie = 9;
		self->nf[i] = (struct media_fwd_new){ .flow = &self->flow[i], .in_fd = 10 + i,
						      .out_fd = 20 + i };
	}
}

FIXTURE_TEARDOWN(add)
{
}

TEST_F(add, one_by_one_all_made)
{
	ASSERT_EQ(0, media_fwd_add(&self->fk.b, self->nf, 4));
	EXPECT_EQ(4U, self->fk.adds);
	EXPECT_EQ(0U, self->fk.n_deleted);
	EXPECT_EQ(1U, self->nf[0].id);
	EXPECT_EQ(4U, self->nf[3].id);
	EXPECT_EQ(13, self->fk.in_fd[3]);
}

TEST_F(add, failure_at_fourth_deletes_three_in_reverse)
{
	self->fk.fail_at = 4;
	ASSERT_EQ(-EEXIST, media_fwd_add(&self->fk.b, self->nf, 4));
	EXPECT_EQ(4U, self->fk.adds);
	ASSERT_EQ(3U, self->fk.n_deleted);
	EXPECT_EQ(3U, self->fk.deleted[0]);
	EXPECT_EQ(2U, self->fk.deleted[1]);
	EXPECT_EQ(1U, self->fk.deleted[2]);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0U, self->nf[i].id);
}

TEST_F(add, failure_at_first_deletes_nothing)
{
	self->fk.fail_at = 1;
	ASSERT_EQ(-EEXIST, media_fwd_add(&self->fk.b, self->nf, 4));
	EXPECT_EQ(1U, self->fk.adds);
	EXPECT_EQ(0U, self->fk.n_deleted);
}

TEST_F(add, add_many_takes_them_in_one_call)
{
	self->fk.b.ops = &many_ops;
	ASSERT_EQ(0, media_fwd_add(&self->fk.b, self->nf, 4));
	EXPECT_EQ(1U, self->fk.many_calls);
	EXPECT_EQ(0U, self->fk.adds);
	EXPECT_EQ(100U, self->nf[0].id);
	EXPECT_EQ(103U, self->nf[3].id);
}

TEST_HARNESS_MAIN
