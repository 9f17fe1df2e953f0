// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3263 4.1 and 4.2 decisions before any lookup: the target host
 * (maddr first), numeric hosts, explicit ports and transports, sips:, the
 * transports we send on; then NAPTR selection and the default SRV names.
 */
#include <errno.h>

#include "kselftest_harness.h"
#include "sipproxyd/resolve_order.h"

#define EXPECT_ENUM(want, seen) EXPECT_EQ((int)(want), (int)(seen))

static int plan_of(const char *text, unsigned int transports, struct resolve_plan *plan)
{
	struct sip_uri uri;
	int err = sip_uri_parse(sip_str_make(text, strlen(text)), &uri);

	return err ? -ENOEXEC : resolve_plan(&uri, transports, plan);
}

static const struct {
	const char *uri;
	unsigned int transports;
	int ret;
	const char *name;
	enum resolve_transport transport;
	int port;
	const char *addr;	/* numeric hosts: endpoint_format() */
} cases[] = {
	/* Nothing given: NAPTR first. */
	{ "sip:alice@Example.COM.", RESOLVE_T_ALL, 0, "example.com", 0, -1, NULL },
	{ "sips:alice@example.com", RESOLVE_T_ALL, 0, "example.com", 0, -1, NULL },
	/* A port: A/AAAA with UDP for sip:, TLS for sips:. */
	{ "sip:example.com:5070", RESOLVE_T_ALL, 0, "example.com", RESOLVE_UDP, 5070, NULL },
	{ "sips:example.com:5071", RESOLVE_T_ALL, 0, "example.com", RESOLVE_TLS, 5071, NULL },
	{ "sip:example.com:5070", RESOLVE_T(RESOLVE_TCP), 0, "example.com", RESOLVE_TCP, 5070, NULL },
	/* A transport: SRV of that one. */
	{ "sip:example.com;transport=TCP", RESOLVE_T_ALL, 0, "example.com", RESOLVE_TCP, -1, NULL },
	{ "sips:example.com;transport=tcp", RESOLVE_T_ALL, 0, "example.com", RESOLVE_TLS, -1, NULL },
	{ "sip:example.com;transport=tls", RESOLVE_T_ALL, 0, "example.com", RESOLVE_TLS, -1, NULL },
	/* Numeric hosts resolve here. */
	{ "sip:bob@192.0.2.1", RESOLVE_T_ALL, 0, "192.0.2.1", RESOLVE_UDP, -1, "192.0.2.1:5060" },
	{ "sips:bob@[2001:DB8::1]", RESOLVE_T_ALL, 0, "2001:db8::1", RESOLVE_TLS, -1,
	  "[2001:db8::1]:5061" },
	{ "sip:192.0.2.1:5080;transport=tcp", RESOLVE_T_ALL, 0, "192.0.2.1", RESOLVE_TCP, 5080,
	  "192.0.2.1:5080" },
	{ "sip:192.0.2.1", RESOLVE_T(RESOLVE_TCP) | RESOLVE_T(RESOLVE_TLS), 0, "192.0.2.1",
	  RESOLVE_TCP, -1, "192.0.2.1:5060" },
	/* maddr replaces the host. */
	{ "sip:bob@example.com;maddr=192.0.2.7", RESOLVE_T_ALL, 0, "192.0.2.7", RESOLVE_UDP, -1,
	  "192.0.2.7:5060" },
	{ "sip:bob@192.0.2.1;maddr=Proxy.Example.NET", RESOLVE_T_ALL, 0, "proxy.example.net", 0, -1,
	  NULL },
	/* Refused. */
	{ .uri = "sips:example.com;transport=udp", .transports = RESOLVE_T_ALL,
	  .ret = -EPROTONOSUPPORT },
	{ .uri = "sip:example.com;transport=sctp", .transports = RESOLVE_T_ALL,
	  .ret = -EPROTONOSUPPORT },
	{ .uri = "sip:example.com;transport=tcp", .transports = RESOLVE_T(RESOLVE_UDP),
	  .ret = -EPROTONOSUPPORT },
	{ .uri = "sips:192.0.2.1", .transports = RESOLVE_T(RESOLVE_UDP) | RESOLVE_T(RESOLVE_TCP),
	  .ret = -EPROTONOSUPPORT },
	{ .uri = "sip:example.com:0", .transports = RESOLVE_T_ALL, .ret = -EINVAL },
	{ .uri = "tel:+15550100", .transports = RESOLVE_T_ALL, .ret = -EINVAL },
};

