// SPDX-License-Identifier: GPL-2.0
/*
 * digest.c against the published examples: RFC 7616 section 3.9.1 (MD5 and
 * SHA-256, qop=auth), RFC 2617 section 3.5 (MD5, qop=auth), and the
 * RFC 2069 form of the latter, plus the -sess variants over RFC 7616's
 * inputs (values computed independently with Python's hashlib).
 */
#include "kselftest_harness.h"

#include "sipproxyd/digest.h"

#define S(lit) SIP_STR(lit)

static const char *response_hex(enum digest_algorithm algorithm, struct sip_str user,
				struct sip_str realm, struct sip_str password,
				const struct digest_input *in)
{
	static char hex[DIGEST_MAX_HEX];
	uint8_t ha1[DIGEST_MAX_LEN], resp[DIGEST_MAX_LEN];

	if (digest_ha1(algorithm, user, realm, password, ha1))
		return "ha1 failed";
	if (digest_response(in, ha1, resp))
		return "response failed";
	digest_hex(resp, digest_len(algorithm), hex);
	return hex;
}

static struct digest_input rfc7616(enum digest_algorithm algorithm)
{
	return (struct digest_input){
		.algorithm = algorithm,
		.nonce = S("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
		.cnonce = S("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"),
		.nc = S("00000001"),
		.qop = S("auth"),
		.method = S("GET"),
		.uri = S("/dir/index.html"),
	};
}

#define MUFASA_7616 S("Mufasa"), S("http-auth@example.org"), S("Circle of Life")
#define MUFASA_2617 S("Mufasa"), S("testrealm@host.com"), S("Circle Of Life")

TEST(rfc7616_md5)
{
	struct digest_input in = rfc7616(DIGEST_MD5);

	ASSERT_STREQ("8ca523f5e9506fed4657c9700eebdbec",
		     response_hex(DIGEST_MD5, MUFASA_7616, &in));
}

TEST(rfc7616_sha256)
{
	struct digest_input in = rfc7616(DIGEST_SHA256);

	ASSERT_STREQ("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
		     response_hex(DIGEST_SHA256, MUFASA_7616, &in));
}

TEST(rfc7616_md5_sess)
{
	struct digest_input in = rfc7616(DIGEST_MD5_SESS);

	ASSERT_STREQ("e783283f46242139c486a698fec7211d",
		     response_hex(DIGEST_MD5_SESS, MUFASA_7616, &in));
}

TEST(rfc7616_sha256_sess)
{
	struct digest_input in = rfc7616(DIGEST_SHA256_SESS);

	ASSERT_STREQ("2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7",
		     response_hex(DIGEST_SHA256_SESS, MUFASA_7616, &in));
}

TEST(rfc7616_ha1)
{
	uint8_t ha1[DIGEST_MAX_LEN];
	char hex[DIGEST_MAX_HEX];

	ASSERT_EQ(0, digest_ha1(DIGEST_MD5, MUFASA_7616, ha1));
	digest_hex(ha1, DIGEST_MD5_LEN, hex);
	EXPECT_STREQ("3d78807defe7de2157e2b0b6573a855f", hex);
	ASSERT_EQ(0, digest_ha1(DIGEST_SHA256, MUFASA_7616, ha1));
	digest_hex(ha1, DIGEST_SHA256_LEN, hex);
	EXPECT_STREQ("7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232", hex);
}

TEST(rfc2617_md5_qop_auth)
{
	struct digest_input in = {
		.algorithm = DIGEST_MD5,
		.nonce = S("dcd98b7102dd2f0e8b11d0f600bfb0c093"),
		.cnonce = S("0a4f113b"),
		.nc = S("00000001"),
		.qop = S("auth"),
		.method = S("GET"),
		.uri = S("/dir/index.html"),
	};

	ASSERT_STREQ("6629fae49393a05397450978507c4ef1",
		     response_hex(DIGEST_MD5, MUFASA_2617, &in));
}

TEST(rfc2069_md5_without_qop)
{
	struct digest_input in = {
		.algorithm = DIGEST_MD5,
		.nonce = S("dcd98b7102dd2f0e8b11d0f600bfb0c093"),
		.method = S("GET"),
		.uri = S("/dir/index.html"),
	};

	ASSERT_STREQ("670fd8c2df070c60b045671b8b24ff02",
		     response_hex(DIGEST_MD5, MUFASA_2617, &in));
}

TEST(algorithm_names)
{
	enum digest_algorithm a;

	ASSERT_TRUE(digest_algorithm_parse(S("md5"), &a));
	EXPECT_EQ(DIGEST_MD5, (int)a);
	ASSERT_TRUE(digest_algorithm_parse(S("SHA-256-SESS"), &a));
	EXPECT_EQ(DIGEST_SHA256_SESS, (int)a);
	ASSERT_TRUE(digest_algorithm_parse(S("MD5-sess"), &a));
	EXPECT_EQ(DIGEST_MD5_SESS, (int)a);
	EXPECT_FALSE(digest_algorithm_parse(S("SHA-512-256"), &a));
	EXPECT_FALSE(digest_algorithm_parse(S("SHA-256 "), &a));
	EXPECT_FALSE(digest_algorithm_parse(S(""), &a));
	EXPECT_STREQ("SHA-256", digest_algorithm_name(DIGEST_SHA256));
	EXPECT_EQ(16U, digest_len(DIGEST_MD5_SESS));
	EXPECT_EQ(32U, digest_len(DIGEST_SHA256));
}

TEST(unhex_exact_length_and_digits)
{
	uint8_t b[2];

	ASSERT_TRUE(digest_unhex(S("aB0f"), b, 2));
	EXPECT_EQ(0xab, b[0]);
	EXPECT_EQ(0x0f, b[1]);
	EXPECT_FALSE(digest_unhex(S("ab0"), b, 2));
	EXPECT_FALSE(digest_unhex(S("ab0f0"), b, 2));
	EXPECT_FALSE(digest_unhex(S("ab0g"), b, 2));
	EXPECT_FALSE(digest_unhex(S("ab 0"), b, 2));
	EXPECT_FALSE(digest_unhex(SIP_STR_NONE, b, 2));
}

TEST_HARNESS_MAIN
