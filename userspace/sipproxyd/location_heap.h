/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_LOCATION_HEAP_H
#define SIPPROXY_LOCATION_HEAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A binary min-heap of expiry times. Nodes are embedded in their owners
 * and know their slot, so a binding leaves or moves in O(log n) and the
 * next expiry is the root: no scan per timer tick.
 */
struct location_heap_node {
	int64_t key;
	size_t index;
};

struct location_heap {
	struct location_heap_node **nodes;
	size_t count, alloc;
};

int location_heap_reserve(struct location_heap *heap, size_t extra, size_t *mem);
void location_heap_insert(struct location_heap *heap, struct location_heap_node *node);
void location_heap_remove(struct location_heap *heap, struct location_heap_node *node);
void location_heap_replace(struct location_heap *heap, struct location_heap_node *old,
			   struct location_heap_node *node);
struct location_heap_node *location_heap_min(const struct location_heap *heap);
void location_heap_destroy(struct location_heap *heap, size_t *mem);

#endif
