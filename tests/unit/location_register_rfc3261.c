// SPDX-License-Identifier: GPL-2.0
/*
 * The location service against RFC 3261 section 10.3 steps 6-8 under a
 * virtual clock: add, refresh, remove, "*", Call-ID/CSeq ordering, 423,
 * clamping, limits, q ordering, expiry, RFC 5626 flows, and a store that
 * fails mid-request leaving memory untouched.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/location.h"

#define S(lit) SIP_STR(lit)
#define T0 1700000000
#define AOR S("sip:alice@example.com")

static struct location_contact contact(const char *uri, int64_t expires, int q)
{
	return (struct location_contact){
		.uri = sip_str_make(uri, strlen(uri)), .expires = expires, .q = q,
	};
}

static struct location_register request(const struct location_contact *c, size_t n,
					const char *call_id, uint32_t cseq)
{
	return (struct location_register){
		.aor = AOR,
		.contacts = c,
		.ncontacts = n,
		.expires = -1,
		.call_id = sip_str_make(call_id, strlen(call_id)),
		.cseq = cseq,
		.transport = LOCATION_TRANSPORT_UDP,
	};
}

/* A store that records what it is told and fails its Nth call on demand. */
struct fake_store {
	struct location_store base;
	int calls, fail_at, upserts, removes, remove_aors, commits, rollbacks;
};

static int fake_step(struct location_store *st)
{
	struct fake_store *f = (struct fake_store *)st;

	return ++f->calls == f->fail_at ? -EIO : 0;
}

static int fake_upsert(struct location_store *st, const struct location_record *rec)
{
	((struct fake_store *)st)->upserts++;
	return fake_step(st);
}

static int fake_remove(struct location_store *st, struct sip_str aor, struct sip_str contact)
{
	((struct fake_store *)st)->removes++;
	return fake_step(st);
}

static int fake_remove_aor(struct location_store *st, struct sip_str aor)
{
	((struct fake_store *)st)->remove_aors++;
	return fake_step(st);
}

static int fake_commit(struct location_store *st)
{
	((struct fake_store *)st)->commits++;
	return fake_step(st);
}

static void fake_rollback(struct location_store *st)
{
	((struct fake_store *)st)->rollbacks++;
}

static const struct location_store_ops fake_ops = {
	.name = "fake",
	.begin = fake_step,
	.upsert = fake_upsert,
	.remove = fake_remove,
	.remove_aor = fake_remove_aor,
	.commit = fake_commit,
	.rollback = fake_rollback,
};

FIXTURE(loc)
{
	struct location *loc;
	struct fake_store store;
	const struct location_binding *b[16];
};

FIXTURE_SETUP(loc)
{
	struct location_config cfg;

	location_config_default(&cfg);
	self->store.base.ops = &fake_ops;
	ASSERT_EQ(0, location_new(&cfg, &self->store.base, &self->loc));
}

FIXTURE_TEARDOWN(loc)
{
	location_free(self->loc);
}

static int reg(struct location *loc, const struct location_register *req, int64_t now)
{
	return (int)location_register(loc, req, now);
}

TEST_F(loc, add_refresh_remove)
{
	struct location_contact c[2] = {
		contact("sip:alice@192.0.2.1:5060", -1, -1),
		contact("sip:alice@198.51.100.7", 600, 500),
	};
	struct location_register req = request(c, 2, "call-1", 1);

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	ASSERT_EQ(2U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_STREQ("sip:alice@192.0.2.1:5060", self->b[0]->contact.s);
	EXPECT_EQ(T0 + LOCATION_DEFAULT_EXPIRES, self->b[0]->expires);
	EXPECT_EQ(1000, self->b[0]->q);
	EXPECT_EQ(T0 + 600, self->b[1]->expires);
	EXPECT_EQ(500, self->b[1]->q);
	EXPECT_EQ(2, self->store.upserts);
	EXPECT_EQ(1, self->store.commits);

	/* Refresh the first with the Expires header, remove the second. */
	c[0].expires = -1;
	c[1].expires = 0;
	req = request(c, 2, "call-1", 2);
	req.expires = 120;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0 + 10));
	ASSERT_EQ(1U, location_lookup(self->loc, AOR, T0 + 10, self->b, 16));
	EXPECT_EQ(T0 + 130, self->b[0]->expires);
	EXPECT_EQ(2U, self->b[0]->cseq);
	EXPECT_EQ(1, self->store.removes);
	EXPECT_EQ(1U, location_binding_count(self->loc));

	/* The last one leaves: the AOR goes too. */
	c[0].expires = 0;
	req = request(c, 1, "call-1", 3);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0 + 20));
	EXPECT_EQ(0U, location_lookup(self->loc, AOR, T0 + 20, self->b, 16));
	EXPECT_EQ(0U, location_aor_count(self->loc));
	EXPECT_EQ(INT64_MAX, location_next_expiry(self->loc));
}