TEST(uri_plans)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resolve_plan p;
		char buf[ENDPOINT_STRLEN];
		int ret = plan_of(cases[i].uri, cases[i].transports, &p);

		EXPECT_EQ(cases[i].ret, ret) TH_LOG("%s", cases[i].uri);
		if (ret || cases[i].ret)
			continue;
		EXPECT_STREQ(cases[i].name, p.name) TH_LOG("%s", cases[i].uri);
		EXPECT_ENUM(cases[i].transport, p.transport) TH_LOG("%s", cases[i].uri);
		EXPECT_EQ(cases[i].port, p.port) TH_LOG("%s", cases[i].uri);
		EXPECT_EQ(cases[i].addr != NULL, p.numeric) TH_LOG("%s", cases[i].uri);
		if (cases[i].addr)
			EXPECT_STREQ(cases[i].addr, endpoint_format(&p.addr, buf));
		EXPECT_EQ(!strncmp(cases[i].uri, "sips:", 5), p.sips);
	}
}

/* A host name of 254 characters with its trailing dot is fine, 254 without is not. */
TEST(name_length)
{
	char text[300], label[64];
	struct resolve_plan p;

	memset(label, 'a', 63);
	label[63] = '\0';
	/* 4 * 63 + 3 dots = 255: one too many. */
	snprintf(text, sizeof(text), "sip:%s.%s.%s.%s", label, label, label, label);
	EXPECT_EQ(-EINVAL, plan_of(text, RESOLVE_T_ALL, &p));
	/* 253, then 253 plus the root dot. */
	snprintf(text, sizeof(text), "sip:%s.%s.%s.%.61s", label, label, label, label);
	EXPECT_EQ(0, plan_of(text, RESOLVE_T_ALL, &p));
	EXPECT_EQ(253U, strlen(p.name));
	strcat(text, ".");
	EXPECT_EQ(0, plan_of(text, RESOLVE_T_ALL, &p));
	EXPECT_EQ(253U, strlen(p.name));
}

static const struct resolve_naptr naptrs[] = {
	{ 50, 50, "s", "SIPS+D2T", "", "_sips._tcp.example.com" },
	{ 90, 50, "S", "SIP+D2T", "", "_sip._tcp.example.com" },
	{ 50, 10, "s", "sip+d2u", "", "_sip._udp.example.com." },
	/* Not for us: ENUM-style rewrite, SCTP, a regexp, no flag, no replacement. */
	{ 10, 10, "u", "E2U+sip", "!^.*$!sip:info@example.com!", "" },
	{ 10, 10, "s", "SIP+D2S", "", "_sip._sctp.example.com" },
	{ 10, 10, "s", "SIP+D2T", "!^.*$!x!", "_sip._tcp.example.com" },
	{ 10, 10, "", "SIP+D2U", "", "_sip._udp.example.com" },
	{ 10, 10, "s", "SIP+D2U", "", "." },
};

#define NNAPTR (sizeof(naptrs) / sizeof(naptrs[0]))

static void expect_service(struct __test_metadata *_metadata, const struct resolve_service *s,
			   enum resolve_transport transport, const char *name)
{
	EXPECT_ENUM(transport, s->transport);
	EXPECT_STREQ(name, s->name);
}

TEST(naptr_order_preference_and_filter)
{
	struct resolve_service out[RESOLVE_NAPTR_MAX];
	struct resolve_plan p;

	ASSERT_EQ(0, plan_of("sip:example.com", RESOLVE_T_ALL, &p));
	ASSERT_EQ(3U, resolve_services_naptr(&p, RESOLVE_T_ALL, naptrs, NNAPTR, out, 8));
	expect_service(_metadata, &out[0], RESOLVE_UDP, "_sip._udp.example.com");
	expect_service(_metadata, &out[1], RESOLVE_TLS, "_sips._tcp.example.com");
	expect_service(_metadata, &out[2], RESOLVE_TCP, "_sip._tcp.example.com");

	/* Only the best two fit. */
	ASSERT_EQ(2U, resolve_services_naptr(&p, RESOLVE_T_ALL, naptrs, NNAPTR, out, 2));
	expect_service(_metadata, &out[0], RESOLVE_UDP, "_sip._udp.example.com");
	expect_service(_metadata, &out[1], RESOLVE_TLS, "_sips._tcp.example.com");

	/* Only transports we send on. */
	ASSERT_EQ(1U, resolve_services_naptr(&p, RESOLVE_T(RESOLVE_TCP), naptrs, NNAPTR, out, 8));
	expect_service(_metadata, &out[0], RESOLVE_TCP, "_sip._tcp.example.com");

	/* sips: only SIPS+D2T. */
	ASSERT_EQ(0, plan_of("sips:example.com", RESOLVE_T_ALL, &p));
	ASSERT_EQ(1U, resolve_services_naptr(&p, RESOLVE_T_ALL, naptrs, NNAPTR, out, 8));
	expect_service(_metadata, &out[0], RESOLVE_TLS, "_sips._tcp.example.com");
	ASSERT_EQ(0U, resolve_services_naptr(&p, RESOLVE_T(RESOLVE_UDP), naptrs, NNAPTR, out, 8));
}

