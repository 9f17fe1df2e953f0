/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed hash for tables
 * whose keys peers choose (Call-IDs, transaction branches, AORs), so that
 * nobody can aim many keys at one chain without knowing the key.
 */
#ifndef LIB_SIPHASH_H
#define LIB_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0, k1;
};

int siphash_key_random(struct siphash_key *key);
uint64_t siphash(const struct siphash_key *key, const void *data, size_t len);

#endif
