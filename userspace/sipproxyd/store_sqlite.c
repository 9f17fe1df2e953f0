// SPDX-License-Identifier: GPL-2.0
/*
 * Registrations in SQLite. One row per binding keyed by (aor, contact);
 * the received address is stored as endpoint text ("ADDR:PORT",
 * "[ADDR6]:PORT", or "" when unknown) so the file reads well in the
 * sqlite3 shell. Every statement is prepared once at open.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_UPSERT,
	STMT_DELETE,
	STMT_DELETE_AOR,
	STMT_DELETE_EXPIRED,
	STMT_SELECT,
	STMT_COUNT,
};

static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_UPSERT] =
		("INSERT OR REPLACE INTO bindings (aor, contact, call_id, cseq, expires, q, "
		 "path, instance, reg_id, received, transport) "
		 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
	[STMT_DELETE] = "DELETE FROM bindings WHERE aor = ?1 AND contact = ?2",
	[STMT_DELETE_AOR] = "DELETE FROM bindings WHERE aor = ?1",
	[STMT_DELETE_EXPIRED] = "DELETE FROM bindings WHERE expires <= ?1",
	[STMT_SELECT] =
		("SELECT aor, contact, call_id, cseq, expires, q, path, instance, reg_id, "
		 "received, transport FROM bindings WHERE expires > ?1"),
};

static const char schema_sql[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"CREATE TABLE bindings ("
	" aor TEXT NOT NULL,"
	" contact TEXT NOT NULL,"
	" call_id TEXT NOT NULL,"
	" cseq INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" q INTEGER NOT NULL,"
	" path TEXT NOT NULL,"
	" instance TEXT,"
	" reg_id INTEGER NOT NULL,"
	" received TEXT NOT NULL,"
	" transport INTEGER NOT NULL,"
	" PRIMARY KEY (aor, contact)) WITHOUT ROWID;"
	"CREATE INDEX bindings_expires ON bindings (expires);";

struct store_sqlite {
	struct location_store base;
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT_COUNT];
	char error[256];
};

static struct store_sqlite *to_sqlite(struct location_store *st)
{
	return (struct store_sqlite *)st;
}

static int to_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return -EROFS;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	default:
		return -EIO;
	}
}

/* Keeps SQLite's explanation for store_sqlite_error(). */
static int fail(struct store_sqlite *s, int rc, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s: %s", what,
		 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	return to_errno(rc) ? to_errno(rc) : -EIO;
}

/* Runs a prepared statement that returns no rows, and resets it. */
static int run(struct store_sqlite *s, enum stmt which, const char *what)
{
	sqlite3_stmt *stmt = s->stmt[which];
	int rc = sqlite3_step(stmt);
	int err = 0;

	if (rc != SQLITE_DONE)
		err = fail(s, rc, what);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return err;
}

static int bind_str(sqlite3_stmt *stmt, int i, struct sip_str v)
{
	if (!v.s)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, v.len ? v.s : "", (int)v.len, SQLITE_STATIC);
}

/* The first column of the first row of @sql into @value; -1 without rows. */
static int query_int(struct store_sqlite *s, const char *sql, int *value)
{
	sqlite3_stmt *stmt;
	int rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	*value = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The schema, created in an empty file; any other version is refused. */
static int check_schema(struct store_sqlite *s)
{
	int rc, tables, version = 0;

	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, "cannot lock the database");
	rc = query_int(s, "SELECT count(*) FROM sqlite_master "
		       "WHERE type = 'table' AND name = 'schema_version'", &tables);
	if (rc == SQLITE_OK && tables > 0)
		rc = query_int(s, "SELECT version FROM schema_version", &version);
	if (rc == SQLITE_OK && tables == 0) {
		rc = sqlite3_exec(s->db, schema_sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(s->db, "INSERT INTO schema_version VALUES (1)",
					  NULL, NULL, NULL);
		version = STORE_SQLITE_SCHEMA_VERSION;
	}
	if (rc == SQLITE_OK && version != STORE_SQLITE_SCHEMA_VERSION) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(s->error, sizeof(s->error), "unsupported schema version %d (want %d)",
			 version, STORE_SQLITE_SCHEMA_VERSION);
		return -EPROTO;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int err = fail(s, rc, "cannot read or create the schema");

		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	return 0;
}

/* WAL lets readers (a second proxy, the sqlite3 shell) work while we write. */
static int set_journal(struct store_sqlite *s)
{
	sqlite3_stmt *stmt;
	int rc, wal;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, "cannot set WAL mode");
	rc = sqlite3_step(stmt);
	wal = rc == SQLITE_ROW &&
	      !strcmp((const char *)sqlite3_column_text(stmt, 0) ?: "", "wal");
	sqlite3_finalize(stmt);
	if (!wal)
		return fail(s, rc == SQLITE_ROW ? SQLITE_ERROR : rc, "cannot set WAL mode");
	rc = sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc, "cannot set synchronous mode");
	return 0;
}

