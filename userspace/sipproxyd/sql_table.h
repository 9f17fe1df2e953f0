/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table of the daemon's SQLite file with its own connection and
 * statements prepared once: the scaffolding media_store.c and
 * dialog_store.c share.
 */
#ifndef SIPPROXYD_SQL_TABLE_H
#define SIPPROXYD_SQL_TABLE_H

#include <sqlite3.h>

#define SQL_TABLE_MAX_STMTS 8

struct sql_table {
	const char *name;	/* for log lines */
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_TABLE_MAX_STMTS];
	int nstmt;
};

int sql_table_open(struct sql_table *t, const char *name, const char *path,
		   const char *schema, const char *const *sql, int nstmt);
void sql_table_close(struct sql_table *t);
int sql_table_fail(const struct sql_table *t, const char *what);
int sql_table_step_done(const struct sql_table *t, sqlite3_stmt *s, const char *what);

#endif
