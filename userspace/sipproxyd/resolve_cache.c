// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer cache of resolve_cache.h: a chained hash table of
 * RESOLVE_CACHE_MAX buckets and an LRU list through the same entries.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "resolve_cache.h"
#include "resolve_order.h"

struct entry {
	struct entry *hash_next;
	struct entry *lru_prev;		/* towards the most recently used */
	struct entry *lru_next;
	unsigned int type;
	int status;
	uint64_t expires;
	unsigned char *abuf;
	size_t alen;
	char name[RESOLVE_NAME_MAX + 1];
};

struct resolve_cache {
	struct entry *buckets[RESOLVE_CACHE_MAX];
	struct entry *lru_head;		/* most recently used */
	struct entry *lru_tail;
	size_t count;
};

int resolve_cache_new(struct resolve_cache **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void resolve_cache_free(struct resolve_cache *c)
{
	struct entry *e, *next;

	if (!c)
		return;
	for (e = c->lru_head; e; e = next) {
		next = e->lru_next;
		free(e->abuf);
		free(e);
	}
	free(c);
}

size_t resolve_cache_count(const struct resolve_cache *c)
{
	return c->count;
}

/* FNV-1a of the type and the name. */
static struct entry **bucket(struct resolve_cache *c, unsigned int type, const char *name)
{
	uint32_t h = 2166136261U ^ type;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619U;
	return &c->buckets[h % RESOLVE_CACHE_MAX];
}

static void lru_unlink(struct resolve_cache *c, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push(struct resolve_cache *c, struct entry *e)
{
	e->lru_next = c->lru_head;
	if (c->lru_head)
		c->lru_head->lru_prev = e;
	else
		c->lru_tail = e;
	c->lru_head = e;
}

static struct entry **find(struct resolve_cache *c, unsigned int type, const char *name)
{
	struct entry **link;

	for (link = bucket(c, type, name); *link; link = &(*link)->hash_next)
		if ((*link)->type == type && !strcmp((*link)->name, name))
			return link;
	return NULL;
}

static void drop(struct resolve_cache *c, struct entry **link)
{
	struct entry *e = *link;

	*link = e->hash_next;
	lru_unlink(c, e);
	free(e->abuf);
	free(e);
	c->count--;
}

/**
 * resolve_cache_get - the unexpired entry of (@type, @name), if any
 *
 * @name must be in lower case without a trailing dot, as stored. A hit
 * becomes the most recently used entry.
 *
 * Return: true and @hit filled on a hit.
 */
bool resolve_cache_get(struct resolve_cache *c, unsigned int type, const char *name,
		       uint64_t now, struct resolve_cache_hit *hit)
{
	struct entry **link = find(c, type, name);
	struct entry *e;

	if (!link)
		return false;
	e = *link;
	if (e->expires <= now) {
		drop(c, link);
		return false;
	}
	lru_unlink(c, e);
	lru_push(c, e);
	*hit = (struct resolve_cache_hit){ .status = e->status, .abuf = e->abuf, .alen = e->alen };
	return true;
}

/**
 * resolve_cache_put - remember (@type, @name) until @expires
 * @abuf: the answer for a positive @status, NULL for a negative one
 *
 * Replaces an entry of the same key; when full, drops the least recently
 * used one.
 *
 * Return: 0, -EINVAL for a name or answer too long to keep, or -ENOMEM.
 */
int resolve_cache_put(struct resolve_cache *c, unsigned int type, const char *name, int status,
		      const unsigned char *abuf, size_t alen, uint64_t expires)
{
	struct entry **link, *e;
	size_t n = strlen(name);

	if (n > RESOLVE_NAME_MAX || alen > RESOLVE_CACHE_ANSWER_MAX)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (alen) {
		e->abuf = malloc(alen);
		if (!e->abuf) {
			free(e);
			return -ENOMEM;
		}
		memcpy(e->abuf, abuf, alen);
	}
	e->alen = alen;
	e->type = type;
	e->status = status;
	e->expires = expires;
	memcpy(e->name, name, n + 1);

	link = find(c, type, name);
	if (link)
		drop(c, link);
	else if (c->count == RESOLVE_CACHE_MAX)
		drop(c, find(c, c->lru_tail->type, c->lru_tail->name));
	link = bucket(c, type, name);
	e->hash_next = *link;
	*link = e;
	lru_push(c, e);
	c->count++;
	return 0;
}