static void finalize_all(struct store_sqlite *s)
{
	int i;

	for (i = 0; i < STMT_COUNT; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
}

static void sqlite_close(struct location_store *st)
{
	struct store_sqlite *s = to_sqlite(st);

	if (!s)
		return;
	finalize_all(s);
	sqlite3_close(s->db);
	free(s);
}

static int sqlite_open(const char *target, struct location_store **out, char *err,
		       size_t errlen)
{
	struct store_sqlite *s;
	int rc, i, ret;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "%s: out of memory", target);
		return -ENOMEM;
	}
	s->base.ops = &store_sqlite_ops;
	rc = sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = fail(s, rc, "cannot open");
		goto err_close;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, STORE_SQLITE_BUSY_MS);
	ret = set_journal(s);
	if (ret)
		goto err_close;
	ret = check_schema(s);
	if (ret)
		goto err_close;
	for (i = 0; i < STMT_COUNT; i++) {
		rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					&s->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			ret = fail(s, rc, "cannot prepare statements");
			goto err_close;
		}
	}
	*out = &s->base;
	return 0;

err_close:
	snprintf(err, errlen, "%s: %s", target, s->error);
	sqlite_close(&s->base);
	return ret;
}

/* Fills @rec from the current row; false if the row cannot be a binding. */
static bool row_record(sqlite3_stmt *stmt, struct location_record *rec)
{
	const char *received;
	int64_t q, transport, cseq, reg_id;
	int i;

	for (i = 0; i < 11; i++)
		if (i != 7 && sqlite3_column_type(stmt, i) == SQLITE_NULL)
			return false;
	memset(rec, 0, sizeof(*rec));
	rec->aor = sip_str_make((const char *)sqlite3_column_text(stmt, 0),
				(size_t)sqlite3_column_bytes(stmt, 0));
	rec->contact = sip_str_make((const char *)sqlite3_column_text(stmt, 1),
				    (size_t)sqlite3_column_bytes(stmt, 1));
	rec->call_id = sip_str_make((const char *)sqlite3_column_text(stmt, 2),
				    (size_t)sqlite3_column_bytes(stmt, 2));
	cseq = sqlite3_column_int64(stmt, 3);
	rec->expires = sqlite3_column_int64(stmt, 4);
	q = sqlite3_column_int64(stmt, 5);
	rec->path = sip_str_make((const char *)sqlite3_column_text(stmt, 6),
				 (size_t)sqlite3_column_bytes(stmt, 6));
	if (sqlite3_column_type(stmt, 7) != SQLITE_NULL)
		rec->instance = sip_str_make((const char *)sqlite3_column_text(stmt, 7),
					     (size_t)sqlite3_column_bytes(stmt, 7));
	reg_id = sqlite3_column_int64(stmt, 8);
	received = (const char *)sqlite3_column_text(stmt, 9);
	transport = sqlite3_column_int64(stmt, 10);

	if (!rec->aor.s || !rec->contact.s || !rec->call_id.s || !rec->path.s ||
	    cseq < 0 || cseq > UINT32_MAX || reg_id < 0 || reg_id > UINT32_MAX ||
	    q < 0 || q > 1000 || transport < 0 || transport > LOCATION_TRANSPORT_MAX)
		return false;
	rec->cseq = (uint32_t)cseq;
	rec->reg_id = (uint32_t)reg_id;
	rec->q = (uint16_t)q;
	rec->transport = (enum location_transport)transport;
	/* The source address is a NAT hint: an unreadable one is just unknown. */
	if (!received || !*received || endpoint_parse(&rec->received, received))
		memset(&rec->received, 0, sizeof(rec->received));
	return true;
}