TEST_F(loc, query_without_contacts_changes_nothing)
{
	struct location_contact c = contact("sip:a@192.0.2.1", 300, -1);
	struct location_register req = request(&c, 1, "q", 1);

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	req = request(NULL, 0, "q", 2);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ(1U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_EQ(1, self->store.upserts);
}

TEST_F(loc, same_call_id_needs_higher_cseq)
{
	struct location_contact c = contact("sip:a@192.0.2.1", 300, -1);
	struct location_register req = request(&c, 1, "cid", 5);

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ(LOCATION_OUT_OF_ORDER, reg(self->loc, &req, T0));
	req.cseq = 4;
	EXPECT_EQ(LOCATION_OUT_OF_ORDER, reg(self->loc, &req, T0));
	c.expires = 0;
	EXPECT_EQ(LOCATION_OUT_OF_ORDER, reg(self->loc, &req, T0));
	/* Another Call-ID may replace it at any CSeq. */
	c.expires = 900;
	req = request(&c, 1, "other", 1);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0 + 1));
	ASSERT_EQ(1U, location_lookup(self->loc, AOR, T0 + 1, self->b, 16));
	EXPECT_EQ(T0 + 901, self->b[0]->expires);
	EXPECT_STREQ("other", self->b[0]->call_id.s);
}

