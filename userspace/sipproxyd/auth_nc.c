// SPDX-License-Identifier: GPL-2.0
/*
 * Nonce-count replay table. A slot only ever moves to a higher serial, so
 * when the slot of nonce s holds a serial below s, s was never used; when
 * it holds one above s, s's count was overwritten and is unknown.
 */
#include <errno.h>
#include <stdlib.h>

#include "auth_nc.h"

/* @slots must be a power of two. */
int auth_nc_init(struct auth_nc *t, size_t slots)
{
	if (slots == 0 || (slots & (slots - 1)))
		return -EINVAL;
	t->slots = calloc(slots, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = slots - 1;
	return 0;
}

void auth_nc_destroy(struct auth_nc *t)
{
	free(t->slots);
	t->slots = NULL;
}

enum auth_nc_verdict auth_nc_check(const struct auth_nc *t, uint64_t seq, uint32_t nc)
{
	const struct auth_nc_slot *slot = &t->slots[seq & t->mask];

	if (slot->seq > seq)
		return AUTH_NC_FORGOTTEN;
	if (slot->seq == seq && nc <= slot->nc)
		return AUTH_NC_REPLAY;
	return AUTH_NC_FRESH;
}

/* Only after the response verified: forged attempts must not burn counts. */
void auth_nc_commit(struct auth_nc *t, uint64_t seq, uint32_t nc)
{
	struct auth_nc_slot *slot = &t->slots[seq & t->mask];

	if (slot->seq > seq)
		return;
	slot->seq = seq;
	slot->nc = nc;
}
