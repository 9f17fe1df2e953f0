// SPDX-License-Identifier: GPL-2.0
/*
 * Table dialog_store next to the registrar's and media_store (its own
 * connection and busy timeout, as media_store.c). One row per confirmed
 * dialog; early dialogs are not stored: a restart while a call rings
 * loses that call, and its flows are removed as orphans.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dialog_store.h"
#include "lib/log.h"
#include "sql_table.h"

enum stmt {
	STMT_PUT,
	STMT_DEL,
	STMT_LOAD,
	STMT_COUNT,
};

/* Columns after handle: call_id, the two tags, winner, then per side addr, target, route, cseq. */
static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_PUT] = "INSERT OR REPLACE INTO dialog_store VALUES "
		     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[STMT_DEL] = "DELETE FROM dialog_store WHERE handle = ?1",
	[STMT_LOAD] = "SELECT * FROM dialog_store",
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS dialog_store ("
	" handle INTEGER PRIMARY KEY,"	/* u64 as s64 */
	" call_id TEXT NOT NULL, caller_tag TEXT NOT NULL, callee_tag TEXT NOT NULL,"
	" winner INTEGER NOT NULL,"
	" caller_addr TEXT, caller_target TEXT, caller_route TEXT, caller_cseq INTEGER,"
	" callee_addr TEXT, callee_target TEXT, callee_route TEXT, callee_cseq INTEGER)";

struct dialog_store {
	struct sql_table t;
};

/**
 * dialog_store_open() - open (creating if needed) the table in @path
 *
 * Return: 0, -EIO (logged) or -ENOMEM.
 */
int dialog_store_open(struct dialog_store **out, const char *path)
{
	struct dialog_store *st = calloc(1, sizeof(*st));
	int ret;

	if (!st)
		return -ENOMEM;
	ret = sql_table_open(&st->t, "dialog_store", path, schema_sql, stmt_sql, STMT_COUNT);
	if (ret) {
		dialog_store_close(st);
		return ret;
	}
	*out = st;
	return 0;
}

void dialog_store_close(struct dialog_store *st)
{
	if (!st)
		return;
	sql_table_close(&st->t);
	free(st);
}

/* Stores (replaces) a confirmed dialog. */
int dialog_store_put(struct dialog_store *st, const struct dialog *d)
{
	sqlite3_stmt *s = st->t.stmt[STMT_PUT];
	int side, col;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)d->handle);
	sqlite3_bind_text(s, 2, d->call_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, d->caller_tag, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, d->callee_tag, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, d->winner);
	for (side = DIALOG_CALLER; side <= DIALOG_CALLEE; side++) {
		col = 6 + side * 4;
		sqlite3_bind_text(s, col, d->peer[side].addr, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, col + 1, d->peer[side].target, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, col + 2, d->peer[side].route, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, col + 3, d->peer[side].cseq);
	}
	return sql_table_step_done(&st->t, s, "store");
}

int dialog_store_del(struct dialog_store *st, uint64_t handle)
{
	sqlite3_stmt *s = st->t.stmt[STMT_DEL];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	return sql_table_step_done(&st->t, s, "delete");
}

static struct sip_str column(sqlite3_stmt *s, int col)
{
	const char *text = (const char *)sqlite3_column_text(s, col);

	return text ? sip_str_make(text, strlen(text)) : SIP_STR_NONE;
}

/* One row into @tab; a row that does not fit the table's rules is skipped. */
static int load_row(struct dialog_store *st, sqlite3_stmt *s, struct dialogs *tab)
{
	uint64_t handle = (uint64_t)sqlite3_column_int64(s, 0);
	struct dialog *d;
	int side, col, ret;

	ret = dialog_add(tab, handle, column(s, 1), column(s, 2), &d);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		goto bad;
	d->state = DIALOG_CONFIRMED;
	d->winner = (uint32_t)sqlite3_column_int64(s, 4);
	d->next_branch = d->winner + 1;
	if (!dialog_tag_set(d->callee_tag, column(s, 3)))
		goto bad_del;
	for (side = DIALOG_CALLER; side <= DIALOG_CALLEE; side++) {
		col = 5 + side * 4;
		if (dialog_set_str(&d->peer[side].addr, column(s, col)) ||
		    dialog_set_str(&d->peer[side].target, column(s, col + 1)) ||
		    dialog_set_str(&d->peer[side].route, column(s, col + 2)) ||
		    !d->peer[side].addr || !d->peer[side].target)
			goto bad_del;
		d->peer[side].cseq = (uint32_t)sqlite3_column_int64(s, col + 3);
	}
	return 0;

bad_del:
	dialog_del(tab, d);
bad:
	log_warn("dialog_store: call %llx: unusable row, dropped", (unsigned long long)handle);
	dialog_store_del(st, handle);
	return 0;
}

/**
 * dialog_store_load() - every stored dialog into @tab, confirmed, without media
 *
 * Return: 0, -EIO (logged) or -ENOMEM.
 */
int dialog_store_load(struct dialog_store *st, struct dialogs *tab)
{
	sqlite3_stmt *s = st->t.stmt[STMT_LOAD];
	int rc, ret = 0;

	while (!ret && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = load_row(st, s, tab);
	if (!ret && rc != SQLITE_DONE)
		ret = sql_table_fail(&st->t, "load");
	sqlite3_reset(s);
	return ret;
}
