// SPDX-License-Identifier: GPL-2.0
/*
 * siphash(): the reference outputs of SipHash-2-4 for key 00..0f over
 * messages 00..(n-1), from the paper and its reference vectors, and that
 * two random keys give different hashes.
 */
#include "kselftest_harness.h"
#include "lib/siphash.h"

static const struct siphash_key ref_key = {
	.k0 = 0x0706050403020100ULL, .k1 = 0x0f0e0d0c0b0a0908ULL,
};

static uint64_t ref(size_t n)
{
	unsigned char msg[64];
	size_t i;

	for (i = 0; i < n; i++)
		msg[i] = (unsigned char)i;
	return siphash(&ref_key, msg, n);
}

TEST(reference_vectors)
{
	EXPECT_EQ(0x726fdb47dd0e0e31ULL, ref(0));
	EXPECT_EQ(0x74f839c593dc67fdULL, ref(1));
	EXPECT_EQ(0xab0200f58b01d137ULL, ref(7));
	EXPECT_EQ(0x93f5f5799a932462ULL, ref(8));
	EXPECT_EQ(0xa129ca6149be45e5ULL, ref(15));
	EXPECT_EQ(0x3f2acc7f57c29bdbULL, ref(16));
}

TEST(random_keys_differ)
{
	struct siphash_key a, b;

	ASSERT_EQ(0, siphash_key_random(&a));
	ASSERT_EQ(0, siphash_key_random(&b));
	EXPECT_NE(siphash(&a, "call-id", 7), siphash(&b, "call-id", 7));
}

TEST_HARNESS_MAIN
