// SPDX-License-Identifier: GPL-2.0
/*
 * The timer heap under a virtual clock: firing order, ties, cancel and
 * re-arm (also from inside callbacks) and 100k timers in random order.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "lib/timer.h"

#define MAX_FIRED 16

struct probe {
	struct timer timer;
	int id;
	struct timer_heap *heap;
	struct probe *other;	/* what the callback acts on, if anything */
	uint64_t rearm_at;
};

static int fired[MAX_FIRED];
static unsigned int nfired;

static void record(struct timer *t, uint64_t now)
{
	struct probe *p = container_of(t, struct probe, timer);

	if (nfired < MAX_FIRED)
		fired[nfired] = p->id;
	nfired++;
}

static void cancel_other(struct timer *t, uint64_t now)
{
	struct probe *p = container_of(t, struct probe, timer);

	record(t, now);
	timer_cancel(p->heap, &p->other->timer);
}

static void rearm_self(struct timer *t, uint64_t now)
{
	struct probe *p = container_of(t, struct probe, timer);

	record(t, now);
	if (p->rearm_at)
		timer_arm(p->heap, t, p->rearm_at);
	p->rearm_at = 0;
}

static void free_self(struct timer *t, uint64_t now)
{
	record(t, now);
	free(container_of(t, struct probe, timer));
}

FIXTURE(heap) {
	struct timer_heap heap;
	struct probe p[5];
};

FIXTURE_SETUP(heap)
{
	int i;

	timer_heap_init(&self->heap);
	for (i = 0; i < 5; i++) {
		timer_init(&self->p[i].timer, record);
		self->p[i].id = i;
		self->p[i].heap = &self->heap;
	}
	nfired = 0;
}

FIXTURE_TEARDOWN(heap)
{
}

TEST_F(heap, empty_never_fires)
{
	EXPECT_EQ(TIMER_NEVER, timer_heap_next(&self->heap));
	EXPECT_EQ(0U, timer_heap_run(&self->heap, TIMER_NEVER - 1));
}

TEST_F(heap, fires_in_deadline_order)
{
	timer_arm(&self->heap, &self->p[0].timer, 300);
	timer_arm(&self->heap, &self->p[1].timer, 100);
	timer_arm(&self->heap, &self->p[2].timer, 500);
	timer_arm(&self->heap, &self->p[3].timer, 200);
	EXPECT_EQ(100U, timer_heap_next(&self->heap));

	EXPECT_EQ(0U, timer_heap_run(&self->heap, 99));
	EXPECT_EQ(2U, timer_heap_run(&self->heap, 250));
	EXPECT_EQ(1, fired[0]);
	EXPECT_EQ(3, fired[1]);
	EXPECT_EQ(300U, timer_heap_next(&self->heap));
	EXPECT_EQ(2U, timer_heap_run(&self->heap, 1000));
	EXPECT_EQ(0, fired[2]);
	EXPECT_EQ(2, fired[3]);
	EXPECT_FALSE(timer_armed(&self->p[2].timer));
	EXPECT_EQ(TIMER_NEVER, timer_heap_next(&self->heap));
}

TEST_F(heap, equal_deadlines_fire_in_arming_order)
{
	timer_arm(&self->heap, &self->p[3].timer, 50);
	timer_arm(&self->heap, &self->p[1].timer, 50);
	timer_arm(&self->heap, &self->p[4].timer, 50);
	timer_arm(&self->heap, &self->p[0].timer, 50);
	timer_arm(&self->heap, &self->p[2].timer, 50);
	EXPECT_EQ(5U, timer_heap_run(&self->heap, 50));
	EXPECT_EQ(3, fired[0]);
	EXPECT_EQ(1, fired[1]);
	EXPECT_EQ(4, fired[2]);
	EXPECT_EQ(0, fired[3]);
	EXPECT_EQ(2, fired[4]);
}

