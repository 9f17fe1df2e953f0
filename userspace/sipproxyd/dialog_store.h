/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls, early and confirmed, in the daemon's SQLite database (the
 * [registrar] database file), table dialog_state: what a restarted
 * sipproxyd needs to adopt the call's kernel flows (the handle,
 * media_restart_adopt()'s cookie), to confirm a call that was ringing
 * (the callee tags of its early branches) and to end the call itself later
 * (each side's view, dialog.h); and, table dialog_branch, the copies of a
 * ringing call's INVITE, to CANCEL them after a restart (proxy_resume.c).
 */
#ifndef SIPPROXYD_DIALOG_STORE_H
#define SIPPROXYD_DIALOG_STORE_H

#include "dialog.h"
#include "lib/endpoint.h"
#include "transport.h"
#include "txn.h"
#include "txn_build.h"

/* A copy of a ringing call's INVITE: what a CANCEL and an ACK of it need. */
struct dialog_branch {
	char id[TXN_BRANCH_MAX];	/* the branch of our Via on it */
	enum tp_proto proto;
	struct endpoint peer;		/* where it was sent */
	char *stub;			/* txn_build_stub() of it; not NUL-terminated */
	size_t stub_len;
};

struct dialog_store;

int dialog_store_open(struct dialog_store **out, const char *path);
void dialog_store_close(struct dialog_store *st);
int dialog_store_put(struct dialog_store *st, const struct dialog *d);
int dialog_store_del(struct dialog_store *st, uint64_t handle);
int dialog_store_load(struct dialog_store *st, struct dialogs *tab);
int dialog_store_branch_put(struct dialog_store *st, uint64_t handle, uint32_t slot,
			    const struct dialog_branch *b);
int dialog_store_branch_del(struct dialog_store *st, uint64_t handle, uint32_t slot);
int dialog_store_branches_del(struct dialog_store *st, uint64_t handle);
int dialog_store_branches(struct dialog_store *st, uint64_t handle, struct dialog_branch *out,
			  size_t max, size_t *n);
void dialog_branches_free(struct dialog_branch *b, size_t *n);

#endif
