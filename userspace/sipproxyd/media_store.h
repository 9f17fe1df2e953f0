/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The media state of live calls in the daemon's SQLite database (the
 * [registrar] database file), table media_store: one row per anchored
 * branch, keyed by (call handle, branch), with its Call-ID and an opaque
 * blob of plain values. A restarted daemon reads it to adopt the kernel
 * flows the previous run left.
 */
#ifndef SIPPROXYD_MEDIA_STORE_H
#define SIPPROXYD_MEDIA_STORE_H

#include <stddef.h>
#include <stdint.h>

struct media_store;

typedef int media_store_row_fn(void *data, uint64_t handle, uint32_t branch,
			       const char *call_id, const void *blob, size_t len);

int media_store_open(struct media_store **out, const char *path);
void media_store_close(struct media_store *st);
int media_store_put(struct media_store *st, uint64_t handle, uint32_t branch,
		    const char *call_id, const void *blob, size_t len);
int media_store_del(struct media_store *st, uint64_t handle, const uint32_t *branch);
int media_store_load(struct media_store *st, media_store_row_fn *fn, void *data);
int media_store_clear(struct media_store *st);

#endif
