// SPDX-License-Identifier: GPL-2.0
/*
 * Table media_store in the daemon's SQLite file, next to the registrar's
 * tables (its own connection, WAL journal as the registrar sets it, a
 * busy timeout for the other connection's writes). Statements are
 * prepared once.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "lib/log.h"
#include "media_store.h"

#define BUSY_MS 2000

enum stmt {
	STMT_PUT,
	STMT_DEL_BRANCH,
	STMT_DEL_CALL,
	STMT_LOAD,
	STMT_CLEAR,
	STMT_COUNT,
};

static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_PUT] = "INSERT OR REPLACE INTO media_store (handle, branch, call_id, state) "
		     "VALUES (?1, ?2, ?3, ?4)",
	[STMT_DEL_BRANCH] = "DELETE FROM media_store WHERE handle = ?1 AND branch = ?2",
	[STMT_DEL_CALL] = "DELETE FROM media_store WHERE handle = ?1",
	[STMT_LOAD] = "SELECT handle, branch, call_id, state FROM media_store",
	[STMT_CLEAR] = "DELETE FROM media_store",
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS media_store ("
	" handle INTEGER NOT NULL,"	/* the call's u64 handle, as s64 */
	" branch INTEGER NOT NULL,"
	" call_id TEXT NOT NULL,"
	" state BLOB NOT NULL,"
	" PRIMARY KEY (handle, branch)) WITHOUT ROWID";

struct media_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT_COUNT];
};

static int fail(struct media_store *st, const char *what)
{
	log_error("media: media_store: %s: %s", what, sqlite3_errmsg(st->db));
	return -EIO;
}

/**
 * media_store_open() - open (creating if needed) the table in @path
 * @out: set on success
 * @path: the SQLite file
 *
 * Return: 0 or -EIO (logged), -ENOMEM.
 */
int media_store_open(struct media_store **out, const char *path)
{
	struct media_store *st = calloc(1, sizeof(*st));
	int i, ret = -EIO;

	if (!st)
		return -ENOMEM;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(st, path);
		goto err_close;
	}
	sqlite3_busy_timeout(st->db, BUSY_MS);
	if (sqlite3_exec(st->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		fail(st, "create table");
		goto err_close;
	}
	for (i = 0; i < STMT_COUNT; i++) {
		if (sqlite3_prepare_v2(st->db, stmt_sql[i], -1, &st->stmt[i], NULL) != SQLITE_OK) {
			fail(st, stmt_sql[i]);
			goto err_close;
		}
	}
	*out = st;
	return 0;

err_close:
	media_store_close(st);
	return ret;
}

void media_store_close(struct media_store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

static int step_done(struct media_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : fail(st, what);
}

/* Stores (replaces) one branch's state. */
int media_store_put(struct media_store *st, uint64_t handle, uint32_t branch,
		    const char *call_id, const void *blob, size_t len)
{
	sqlite3_stmt *s = st->stmt[STMT_PUT];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	sqlite3_bind_int64(s, 2, branch);
	sqlite3_bind_text(s, 3, call_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, blob, (int)len, SQLITE_STATIC);
	return step_done(st, s, "store");
}

/* Removes one branch, or with @branch NULL the whole call. */
int media_store_del(struct media_store *st, uint64_t handle, const uint32_t *branch)
{
	sqlite3_stmt *s = st->stmt[branch ? STMT_DEL_BRANCH : STMT_DEL_CALL];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	if (branch)
		sqlite3_bind_int64(s, 2, *branch);
	return step_done(st, s, "delete");
}

/* Calls @fn for every row; a nonzero return stops and is returned. */
int media_store_load(struct media_store *st, media_store_row_fn *fn, void *data)
{
	sqlite3_stmt *s = st->stmt[STMT_LOAD];
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = fn(data, (uint64_t)sqlite3_column_int64(s, 0),
			 (uint32_t)sqlite3_column_int64(s, 1),
			 (const char *)sqlite3_column_text(s, 2),
			 sqlite3_column_blob(s, 3), (size_t)sqlite3_column_bytes(s, 3));
	if (!ret && rc != SQLITE_DONE)
		ret = fail(st, "load");
	sqlite3_reset(s);
	return ret;
}

int media_store_clear(struct media_store *st)
{
	return step_done(st, st->stmt[STMT_CLEAR], "clear");
}
