// SPDX-License-Identifier: GPL-2.0
/*
 * Min-heap on location_heap_node.key. Insertion cannot fail: callers
 * reserve room first, so a REGISTER's changes either all apply or none.
 */
#include <errno.h>
#include <stdlib.h>

#include "location_heap.h"

static void place(struct location_heap *heap, size_t i, struct location_heap_node *node)
{
	heap->nodes[i] = node;
	node->index = i;
}

static void sift_up(struct location_heap *heap, size_t i)
{
	struct location_heap_node *node = heap->nodes[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (heap->nodes[parent]->key <= node->key)
			break;
		place(heap, i, heap->nodes[parent]);
		i = parent;
	}
	place(heap, i, node);
}

static void sift_down(struct location_heap *heap, size_t i)
{
	struct location_heap_node *node = heap->nodes[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= heap->count)
			break;
		if (child + 1 < heap->count && heap->nodes[child + 1]->key < heap->nodes[child]->key)
			child++;
		if (node->key <= heap->nodes[child]->key)
			break;
		place(heap, i, heap->nodes[child]);
		i = child;
	}
	place(heap, i, node);
}

/* Makes room for @extra more nodes; @mem tracks the bytes the array holds. */
int location_heap_reserve(struct location_heap *heap, size_t extra, size_t *mem)
{
	struct location_heap_node **nodes;
	size_t alloc = heap->alloc ? heap->alloc : 16;

	if (heap->count + extra <= heap->alloc)
		return 0;
	while (alloc < heap->count + extra)
		alloc *= 2;
	nodes = realloc(heap->nodes, alloc * sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	*mem += (alloc - heap->alloc) * sizeof(*nodes);
	heap->nodes = nodes;
	heap->alloc = alloc;
	return 0;
}

void location_heap_insert(struct location_heap *heap, struct location_heap_node *node)
{
	place(heap, heap->count++, node);
	sift_up(heap, node->index);
}

/* Puts @node where @old was (a binding refreshed into a new object). */
void location_heap_replace(struct location_heap *heap, struct location_heap_node *old,
			   struct location_heap_node *node)
{
	size_t i = old->index;

	place(heap, i, node);
	sift_up(heap, i);
	sift_down(heap, node->index);
}

void location_heap_remove(struct location_heap *heap, struct location_heap_node *node)
{
	size_t i = node->index;
	struct location_heap_node *last = heap->nodes[--heap->count];

	if (last == node)
		return;
	place(heap, i, last);
	sift_up(heap, i);
	sift_down(heap, last->index);
}

struct location_heap_node *location_heap_min(const struct location_heap *heap)
{
	return heap->count ? heap->nodes[0] : NULL;
}

void location_heap_destroy(struct location_heap *heap, size_t *mem)
{
	*mem -= heap->alloc * sizeof(*heap->nodes);
	free(heap->nodes);
	heap->nodes = NULL;
	heap->count = heap->alloc = 0;
}
