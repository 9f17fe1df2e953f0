/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TIMER_H
#define SIPPROXY_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deadline of a heap with no armed timer. */
#define TIMER_NEVER UINT64_MAX

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

struct timer;

/*
 * Called once per expiry with the timer already disarmed, so the callback
 * may re-arm it, cancel others, or free the struct that embeds it.
 * @now is the time the heap was run at (milliseconds, caller's clock).
 */
typedef void timer_fn(struct timer *timer, uint64_t now);

/*
 * A timer lives inside the caller's struct (find the container with
 * container_of()); the heap links timers through these fields, so arming
 * one never allocates and never fails. Treat every field as private.
 */
struct timer {
	struct timer *parent;
	struct timer *left;	/* in a lane: the previous timer */
	struct timer *right;	/* in a lane: the next timer */
	uint64_t deadline;
	uint64_t seq;		/* arming order: ties fire first-armed first */
	timer_fn *fn;
	bool armed;
	uint8_t lane;		/* 1 + its lane, or 0 in the heap */
};

#define TIMER_LANES 8

/* Timers in firing order: each one's (deadline, seq) at least its predecessor's. */
struct timer_lane {
	struct timer *head;
	struct timer *tail;
};

/*
 * Timers ordered by (deadline, arming order). Most are armed with one of
 * a few delays (T1, T4, 64*T1) on a clock that only moves forward, so the
 * deadlines of each delay come in order: a timer goes to the end of the
 * lane it sorts after (the one whose last deadline is the latest not past
 * its own), O(1) to add and to cancel. The others go to a min-heap, kept
 * as a pointer tree shaped like a complete binary tree (O(log n)). The
 * nearest deadline is the least of the lane heads and the heap root.
 */
struct timer_heap {
	struct timer *root;
	size_t heap_count;	/* timers in the heap */
	size_t count;		/* every armed timer */
	uint64_t seq;
	struct timer_lane lane[TIMER_LANES];
};

void timer_heap_init(struct timer_heap *heap);
uint64_t timer_heap_next(const struct timer_heap *heap);
unsigned int timer_heap_run(struct timer_heap *heap, uint64_t now);

void timer_init(struct timer *timer, timer_fn *fn);
void timer_arm(struct timer_heap *heap, struct timer *timer, uint64_t deadline);
void timer_cancel(struct timer_heap *heap, struct timer *timer);

static inline bool timer_armed(const struct timer *timer)
{
	return timer->armed;
}

static inline uint64_t timer_deadline(const struct timer *timer)
{
	return timer->deadline;
}

#endif
