// SPDX-License-Identifier: GPL-2.0
/*
 * The proxy's dialog table (dialog.h): in-dialog requests are found by
 * Call-ID and both tags in either direction, early dialogs by the tag of
 * each branch's 1xx, calls by handle; handles are unique, the table is
 * bounded by DIALOG_MAX, and what the store keeps comes back as it was,
 * a ringing call's early branches included.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/dialog.h"
#include "sipproxyd/dialog_store.h"

#define S(lit) SIP_STR(lit)

FIXTURE(tab)
{
	struct dialogs *tab;
	struct dialog *d;
};

FIXTURE_SETUP(tab)
{
	ASSERT_EQ(0, dialogs_new(&self->tab));
	ASSERT_EQ(0, dialog_add(self->tab, 0x1234, S("call-1@host"), S("caller-tag"), &self->d));
}

FIXTURE_TEARDOWN(tab)
{
	dialogs_free(self->tab);
}

TEST_F(tab, confirmed_dialog_found_from_both_sides)
{
	enum dialog_side side = DIALOG_CALLEE;

	self->d->state = DIALOG_CONFIRMED;
	ASSERT_TRUE(dialog_tag_set(self->d->callee_tag, S("callee-tag")));
	EXPECT_EQ(self->d, dialog_find(self->tab, S("call-1@host"), S("caller-tag"),
				       S("callee-tag"), &side));
	EXPECT_EQ((enum dialog_side)DIALOG_CALLER, side);
	EXPECT_EQ(self->d, dialog_find(self->tab, S("call-1@host"), S("callee-tag"),
				       S("caller-tag"), &side));
	EXPECT_EQ((enum dialog_side)DIALOG_CALLEE, side);
	EXPECT_EQ(NULL, dialog_find(self->tab, S("call-1@host"), S("caller-tag"),
				    S("other-tag"), &side));
	EXPECT_EQ(NULL, dialog_find(self->tab, S("call-2@host"), S("caller-tag"),
				    S("callee-tag"), &side));
	/* Tags compare exactly: a prefix is another dialog. */
	EXPECT_EQ(NULL, dialog_find(self->tab, S("call-1@host"), S("caller-ta"),
				    S("callee-tag"), &side));
}

TEST_F(tab, early_dialogs_name_their_branch)
{
	enum dialog_side side;
	uint32_t branch = 0;
	int i;

	ASSERT_EQ(0, dialog_early_add(self->d, S("fork-a"), 1));
	ASSERT_EQ(0, dialog_early_add(self->d, S("fork-b"), 2));
	ASSERT_EQ(0, dialog_early_add(self->d, S("fork-a"), 9));	/* known: kept as 1 */
	EXPECT_EQ(-EINVAL, dialog_early_add(self->d, S(""), 99));
	EXPECT_TRUE(dialog_early_branch(self->d, S("fork-b"), &branch));
	EXPECT_EQ(2U, branch);
	EXPECT_TRUE(dialog_early_branch(self->d, S("fork-a"), &branch));
	EXPECT_EQ(1U, branch);
	EXPECT_EQ(self->d, dialog_find(self->tab, S("call-1@host"), S("fork-b"), S("caller-tag"),
				       &side));
	EXPECT_EQ((enum dialog_side)DIALOG_CALLEE, side);
	for (i = 2; i < DIALOG_MAX_EARLY; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "t%d", i);
		ASSERT_EQ(0, dialog_early_add(self->d, sip_str_make(tag, strlen(tag)), (uint32_t)i));
	}
	EXPECT_EQ(-ENOSPC, dialog_early_add(self->d, S("one-too-many"), 99));
}

TEST_F(tab, handles_are_unique_and_found)
{
	struct dialog *other;

	EXPECT_EQ(-EEXIST, dialog_add(self->tab, 0x1234, S("call-9"), S("x"), &other));
	EXPECT_EQ(-EEXIST, dialog_add(self->tab, 0, S("call-9"), S("x"), &other));
	EXPECT_EQ(-EINVAL, dialog_add(self->tab, 0x99, S("call-9"), SIP_STR_NONE, &other));
	EXPECT_EQ(self->d, dialog_by_handle(self->tab, 0x1234));
	EXPECT_EQ(self->d, dialog_find_initial(self->tab, S("call-1@host"), S("caller-tag")));
	dialog_del(self->tab, self->d);
	EXPECT_EQ(NULL, dialog_by_handle(self->tab, 0x1234));
	EXPECT_EQ(0U, dialogs_count(self->tab));
	ASSERT_EQ(0, dialog_add(self->tab, 0x1234, S("call-1@host"), S("caller-tag"), &self->d));
}