/* More usable records than kept: the best RESOLVE_NAPTR_MAX, ties in answer order. */
TEST(naptr_keeps_the_best)
{
	struct resolve_naptr many[12];
	struct resolve_service out[RESOLVE_NAPTR_MAX];
	static char names[12][32];
	struct resolve_plan p;
	size_t i;

	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "_sip._udp.n%zu.example", i);
		many[i] = (struct resolve_naptr){ (unsigned int)(12 - i) / 2, 0, "s", "SIP+D2U", "",
						  names[i] };
	}
	ASSERT_EQ(0, plan_of("sip:example.com", RESOLVE_T_ALL, &p));
	ASSERT_EQ((size_t)RESOLVE_NAPTR_MAX,
		  resolve_services_naptr(&p, RESOLVE_T_ALL, many, 12, out, RESOLVE_NAPTR_MAX));
	/* Orders 0,1,1,2,2,3,3,4 from records 11,9,10,7,8,5,6,3. */
	EXPECT_STREQ("_sip._udp.n11.example", out[0].name);
	EXPECT_STREQ("_sip._udp.n9.example", out[1].name);
	EXPECT_STREQ("_sip._udp.n10.example", out[2].name);
	EXPECT_STREQ("_sip._udp.n7.example", out[3].name);
	EXPECT_STREQ("_sip._udp.n8.example", out[4].name);
	EXPECT_STREQ("_sip._udp.n5.example", out[5].name);
	EXPECT_STREQ("_sip._udp.n6.example", out[6].name);
	EXPECT_STREQ("_sip._udp.n3.example", out[7].name);
}

TEST(default_services)
{
	struct resolve_service out[4];
	struct resolve_plan p;

	ASSERT_EQ(0, plan_of("sip:example.com", RESOLVE_T_ALL, &p));
	ASSERT_EQ(3U, resolve_services_default(&p, RESOLVE_T_ALL, out, 4));
	expect_service(_metadata, &out[0], RESOLVE_UDP, "_sip._udp.example.com");
	expect_service(_metadata, &out[1], RESOLVE_TCP, "_sip._tcp.example.com");
	expect_service(_metadata, &out[2], RESOLVE_TLS, "_sips._tcp.example.com");

	ASSERT_EQ(2U, resolve_services_default(&p, RESOLVE_T(RESOLVE_TCP) | RESOLVE_T(RESOLVE_TLS),
					       out, 4));
	expect_service(_metadata, &out[0], RESOLVE_TCP, "_sip._tcp.example.com");
	expect_service(_metadata, &out[1], RESOLVE_TLS, "_sips._tcp.example.com");

	ASSERT_EQ(0, plan_of("sips:example.com", RESOLVE_T_ALL, &p));
	ASSERT_EQ(1U, resolve_services_default(&p, RESOLVE_T_ALL, out, 4));
	expect_service(_metadata, &out[0], RESOLVE_TLS, "_sips._tcp.example.com");

	ASSERT_EQ(0, plan_of("sip:example.com;transport=tcp", RESOLVE_T_ALL, &p));
	ASSERT_EQ(1U, resolve_services_default(&p, RESOLVE_T_ALL, out, 4));
	expect_service(_metadata, &out[0], RESOLVE_TCP, "_sip._tcp.example.com");
}

/* "_sips._tcp." plus a 250-character name is too long to query. */
TEST(default_services_name_too_long)
{
	struct resolve_service out[4];
	struct resolve_plan p;
	char text[300];

	memset(text, 0, sizeof(text));
	strcpy(text, "sip:");
	memset(text + 4, 'a', 60);
	memcpy(text + 64, ".", 1);
	memset(text + 65, 'b', 60);
	memcpy(text + 125, ".", 1);
	memset(text + 126, 'c', 60);
	memcpy(text + 186, ".", 1);
	memset(text + 187, 'd', 56);
	ASSERT_EQ(0, plan_of(text, RESOLVE_T_ALL, &p));
	ASSERT_EQ(239U, strlen(p.name));
	/* _sip._udp. and _sip._tcp. make 249, _sips._tcp. 250: all fit. */
	EXPECT_EQ(3U, resolve_services_default(&p, RESOLVE_T_ALL, out, 4));
	memset(text + 187, 'd', 60);
	ASSERT_EQ(0, plan_of(text, RESOLVE_T_ALL, &p));
	/* 243 + 10 = 253 fits; 243 + 11 does not. */
	ASSERT_EQ(2U, resolve_services_default(&p, RESOLVE_T_ALL, out, 4));
	EXPECT_ENUM(RESOLVE_TCP, out[1].transport);
}

TEST_HARNESS_MAIN