/*
 * Deletes expired rows, then hands every other one to @add. Rows that
 * cannot be bindings (a hand-edited file) are skipped.
 */
static int sqlite_load(struct location_store *st, int64_t now, location_store_add_fn add,
		       void *arg)
{
	struct store_sqlite *s = to_sqlite(st);
	sqlite3_stmt *stmt = s->stmt[STMT_SELECT];
	struct location_record rec;
	int rc, err;

	sqlite3_bind_int64(s->stmt[STMT_DELETE_EXPIRED], 1, now);
	err = run(s, STMT_DELETE_EXPIRED, "cannot drop expired bindings");
	if (err)
		return err;
	sqlite3_bind_int64(stmt, 1, now);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!row_record(stmt, &rec))
			continue;
		err = add(arg, &rec);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = fail(s, rc, "cannot read bindings");
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return err;
}

static int sqlite_begin(struct location_store *st)
{
	return run(to_sqlite(st), STMT_BEGIN, "cannot begin");
}

static int sqlite_commit(struct location_store *st)
{
	return run(to_sqlite(st), STMT_COMMIT, "cannot commit");
}

/* Also after a failed COMMIT, which may leave the transaction open. */
static void sqlite_rollback(struct location_store *st)
{
	struct store_sqlite *s = to_sqlite(st);

	if (!sqlite3_get_autocommit(s->db))
		run(s, STMT_ROLLBACK, "cannot roll back");
}

static int sqlite_upsert(struct location_store *st, const struct location_record *rec)
{
	struct store_sqlite *s = to_sqlite(st);
	sqlite3_stmt *stmt = s->stmt[STMT_UPSERT];
	char received[ENDPOINT_STRLEN] = "";

	if (rec->received.family != AF_UNSPEC)
		endpoint_format(&rec->received, received);
	bind_str(stmt, 1, rec->aor);
	bind_str(stmt, 2, rec->contact);
	bind_str(stmt, 3, rec->call_id);
	sqlite3_bind_int64(stmt, 4, rec->cseq);
	sqlite3_bind_int64(stmt, 5, rec->expires);
	sqlite3_bind_int(stmt, 6, rec->q);
	bind_str(stmt, 7, rec->path.s ? rec->path : SIP_STR(""));
	bind_str(stmt, 8, rec->instance);
	sqlite3_bind_int64(stmt, 9, rec->reg_id);
	sqlite3_bind_text(stmt, 10, received, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 11, rec->transport);
	return run(s, STMT_UPSERT, "cannot store a binding");
}

static int sqlite_remove(struct location_store *st, struct sip_str aor, struct sip_str contact)
{
	struct store_sqlite *s = to_sqlite(st);

	bind_str(s->stmt[STMT_DELETE], 1, aor);
	bind_str(s->stmt[STMT_DELETE], 2, contact);
	return run(s, STMT_DELETE, "cannot delete a binding");
}

static int sqlite_remove_aor(struct location_store *st, struct sip_str aor)
{
	struct store_sqlite *s = to_sqlite(st);

	bind_str(s->stmt[STMT_DELETE_AOR], 1, aor);
	return run(s, STMT_DELETE_AOR, "cannot delete bindings");
}

const char *store_sqlite_error(const struct location_store *st)
{
	return ((const struct store_sqlite *)st)->error;
}

const struct location_store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sqlite_open,
	.load = sqlite_load,
	.begin = sqlite_begin,
	.upsert = sqlite_upsert,
	.remove = sqlite_remove,
	.remove_aor = sqlite_remove_aor,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.close = sqlite_close,
};
