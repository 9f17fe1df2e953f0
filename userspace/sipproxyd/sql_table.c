// SPDX-License-Identifier: GPL-2.0
/*
 * A table's own connection to the daemon's SQLite file: WAL journal as the
 * registrar sets it, and a busy timeout so the other connections' writes
 * delay it instead of failing it.
 */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "sql_table.h"

#define BUSY_MS 2000

int sql_table_fail(const struct sql_table *t, const char *what)
{
	log_error("%s: %s: %s", t->name, what, sqlite3_errmsg(t->db));
	return -EIO;
}

/**
 * sql_table_open() - open @path, create the table, prepare the statements
 * @t: filled in; sql_table_close() it even when this fails
 * @name: the table's name for log lines
 * @schema: CREATE TABLE IF NOT EXISTS ...
 * @sql: @nstmt statements (at most SQL_TABLE_MAX_STMTS), prepared into t->stmt
 *
 * Return: 0 or -EIO (logged).
 */
int sql_table_open(struct sql_table *t, const char *name, const char *path,
		   const char *schema, const char *const *sql, int nstmt)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->name = name;
	if (nstmt > SQL_TABLE_MAX_STMTS)
		return -EINVAL;
	if (sqlite3_open_v2(path, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		return sql_table_fail(t, path);
	sqlite3_busy_timeout(t->db, BUSY_MS);
	if (sqlite3_exec(t->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return sql_table_fail(t, "create table");
	for (i = 0; i < nstmt; i++) {
		if (sqlite3_prepare_v2(t->db, sql[i], -1, &t->stmt[i], NULL) != SQLITE_OK)
			return sql_table_fail(t, sql[i]);
		t->nstmt = i + 1;
	}
	return 0;
}

void sql_table_close(struct sql_table *t)
{
	int i;

	for (i = 0; i < t->nstmt; i++)
		sqlite3_finalize(t->stmt[i]);
	sqlite3_close(t->db);
	t->nstmt = 0;
	t->db = NULL;
}

/* Steps a statement that returns no rows, then readies it for reuse. */
int sql_table_step_done(const struct sql_table *t, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : sql_table_fail(t, what);
}
