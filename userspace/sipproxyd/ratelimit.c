// SPDX-License-Identifier: GPL-2.0
/*
 * Token buckets per source address. Credit counts in 1/60 of a failure so
 * that refilling max_failures_per_minute per minute is an integer per
 * second: a failure costs 60, a second gives back max_failures_per_minute,
 * a full bucket holds 60 * max_failures_per_minute.
 */
#include <errno.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"

#define COST 60

struct source {
	sa_family_t family;
	uint8_t addr[16];
	int64_t credit;
	int64_t updated;
	struct source *hnext;		/* hash chain */
	struct source *prev, *next;	/* LRU list, most recent first */
};

struct ratelimit {
	int64_t rate;			/* credit per second */
	int64_t capacity;
	struct source *pool;
	size_t max, used, count;
	struct source *free;		/* forgotten entries, chained by hnext */
	struct source **buckets;
	size_t mask;
	struct source lru;		/* list head */
	uint32_t seed;
};

void ratelimit_config_default(struct ratelimit_config *cfg)
{
	cfg->max_failures_per_minute = RATELIMIT_DEFAULT_FAILURES_PER_MINUTE;
	cfg->max_sources = RATELIMIT_DEFAULT_SOURCES;
}

int ratelimit_new(const struct ratelimit_config *cfg, struct ratelimit **out)
{
	struct ratelimit *rl;
	size_t nbuckets = 1;

	if (!cfg->max_failures_per_minute || !cfg->max_sources ||
	    cfg->max_sources > (SIZE_MAX >> 2) / sizeof(struct source))
		return -EINVAL;
	while (nbuckets < cfg->max_sources)
		nbuckets *= 2;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return -ENOMEM;
	rl->pool = calloc(cfg->max_sources, sizeof(*rl->pool));
	rl->buckets = calloc(nbuckets, sizeof(*rl->buckets));
	if (!rl->pool || !rl->buckets)
		goto err_free;
	/* The key is attacker-chosen: a random seed keeps chains short. */
	if (RAND_bytes((unsigned char *)&rl->seed, sizeof(rl->seed)) != 1)
		goto err_free;
	rl->rate = cfg->max_failures_per_minute;
	rl->capacity = COST * rl->rate;
	rl->max = cfg->max_sources;
	rl->mask = nbuckets - 1;
	rl->lru.prev = rl->lru.next = &rl->lru;
	*out = rl;
	return 0;

err_free:
	free(rl->buckets);
	free(rl->pool);
	free(rl);
	return -ENOMEM;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	free(rl->buckets);
	free(rl->pool);
	free(rl);
}

static size_t addr_len(sa_family_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void key_of(const struct endpoint *src, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (src->family == AF_INET6)
		memcpy(addr, &src->addr.v6, 16);
	else
		memcpy(addr, &src->addr.v4, 4);
}

static struct source **bucket(struct ratelimit *rl, sa_family_t family, const uint8_t addr[16])
{
	uint32_t h = 2166136261u ^ rl->seed;
	size_t i;

	h = (h ^ family) * 16777619u;
	for (i = 0; i < addr_len(family); i++)
		h = (h ^ addr[i]) * 16777619u;
	return &rl->buckets[h & rl->mask];
}

static struct source *find(struct ratelimit *rl, const struct endpoint *src)
{
	uint8_t addr[16];
	struct source *s;

	key_of(src, addr);
	for (s = *bucket(rl, src->family, addr); s; s = s->hnext)
		if (s->family == src->family && !memcmp(s->addr, addr, 16))
			return s;
	return NULL;
}

static void lru_unlink(struct source *s)
{
	s->prev->next = s->next;
	s->next->prev = s->prev;
}

static void lru_push(struct ratelimit *rl, struct source *s)
{
	s->next = rl->lru.next;
	s->prev = &rl->lru;
	rl->lru.next->prev = s;
	rl->lru.next = s;
}

static void forget(struct ratelimit *rl, struct source *s)
{
	struct source **p = bucket(rl, s->family, s->addr);

	while (*p != s)
		p = &(*p)->hnext;
	*p = s->hnext;
	lru_unlink(s);
	s->hnext = rl->free;
	rl->free = s;
	rl->count--;
}

/* A new full bucket for @src; the least recently failing one makes room. */
static struct source *track(struct ratelimit *rl, const struct endpoint *src, int64_t now)
{
	struct source *s, **head;

	if (rl->count == rl->max)
		forget(rl, rl->lru.prev);
	if (rl->free) {
		s = rl->free;
		rl->free = s->hnext;
	} else {
		s = &rl->pool[rl->used++];
	}
	s->family = src->family;
	key_of(src, s->addr);
	s->credit = rl->capacity;
	s->updated = now;
	head = bucket(rl, s->family, s->addr);
	s->hnext = *head;
	*head = s;
	lru_push(rl, s);
	rl->count++;
	return s;
}

static void refill(const struct ratelimit *rl, struct source *s, int64_t now)
{
	/* A clock that steps back refills nothing and restarts from now. */
	if (now > s->updated) {
		int64_t elapsed = now - s->updated;

		if (elapsed >= rl->capacity / rl->rate)
			s->credit = rl->capacity;
		else
			s->credit = s->credit + elapsed * rl->rate > rl->capacity ?
				    rl->capacity : s->credit + elapsed * rl->rate;
	}
	s->updated = now;
}

/* True while @src has used up its failures: the caller refuses it unheard. */
bool ratelimit_blocked(struct ratelimit *rl, const struct endpoint *src, int64_t now)
{
	struct source *s = find(rl, src);

	if (!s)
		return false;
	refill(rl, s, now);
	if (s->credit >= rl->capacity) {
		forget(rl, s);
		return false;
	}
	return s->credit < COST;
}

/* Counts one failed attempt from @src. */
void ratelimit_failure(struct ratelimit *rl, const struct endpoint *src, int64_t now)
{
	struct source *s = find(rl, src);

	if (!s) {
		s = track(rl, src, now);
	} else {
		refill(rl, s, now);
		lru_unlink(s);
		lru_push(rl, s);
	}
	s->credit = s->credit > COST ? s->credit - COST : 0;
}

size_t ratelimit_sources(const struct ratelimit *rl)
{
	return rl->count;
}
