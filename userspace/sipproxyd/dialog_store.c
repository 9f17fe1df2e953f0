// SPDX-License-Identifier: GPL-2.0
/*
 * Table dialog_state next to the registrar's and media_store (its own
 * connection and busy timeout, as media_store.c). One row per call, from
 * the initial INVITE on: an early one keeps its caller's side and the
 * callee tags its ringing branches answered with, so a 2xx that reaches a
 * restarted daemon still confirms the call (proxy_calls_stray_2xx()).
 * The table of the version before, dialog_store (confirmed dialogs only),
 * is dropped: its calls' flows are then removed as orphans.
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

/*
 * Columns after handle: call_id, the two tags, winner, then per side addr,
 * target, route, cseq; then state, next_branch and the early branches.
 */
static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_PUT] = ("INSERT OR REPLACE INTO dialog_state VALUES "
		      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
	[STMT_DEL] = "DELETE FROM dialog_state WHERE handle = ?1",
	[STMT_LOAD] = "SELECT * FROM dialog_state",
};

static const char schema_sql[] =
	"DROP TABLE IF EXISTS dialog_store;"
	"CREATE TABLE IF NOT EXISTS dialog_state ("
	" handle INTEGER PRIMARY KEY,"	/* u64 as s64 */
	" call_id TEXT NOT NULL, caller_tag TEXT NOT NULL, callee_tag TEXT NOT NULL,"
	" winner INTEGER NOT NULL,"
	" caller_addr TEXT, caller_target TEXT, caller_route TEXT, caller_cseq INTEGER,"
	" callee_addr TEXT, callee_target TEXT, callee_route TEXT, callee_cseq INTEGER,"
	" state INTEGER NOT NULL, next_branch INTEGER NOT NULL,"
	" early BLOB)";	/* struct dialog_early[nearly], plain values */

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

/* Stores (replaces) a dialog, early or confirmed. */
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
	sqlite3_bind_int64(s, 14, d->state);
	sqlite3_bind_int64(s, 15, d->next_branch);
	if (d->nearly)
		sqlite3_bind_blob(s, 16, d->early, (int)(d->nearly * sizeof(d->early[0])),
				  SQLITE_STATIC);
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

/* The early branches' blob: whole entries, each tag NUL-terminated. */
static bool load_early(struct dialog *d, sqlite3_stmt *s, int col)
{
	const void *blob = sqlite3_column_blob(s, col);
	size_t len = (size_t)sqlite3_column_bytes(s, col), i;

	if (len % sizeof(d->early[0]) || len > sizeof(d->early))
		return false;
	if (len)
		memcpy(d->early, blob, len);
	d->nearly = len / sizeof(d->early[0]);
	for (i = 0; i < d->nearly; i++)
		if (!memchr(d->early[i].tag, '\0', sizeof(d->early[i].tag)))
			return false;
	return true;
}

/* One row into @tab; a row that does not fit the table's rules is skipped. */
static int load_row(struct dialog_store *st, sqlite3_stmt *s, struct dialogs *tab)
{
	uint64_t handle = (uint64_t)sqlite3_column_int64(s, 0);
	int64_t state = sqlite3_column_int64(s, 13);
	struct dialog *d;
	int side, col, ret;

	ret = dialog_add(tab, handle, column(s, 1), column(s, 2), &d);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		goto bad;
	if (state != DIALOG_EARLY && state != DIALOG_CONFIRMED)
		goto bad_del;
	d->state = (enum dialog_state)state;
	d->winner = (uint32_t)sqlite3_column_int64(s, 4);
	d->next_branch = (uint32_t)sqlite3_column_int64(s, 14);
	if ((d->state == DIALOG_CONFIRMED && !dialog_tag_set(d->callee_tag, column(s, 3))) ||
	    !load_early(d, s, 15))
		goto bad_del;
	for (side = DIALOG_CALLER; side <= DIALOG_CALLEE; side++) {
		col = 5 + side * 4;
		if (dialog_set_str(&d->peer[side].addr, column(s, col)) ||
		    dialog_set_str(&d->peer[side].target, column(s, col + 1)) ||
		    dialog_set_str(&d->peer[side].route, column(s, col + 2)))
			goto bad_del;
		/* The callee's side is known once a 2xx confirmed the call. */
		if ((side == DIALOG_CALLER || d->state == DIALOG_CONFIRMED) &&
		    (!d->peer[side].addr || !d->peer[side].target))
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
 * dialog_store_load() - every stored dialog into @tab, early or confirmed, without media
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
