/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls, early and confirmed, in the daemon's SQLite database (the
 * [registrar] database file), table dialog_state: what a restarted
 * sipproxyd needs to adopt the call's kernel flows (the handle,
 * media_restart_adopt()'s cookie), to confirm a call that was ringing
 * (the callee tags of its early branches) and to end the call itself later
 * (each side's view, dialog.h).
 */
#ifndef SIPPROXYD_DIALOG_STORE_H
#define SIPPROXYD_DIALOG_STORE_H

#include "dialog.h"

struct dialog_store;

int dialog_store_open(struct dialog_store **out, const char *path);
void dialog_store_close(struct dialog_store *st);
int dialog_store_put(struct dialog_store *st, const struct dialog *d);
int dialog_store_del(struct dialog_store *st, uint64_t handle);
int dialog_store_load(struct dialog_store *st, struct dialogs *tab);

#endif
