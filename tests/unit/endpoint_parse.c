// SPDX-License-Identifier: GPL-2.0
/* endpoint_parse() and endpoint_format(): every accepted and refused form. */
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "lib/endpoint.h"

static void expect_roundtrip(struct __test_metadata *_metadata, const char *text,
			     sa_family_t family, uint16_t port)
{
	char buf[ENDPOINT_STRLEN];
	struct endpoint ep;

	ASSERT_EQ(0, endpoint_parse(&ep, text)) TH_LOG("%s", text);
	EXPECT_EQ(family, ep.family);
	EXPECT_EQ(port, ep.port);
	EXPECT_STREQ(text, endpoint_format(&ep, buf));
}

static void expect_invalid(struct __test_metadata *_metadata, const char *text)
{
	struct endpoint ep;

	EXPECT_EQ(-EINVAL, endpoint_parse(&ep, text)) TH_LOG("accepted \"%s\"", text);
	EXPECT_EQ(AF_UNSPEC, ep.family);
}

TEST(ipv4)
{
	struct endpoint ep;

	expect_roundtrip(_metadata, "1.2.3.4:5", AF_INET, 5);
	expect_roundtrip(_metadata, "0.0.0.0:1", AF_INET, 1);
	expect_roundtrip(_metadata, "255.255.255.255:65535", AF_INET, 65535);
	ASSERT_EQ(0, endpoint_parse(&ep, "10.0.0.1:4000"));
	EXPECT_EQ(htonl(0x0a000001), ep.addr.v4.s_addr);
}

TEST(ipv6)
{
	struct endpoint ep;

	expect_roundtrip(_metadata, "[::1]:5004", AF_INET6, 5004);
	expect_roundtrip(_metadata, "[2001:db8::1]:65535", AF_INET6, 65535);
	expect_roundtrip(_metadata, "[::ffff:1.2.3.4]:9", AF_INET6, 9);
	ASSERT_EQ(0, endpoint_parse(&ep, "[fe80::1:2]:1"));
	EXPECT_EQ(0xfe, ep.addr.v6.s6_addr[0]);
	EXPECT_EQ(0x02, ep.addr.v6.s6_addr[15]);
}

TEST(port_forms)
{
	struct endpoint ep;

	ASSERT_EQ(0, endpoint_parse(&ep, "1.2.3.4:00080"));
	EXPECT_EQ(80, ep.port);
	expect_invalid(_metadata, "1.2.3.4:0");
	expect_invalid(_metadata, "1.2.3.4:000000");
	expect_invalid(_metadata, "1.2.3.4:65536");
	expect_invalid(_metadata, "1.2.3.4:99999");
	expect_invalid(_metadata, "1.2.3.4:-1");
	expect_invalid(_metadata, "1.2.3.4:+5");
	expect_invalid(_metadata, "1.2.3.4: 5");
	expect_invalid(_metadata, "1.2.3.4:5 ");
	expect_invalid(_metadata, "1.2.3.4:0x10");
	expect_invalid(_metadata, "1.2.3.4:");
	expect_invalid(_metadata, "[::1]:0");
	expect_invalid(_metadata, "[::1]:65536");
	expect_invalid(_metadata, "[::1]:");
}

TEST(bad_ipv4)
{
	expect_invalid(_metadata, "");
	expect_invalid(_metadata, "1.2.3.4");
	expect_invalid(_metadata, ":5");
	expect_invalid(_metadata, "1.2.3:5");
	expect_invalid(_metadata, "1.2.3.4.5:5");
	expect_invalid(_metadata, "256.1.1.1:5");
	expect_invalid(_metadata, "01.2.3.4:5");
	expect_invalid(_metadata, "0x1.2.3.4:5");
	expect_invalid(_metadata, "1.2.3.4:5:6");
	expect_invalid(_metadata, "example.com:5");
	expect_invalid(_metadata, " 1.2.3.4:5");
	expect_invalid(_metadata, "::1:5");
}

TEST(bad_ipv6)
{
	expect_invalid(_metadata, "[::1]");
	expect_invalid(_metadata, "[::1]5");
	expect_invalid(_metadata, "[]:5");
	expect_invalid(_metadata, "[::1:5");
	expect_invalid(_metadata, "[1.2.3.4]:5");
	expect_invalid(_metadata, "[::g]:5");
	expect_invalid(_metadata, "[fe80::1%eth0]:5");
	expect_invalid(_metadata, "[::1]]:5");
	expect_invalid(_metadata, "[[::1]:5");
	expect_invalid(_metadata, "[1:2:3:4:5:6:7:8:9]:5");
	expect_invalid(_metadata, "[0000:0000:0000:0000:0000:0000:0000:0000:0]:5");
}

TEST(format_unset)
{
	struct endpoint ep = { .family = AF_UNSPEC };
	char buf[ENDPOINT_STRLEN];

	EXPECT_STREQ("-", endpoint_format(&ep, buf));
}

TEST(longest_fits)
{
	const char *text = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535";
	char buf[ENDPOINT_STRLEN];
	struct endpoint ep;

	ASSERT_EQ(0, endpoint_parse(&ep, text));
	EXPECT_STREQ("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535", endpoint_format(&ep, buf));
}

TEST(equal)
{
	struct endpoint a, b;

	ASSERT_EQ(0, endpoint_parse(&a, "[::1]:5"));
	ASSERT_EQ(0, endpoint_parse(&b, "[0::1]:5"));
	EXPECT_TRUE(endpoint_equal(&a, &b));
	ASSERT_EQ(0, endpoint_parse(&b, "[::1]:6"));
	EXPECT_FALSE(endpoint_equal(&a, &b));
	ASSERT_EQ(0, endpoint_parse(&b, "0.0.0.1:5"));
	EXPECT_FALSE(endpoint_equal(&a, &b));
	ASSERT_EQ(0, endpoint_parse(&a, "0.0.0.1:5"));
	EXPECT_TRUE(endpoint_equal(&a, &b));
}

TEST_HARNESS_MAIN
