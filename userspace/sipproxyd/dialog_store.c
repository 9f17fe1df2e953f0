// SPDX-License-Identifier: GPL-2.0
/*
 * Table dialog_state next to the registrar's and media_store (its own
 * connection and busy timeout, as media_store.c). One row per call, from
 * the initial INVITE on: an early one keeps its caller's side and the
 * callee tags its ringing branches answered with, so a 2xx that reaches a
 * restarted daemon still confirms the call (proxy_calls_stray_2xx()).
 * The table of the version before, dialog_store (confirmed dialogs only),
 * is dropped: its calls' flows are then removed as orphans.
 *
 * Table dialog_branch: per ringing call, each copy of its INVITE that had
 * a provisional response (a slot of the proxy context, so a failover
 * replaces its row): our Via branch, where it went, and the INVITE's stub
 * (txn_build_stub()), so a restarted daemon can CANCEL that copy as the
 * original transaction would and ACK its final (proxy_resume.c). Read
 * only then, never held in memory. Stores of the version before simply
 * lack the table: their ringing calls have no branch rows.
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
	STMT_BRANCH_PUT,
	STMT_BRANCH_DEL,
	STMT_BRANCH_DEL_CALL,
	STMT_BRANCH_LOAD,
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
	[STMT_BRANCH_PUT] = "INSERT OR REPLACE INTO dialog_branch VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_BRANCH_DEL] = "DELETE FROM dialog_branch WHERE handle = ?1 AND slot = ?2",
	[STMT_BRANCH_DEL_CALL] = "DELETE FROM dialog_branch WHERE handle = ?1",
	[STMT_BRANCH_LOAD] = ("SELECT id, proto, peer, stub FROM dialog_branch WHERE handle = ?1 "
			      "ORDER BY slot"),
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
	" early BLOB);"	/* struct dialog_early[nearly], plain values */
	"CREATE TABLE IF NOT EXISTS dialog_branch ("
	" handle INTEGER NOT NULL, slot INTEGER NOT NULL,"
	" id TEXT NOT NULL, proto TEXT NOT NULL, peer TEXT NOT NULL, stub TEXT NOT NULL,"
	" PRIMARY KEY (handle, slot))";

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

/* A call's row and its branches' rows. */
int dialog_store_del(struct dialog_store *st, uint64_t handle)
{
	sqlite3_stmt *s = st->t.stmt[STMT_DEL];
	int ret;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	ret = sql_table_step_done(&st->t, s, "delete");
	if (!ret)
		ret = dialog_store_branches_del(st, handle);
	return ret;
}

/* Stores (replaces) the branch in @slot of the ringing call @handle. */
int dialog_store_branch_put(struct dialog_store *st, uint64_t handle, uint32_t slot,
			    const struct dialog_branch *b)
{
	sqlite3_stmt *s = st->t.stmt[STMT_BRANCH_PUT];
	char peer[ENDPOINT_STRLEN];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	sqlite3_bind_int64(s, 2, slot);
	sqlite3_bind_text(s, 3, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, tp_proto_name(b->proto), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, endpoint_format(&b->peer, peer), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, b->stub, (int)b->stub_len, SQLITE_STATIC);
	return sql_table_step_done(&st->t, s, "store branch");
}

/* The branch in @slot ended (a final response): nothing to CANCEL there any more. */
int dialog_store_branch_del(struct dialog_store *st, uint64_t handle, uint32_t slot)
{
	sqlite3_stmt *s = st->t.stmt[STMT_BRANCH_DEL];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	sqlite3_bind_int64(s, 2, slot);
	return sql_table_step_done(&st->t, s, "delete branch");
}

/* Every branch of @handle: it was answered, or it ended. */
int dialog_store_branches_del(struct dialog_store *st, uint64_t handle)
{
	sqlite3_stmt *s = st->t.stmt[STMT_BRANCH_DEL_CALL];

	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	return sql_table_step_done(&st->t, s, "delete branches");
}

/* One stored branch row into @b; false when it does not fit (it is skipped). */
static bool branch_row(sqlite3_stmt *s, struct dialog_branch *b)
{
	const char *id = (const char *)sqlite3_column_text(s, 0);
	const char *proto = (const char *)sqlite3_column_text(s, 1);
	const char *peer = (const char *)sqlite3_column_text(s, 2);
	const char *stub = (const char *)sqlite3_column_text(s, 3);
	size_t len = (size_t)sqlite3_column_bytes(s, 3);

	if (!id || !proto || !peer || !stub || !len || len > TXN_BUILD_MAX ||
	    strlen(id) >= sizeof(b->id) ||
	    !tp_proto_parse(sip_str_make(proto, strlen(proto)), &b->proto) ||
	    endpoint_parse(&b->peer, peer) || !b->peer.port)
		return false;
	b->stub = malloc(len);
	if (!b->stub)
		return false;
	memcpy(b->stub, stub, len);
	b->stub_len = len;
	strcpy(b->id, id);
	return true;
}

/**
 * dialog_store_branches() - the stored branches of the ringing call @handle
 * @out: up to @max branches, in slot order; each stub is the caller's to
 *       free (dialog_branches_free())
 * @n: how many were filled; unusable rows are skipped
 *
 * Return: 0, or -EIO (logged).
 */
int dialog_store_branches(struct dialog_store *st, uint64_t handle, struct dialog_branch *out,
			  size_t max, size_t *n)
{
	sqlite3_stmt *s = st->t.stmt[STMT_BRANCH_LOAD];
	int rc = SQLITE_DONE, ret = 0;

	*n = 0;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)handle);
	while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (branch_row(s, &out[*n]))
			(*n)++;
		else
			log_warn("dialog_store: call %llx: unusable branch row, skipped",
				 (unsigned long long)handle);
	}
	if (*n < max && rc != SQLITE_DONE)
		ret = sql_table_fail(&st->t, "load branches");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (ret)
		dialog_branches_free(out, n);
	return ret;
}

void dialog_branches_free(struct dialog_branch *b, size_t *n)
{
	while (*n)
		free(b[--*n].stub);
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
