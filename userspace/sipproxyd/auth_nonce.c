// SPDX-License-Identifier: GPL-2.0
/*
 * Signed nonces and the opaque value of our challenges. The key is random
 * per struct auth: nonces do not outlive the process that issued them,
 * which is what lets the nonce-count table (auth_nc.c) start empty.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <string.h>

#include "auth_nonce.h"

#define STAMP_LEN 16	/* ts || seq */
#define MAC_LEN 32
#define RAW_LEN (STAMP_LEN + MAC_LEN)
#define OPAQUE_RAW_LEN 18

int auth_nonce_key_init(struct auth_nonce_key *key)
{
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *hmac;

	key->hmac = NULL;
	if (RAND_bytes(key->secret, sizeof(key->secret)) != 1)
		return -EIO;
	hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	if (!hmac)
		goto err_wipe;
	key->hmac = EVP_MAC_CTX_new(hmac);
	EVP_MAC_free(hmac);
	if (!key->hmac)
		goto err_wipe;
	if (!EVP_MAC_init(key->hmac, key->secret, sizeof(key->secret), params))
		goto err_ctx;
	return 0;

err_ctx:
	EVP_MAC_CTX_free(key->hmac);
	key->hmac = NULL;
err_wipe:
	OPENSSL_cleanse(key->secret, sizeof(key->secret));
	return -EIO;
}

void auth_nonce_key_wipe(struct auth_nonce_key *key)
{
	EVP_MAC_CTX_free(key->hmac);
	key->hmac = NULL;
	OPENSSL_cleanse(key->secret, sizeof(key->secret));
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* HMAC-SHA256(key, data || realm); a NULL key in EVP_MAC_init() restarts with the key set. */
static int mac(const struct auth_nonce_key *key, const void *data, size_t len,
	       const char *realm, uint8_t out[MAC_LEN])
{
	size_t rlen = strlen(realm), outlen;

	if (len > STAMP_LEN || rlen > 256)
		return -EINVAL;
	if (!EVP_MAC_init(key->hmac, NULL, 0, NULL) || !EVP_MAC_update(key->hmac, data, len) ||
	    !EVP_MAC_update(key->hmac, (const unsigned char *)realm, rlen) ||
	    !EVP_MAC_final(key->hmac, out, &outlen, MAC_LEN) || outlen != MAC_LEN)
		return -EIO;
	return 0;
}

/* @len a multiple of 3, so the encoding needs no padding. */
static void base64url_encode(const uint8_t *raw, size_t len, char *out)
{
	int n = EVP_EncodeBlock((unsigned char *)out, raw, (int)len);
	int i;

	for (i = 0; i < n; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
}

/* Exactly 4 * len / 3 characters of the base64url alphabet, nothing else. */
static bool base64url_decode(struct sip_str text, uint8_t *raw, size_t len)
{
	char std[AUTH_NONCE_LEN];
	uint8_t buf[RAW_LEN];
	size_t i;
	char c;

	if (!text.s || len > sizeof(buf) || text.len != len / 3 * 4)
		return false;
	for (i = 0; i < text.len; i++) {
		c = text.s[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			   (c >= '0' && c <= '9')))
			return false;
		std[i] = c;
	}
	if (EVP_DecodeBlock(buf, (const unsigned char *)std, (int)text.len) != (int)len)
		return false;
	memcpy(raw, buf, len);
	return true;
}

int auth_nonce_make(const struct auth_nonce_key *key, const char *realm, int64_t ts,
		    uint64_t seq, char nonce[AUTH_NONCE_LEN + 1])
{
	uint8_t raw[RAW_LEN];
	int err;

	put_be64(raw, (uint64_t)ts);
	put_be64(raw + 8, seq);
	err = mac(key, raw, STAMP_LEN, realm, raw + STAMP_LEN);
	if (err)
		return err;
	base64url_encode(raw, RAW_LEN, nonce);
	nonce[AUTH_NONCE_LEN] = '\0';
	return 0;
}

/*
 * True when @nonce is one this key issued for @realm; then its issue time
 * and serial are returned. Says nothing about age or reuse.
 */
bool auth_nonce_check(const struct auth_nonce_key *key, const char *realm,
		      struct sip_str nonce, int64_t *ts, uint64_t *seq)
{
	uint8_t raw[RAW_LEN], expect[MAC_LEN];

	if (!base64url_decode(nonce, raw, RAW_LEN))
		return false;
	if (mac(key, raw, STAMP_LEN, realm, expect))
		return false;
	if (CRYPTO_memcmp(expect, raw + STAMP_LEN, MAC_LEN))
		return false;
	*ts = (int64_t)get_be64(raw);
	*seq = get_be64(raw + 8);
	return true;
}

/* Constant per key and realm: it only has to come back unchanged. */
int auth_nonce_opaque(const struct auth_nonce_key *key, const char *realm,
		      char opaque[AUTH_OPAQUE_LEN + 1])
{
	uint8_t out[MAC_LEN];
	int err;

	err = mac(key, "opaque", 6, realm, out);
	if (err)
		return err;
	base64url_encode(out, OPAQUE_RAW_LEN, opaque);
	opaque[AUTH_OPAQUE_LEN] = '\0';
	return 0;
}
