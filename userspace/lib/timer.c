// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: sorted lanes (doubly linked lists appended at the tail) in front
 * of an intrusive binary min-heap. The heap's nodes are the timers
 * themselves, linked as a complete binary tree, so it needs no array that
 * could fail to grow. Node number n (1-based, breadth first) is found from
 * the root by the bits of n below its top bit: 0 left, 1 right. With a few
 * hundred thousand transaction timers that walk missed the cache at every
 * level; the lanes take nearly all of them.
 */
#include <string.h>

#include "timer.h"

static bool before(const struct timer *a, const struct timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

/* The node at breadth-first position @pos (1 <= pos <= count). */
static struct timer *node_at(const struct timer_heap *heap, size_t pos)
{
	struct timer *node = heap->root;
	int bit = 63 - __builtin_clzll(pos);

	while (bit-- > 0)
		node = (pos >> bit) & 1 ? node->right : node->left;
	return node;
}

/* Point whatever referenced @old (its parent, or the root) at @new. */
static void replace_link(struct timer_heap *heap, struct timer *old, struct timer *new)
{
	struct timer *parent = new->parent;

	if (!parent)
		heap->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/* Exchange @child with its parent @parent in the tree. */
static void swap_with_parent(struct timer_heap *heap, struct timer *parent,
			     struct timer *child)
{
	struct timer *grand = parent->parent;
	struct timer *left = parent->left;
	struct timer *right = parent->right;

	parent->left = child->left;
	parent->right = child->right;
	parent->parent = child;
	if (parent->left)
		parent->left->parent = parent;
	if (parent->right)
		parent->right->parent = parent;

	if (left == child) {
		child->left = parent;
		child->right = right;
		if (right)
			right->parent = child;
	} else {
		child->right = parent;
		child->left = left;
		if (left)
			left->parent = child;
	}
	child->parent = grand;
	replace_link(heap, parent, child);
}

static void sift_up(struct timer_heap *heap, struct timer *node)
{
	while (node->parent && before(node, node->parent))
		swap_with_parent(heap, node->parent, node);
}

static void sift_down(struct timer_heap *heap, struct timer *node)
{
	for (;;) {
		struct timer *least = node;

		if (node->left && before(node->left, least))
			least = node->left;
		if (node->right && before(node->right, least))
			least = node->right;
		if (least == node)
			return;
		swap_with_parent(heap, node, least);
	}
}

static void insert(struct timer_heap *heap, struct timer *timer)
{
	size_t pos = ++heap->heap_count;
	struct timer *parent;

	timer->left = NULL;
	timer->right = NULL;
	if (pos == 1) {
		timer->parent = NULL;
		heap->root = timer;
		return;
	}
	parent = node_at(heap, pos / 2);
	if (pos & 1)
		parent->right = timer;
	else
		parent->left = timer;
	timer->parent = parent;
	sift_up(heap, timer);
}

static void unlink_node(struct timer_heap *heap, struct timer *timer)
{
	struct timer *last = node_at(heap, heap->heap_count);

	/* Detach the last node first: it may be @timer or its child. */
	if (!last->parent)
		heap->root = NULL;
	else if (last->parent->left == last)
		last->parent->left = NULL;
	else
		last->parent->right = NULL;
	heap->heap_count--;
	if (last == timer)
		return;

	last->parent = timer->parent;
	last->left = timer->left;
	last->right = timer->right;
	if (last->left)
		last->left->parent = last;
	if (last->right)
		last->right->parent = last;
	replace_link(heap, timer, last);
	/* At most one of these moves it: it is either too small or too big. */
	sift_up(heap, last);
	sift_down(heap, last);
}

/* The lane @timer sorts after with the least gap, else an empty one; -1 for none. */
static int pick_lane(const struct timer_heap *heap, const struct timer *timer)
{
	int i, best = -1, empty = -1;

	for (i = 0; i < TIMER_LANES; i++) {
		const struct timer *tail = heap->lane[i].tail;

		if (!tail) {
			if (empty < 0)
				empty = i;
			continue;
		}
		/* Its seq is the newest: an equal deadline sorts after. */
		if (tail->deadline <= timer->deadline &&
		    (best < 0 || tail->deadline > heap->lane[best].tail->deadline))
			best = i;
	}
	return best >= 0 ? best : empty;
}

static void lane_append(struct timer_lane *lane, struct timer *timer)
{
	timer->parent = NULL;
	timer->left = lane->tail;
	timer->right = NULL;
	if (lane->tail)
		lane->tail->right = timer;
	else
		lane->head = timer;
	lane->tail = timer;
}

static void lane_unlink(struct timer_lane *lane, struct timer *timer)
{
	if (timer->left)
		timer->left->right = timer->right;
	else
		lane->head = timer->right;
	if (timer->right)
		timer->right->left = timer->left;
	else
		lane->tail = timer->left;
}

static void add(struct timer_heap *heap, struct timer *timer)
{
	int lane = pick_lane(heap, timer);

	if (lane >= 0) {
		timer->lane = (uint8_t)(lane + 1);
		lane_append(&heap->lane[lane], timer);
	} else {
		timer->lane = 0;
		insert(heap, timer);
	}
	heap->count++;
}

static void del(struct timer_heap *heap, struct timer *timer)
{
	if (timer->lane)
		lane_unlink(&heap->lane[timer->lane - 1], timer);
	else
		unlink_node(heap, timer);
	heap->count--;
}

/* The first timer to fire: the least of the lane heads and the heap root. */
static struct timer *first(const struct timer_heap *heap)
{
	struct timer *t = heap->root;
	int i;

	for (i = 0; i < TIMER_LANES; i++) {
		struct timer *h = heap->lane[i].head;

		if (h && (!t || before(h, t)))
			t = h;
	}
	return t;
}

void timer_heap_init(struct timer_heap *heap)
{
	memset(heap, 0, sizeof(*heap));
}

/**
 * timer_heap_next - the nearest deadline
 *
 * Return: the deadline of the first timer to fire, or TIMER_NEVER.
 */
uint64_t timer_heap_next(const struct timer_heap *heap)
{
	const struct timer *t = first(heap);

	return t ? t->deadline : TIMER_NEVER;
}

/**
 * timer_heap_run - fire every timer due at @now, earliest first
 *
 * Timers armed by the callbacks themselves (even for a deadline already
 * past) wait for the next run, so a callback re-arming its own timer for
 * "now" cannot keep this function looping.
 *
 * Return: how many callbacks ran.
 */
unsigned int timer_heap_run(struct timer_heap *heap, uint64_t now)
{
	uint64_t armed_before = heap->seq;
	unsigned int fired = 0;
	struct timer *timer;

	while ((timer = first(heap)) && timer->deadline <= now && timer->seq < armed_before) {
		del(heap, timer);
		timer->armed = false;
		fired++;
		timer->fn(timer, now);
	}
	return fired;
}

void timer_init(struct timer *timer, timer_fn *fn)
{
	memset(timer, 0, sizeof(*timer));
	timer->fn = fn;
}

/**
 * timer_arm - (re-)arm @timer to fire once at @deadline
 * @heap: the heap it is or will be in
 * @timer: initialised with timer_init(); if already armed it moves
 * @deadline: absolute time on the caller's clock, in milliseconds
 */
void timer_arm(struct timer_heap *heap, struct timer *timer, uint64_t deadline)
{
	if (timer->armed)
		del(heap, timer);
	timer->deadline = deadline;
	timer->seq = heap->seq++;
	timer->armed = true;
	add(heap, timer);
}

/* Disarm @timer; a timer that is not armed is left alone. */
void timer_cancel(struct timer_heap *heap, struct timer *timer)
{
	if (!timer->armed)
		return;
	del(heap, timer);
	timer->armed = false;
}
