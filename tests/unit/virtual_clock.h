/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtual clock for tests and fuzzers of the transaction layer: the
 * txn_ops time hooks read and arm it, and vclock_run_until() moves it
 * forward, firing each timer at its exact due time and in order, so a
 * test asserts the millisecond a retransmission or timeout happens and
 * never sleeps. One clock per program; include once per .c file.
 */
#ifndef SIPPROXY_TEST_VIRTUAL_CLOCK_H
#define SIPPROXY_TEST_VIRTUAL_CLOCK_H

#include <stdint.h>

#include "lib/timer.h"

static struct {
	struct timer_heap heap;
	uint64_t now;
} vclock;

/* An empty heap and the clock at @start ms. */
static inline void vclock_init(uint64_t start)
{
	timer_heap_init(&vclock.heap);
	vclock.now = start;
}

static inline uint64_t vclock_now(void *ctx)
{
	return vclock.now;
}

static inline void vclock_arm(void *ctx, struct timer *t, uint64_t delay)
{
	timer_arm(&vclock.heap, t, vclock.now + delay);
}

static inline void vclock_cancel(void *ctx, struct timer *t)
{
	timer_cancel(&vclock.heap, t);
}

/* The time hooks of a struct txn_ops initialiser. */
#define VCLOCK_TXN_OPS \
	.now = vclock_now, \
	.timer_arm = vclock_arm, \
	.timer_cancel = vclock_cancel

/* Advance the clock to @t, firing what is due on the way. */
static inline void vclock_run_until(uint64_t t)
{
	uint64_t next;

	while ((next = timer_heap_next(&vclock.heap)) <= t) {
		vclock.now = next;
		timer_heap_run(&vclock.heap, next);
	}
	vclock.now = t;
}

#endif
