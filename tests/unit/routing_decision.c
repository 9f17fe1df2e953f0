// SPDX-License-Identifier: GPL-2.0
/*
 * routing_decide() on a table read from a real configuration: served
 * domains and addresses, longest domain suffix at label boundaries, longest
 * "+prefix" for tel: and user=phone numbers, the fallbacks and the errors.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "sipproxyd/routing.h"

#define EXPECT_ENUM(want, seen) EXPECT_EQ((int)(want), (int)(seen))

static const char conf[] =
	"[general]\n"
	"domains = example.com, 192.0.2.10, [2001:db8::10]\n"
	"[routes]\n"
	"partner.net = sip:edge.partner.net\n"
	"eu.partner.net = sip:eu-edge.partner.net:5080;transport=tcp\n"
	"+1 = sip:gw-nanp.example.com\n"
	"+1212 = sip:gw-nyc.example.com\n"
	"+44 = sips:gw-uk.example.com\n"
	"carrier.example = sip:192.0.2.99:5070\n";

FIXTURE(routing) {
	struct config cfg;
	struct routing *r;
};

FIXTURE_SETUP(routing)
{
	char err[CONFIG_ERR_MAX];

	ASSERT_EQ(0, config_parse(&self->cfg, "t.conf", conf, strlen(conf), err)) TH_LOG("%s", err);
	ASSERT_EQ(0, routing_new(&self->cfg, &self->r, err, sizeof(err))) TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(routing)
{
	routing_free(self->r);
	config_free(&self->cfg);
}

/* The decision for @text, which must parse. */
static struct routing_decision decide(struct __test_metadata *_metadata,
				      const struct routing *r, const char *text)
{
	struct routing_decision d;
	struct sip_uri uri;

	if (sip_uri_parse(sip_str_make(text, strlen(text)), &uri)) {
		TH_LOG("does not parse: %s", text);
		_metadata->passed = 0;
		memset(&d, 0, sizeof(d));
		return d;
	}
	routing_decide(r, &uri, &d);
	return d;
}

/* @text goes by static route @match to @next_hop. */
static void expect_static(struct __test_metadata *_metadata, const struct routing *r,
			  const char *text, const char *match, const char *next_hop)
{
	struct routing_decision d = decide(_metadata, r, text);

	EXPECT_ENUM(ROUTING_STATIC, d.kind) TH_LOG("%s", text);
	if (d.kind != ROUTING_STATIC)
		return;
	EXPECT_STREQ(match, d.match);
	EXPECT_EQ(strlen(next_hop), d.next_hop->raw.len);
	EXPECT_EQ(0, strncmp(next_hop, d.next_hop->raw.s, d.next_hop->raw.len));
}

static void expect_kind(struct __test_metadata *_metadata, const struct routing *r,
			const char *text, enum routing_kind kind, int status)
{
	struct routing_decision d = decide(_metadata, r, text);

	EXPECT_ENUM(kind, d.kind) TH_LOG("%s", text);
	EXPECT_EQ(status, d.status) TH_LOG("%s", text);
	EXPECT_EQ(NULL, d.next_hop);
}

TEST_F(routing, served_domains_and_addresses_are_local)
{
	expect_kind(_metadata, self->r, "sip:alice@example.com", ROUTING_LOCAL, 0);
	expect_kind(_metadata, self->r, "sips:alice@EXAMPLE.Com.", ROUTING_LOCAL, 0);
	expect_kind(_metadata, self->r, "sip:alice@192.0.2.10:5080", ROUTING_LOCAL, 0);
	/* The same IPv6 address, written differently. */
	expect_kind(_metadata, self->r, "sip:alice@[2001:DB8:0:0::10]", ROUTING_LOCAL, 0);
	/* A subdomain of a served domain is somebody else's. */
	expect_kind(_metadata, self->r, "sip:alice@pbx.example.com", ROUTING_DNS, 0);
	expect_kind(_metadata, self->r, "sip:alice@192.0.2.11", ROUTING_DNS, 0);
}

TEST_F(routing, longest_domain_suffix_at_label_boundaries)
{
	expect_static(_metadata, self->r, "sip:bob@partner.net", "partner.net",
		      "sip:edge.partner.net");
	expect_static(_metadata, self->r, "sip:bob@us.partner.net", "partner.net",
		      "sip:edge.partner.net");
	expect_static(_metadata, self->r, "sip:bob@eu.partner.net", "eu.partner.net",
		      "sip:eu-edge.partner.net:5080;transport=tcp");
	expect_static(_metadata, self->r, "sip:bob@pbx.Eu.Partner.NET.", "eu.partner.net",
		      "sip:eu-edge.partner.net:5080;transport=tcp");
	/* Not at a label boundary. */
	expect_kind(_metadata, self->r, "sip:bob@notpartner.net", ROUTING_DNS, 0);
	expect_kind(_metadata, self->r, "sip:bob@net", ROUTING_DNS, 0);
}

