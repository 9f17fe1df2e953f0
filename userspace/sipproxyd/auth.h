/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_AUTH_H
#define SIPPROXY_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth_nc.h"
#include "auth_nonce.h"
#include "credentials.h"
#include "digest.h"
#include "sip_str.h"

/*
 * Digest authentication of SIP requests (RFC 3261 section 22, RFC 7616,
 * RFC 8760) for one realm: challenges for WWW-Authenticate (registrar) or
 * Proxy-Authenticate (proxy), and verification of the answering
 * Authorization or Proxy-Authorization header.
 *
 * Time is whatever clock the caller passes as @now, in seconds; nothing
 * here reads a clock. One struct auth is not thread-safe.
 */

#define AUTH_MAX_REALM 128
/* One challenge header value, NUL included. */
#define AUTH_CHALLENGE_MAX 320
/* Challenges one call formats: one per offered algorithm. */
#define AUTH_MAX_CHALLENGES 4

struct auth_config {
	const char *realm;		/* printable ASCII, no '"' or '\\' */
	unsigned int algorithms;	/* enum digest_algorithm bits offered and accepted */
	unsigned int nonce_lifetime;	/* seconds a nonce stays fresh */
	size_t nc_slots;		/* nonce-count table size, a power of two */
	/*
	 * Accept MD5 responses without qop (RFC 2069, as RFC 3261 allows for
	 * old clients). Such a nonce is good for one request: without nc
	 * nothing else tells a replay from a retry.
	 */
	bool allow_rfc2069;
};

/*
 * Credentials of one Authorization or Proxy-Authorization header with the
 * scheme "Digest", as the SIP parser found them: values without their
 * quotes, absent ones with .s == NULL.
 */
struct auth_digest {
	struct sip_str username;
	struct sip_str realm;
	struct sip_str nonce;
	struct sip_str uri;
	struct sip_str response;
	struct sip_str algorithm;
	struct sip_str cnonce;
	struct sip_str opaque;
	struct sip_str qop;
	struct sip_str nc;
};

/* What auth_verify() found, and what the caller answers. */
enum auth_result {
	AUTH_OK = 1,		/* authenticated: go on */
	AUTH_STALE,		/* right password, old nonce: challenge with stale=true */
	AUTH_FAILED,		/* unknown user or wrong password, on purpose the same:
				 * challenge again and count a failure */
	AUTH_REPLAY,		/* nonce-count not above the last accepted one:
				 * challenge again and count a failure */
	AUTH_BAD_NONCE,		/* nonce or opaque we did not issue: challenge again */
	AUTH_UNSUPPORTED,	/* algorithm not offered, or no qop where RFC 2069 is
				 * off: challenge again */
	AUTH_WRONG_REALM,	/* meant for another realm: look at the next header */
	AUTH_URI_MISMATCH,	/* digest-uri is not the Request-URI: 400 */
	AUTH_MALFORMED,		/* a field missing or ill-formed: 400 */
	AUTH_ERROR,		/* could not compute (out of memory): 500 */
};

struct auth_challenges {
	unsigned int count;
	char value[AUTH_MAX_CHALLENGES][AUTH_CHALLENGE_MAX];
};

struct auth;

void auth_config_default(struct auth_config *cfg, const char *realm);
int auth_new(const struct auth_config *cfg, struct auth **out);
void auth_free(struct auth *auth);
int auth_challenge(struct auth *auth, bool stale, int64_t now, struct auth_challenges *out);
enum auth_result auth_verify(struct auth *auth, const struct credentials *creds,
			     const struct auth_digest *digest, struct sip_str method,
			     struct sip_str request_uri, int64_t now);
const char *auth_result_str(enum auth_result result);

#endif
