// SPDX-License-Identifier: GPL-2.0
/*
 * Table media_store in the daemon's SQLite file, next to the registrar's
 * tables (its own connection, see sql_table.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "lib/log.h"
#include "media_store.h"
#include "sql_table.h"

enum stmt {
	STMT_PUT,
	STMT_DEL_BRANCH,
	STMT_DEL_CALL,
	STMT_LOAD,
	STMT_CLEAR,
	STMT_COUNT,
};

static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_PUT] = ("INSERT OR REPLACE INTO media_store (handle, branch, call_id, state) "
		      "VALUES (?1, ?2, ?3, ?4)"),
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
	struct sql_table t;
};

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
	int ret;

	if (!st)
		return -ENOMEM;
	ret = sql_table_open(&st->t, "media: media_store", path, schema_sql, stmt_sql, STMT_COUNT);
	if (ret) {
		media_store_close(st);
		return ret;
	}
	*out = st;
	return 0;
}

void media_store_close(struct media_store *st)
{
	if (!st)
		return;
	sql_table_close(&st->t);
	free(st);
}

/* Stores (replaces) one branch's state. */
int media_store_put(struct media_store *st, uint64_t handle, uint32_t branch,
		    const char *call_id, const void *blob, size_t len)
{
	sqlite3_stmt *s = st->t.stmt[STMT_PUT];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	sqlite3_bind_int64(s, 2, branch);
	sqlite3_bind_text(s, 3, call_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, blob, (int)len, SQLITE_STATIC);
	return sql_table_step_done(&st->t, s, "store");
}

/* Removes one branch, or with @branch NULL the whole call. */
int media_store_del(struct media_store *st, uint64_t handle, const uint32_t *branch)
{
	sqlite3_stmt *s = st->t.stmt[branch ? STMT_DEL_BRANCH : STMT_DEL_CALL];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	if (branch)
		sqlite3_bind_int64(s, 2, *branch);
	return sql_table_step_done(&st->t, s, "delete");
}

/* Calls @fn for every row; a nonzero return stops and is returned. */
int media_store_load(struct media_store *st, media_store_row_fn *fn, void *data)
{
	sqlite3_stmt *s = st->t.stmt[STMT_LOAD];
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = fn(data, (uint64_t)sqlite3_column_int64(s, 0),
			 (uint32_t)sqlite3_column_int64(s, 1),
			 (const char *)sqlite3_column_text(s, 2),
			 sqlite3_column_blob(s, 3), (size_t)sqlite3_column_bytes(s, 3));
	if (!ret && rc != SQLITE_DONE)
		ret = sql_table_fail(&st->t, "load");
	sqlite3_reset(s);
	return ret;
}

int media_store_clear(struct media_store *st)
{
	return sql_table_step_done(&st->t, st->t.stmt[STMT_CLEAR], "clear");
}
