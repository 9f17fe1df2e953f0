// SPDX-License-Identifier: GPL-2.0
/*
 * sip_uri_parse() and sip_uri_equal(): sip, sips and tel URIs, hosts of
 * every kind, escapes, parameters and headers, the parameter limit and the
 * RFC 3261 19.1.4 comparison examples.
 */
#include "kselftest_harness.h"
#include "sip_test.h"
#include "sipproxyd/sip_uri.h"

static int parse(const char *text, struct sip_uri *uri)
{
	return sip_uri_parse(sip_str_make(text, strlen(text)), uri);
}

TEST(sip_uri_full)
{
	struct sip_uri u;

	ASSERT_EQ(0, parse("sips:alice:secret@[2001:db8::10]:5061;transport=tcp;lr;maddr=239.255.255.1;"
			   "ttl=15;user=phone;foo;bar=baz?subject=project%20x&priority=urgent", &u));
	ASSERT_ENUM(SIP_SCHEME_SIPS, u.scheme);
	ASSERT_VIEW(u.user, "alice");
	ASSERT_VIEW(u.password, "secret");
	ASSERT_VIEW(u.host, "2001:db8::10");
	ASSERT_ENUM(SIP_HOST_IPV6, u.host_type);
	ASSERT_EQ(5061, u.port);
	ASSERT_VIEW(u.transport, "tcp");
	ASSERT_TRUE(u.lr);
	ASSERT_VIEW(u.maddr, "239.255.255.1");
	ASSERT_EQ(15, u.ttl);
	ASSERT_VIEW(u.user_param, "phone");
	ASSERT_EQ(7u, u.nparams);
	ASSERT_VIEW(u.headers, "subject=project%20x&priority=urgent");
	ASSERT_VIEW(u.params, ";transport=tcp;lr;maddr=239.255.255.1;ttl=15;user=phone;foo;bar=baz");
}

TEST(sip_uri_minimal_and_host_kinds)
{
	struct sip_uri u;
	struct sip_str v;

	ASSERT_EQ(0, parse("sip:example.com", &u));
	ASSERT_FALSE(sip_str_present(u.user));
	ASSERT_FALSE(sip_str_present(u.password));
	ASSERT_EQ(-1, u.port);
	ASSERT_EQ(-1, u.ttl);
	ASSERT_EQ(0u, u.params.len);
	ASSERT_FALSE(sip_str_present(u.headers));
	ASSERT_ENUM(SIP_HOST_NAME, u.host_type);
	ASSERT_EQ(0, parse("SIP:192.0.2.1:0", &u));
	ASSERT_ENUM(SIP_SCHEME_SIP, u.scheme);
	ASSERT_ENUM(SIP_HOST_IPV4, u.host_type);
	ASSERT_EQ(0, u.port);
	ASSERT_EQ(0, parse("sip:host.example.com.;lr=on", &u));
	ASSERT_TRUE(u.lr);
	ASSERT_TRUE(sip_uri_param_find(&u, "LR", &v));
	ASSERT_VIEW(v, "on");
	ASSERT_FALSE(sip_uri_param_find(&u, "l", &v));
	ASSERT_EQ(0, parse("sip:user:@h.example.com", &u));
	ASSERT_EQ(0u, u.password.len);
	ASSERT_TRUE(sip_str_present(u.password));
}