TEST_F(tab, bounded_by_dialog_max)
{
	struct dialog *d;
	char id[32];
	uint64_t h;

	for (h = 1; dialogs_count(self->tab) < DIALOG_MAX; h++) {
		if (h == 0x1234)
			continue;
		snprintf(id, sizeof(id), "call-%llu", (unsigned long long)h);
		ASSERT_EQ(0, dialog_add(self->tab, h, sip_str_make(id, strlen(id)), S("t"), &d));
	}
	EXPECT_EQ(-ENOSPC, dialog_add(self->tab, 0xffffffffffffULL, S("late"), S("t"), &d));
	/* Iteration visits every entry once. */
	h = 0;
	for (d = dialogs_next(self->tab, NULL); d; d = dialogs_next(self->tab, d))
		h++;
	EXPECT_EQ((uint64_t)DIALOG_MAX, h);
}

TEST_F(tab, store_keeps_a_confirmed_dialog)
{
	char path[] = "/tmp/dialog-store-XXXXXX";
	struct dialog_store *st;
	struct dialogs *back;
	struct dialog *d = self->d, *r;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	close(fd);
	d->state = DIALOG_CONFIRMED;
	d->winner = 3;
	ASSERT_TRUE(dialog_tag_set(d->callee_tag, S("callee-tag")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLER].addr, S("<sip:a@x>;tag=caller-tag")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLER].target, S("sip:a@10.0.0.1")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLEE].addr, S("<sip:b@y>;tag=callee-tag")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLEE].target, S("sip:b@10.0.0.2")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLEE].route, S("<sip:p2;lr>, <sip:p3;lr>")));
	d->peer[DIALOG_CALLER].cseq = 7;
	d->peer[DIALOG_CALLEE].cseq = 0xfffffff0;
	ASSERT_EQ(0, dialog_store_open(&st, path));
	ASSERT_EQ(0, dialog_store_put(st, d));
	ASSERT_EQ(0, dialogs_new(&back));
	ASSERT_EQ(0, dialog_store_load(st, back));
	r = dialog_by_handle(back, 0x1234);
	ASSERT_NE(NULL, r);
	EXPECT_EQ((enum dialog_state)DIALOG_CONFIRMED, r->state);
	EXPECT_EQ(3U, r->winner);
	EXPECT_STREQ("callee-tag", r->callee_tag);
	EXPECT_STREQ("<sip:a@x>;tag=caller-tag", r->peer[DIALOG_CALLER].addr);
	EXPECT_EQ(NULL, r->peer[DIALOG_CALLER].route);
	EXPECT_STREQ("<sip:p2;lr>, <sip:p3;lr>", r->peer[DIALOG_CALLEE].route);
	EXPECT_EQ(7U, r->peer[DIALOG_CALLER].cseq);
	EXPECT_EQ(0xfffffff0U, r->peer[DIALOG_CALLEE].cseq);
	dialogs_free(back);
	ASSERT_EQ(0, dialog_store_del(st, 0x1234));
	ASSERT_EQ(0, dialogs_new(&back));
	ASSERT_EQ(0, dialog_store_load(st, back));
	EXPECT_EQ(0U, dialogs_count(back));
	dialogs_free(back);
	dialog_store_close(st);
	unlink(path);
}

/* A call stored while it rings comes back early, its branches found by tag. */
TEST_F(tab, store_keeps_a_ringing_call)
{
	char path[] = "/tmp/dialog-store-XXXXXX";
	enum dialog_side side = DIALOG_CALLEE;
	struct dialog_store *st;
	struct dialogs *back;
	struct dialog *d = self->d, *r;
	uint32_t branch = 0;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	close(fd);
	d->next_branch = 3;
	ASSERT_EQ(0, dialog_early_add(d, S("ring-1"), 1));
	ASSERT_EQ(0, dialog_early_add(d, S("ring-2"), 2));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLER].addr, S("<sip:a@x>;tag=caller-tag")));
	ASSERT_EQ(0, dialog_set_str(&d->peer[DIALOG_CALLER].target, S("sip:a@10.0.0.1")));
	d->peer[DIALOG_CALLER].cseq = 5;
	ASSERT_EQ(0, dialog_store_open(&st, path));
	ASSERT_EQ(0, dialog_store_put(st, d));
	ASSERT_EQ(0, dialogs_new(&back));
	ASSERT_EQ(0, dialog_store_load(st, back));
	r = dialog_by_handle(back, 0x1234);
	ASSERT_NE(NULL, r);
	EXPECT_EQ((enum dialog_state)DIALOG_EARLY, r->state);
	EXPECT_EQ(3U, r->next_branch);
	EXPECT_EQ(2U, r->nearly);
	EXPECT_STREQ("", r->callee_tag);
	EXPECT_EQ(NULL, r->peer[DIALOG_CALLEE].addr);
	EXPECT_EQ(5U, r->peer[DIALOG_CALLER].cseq);
	EXPECT_TRUE(dialog_early_branch(r, S("ring-2"), &branch));
	EXPECT_EQ(2U, branch);
	EXPECT_EQ(r, dialog_find(back, S("call-1@host"), S("caller-tag"), S("ring-1"), &side));
	EXPECT_EQ((enum dialog_side)DIALOG_CALLER, side);
	EXPECT_FALSE(dialog_early_branch(r, S("ring-3"), &branch));
	dialogs_free(back);
	dialog_store_close(st);
	unlink(path);
}

TEST_HARNESS_MAIN
