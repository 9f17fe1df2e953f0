/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_AUTH_NONCE_H
#define SIPPROXY_AUTH_NONCE_H

#include <openssl/types.h>
#include <stdbool.h>
#include <stdint.h>

#include "sip_str.h"

/*
 * Self-validating nonces: base64url(ts || seq || HMAC-SHA256(key, ts || seq
 * || realm)), ts the issue time in seconds and seq a per-key serial number,
 * both 64-bit big-endian. 48 bytes encode to 64 characters without padding.
 * The server keeps no per-nonce state until a nonce is first used.
 */
#define AUTH_NONCE_LEN 64
/* base64url of 18 bytes of HMAC-SHA256(key, "opaque" || realm) */
#define AUTH_OPAQUE_LEN 24
#define AUTH_NONCE_KEY_LEN 32

struct auth_nonce_key {
	uint8_t secret[AUTH_NONCE_KEY_LEN];
	/* Keyed once: HMAC() fetched the algorithms and keyed them per nonce. */
	EVP_MAC_CTX *hmac;
};

int auth_nonce_key_init(struct auth_nonce_key *key);
void auth_nonce_key_wipe(struct auth_nonce_key *key);
int auth_nonce_make(const struct auth_nonce_key *key, const char *realm, int64_t ts,
		    uint64_t seq, char nonce[AUTH_NONCE_LEN + 1]);
bool auth_nonce_check(const struct auth_nonce_key *key, const char *realm,
		      struct sip_str nonce, int64_t *ts, uint64_t *seq);
int auth_nonce_opaque(const struct auth_nonce_key *key, const char *realm,
		      char opaque[AUTH_OPAQUE_LEN + 1]);

#endif
