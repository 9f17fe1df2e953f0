// SPDX-License-Identifier: GPL-2.0
/*
 * sip_digest_parse(): the RFC 2617 / RFC 7616 credential forms, quoted and
 * token spellings, and each way a credentials value can be wrong.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "sip_test.h"
#include "sipproxyd/sip_digest.h"
#include "sipproxyd/sip_lex.h"

static int parse(const char *text, struct sip_digest *d)
{
	return sip_digest_parse(sip_str_make(text, strlen(text)), d);
}

TEST(rfc2617_md5_qop_auth)
{
	struct sip_digest d;

	ASSERT_EQ(0, parse("Digest username=\"bob\", realm=\"biloxi.com\",\r\n"
			   " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\","
			   " qop=auth, nc=00000001, cnonce=\"0a4f113b\","
			   " response=\"6629fae49393a05397450978507c4ef1\","
			   " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", &d));
	ASSERT_VIEW(d.username, "bob");
	ASSERT_VIEW(d.realm, "biloxi.com");
	ASSERT_VIEW(d.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
	ASSERT_VIEW(d.uri, "sip:bob@biloxi.com");
	ASSERT_VIEW(d.qop, "auth");
	ASSERT_VIEW(d.nc, "00000001");
	ASSERT_VIEW(d.cnonce, "0a4f113b");
	ASSERT_VIEW(d.response, "6629fae49393a05397450978507c4ef1");
	ASSERT_VIEW(d.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
	ASSERT_FALSE(sip_str_present(d.algorithm));
	ASSERT_ENUM(SIP_DIGEST_MD5, d.alg);
}

TEST(rfc7616_sha256_and_quoted_tokens)
{
	struct sip_digest d;

	ASSERT_EQ(0, parse("digest username=\"Mufasa\",realm=\"http-auth@example.org\","
			   "uri=\"/dir/index.html\",algorithm=\"SHA-256\",nonce=\"7ypf\","
			   "nc=\"00000001\",cnonce=\"f2/wE4q\",qop=\"auth\",unknown=x,"
			   "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"", &d));
	ASSERT_ENUM(SIP_DIGEST_SHA256, d.alg);
	ASSERT_VIEW(d.algorithm, "SHA-256");
	ASSERT_VIEW(d.qop, "auth");
	ASSERT_VIEW(d.nc, "00000001");
	ASSERT_EQ(0, parse("Digest username=u, realm=r, nonce=n, uri=\"sip:x\", algorithm=MD5-sess,"
			   " response=\"0123456789abcdef0123456789abcdef\"", &d));
	ASSERT_ENUM(SIP_DIGEST_MD5_SESS, d.alg);
	ASSERT_VIEW(d.username, "u");
	ASSERT_EQ(0, parse("Digest username=u, realm=r, nonce=n, uri=\"sip:x\", algorithm=SHA-256-sess,"
			   " response=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &d));
	ASSERT_ENUM(SIP_DIGEST_SHA256_SESS, d.alg);
	ASSERT_EQ(0, parse("Digest username=u, realm=r, nonce=n, uri=\"sip:x\", algorithm=AKAv1-MD5,"
			   " response=\"opaque-to-us\"", &d));
	ASSERT_ENUM(SIP_DIGEST_OTHER, d.alg);
}

TEST(escaped_username_unquotes)
{
	struct sip_digest d;
	char plain[16];

	ASSERT_EQ(0, parse("Digest username=\"a\\\"b\\\\c\", realm=\"r\", nonce=\"n\", uri=\"sip:x\","
			   " response=\"0123456789abcdef0123456789abcdef\"", &d));
	ASSERT_VIEW(d.username, "a\\\"b\\\\c");
	ASSERT_EQ(5, sip_unquote(d.username, plain, sizeof(plain)));
	ASSERT_EQ(0, memcmp(plain, "a\"b\\c", 5));
	ASSERT_EQ(-1, sip_unquote(d.username, plain, 4));
}

TEST(rejected_credentials)
{
	static const char *const bad[] = {
		"",
		"Digest",
		"Digest ",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u\", username=\"v\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789ABCDEF0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", algorithm=SHA-256, response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", qop=auth, response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", qop=auth, cnonce=\"c\", nc=1, response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\",",
		"Digest username=\"u\" realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=\"u, realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"",
		"Digest username=, realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0123456789abcdef0123456789abcdef\"",
	};
	struct sip_digest d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("%s", bad[i]);
		ASSERT_EQ(-EINVAL, parse(bad[i], &d));
	}
	ASSERT_EQ(-EPROTONOSUPPORT, parse("NoOneKnowsThisScheme opaque-data=here", &d));
	ASSERT_EQ(-EPROTONOSUPPORT, parse("Basic dXNlcjpwYXNz", &d));
	/* Without LWS the scheme is another token. */
	ASSERT_EQ(-EPROTONOSUPPORT, parse("Digestusername=\"u\"", &d));
}

TEST_HARNESS_MAIN