/* RFC 4475 3.1.1.2, 3.1.1.3, 3.1.1.4, 3.1.1.9: odd but valid user parts. */
TEST(sip_uri_torture_users)
{
	struct sip_uri u;

	ASSERT_EQ(0, parse("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com", &u));
	ASSERT_VIEW(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	ASSERT_VIEW(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
	ASSERT_EQ(0, parse("sip:sips%3Auser%40example.com@example.net", &u));
	ASSERT_VIEW(u.user, "sips%3Auser%40example.com");
	ASSERT_EQ(0, parse("sip:null-%00-null@example.com", &u));
	ASSERT_EQ(0, parse("sip:user;par=u%40example.net@example.com", &u));
	ASSERT_VIEW(u.user, "user;par=u%40example.net");
	ASSERT_VIEW(u.host, "example.com");
}

TEST(tel_uris)
{
	struct sip_uri u;
	struct sip_str v;

	ASSERT_EQ(0, parse("tel:+1-201-555-0123;ext=1234", &u));
	ASSERT_ENUM(SIP_SCHEME_TEL, u.scheme);
	ASSERT_VIEW(u.user, "+1-201-555-0123");
	ASSERT_TRUE(sip_uri_param_find(&u, "ext", &v));
	ASSERT_VIEW(v, "1234");
	ASSERT_EQ(0, parse("tel:7042;phone-context=example.com", &u));
	ASSERT_VIEW(u.user, "7042");
	ASSERT_EQ(-EINVAL, parse("tel:7042", &u));
	ASSERT_EQ(-EINVAL, parse("tel:+", &u));
	ASSERT_EQ(-EINVAL, parse("tel:+--", &u));
	ASSERT_EQ(-EINVAL, parse("tel:+1 555", &u));
}

TEST(other_schemes)
{
	struct sip_uri u;

	ASSERT_EQ(0, parse("soap.beep://192.0.2.103:3002", &u));
	ASSERT_ENUM(SIP_SCHEME_OTHER, u.scheme);
	ASSERT_EQ(0, parse("nobodyKnowsThisScheme:totallyopaquecontent", &u));
	ASSERT_ENUM(SIP_SCHEME_OTHER, u.scheme);
	ASSERT_EQ(-EINVAL, parse("1abc:x", &u));
	ASSERT_EQ(-EINVAL, parse("abc:", &u));
	ASSERT_EQ(-EINVAL, parse("abc:a b", &u));
}

TEST(invalid_uris)
{
	static const char *const bad[] = {
		"", "sip:", "sip:@example.com", "sip:user@", "sip:user@exa mple.com",
		"sip:user@example.com:65536", "sip:user@example.com:", "sip:user@[::1",
		"sip:user@[192.0.2.1]", "sip:user@1.2.3.256x", "sip:user@-a.example.com",
		"sip:user@a-.example.com", "sip:user@a..example.com", "sip:user@example.123",
		"sip:user@host_1.example.com", "sip:us%zzer@example.com", "sip:user@example.com;",
		"sip:user@example.com;=x", "sip:user@example.com;a=", "sip:user@example.com;ttl=256",
		"sip:user@example.com;ttl", "sip:user@example.com;transport", "sip:user@example.com;lr;lr",
		"sip:user@example.com;maddr=a_b", "sip:user@example.com;transport=tcp;transport=udp",
		"sip:user@example.com?", "sip:user@example.com?a", "sip:user@example.com?a=b&",
		"sip:u@e.com@f.com", "sip:user@example.com>", "<sip:user@example.com>",
		"sip:user@example.com%", "sip:a\"b@example.com",
	};
	struct sip_uri u;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("%s", bad[i]);
		ASSERT_EQ(-EINVAL, parse(bad[i], &u));
	}
}

TEST(param_and_header_limits)
{
	char buf[1024];
	struct sip_uri u;
	int n, i;

	n = sprintf(buf, "sip:example.com");
	for (i = 0; i < SIP_MAX_URI_PARAMS; i++)
		n += sprintf(buf + n, ";p%d", i);
	ASSERT_EQ(0, parse(buf, &u));
	ASSERT_EQ((unsigned int)SIP_MAX_URI_PARAMS, u.nparams);
	sprintf(buf + n, ";one-more");
	ASSERT_EQ(-E2BIG, parse(buf, &u));

	n = sprintf(buf, "sip:example.com?h0=");
	for (i = 1; i < SIP_MAX_URI_HEADERS; i++)
		n += sprintf(buf + n, "&h%d=v", i);
	ASSERT_EQ(0, parse(buf, &u));
	sprintf(buf + n, "&more=1");
	ASSERT_EQ(-E2BIG, parse(buf, &u));
}

static bool equal(const char *a, const char *b)
{
	struct sip_uri ua, ub;

	if (parse(a, &ua) || parse(b, &ub))
		return false;
	return sip_uri_equal(&ua, &ub) && sip_uri_equal(&ub, &ua);
}

/* The examples of RFC 3261 19.1.4. */
TEST(equality_rfc3261_examples)
{
	ASSERT_TRUE(equal("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
	ASSERT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
	ASSERT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
	ASSERT_TRUE(equal("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
	ASSERT_TRUE(equal("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
			  "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
	ASSERT_TRUE(equal("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
			  "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
	ASSERT_TRUE(equal("sip:[2001:db8::1]", "sip:[2001:DB8:0::1]"));

	ASSERT_FALSE(equal("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
	ASSERT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
	ASSERT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
	ASSERT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
	ASSERT_FALSE(equal("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
	ASSERT_FALSE(equal("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
	ASSERT_FALSE(equal("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
	ASSERT_FALSE(equal("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
	ASSERT_FALSE(equal("sip:a%3Bb@atlanta.com", "sip:a;b@atlanta.com"));
}

TEST_HARNESS_MAIN
