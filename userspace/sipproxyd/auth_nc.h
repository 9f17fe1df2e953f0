/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_AUTH_NC_H
#define SIPPROXY_AUTH_NC_H

#include <stddef.h>
#include <stdint.h>

/*
 * The highest nonce-count seen per nonce, for replay protection. Nonces
 * carry consecutive serial numbers (auth_nonce.h), so the table is
 * direct-mapped by serial: a fixed array, no allocation per nonce, and a
 * nonce whose slot a newer one took is "forgotten" (answered with a fresh
 * nonce, stale=true), never accepted blindly.
 */
struct auth_nc_slot {
	uint64_t seq;	/* 0: empty; serials start at 1 */
	uint32_t nc;
};

struct auth_nc {
	struct auth_nc_slot *slots;
	size_t mask;
};

enum auth_nc_verdict {
	AUTH_NC_FRESH = 1,	/* nc is higher than any seen for this nonce */
	AUTH_NC_REPLAY,		/* nc is not higher: a replay or a client bug */
	AUTH_NC_FORGOTTEN,	/* the nonce's slot was reused: cannot tell */
};

/* Slots of the default table: 4096 * 16 bytes = 64 KiB. */
#define AUTH_NC_DEFAULT_SLOTS 4096

int auth_nc_init(struct auth_nc *t, size_t slots);
void auth_nc_destroy(struct auth_nc *t);
enum auth_nc_verdict auth_nc_check(const struct auth_nc *t, uint64_t seq, uint32_t nc);
void auth_nc_commit(struct auth_nc *t, uint64_t seq, uint32_t nc);

#endif
