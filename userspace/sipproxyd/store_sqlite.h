/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_STORE_SQLITE_H
#define SIPPROXY_STORE_SQLITE_H

#include "location_store.h"

/*
 * The location store in an SQLite database file (Debian's libsqlite3):
 * WAL journal, prepared statements, a schema_version table, one
 * transaction per REGISTER. Open it with store_sqlite_ops.open(path, ...).
 */
#define STORE_SQLITE_SCHEMA_VERSION 1
/* How long a writer waits for another process holding the lock. */
#define STORE_SQLITE_BUSY_MS 2000

extern const struct location_store_ops store_sqlite_ops;

const char *store_sqlite_error(const struct location_store *st);

#endif
