// SPDX-License-Identifier: GPL-2.0
/*
 * Memory per registered contact, as counted by the location service's
 * allocation wrappers (bindings, AORs, hash table, expiry heap), for 10000
 * typical bindings: one phone per AOR (under the default and the highest
 * max_contacts), and ten per AOR. The bound in
 * location.h is <= 1 KiB per contact; expiring everything gives all of it
 * back but the two arrays that never shrink.
 */
#include <stdio.h>

#include "kselftest_harness.h"

#include "sipproxyd/location.h"

#define T0 1700000000
#define BINDINGS 10000

static void fill(struct __test_metadata *_metadata, struct location *loc, size_t per_aor)
{
	char aor[64], uri[128], call_id[64];
	struct location_contact c = { .expires = 3600, .q = -1 };
	struct location_register req = {
		.contacts = &c,
		.ncontacts = 1,
		.expires = -1,
		.cseq = 1,
		.transport = LOCATION_TRANSPORT_UDP,
	};
	size_t i;

	for (i = 0; i < BINDINGS; i++) {
		/* The shapes a softphone sends: rinstance, a UUID-like Call-ID. */
		snprintf(aor, sizeof(aor), "sip:user%06zu@voip.example.com", i / per_aor);
		snprintf(uri, sizeof(uri), "sip:user%06zu@203.0.%zu.%zu:5060;transport=udp;"
			 "rinstance=5f1c3b2a%08zx", i / per_aor, i / 250 % 256, i % 250, i);
		snprintf(call_id, sizeof(call_id), "b7e1c2d4-%08zx-4a6f-9c3e-1d2f3a4b5c6d", i);
		req.aor = sip_str_make(aor, strlen(aor));
		req.call_id = sip_str_make(call_id, strlen(call_id));
		c.uri = sip_str_make(uri, strlen(uri));
		c.expires = 3600 + (int64_t)(i % 600);
		endpoint_parse(&req.received, "203.0.113.7:5060");
		ASSERT_EQ(LOCATION_OK, (int)location_register(loc, &req, T0));
	}
	ASSERT_EQ((size_t)BINDINGS, location_binding_count(loc));
}

static void measure(struct __test_metadata *_metadata, size_t per_aor, unsigned int max_contacts)
{
	struct location_config cfg;
	struct location *loc;
	size_t per_contact;

	location_config_default(&cfg);
	cfg.max_contacts = max_contacts;
	ASSERT_EQ(0, location_new(&cfg, NULL, &loc));
	fill(_metadata, loc, per_aor);
	per_contact = location_memory(loc) / BINDINGS;
	TH_LOG("%zu contact(s) per AOR: %zu bytes per contact", per_aor, per_contact);
	EXPECT_LE(per_contact, 1024U);
	ASSERT_EQ((size_t)BINDINGS, location_expire(loc, T0 + 3600 + 600));
	EXPECT_EQ(0U, location_aor_count(loc));
	/* Left: the hash table (>= one bucket per AOR) and the heap array. */
	EXPECT_EQ(location_memory(loc),
		  (per_aor == 1 ? 16384 : 1024) * sizeof(void *) + 16384 * sizeof(void *));
	location_free(loc);
}

TEST(one_contact_per_aor)
{
	measure(_metadata, 1, LOCATION_DEFAULT_CONTACTS_PER_AOR);
}

TEST(ten_contacts_per_aor)
{
	measure(_metadata, 10, LOCATION_DEFAULT_CONTACTS_PER_AOR);
}

/* Slots grow with use: a high limit costs nothing per AOR. */
TEST(one_contact_per_aor_high_limit)
{
	measure(_metadata, 1, LOCATION_MAX_CONTACTS_LIMIT);
}

TEST_HARNESS_MAIN