TEST_F(routing, longest_number_prefix)
{
	expect_static(_metadata, self->r, "tel:+1-212-555-0100", "+1212", "sip:gw-nyc.example.com");
	expect_static(_metadata, self->r, "tel:+1.(415)555-0100;phone-context=+1", "+1",
		      "sip:gw-nanp.example.com");
	expect_static(_metadata, self->r, "sip:+442079460000@example.com;user=phone", "+44",
		      "sips:gw-uk.example.com");
	/* user=phone matches case-insensitively; tel parameters end the number. */
	expect_static(_metadata, self->r, "sip:+12125550100;isub=1234@partner.net;user=Phone",
		      "+1212", "sip:gw-nyc.example.com");
	/* Without user=phone the user part is a name: route by host. */
	expect_kind(_metadata, self->r, "sip:+12125550100@example.com", ROUTING_LOCAL, 0);
	expect_static(_metadata, self->r, "sip:+12125550100@partner.net", "partner.net",
		      "sip:edge.partner.net");
}

TEST_F(routing, numbers_without_a_route)
{
	/* A sip URI falls back to its host... */
	expect_kind(_metadata, self->r, "sip:+33142685300@example.com;user=phone", ROUTING_LOCAL, 0);
	expect_kind(_metadata, self->r, "sip:+33142685300@far.away;user=phone", ROUTING_DNS, 0);
	/* ...a tel URI has none. */
	expect_kind(_metadata, self->r, "tel:+33142685300", ROUTING_NONE, 404);
	expect_kind(_metadata, self->r, "tel:5550100;phone-context=example.com", ROUTING_NONE, 404);
	/* 16 digits is no E.164 number, so no +1 route. */
	expect_kind(_metadata, self->r, "tel:+1212555010000000", ROUTING_NONE, 404);
	expect_kind(_metadata, self->r, "sip:+1212555010000000@far.away;user=phone", ROUTING_DNS, 0);
	/* Letters make it no number. */
	expect_kind(_metadata, self->r, "sip:+1212abc@far.away;user=phone", ROUTING_DNS, 0);
	expect_kind(_metadata, self->r, "sip:+@far.away;user=phone", ROUTING_DNS, 0);
}

TEST_F(routing, address_hosts_never_match_domain_routes)
{
	expect_kind(_metadata, self->r, "sip:192.0.2.99", ROUTING_DNS, 0);
	expect_static(_metadata, self->r, "sip:x@gw.carrier.example", "carrier.example",
		      "sip:192.0.2.99:5070");
}

TEST_F(routing, other_schemes_are_unsupported)
{
	expect_kind(_metadata, self->r, "mailto:alice@example.com", ROUTING_NONE, 416);
	expect_kind(_metadata, self->r, "urn:service:sos", ROUTING_NONE, 416);
}

TEST(empty_table_resolves_everything)
{
	struct routing_decision d;
	struct routing *r;
	struct config cfg;
	struct sip_uri uri;
	char err[CONFIG_ERR_MAX];

	ASSERT_EQ(0, config_parse(&cfg, "t.conf", "", 0, err));
	ASSERT_EQ(0, routing_new(&cfg, &r, err, sizeof(err)));
	ASSERT_EQ(0, sip_uri_parse(SIP_STR("sip:a@example.org"), &uri));
	routing_decide(r, &uri, &d);
	EXPECT_ENUM(ROUTING_DNS, d.kind);
	ASSERT_EQ(0, sip_uri_parse(SIP_STR("tel:+15550100"), &uri));
	routing_decide(r, &uri, &d);
	EXPECT_ENUM(ROUTING_NONE, d.kind);
	EXPECT_EQ(404, d.status);
	routing_free(r);
	config_free(&cfg);
}

/* A next hop config_route_add() accepts but the SIP grammar does not. */
TEST(next_hop_not_a_sip_uri)
{
	static const char bad[] = "[routes]\nx.net = sip:gw.x.net;lr;lr\n";
	struct routing *r = NULL;
	struct config cfg;
	char err[CONFIG_ERR_MAX];

	ASSERT_EQ(0, config_parse(&cfg, "t.conf", bad, strlen(bad), err)) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, routing_new(&cfg, &r, err, sizeof(err)));
	EXPECT_STREQ("route for 'x.net': next hop 'sip:gw.x.net;lr;lr' is not a valid sip: or sips: URI",
		     err);
	EXPECT_EQ(NULL, r);
	config_free(&cfg);
}

TEST_HARNESS_MAIN