TEST_F(loc, star_removes_all_only_alone_with_expires_zero)
{
	struct location_contact c[2] = {
		contact("sip:a@192.0.2.1", 300, -1), contact("sip:b@192.0.2.2", 300, -1),
	};
	struct location_register req = request(c, 2, "cid", 1);
	const char *reason;

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	req = request(c, 1, "cid", 2);
	req.star = true;
	req.expires = 0;
	EXPECT_EQ(LOCATION_STAR_NOT_ALONE, reg(self->loc, &req, T0));
	EXPECT_EQ(400, location_status_code(LOCATION_STAR_NOT_ALONE, &reason));
	req = request(NULL, 0, "cid", 2);
	req.star = true;
	EXPECT_EQ(LOCATION_STAR_EXPIRES, reg(self->loc, &req, T0));
	req.expires = 30;
	EXPECT_EQ(LOCATION_STAR_EXPIRES, reg(self->loc, &req, T0));
	req.expires = 0;
	req.cseq = 1;
	EXPECT_EQ(LOCATION_OUT_OF_ORDER, reg(self->loc, &req, T0));
	EXPECT_EQ(2U, location_lookup(self->loc, AOR, T0, self->b, 16));
	req.cseq = 2;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ(0U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_EQ(0U, location_aor_count(self->loc));
	EXPECT_EQ(1, self->store.remove_aors);
}

TEST_F(loc, interval_too_brief_and_clamp)
{
	struct location_contact c[2] = {
		contact("sip:a@192.0.2.1", 59, -1), contact("sip:b@192.0.2.2", 300, -1),
	};
	struct location_register req = request(c, 2, "cid", 1);
	const char *reason;

	EXPECT_EQ(LOCATION_INTERVAL_TOO_BRIEF, reg(self->loc, &req, T0));
	EXPECT_EQ(423, location_status_code(LOCATION_INTERVAL_TOO_BRIEF, &reason));
	EXPECT_STREQ("Interval Too Brief", reason);
	EXPECT_EQ(60U, location_min_expires(self->loc));
	/* All or nothing: the valid contact was not added either. */
	EXPECT_EQ(0U, location_binding_count(self->loc));
	EXPECT_EQ(0, self->store.calls);

	c[0].expires = 60;
	c[1].expires = LOCATION_MAX_EXPIRES;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	ASSERT_EQ(2U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_EQ(T0 + LOCATION_DEFAULT_MAX_EXPIRES, self->b[0]->expires);
	EXPECT_EQ(T0 + 60, self->b[1]->expires);
	c[0].expires = LOCATION_MAX_EXPIRES + 1;
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
}

TEST_F(loc, contact_limit_per_aor)
{
	struct location_contact c[LOCATION_DEFAULT_CONTACTS_PER_AOR + 1];
	char uris[LOCATION_DEFAULT_CONTACTS_PER_AOR + 1][32];
	struct location_register req;
	const char *reason;
	size_t i;

	for (i = 0; i <= LOCATION_DEFAULT_CONTACTS_PER_AOR; i++) {
		snprintf(uris[i], sizeof(uris[i]), "sip:a@192.0.2.%zu", i + 1);
		c[i] = contact(uris[i], 300, -1);
	}
	req = request(c, LOCATION_DEFAULT_CONTACTS_PER_AOR + 1, "cid", 1);
	EXPECT_EQ(LOCATION_TOO_MANY_CONTACTS, reg(self->loc, &req, T0));
	EXPECT_EQ(403, location_status_code(LOCATION_TOO_MANY_CONTACTS, &reason));
	req.ncontacts = LOCATION_DEFAULT_CONTACTS_PER_AOR;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	req = request(&c[LOCATION_DEFAULT_CONTACTS_PER_AOR], 1, "cid", 2);
	EXPECT_EQ(LOCATION_TOO_MANY_CONTACTS, reg(self->loc, &req, T0));
	/* Removing one in the same request makes room. */
	c[0].expires = 0;
	c[1] = c[LOCATION_DEFAULT_CONTACTS_PER_AOR];
	req = request(c, 2, "cid", 3);
	EXPECT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ((size_t)LOCATION_DEFAULT_CONTACTS_PER_AOR, location_binding_count(self->loc));
}

TEST_F(loc, request_validation)
{
	char long_uri[LOCATION_MAX_URI_LEN + 2];
	struct location_contact c[2] = {
		contact("sip:a@192.0.2.1", 300, -1), contact("sip:a@192.0.2.1", 600, -1),
	};
	struct location_register req = request(c, 2, "cid", 1);

	EXPECT_EQ(LOCATION_DUPLICATE_CONTACT, reg(self->loc, &req, T0));
	req.ncontacts = 1;
	c[0].q = 1001;
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
	c[0].q = -1;
	req.call_id = S("");
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
	req = request(c, 1, "cid", 1);
	req.aor = S("");
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
	req = request(c, 1, "cid", 1);
	memset(long_uri, 'a', sizeof(long_uri) - 1);
	memcpy(long_uri, "sip:", 4);
	long_uri[sizeof(long_uri) - 1] = '\0';
	c[0].uri = sip_str_make(long_uri, LOCATION_MAX_URI_LEN + 1);
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
	c[0].uri.len = LOCATION_MAX_URI_LEN;
	EXPECT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	c[0].expires = -2;
	req.cseq = 2;
	EXPECT_EQ(LOCATION_INVALID, reg(self->loc, &req, T0));
}

TEST_F(loc, lookup_orders_by_q_and_skips_expired)
{
	struct location_contact c[3] = {
		contact("sip:low@192.0.2.1", 100, 100),
		contact("sip:high@192.0.2.2", 300, 900),
		contact("sip:mid@192.0.2.3", 200, 500),
	};
	struct location_register req = request(c, 3, "cid", 1);

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	ASSERT_EQ(3U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_STREQ("sip:high@192.0.2.2", self->b[0]->contact.s);
	EXPECT_STREQ("sip:mid@192.0.2.3", self->b[1]->contact.s);
	EXPECT_STREQ("sip:low@192.0.2.1", self->b[2]->contact.s);
	EXPECT_EQ(1U, location_lookup(self->loc, AOR, T0, self->b, 1));
	EXPECT_STREQ("sip:high@192.0.2.2", self->b[0]->contact.s);
	/* Expired but not yet reaped: invisible. */
	EXPECT_EQ(2U, location_lookup(self->loc, AOR, T0 + 100, self->b, 16));
	EXPECT_EQ(0U, location_lookup(self->loc, S("sip:bob@example.com"), T0, self->b, 16));
}

TEST_F(loc, expiry_in_time_order)
{
	struct location_contact c[3] = {
		contact("sip:a@192.0.2.1", 300, -1),
		contact("sip:b@192.0.2.2", 100, -1),
		contact("sip:c@192.0.2.3", 200, -1),
	};
	struct location_register req = request(c, 3, "cid", 1);

	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ(T0 + 100, location_next_expiry(self->loc));
	EXPECT_EQ(0U, location_expire(self->loc, T0 + 99));
	EXPECT_EQ(1U, location_expire(self->loc, T0 + 100));
	EXPECT_EQ(T0 + 200, location_next_expiry(self->loc));
	/* A refresh moves the binding in the heap. */
	c[2].expires = 1000;
	req = request(&c[2], 1, "cid", 2);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0 + 150));
	EXPECT_EQ(T0 + 300, location_next_expiry(self->loc));
	EXPECT_EQ(1U, location_expire(self->loc, T0 + 1000));
	EXPECT_EQ(T0 + 1150, location_next_expiry(self->loc));
	EXPECT_EQ(1U, location_expire(self->loc, T0 + 5000));
	EXPECT_EQ(0U, location_aor_count(self->loc));
	EXPECT_EQ(INT64_MAX, location_next_expiry(self->loc));
	EXPECT_EQ(3, self->store.removes);
}

TEST_F(loc, outbound_flow_matches_by_instance_and_reg_id)
{
	struct location_contact c = contact("sip:a@192.0.2.1:5060", 300, -1);
	struct location_register req;

	c.instance = S("<urn:uuid:00000000-0000-1000-8000-000a95a0e128>");
	c.reg_id = 1;
	req = request(&c, 1, "cid", 1);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	/* The same flow from a new address replaces the binding. */
	c.uri = S("sip:a@203.0.113.9:40000");
	req = request(&c, 1, "cid2", 1);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	ASSERT_EQ(1U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_STREQ("sip:a@203.0.113.9:40000", self->b[0]->contact.s);
	EXPECT_EQ(1U, self->b[0]->reg_id);
	EXPECT_EQ(1, self->store.removes);
	/* A second flow of the same instance is another binding. */
	c.reg_id = 2;
	req = request(&c, 1, "cid2", 2);
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	EXPECT_EQ(2U, location_lookup(self->loc, AOR, T0, self->b, 16));
}

TEST_F(loc, path_and_source_are_kept)
{
	struct location_contact c = contact("sip:a@10.0.0.5:5060", 300, -1);
	struct sip_str path[2] = { S("<sip:edge1.example.net;lr>"), S("<sip:edge2.example.net;lr>") };
	struct location_register req = request(&c, 1, "cid", 1);

	req.path = path;
	req.npath = 2;
	ASSERT_EQ(0, endpoint_parse(&req.received, "198.51.100.20:31000"));
	req.transport = LOCATION_TRANSPORT_TCP;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	ASSERT_EQ(1U, location_lookup(self->loc, AOR, T0, self->b, 16));
	EXPECT_STREQ("<sip:edge1.example.net;lr>,<sip:edge2.example.net;lr>", self->b[0]->path.s);
	EXPECT_TRUE(endpoint_equal(&req.received, &self->b[0]->received));
	EXPECT_EQ(LOCATION_TRANSPORT_TCP, (int)self->b[0]->transport);
	EXPECT_EQ(NULL, self->b[0]->instance.s);
}

TEST_F(loc, store_failure_changes_nothing)
{
	struct location_contact c[2] = {
		contact("sip:a@192.0.2.1", 300, -1), contact("sip:b@192.0.2.2", 300, -1),
	};
	struct location_register req = request(c, 2, "cid", 1);
	size_t mem = location_memory(self->loc);
	int at;

	/* begin, upsert, upsert, commit: fail each in turn. */
	for (at = 1; at <= 4; at++) {
		self->store.calls = 0;
		self->store.fail_at = at;
		EXPECT_EQ(LOCATION_STORE_FAILED, reg(self->loc, &req, T0));
		EXPECT_EQ(0U, location_binding_count(self->loc));
		EXPECT_EQ(0U, location_aor_count(self->loc));
	}
	/* Only the hash table stays allocated. */
	EXPECT_GE(location_memory(self->loc), mem);
	EXPECT_EQ(3, self->store.rollbacks);
	self->store.fail_at = 0;
	ASSERT_EQ(LOCATION_OK, reg(self->loc, &req, T0));
	/* Removing: fail the commit, both bindings stay. */
	c[0].expires = 0;
	req = request(c, 1, "cid", 2);
	self->store.calls = 0;
	self->store.fail_at = 3;
	EXPECT_EQ(LOCATION_STORE_FAILED, reg(self->loc, &req, T0));
	EXPECT_EQ(2U, location_lookup(self->loc, AOR, T0, self->b, 16));
}

TEST(max_aors)
{
	struct location_contact c = contact("sip:x@192.0.2.1", 300, -1);
	struct location_register req = request(&c, 1, "cid", 1);
	struct location_config cfg;
	struct location *loc;
	const char *reason;

	location_config_default(&cfg);
	cfg.max_aors = 2;
	ASSERT_EQ(0, location_new(&cfg, NULL, &loc));
	req.aor = S("sip:a@example.com");
	ASSERT_EQ(LOCATION_OK, reg(loc, &req, T0));
	req.aor = S("sip:b@example.com");
	ASSERT_EQ(LOCATION_OK, reg(loc, &req, T0));
	req.aor = S("sip:c@example.com");
	EXPECT_EQ(LOCATION_TOO_MANY_AORS, reg(loc, &req, T0));
	EXPECT_EQ(503, location_status_code(LOCATION_TOO_MANY_AORS, &reason));
	/* Existing AORs may still refresh. */
	req.aor = S("sip:a@example.com");
	req.cseq = 2;
	EXPECT_EQ(LOCATION_OK, reg(loc, &req, T0));
	location_free(loc);
}

TEST(config_checked)
{
	struct location_config cfg;
	struct location *loc;

	location_config_default(&cfg);
	cfg.min_expires = 7201;
	EXPECT_EQ(-EINVAL, location_new(&cfg, NULL, &loc));
	location_config_default(&cfg);
	cfg.max_contacts = LOCATION_MAX_CONTACTS_LIMIT + 1;
	EXPECT_EQ(-EINVAL, location_new(&cfg, NULL, &loc));
	location_config_default(&cfg);
	cfg.default_expires = 30;
	EXPECT_EQ(-EINVAL, location_new(&cfg, NULL, &loc));
}

TEST(q_values)
{
	int q;

	ASSERT_TRUE(location_parse_q(S("0.5"), &q));
	EXPECT_EQ(500, q);
	ASSERT_TRUE(location_parse_q(S("1"), &q));
	EXPECT_EQ(1000, q);
	ASSERT_TRUE(location_parse_q(S("1.000"), &q));
	EXPECT_EQ(1000, q);
	ASSERT_TRUE(location_parse_q(S("0.001"), &q));
	EXPECT_EQ(1, q);
	ASSERT_TRUE(location_parse_q(S("0."), &q));
	EXPECT_EQ(0, q);
	EXPECT_FALSE(location_parse_q(S("1.001"), &q));
	EXPECT_FALSE(location_parse_q(S("0.0001"), &q));
	EXPECT_FALSE(location_parse_q(S("2"), &q));
	EXPECT_FALSE(location_parse_q(S(".5"), &q));
	EXPECT_FALSE(location_parse_q(S("0,5"), &q));
	EXPECT_FALSE(location_parse_q(S(""), &q));
}

TEST_HARNESS_MAIN
