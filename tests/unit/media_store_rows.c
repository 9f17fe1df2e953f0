// SPDX-License-Identifier: GPL-2.0
/*
 * The media_store table: rows survive closing the database, a branch's
 * row is replaced in place, deleting a branch leaves the call's others,
 * deleting a call removes all its branches, 64-bit handles come back
 * whole, and clear empties the table.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/media_store.h"

#define BIG 0xfedcba9876543210ULL

struct seen {
	unsigned int n;
	uint64_t handle[8];
	uint32_t branch[8];
	char blob[8][8];
};

static int on_row(void *data, uint64_t handle, uint32_t branch, const char *call_id,
		  const void *blob, size_t len)
{
	struct seen *s = data;

	if (s->n == 8 || len >= 8 || strncmp(call_id, "cid-", 4))
		return -1;
	s->handle[s->n] = handle;
	s->branch[s->n] = branch;
	memcpy(s->blob[s->n], blob, len);
	s->blob[s->n][len] = '\0';
	s->n++;
	return 0;
}

FIXTURE(store)
{
	char path[64];
	struct media_store *st;
	struct seen seen;
};

FIXTURE_SETUP(store)
{
	strcpy(self->path, "/tmp/media_store_XXXXXX");
	ASSERT_LE(0, mkstemp(self->path));
	ASSERT_EQ(0, media_store_open(&self->st, self->path));
}

FIXTURE_TEARDOWN(store)
{
	media_store_close(self->st);
	unlink(self->path);
}

TEST_F(store, rows_survive_reopen_and_replace_in_place)
{
	ASSERT_EQ(0, media_store_put(self->st, BIG, 1, "cid-a", "one", 3));
	ASSERT_EQ(0, media_store_put(self->st, BIG, 1, "cid-a", "uno", 3));
	media_store_close(self->st);
	ASSERT_EQ(0, media_store_open(&self->st, self->path));
	ASSERT_EQ(0, media_store_load(self->st, on_row, &self->seen));
	ASSERT_EQ(1U, self->seen.n);
	EXPECT_EQ(BIG, self->seen.handle[0]);
	EXPECT_EQ(1U, self->seen.branch[0]);
	EXPECT_STREQ("uno", self->seen.blob[0]);
}

TEST_F(store, delete_branch_then_call_then_clear)
{
	uint32_t two = 2;

	ASSERT_EQ(0, media_store_put(self->st, 5, 1, "cid-a", "b1", 2));
	ASSERT_EQ(0, media_store_put(self->st, 5, 2, "cid-a", "b2", 2));
	ASSERT_EQ(0, media_store_put(self->st, 6, 1, "cid-b", "c1", 2));
	ASSERT_EQ(0, media_store_del(self->st, 5, &two));
	ASSERT_EQ(0, media_store_load(self->st, on_row, &self->seen));
	EXPECT_EQ(2U, self->seen.n);
	self->seen.n = 0;
	ASSERT_EQ(0, media_store_del(self->st, 5, NULL));
	ASSERT_EQ(0, media_store_load(self->st, on_row, &self->seen));
	ASSERT_EQ(1U, self->seen.n);
	EXPECT_EQ(6U, self->seen.handle[0]);
	self->seen.n = 0;
	ASSERT_EQ(0, media_store_clear(self->st));
	ASSERT_EQ(0, media_store_load(self->st, on_row, &self->seen));
	EXPECT_EQ(0U, self->seen.n);
}

TEST_F(store, callback_error_stops_the_load)
{
	ASSERT_EQ(0, media_store_put(self->st, 1, 1, "bad", "x", 1));
	EXPECT_EQ(-1, media_store_load(self->st, on_row, &self->seen));
	/* The statement was reset: the next load runs again. */
	EXPECT_EQ(-1, media_store_load(self->st, on_row, &self->seen));
}

TEST(unwritable_path)
{
	struct media_store *st;

	EXPECT_EQ(-EIO, media_store_open(&st, "/nonexistent/dir/db"));
}

TEST_HARNESS_MAIN
