// SPDX-License-Identifier: GPL-2.0
/*
 * Digest challenges and verification. The order of checks matters:
 * everything that does not depend on the password is checked first and
 * answered precisely; then the response is computed the same way for
 * known and unknown users, so neither the answer nor its cost tells an
 * attacker which user names exist; only a correct response learns about
 * staleness and nonce-count reuse.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

struct auth {
	char realm[AUTH_MAX_REALM + 1];
	unsigned int algorithms;
	unsigned int nonce_lifetime;
	bool allow_rfc2069;
	struct auth_nonce_key key;
	char opaque[AUTH_OPAQUE_LEN + 1];
	uint64_t next_seq;
	struct auth_nc nc;
	/* H(A1) used for unknown users, so they cost what known ones do. */
	uint8_t dummy_ha1[DIGEST_MAX_LEN];
};

/* Offered in this order: the strongest first (RFC 8760 section 2.4). */
static const enum digest_algorithm offer_order[] = {
	DIGEST_SHA256, DIGEST_SHA256_SESS, DIGEST_MD5, DIGEST_MD5_SESS,
};

void auth_config_default(struct auth_config *cfg, const char *realm)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->realm = realm;
	cfg->algorithms = DIGEST_SHA256 | DIGEST_MD5;
	cfg->nonce_lifetime = 300;
	cfg->nc_slots = AUTH_NC_DEFAULT_SLOTS;
}

/* A realm goes into a quoted-string unescaped: keep it plain. */
static bool realm_ok(const char *realm)
{
	size_t len = strlen(realm), i;

	if (!len || len > AUTH_MAX_REALM)
		return false;
	for (i = 0; i < len; i++)
		if (realm[i] < ' ' || realm[i] > '~' || realm[i] == '"' || realm[i] == '\\')
			return false;
	return true;
}

int auth_new(const struct auth_config *cfg, struct auth **out)
{
	struct auth *auth;
	int err;

	if (!cfg->realm || !realm_ok(cfg->realm) || !cfg->nonce_lifetime ||
	    !cfg->algorithms || (cfg->algorithms & ~DIGEST_ALGORITHMS_ALL))
		return -EINVAL;
	auth = calloc(1, sizeof(*auth));
	if (!auth)
		return -ENOMEM;
	strcpy(auth->realm, cfg->realm);
	auth->algorithms = cfg->algorithms;
	auth->nonce_lifetime = cfg->nonce_lifetime;
	auth->allow_rfc2069 = cfg->allow_rfc2069;
	auth->next_seq = 1;

	err = auth_nc_init(&auth->nc, cfg->nc_slots);
	if (err)
		goto err_free;
	err = auth_nonce_key_init(&auth->key);
	if (err)
		goto err_nc;
	err = auth_nonce_opaque(&auth->key, auth->realm, auth->opaque);
	if (err)
		goto err_key;
	if (RAND_bytes(auth->dummy_ha1, sizeof(auth->dummy_ha1)) != 1) {
		err = -EIO;
		goto err_key;
	}
	*out = auth;
	return 0;

err_key:
	auth_nonce_key_wipe(&auth->key);
err_nc:
	auth_nc_destroy(&auth->nc);
err_free:
	free(auth);
	return err;
}

void auth_free(struct auth *auth)
{
	if (!auth)
		return;
	auth_nc_destroy(&auth->nc);
	auth_nonce_key_wipe(&auth->key);
	OPENSSL_cleanse(auth, sizeof(*auth));
	free(auth);
}

/*
 * One header value per offered algorithm, strongest first, all with the
 * same new nonce, for WWW-Authenticate or Proxy-Authenticate.
 */
int auth_challenge(struct auth *auth, bool stale, int64_t now, struct auth_challenges *out)
{
	char nonce[AUTH_NONCE_LEN + 1];
	size_t i;
	int err, n;

	err = auth_nonce_make(&auth->key, auth->realm, now, auth->next_seq, nonce);
	if (err)
		return err;
	auth->next_seq++;
	out->count = 0;
	for (i = 0; i < sizeof(offer_order) / sizeof(offer_order[0]); i++) {
		if (!(auth->algorithms & offer_order[i]))
			continue;
		n = snprintf(out->value[out->count], AUTH_CHALLENGE_MAX,
			     "Digest realm=\"%s\", nonce=\"%s\", opaque=\"%s\", "
			     "algorithm=%s, qop=\"auth\"%s",
			     auth->realm, nonce, auth->opaque,
			     digest_algorithm_name(offer_order[i]), stale ? ", stale=true" : "");
		if (n < 0 || n >= AUTH_CHALLENGE_MAX)
			return -ENOSPC;
		out->count++;
	}
	return 0;
}

/* nc is exactly 8 hex digits (RFC 7616 section 3.4), and counts from 1. */
static bool parse_nc(struct sip_str text, uint32_t *nc)
{
	uint8_t bytes[4];

	if (!digest_unhex(text, bytes, sizeof(bytes)))
		return false;
	*nc = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 |
	      (uint32_t)bytes[2] << 8 | bytes[3];
	return *nc != 0;
}

