// SPDX-License-Identifier: GPL-2.0
/*
 * Registrations survive a restart through the SQLite store: write, close,
 * reopen, load, and find the same bindings, field by field; expired ones
 * are gone from memory and from the file. Corrupt, foreign and unreadable
 * files fail with a clear message.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/location.h"
#include "sipproxyd/store_sqlite.h"

#define S(lit) SIP_STR(lit)
#define T0 1700000000
#define AOR S("sip:alice@example.com")

FIXTURE(db)
{
	char dir[64];
	char path[96];
	char err[512];
	struct location_store *store;
	struct location *loc;
	const struct location_binding *b[16];
};

FIXTURE_SETUP(db)
{
	strcpy(self->dir, "/tmp/store_sqlite.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/location.db", self->dir);
}

FIXTURE_TEARDOWN(db)
{
	char cmd[128];

	location_free(self->loc);
	if (self->store)
		self->store->ops->close(self->store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

/* Opens the store and a location service over it, loading at @now. */
static int start(struct __test_metadata *_metadata, FIXTURE_DATA(db) *self, int64_t now,
		 size_t *skipped)
{
	struct location_config cfg;
	int err;

	err = store_sqlite_ops.open(self->path, &self->store, self->err, sizeof(self->err));
	if (err)
		return err;
	location_config_default(&cfg);
	EXPECT_EQ(0, location_new(&cfg, self->store, &self->loc));
	return location_load(self->loc, now, skipped);
}

static void stop(FIXTURE_DATA(db) *self)
{
	location_free(self->loc);
	self->loc = NULL;
	self->store->ops->close(self->store);
	self->store = NULL;
}

static int count_rows(const char *path)
{
	sqlite3_stmt *stmt;
	sqlite3 *db;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM bindings", -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return n;
}

static void register_two(struct __test_metadata *_metadata, struct location *loc)
{
	struct sip_str path[2] = { S("<sip:edge1.example.net;lr>"), S("<sip:edge2.example.net;lr>") };
	struct location_contact c[2] = {
		{ .uri = S("sip:alice@10.0.0.5:5060;ob"), .expires = 3600, .q = 700,
		  .instance = S("<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"), .reg_id = 1 },
		{ .uri = S("sip:alice@[2001:db8::5]:5062"), .expires = 60, .q = -1 },
	};
	struct location_register req = {
		.aor = AOR, .contacts = c, .ncontacts = 2, .expires = -1,
		.call_id = S("a84b4c76e66710@pc33"), .cseq = 314159,
		.path = path, .npath = 2, .transport = LOCATION_TRANSPORT_TLS,
	};

	ASSERT_EQ(0, endpoint_parse(&req.received, "[2001:db8::99]:40000"));
	ASSERT_EQ(LOCATION_OK, (int)location_register(loc, &req, T0));
}

TEST_F(db, bindings_survive_restart_field_by_field)
{
	struct endpoint src;
	size_t skipped = 99;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	EXPECT_EQ(0U, skipped);
	register_two(_metadata, self->loc);
	stop(self);
	EXPECT_EQ(2, count_rows(self->path));

	ASSERT_EQ(0, start(_metadata, self, T0 + 10, &skipped));
	EXPECT_EQ(0U, skipped);
	ASSERT_EQ(2U, location_lookup(self->loc, AOR, T0 + 10, self->b, 16));
	ASSERT_EQ(0, endpoint_parse(&src, "[2001:db8::99]:40000"));

	EXPECT_STREQ("sip:alice@[2001:db8::5]:5062", self->b[0]->contact.s);
	EXPECT_EQ(1000, self->b[0]->q);
	EXPECT_EQ(T0 + 60, self->b[0]->expires);
	EXPECT_EQ(NULL, self->b[0]->instance.s);
	EXPECT_EQ(0U, self->b[0]->reg_id);

	EXPECT_STREQ("sip:alice@10.0.0.5:5060;ob", self->b[1]->contact.s);
	EXPECT_EQ(700, self->b[1]->q);
	EXPECT_EQ(T0 + 3600, self->b[1]->expires);
	EXPECT_STREQ("a84b4c76e66710@pc33", self->b[1]->call_id.s);
	EXPECT_EQ(314159U, self->b[1]->cseq);
	EXPECT_STREQ("<sip:edge1.example.net;lr>,<sip:edge2.example.net;lr>", self->b[1]->path.s);
	EXPECT_STREQ("<urn:uuid:00000000-0000-1000-8000-000a95a0e128>", self->b[1]->instance.s);
	EXPECT_EQ(1U, self->b[1]->reg_id);
	EXPECT_TRUE(endpoint_equal(&src, &self->b[1]->received));
	EXPECT_EQ(LOCATION_TRANSPORT_TLS, (int)self->b[1]->transport);
	EXPECT_EQ(T0 + 60, location_next_expiry(self->loc));
}