TEST_F(heap, cancel)
{
	timer_arm(&self->heap, &self->p[0].timer, 10);
	timer_arm(&self->heap, &self->p[1].timer, 20);
	timer_arm(&self->heap, &self->p[2].timer, 30);
	timer_cancel(&self->heap, &self->p[0].timer);
	timer_cancel(&self->heap, &self->p[0].timer);	/* twice is harmless */
	timer_cancel(&self->heap, &self->p[3].timer);	/* never armed */
	EXPECT_FALSE(timer_armed(&self->p[0].timer));
	EXPECT_EQ(20U, timer_heap_next(&self->heap));
	EXPECT_EQ(2U, timer_heap_run(&self->heap, 100));
	EXPECT_EQ(1, fired[0]);
	EXPECT_EQ(2, fired[1]);
}

TEST_F(heap, rearm_moves_the_deadline)
{
	timer_arm(&self->heap, &self->p[0].timer, 10);
	timer_arm(&self->heap, &self->p[1].timer, 20);
	timer_arm(&self->heap, &self->p[2].timer, 30);
	timer_arm(&self->heap, &self->p[0].timer, 40);	/* later */
	timer_arm(&self->heap, &self->p[2].timer, 5);	/* earlier */
	EXPECT_EQ(5U, timer_heap_next(&self->heap));
	EXPECT_EQ(40U, timer_deadline(&self->p[0].timer));
	EXPECT_EQ(3U, timer_heap_run(&self->heap, 40));
	EXPECT_EQ(3U, nfired);
	EXPECT_EQ(2, fired[0]);
	EXPECT_EQ(1, fired[1]);
	EXPECT_EQ(0, fired[2]);
}

TEST_F(heap, cancel_from_inside_a_callback)
{
	self->p[0].timer.fn = cancel_other;
	self->p[0].other = &self->p[1];
	timer_arm(&self->heap, &self->p[0].timer, 10);
	timer_arm(&self->heap, &self->p[1].timer, 10);	/* due in the same run */
	timer_arm(&self->heap, &self->p[2].timer, 10);
	EXPECT_EQ(2U, timer_heap_run(&self->heap, 10));
	EXPECT_EQ(0, fired[0]);
	EXPECT_EQ(2, fired[1]);
	EXPECT_EQ(TIMER_NEVER, timer_heap_next(&self->heap));
}

TEST_F(heap, rearm_from_inside_a_callback_waits_for_next_run)
{
	self->p[0].timer.fn = rearm_self;
	self->p[0].rearm_at = 10;	/* already due */
	timer_arm(&self->heap, &self->p[0].timer, 10);
	EXPECT_EQ(1U, timer_heap_run(&self->heap, 10));
	EXPECT_TRUE(timer_armed(&self->p[0].timer));
	EXPECT_EQ(10U, timer_heap_next(&self->heap));
	EXPECT_EQ(1U, timer_heap_run(&self->heap, 10));
	EXPECT_FALSE(timer_armed(&self->p[0].timer));
	EXPECT_EQ(2U, nfired);
}

TEST_F(heap, callback_may_free_its_timer)
{
	struct probe *p = calloc(1, sizeof(*p));

	ASSERT_NE(NULL, p);
	timer_init(&p->timer, free_self);
	p->id = 7;
	timer_arm(&self->heap, &p->timer, 1);
	timer_arm(&self->heap, &self->p[0].timer, 2);
	EXPECT_EQ(2U, timer_heap_run(&self->heap, 2));
	EXPECT_EQ(7, fired[0]);
	EXPECT_EQ(0, fired[1]);
}

/* 100k timers: random deadlines, a third cancelled, a fifth re-armed. */
#define MANY 100000

struct many {
	struct timer timer;
	bool cancelled;
	bool fired;
};

static uint64_t last_deadline;
static unsigned int many_fired;
static bool many_order_ok = true;

static void many_fire(struct timer *t, uint64_t now)
{
	struct many *m = container_of(t, struct many, timer);

	if (m->cancelled || m->fired || t->deadline < last_deadline || t->deadline > now)
		many_order_ok = false;
	last_deadline = t->deadline;
	m->fired = true;
	many_fired++;
}

