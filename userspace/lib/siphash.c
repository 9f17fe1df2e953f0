// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4 as specified in "SipHash: a fast short-input PRF" (2012):
 * 64-bit little-endian words, two compression rounds per word, four
 * finalisation rounds.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "siphash.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static void sipround(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13) ^ s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16) ^ s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21) ^ s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17) ^ s->v2;
	s->v2 = rotl(s->v2, 32);
}

static void compress(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sipround(s);
	sipround(s);
	s->v0 ^= m;
}

/* A key from the kernel's random pool; 0 or -errno. */
int siphash_key_random(struct siphash_key *key)
{
	ssize_t n = getrandom(key, sizeof(*key), 0);

	if (n == (ssize_t)sizeof(*key))
		return 0;
	return n < 0 ? -errno : -EIO;
}

uint64_t siphash(const struct siphash_key *key, const void *data, size_t len)
{
	struct sip_state s = {
		.v0 = key->k0 ^ 0x736f6d6570736575ULL,
		.v1 = key->k1 ^ 0x646f72616e646f6dULL,
		.v2 = key->k0 ^ 0x6c7967656e657261ULL,
		.v3 = key->k1 ^ 0x7465646279746573ULL,
	};
	const unsigned char *p = data;
	unsigned char tail[8] = { 0 };
	size_t words = len / 8, i;

	for (i = 0; i < words; i++)
		compress(&s, load_le64(p + 8 * i));
	/* The last word: the remaining bytes, the length's low byte on top. */
	memcpy(tail, p + 8 * words, len % 8);
	tail[7] = (unsigned char)len;
	compress(&s, load_le64(tail));
	s.v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		sipround(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