TEST_F(db, expired_bindings_dropped_on_load)
{
	size_t skipped;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	register_two(_metadata, self->loc);
	stop(self);
	ASSERT_EQ(0, start(_metadata, self, T0 + 60, &skipped));
	ASSERT_EQ(1U, location_lookup(self->loc, AOR, T0 + 60, self->b, 16));
	EXPECT_STREQ("sip:alice@10.0.0.5:5060;ob", self->b[0]->contact.s);
	stop(self);
	EXPECT_EQ(1, count_rows(self->path));
}

TEST_F(db, removals_persist)
{
	struct location_register star = {
		.aor = AOR, .star = true, .expires = 0, .call_id = S("x"), .cseq = 1,
	};
	size_t skipped;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	register_two(_metadata, self->loc);
	EXPECT_EQ(1U, location_expire(self->loc, T0 + 60));
	stop(self);
	EXPECT_EQ(1, count_rows(self->path));
	ASSERT_EQ(0, start(_metadata, self, T0 + 61, &skipped));
	EXPECT_EQ(1U, location_binding_count(self->loc));
	ASSERT_EQ(LOCATION_OK, (int)location_register(self->loc, &star, T0 + 61));
	stop(self);
	EXPECT_EQ(0, count_rows(self->path));
}

TEST_F(db, rollback_leaves_no_trace)
{
	struct location_record rec = {
		.aor = AOR, .contact = S("sip:a@192.0.2.1"), .call_id = S("c"), .path = S(""),
		.expires = T0 + 100, .q = 1000,
	};
	size_t skipped;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	ASSERT_EQ(0, self->store->ops->begin(self->store));
	ASSERT_EQ(0, self->store->ops->upsert(self->store, &rec));
	self->store->ops->rollback(self->store);
	stop(self);
	EXPECT_EQ(0, count_rows(self->path));
}

TEST_F(db, journal_is_wal)
{
	sqlite3_stmt *stmt;
	size_t skipped;
	sqlite3 *db;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	stop(self);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(stmt));
	EXPECT_STREQ("wal", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

TEST_F(db, not_a_database)
{
	int fd = open(self->path, O_WRONLY | O_CREAT, 0600);
	char msg[160];
	size_t skipped;

	ASSERT_GE(fd, 0);
	memset(msg, 'x', sizeof(msg));
	ASSERT_EQ((ssize_t)sizeof(msg), write(fd, msg, sizeof(msg)));
	close(fd);
	EXPECT_EQ(-EBADMSG, start(_metadata, self, T0, &skipped));
	snprintf(msg, sizeof(msg), "%s: cannot set WAL mode: file is not a database", self->path);
	EXPECT_STREQ(msg, self->err);
}

TEST_F(db, corrupt_pages_fail_the_load)
{
	char junk[4096];
	size_t skipped;
	int fd;

	ASSERT_EQ(0, start(_metadata, self, T0, &skipped));
	register_two(_metadata, self->loc);
	stop(self);
	/*
	 * Pages 1 and 2 (sqlite_master, schema_version) stay, so the store
	 * opens; page 3, the bindings table, becomes junk.
	 */
	fd = open(self->path, O_WRONLY);
	ASSERT_GE(fd, 0);
	memset(junk, 0xa5, sizeof(junk));
	ASSERT_EQ((ssize_t)sizeof(junk), pwrite(fd, junk, sizeof(junk), 8192));
	close(fd);
	ASSERT_EQ(-EBADMSG, start(_metadata, self, T0, &skipped));
	EXPECT_EQ(0U, location_binding_count(self->loc));
	EXPECT_STREQ("cannot read bindings: database disk image is malformed",
		     store_sqlite_error(self->store));
}

TEST_F(db, other_schema_version_refused)
{
	char msg[160];
	sqlite3 *db;
	size_t skipped;

	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE TABLE schema_version (version INTEGER);"
					  "INSERT INTO schema_version VALUES (2);",
					  NULL, NULL, NULL));
	sqlite3_close(db);
	EXPECT_EQ(-EPROTO, start(_metadata, self, T0, &skipped));
	snprintf(msg, sizeof(msg), "%s: unsupported schema version 2 (want 1)", self->path);
	EXPECT_STREQ(msg, self->err);
}

TEST_F(db, unopenable_path)
{
	size_t skipped;
	char msg[160];

	snprintf(self->path, sizeof(self->path), "%s/missing/location.db", self->dir);
	EXPECT_EQ(-ENOENT, start(_metadata, self, T0, &skipped));
	snprintf(msg, sizeof(msg), "%s: cannot open: unable to open database file", self->path);
	EXPECT_STREQ(msg, self->err);
}

TEST_HARNESS_MAIN