/* A fixed LCG: the same "random" sequence on every run. */
static uint64_t next_rand(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

TEST(hundred_thousand_timers)
{
	struct many *m = calloc(MANY, sizeof(*m));
	struct timer_heap heap;
	unsigned int expected = 0, i;
	uint64_t rng = 1, now;

	ASSERT_NE(NULL, m);
	timer_heap_init(&heap);
	for (i = 0; i < MANY; i++) {
		timer_init(&m[i].timer, many_fire);
		timer_arm(&heap, &m[i].timer, next_rand(&rng) % 1000000);
	}
	for (i = 0; i < MANY; i++) {
		if (i % 3 == 0) {
			timer_cancel(&heap, &m[i].timer);
			m[i].cancelled = true;
		} else if (i % 5 == 0) {
			timer_arm(&heap, &m[i].timer, next_rand(&rng) % 1000000);
		}
	}
	for (i = 0; i < MANY; i++)
		expected += !m[i].cancelled;
	ASSERT_EQ(expected, heap.count);

	for (now = 0; now < 1000000; now += 997)
		timer_heap_run(&heap, now);
	timer_heap_run(&heap, 1000000);
	EXPECT_TRUE(many_order_ok);
	EXPECT_EQ(expected, many_fired);
	EXPECT_EQ(0U, heap.count);
	EXPECT_EQ(TIMER_NEVER, timer_heap_next(&heap));
	free(m);
}

/*
 * Transaction-like load: each step of a virtual clock arms timers with the
 * few fixed delays the transaction layer uses (they fill the lanes) and a
 * stray delay now and then (the heap), cancels some and re-arms some. Every
 * timer left armed fires exactly once, in (deadline, arming order).
 */
#define SHAPED 60000

struct shaped {
	struct timer timer;
	uint64_t armed_as;	/* arming order of its latest arm */
	bool armed;
	unsigned int fired;
};

static uint64_t shaped_arms;
static uint64_t shaped_last_deadline, shaped_last_armed_as;
static unsigned int shaped_fired;
static bool shaped_order_ok = true;

static void shaped_arm(struct timer_heap *heap, struct shaped *s, uint64_t deadline)
{
	timer_arm(heap, &s->timer, deadline);
	s->armed_as = shaped_arms++;
	s->armed = true;
}

static void shaped_fire(struct timer *t, uint64_t now)
{
	struct shaped *s = container_of(t, struct shaped, timer);
	uint64_t d = timer_deadline(t);

	if (!s->armed || d > now || d < shaped_last_deadline ||
	    (d == shaped_last_deadline && s->armed_as < shaped_last_armed_as))
		shaped_order_ok = false;
	shaped_last_deadline = d;
	shaped_last_armed_as = s->armed_as;
	s->armed = false;
	s->fired++;
	shaped_fired++;
}

TEST(fixed_delays_and_strays)
{
	static const uint64_t delays[] = { 0, 500, 5000, 32000, 500, 32000 };
	struct shaped *s = calloc(SHAPED, sizeof(*s));
	unsigned int i, expected = 0, fired_total = 0;
	struct timer_heap heap;
	uint64_t rng = 7, now = 1000;

	ASSERT_NE(NULL, s);
	timer_heap_init(&heap);
	for (i = 0; i < SHAPED; i++) {
		timer_init(&s[i].timer, shaped_fire);
		if (i % 97 == 0)
			shaped_arm(&heap, &s[i], now + next_rand(&rng) % 70000);
		else
			shaped_arm(&heap, &s[i], now + delays[i % 6]);
		/* A response cancels a retransmission timer; a state change re-arms. */
		if (i >= 10 && i % 4 == 0 && s[i - 10].armed) {
			timer_cancel(&heap, &s[i - 10].timer);
			s[i - 10].armed = false;
		} else if (i >= 7 && i % 9 == 0) {
			shaped_arm(&heap, &s[i - 7], now + delays[(i / 9) % 6]);
		}
		if (i % 20 == 19) {
			now += 1 + next_rand(&rng) % 3;
			timer_heap_run(&heap, now);
		}
	}
	for (i = 0; i < SHAPED; i++)
		expected += s[i].armed;
	ASSERT_EQ(expected, heap.count);
	timer_heap_run(&heap, now + 100000);
	for (i = 0; i < SHAPED; i++) {
		fired_total += s[i].fired;
		EXPECT_FALSE(s[i].armed);
	}
	EXPECT_TRUE(shaped_order_ok);
	EXPECT_EQ(fired_total, shaped_fired);
	EXPECT_EQ(0U, heap.count);
	EXPECT_EQ(TIMER_NEVER, timer_heap_next(&heap));
	free(s);
}

TEST_HARNESS_MAIN
