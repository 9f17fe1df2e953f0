/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RESOLVE_CACHE_H
#define SIPPROXY_RESOLVE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * DNS answers by (type, name): the raw answer of a positive one, to be
 * parsed again by c-ares on every hit, or only the fact that the name or
 * data does not exist. At most RESOLVE_CACHE_MAX entries; a full cache
 * drops its least recently used entry. Expired entries go when looked up
 * or when they reach the end of the LRU list. Times are the caller's
 * clock in milliseconds (loop_now()).
 */

struct resolve_cache;

struct resolve_cache_hit {
	int status;			/* ARES_SUCCESS, ARES_ENOTFOUND or ARES_ENODATA */
	const unsigned char *abuf;	/* ARES_SUCCESS: the answer, valid until the next put */
	size_t alen;
};

int resolve_cache_new(struct resolve_cache **out);
void resolve_cache_free(struct resolve_cache *c);
bool resolve_cache_get(struct resolve_cache *c, unsigned int type, const char *name,
		       uint64_t now, struct resolve_cache_hit *hit);
int resolve_cache_put(struct resolve_cache *c, unsigned int type, const char *name, int status,
		      const unsigned char *abuf, size_t alen, uint64_t expires);
size_t resolve_cache_count(const struct resolve_cache *c);

#endif