/* The password-independent checks, in the order a client can fix them. */
static enum auth_result check_fields(const struct auth *auth, const struct auth_digest *d,
				     struct sip_str request_uri,
				     enum digest_algorithm *algorithm, uint32_t *nc)
{
	if (!d->username.s || !d->realm.s || !d->nonce.s || !d->uri.s || !d->response.s)
		return AUTH_MALFORMED;
	if (!sip_str_eq(d->realm, sip_str_make(auth->realm, strlen(auth->realm))))
		return AUTH_WRONG_REALM;
	*algorithm = DIGEST_MD5;
	if (d->algorithm.s && !digest_algorithm_parse(d->algorithm, algorithm))
		return AUTH_UNSUPPORTED;
	if (!(auth->algorithms & *algorithm))
		return AUTH_UNSUPPORTED;
	if (d->qop.s) {
		if (!sip_str_caseeq_cstr(d->qop, "auth"))
			return AUTH_UNSUPPORTED;
		if (!d->cnonce.s || !d->cnonce.len || !parse_nc(d->nc, nc))
			return AUTH_MALFORMED;
	} else {
		if (!auth->allow_rfc2069 || *algorithm != DIGEST_MD5)
			return AUTH_UNSUPPORTED;
		if (d->cnonce.s || d->nc.s)
			return AUTH_MALFORMED;
		/* One use per nonce, as if every request were nc=1. */
		*nc = 1;
	}
	/* Byte equality: we are the first hop, the URI is as the client sent it. */
	if (!sip_str_eq(d->uri, request_uri))
		return AUTH_URI_MISMATCH;
	if (d->opaque.s && !sip_str_eq(d->opaque, sip_str_make(auth->opaque, AUTH_OPAQUE_LEN)))
		return AUTH_BAD_NONCE;
	return AUTH_OK;
}

/* The response is right for this user, or for nobody if the user is unknown. */
static enum auth_result check_response(const struct auth *auth, const struct credentials *creds,
				       const struct auth_digest *d, struct sip_str method,
				       enum digest_algorithm algorithm)
{
	const struct digest_input in = {
		.algorithm = algorithm,
		.nonce = d->nonce,
		.cnonce = d->cnonce,
		.nc = d->nc,
		.qop = d->qop,
		.method = method,
		.uri = d->uri,
	};
	const struct credential *cred = credentials_find(creds, d->username, d->realm);
	uint8_t ha1[DIGEST_MAX_LEN], expect[DIGEST_MAX_LEN], got[DIGEST_MAX_LEN];
	size_t len = digest_len(algorithm);
	bool known, ok;

	known = cred && credential_ha1(cred, algorithm, ha1);
	if (!known)
		memcpy(ha1, auth->dummy_ha1, sizeof(ha1));
	if (digest_response(&in, ha1, expect)) {
		OPENSSL_cleanse(ha1, sizeof(ha1));
		return AUTH_ERROR;
	}
	OPENSSL_cleanse(ha1, sizeof(ha1));
	ok = digest_unhex(d->response, got, len);
	if (!ok)
		memset(got, 0, sizeof(got));
	ok = !CRYPTO_memcmp(expect, got, len) && ok && known;
	return ok ? AUTH_OK : AUTH_FAILED;
}

/*
 * Verifies @digest, the credentials in a request with @method and
 * @request_uri (the Request-URI exactly as received), against @creds.
 * On AUTH_OK the nonce-count is recorded.
 */
enum auth_result auth_verify(struct auth *auth, const struct credentials *creds,
			     const struct auth_digest *digest, struct sip_str method,
			     struct sip_str request_uri, int64_t now)
{
	enum digest_algorithm algorithm;
	enum auth_result result;
	enum auth_nc_verdict verdict;
	uint64_t seq;
	int64_t ts;
	uint32_t nc;

	result = check_fields(auth, digest, request_uri, &algorithm, &nc);
	if (result != AUTH_OK)
		return result;
	if (!auth_nonce_check(&auth->key, auth->realm, digest->nonce, &ts, &seq))
		return AUTH_BAD_NONCE;
	result = check_response(auth, creds, digest, method, algorithm);
	if (result != AUTH_OK)
		return result;
	if (now > ts && (uint64_t)(now - ts) > auth->nonce_lifetime)
		return AUTH_STALE;

	verdict = auth_nc_check(&auth->nc, seq, nc);
	if (verdict == AUTH_NC_FORGOTTEN)
		return AUTH_STALE;
	if (verdict == AUTH_NC_REPLAY)
		return digest->qop.s ? AUTH_REPLAY : AUTH_STALE;
	auth_nc_commit(&auth->nc, seq, nc);
	return AUTH_OK;
}

const char *auth_result_str(enum auth_result result)
{
	switch (result) {
	case AUTH_OK:
		return "authenticated";
	case AUTH_STALE:
		return "stale nonce";
	case AUTH_FAILED:
		return "wrong credentials";
	case AUTH_REPLAY:
		return "nonce-count replayed";
	case AUTH_BAD_NONCE:
		return "nonce or opaque not issued here";
	case AUTH_UNSUPPORTED:
		return "algorithm or qop not offered";
	case AUTH_WRONG_REALM:
		return "other realm";
	case AUTH_URI_MISMATCH:
		return "digest-uri differs from the Request-URI";
	case AUTH_MALFORMED:
		return "malformed credentials";
	case AUTH_ERROR:
		return "internal error";
	}
	return "?";
}
