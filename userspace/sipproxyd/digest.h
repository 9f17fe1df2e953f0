/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_DIGEST_H
#define SIPPROXY_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip_str.h"

/*
 * HTTP Digest arithmetic (RFC 7616 section 3.4, RFC 8760 for SIP): hashes
 * of colon-joined fields, H(A1), the session H(A1) and the response. No
 * state and no policy; auth.c decides what to accept.
 */

/* Bit values so a configuration can hold a set of algorithms. */
enum digest_algorithm {
	DIGEST_MD5 = 1 << 0,
	DIGEST_MD5_SESS = 1 << 1,
	DIGEST_SHA256 = 1 << 2,
	DIGEST_SHA256_SESS = 1 << 3,
};

#define DIGEST_ALGORITHMS_ALL \
	(DIGEST_MD5 | DIGEST_MD5_SESS | DIGEST_SHA256 | DIGEST_SHA256_SESS)

/* The longest hash (SHA-256) in bytes, and as lowercase hex plus NUL. */
#define DIGEST_MAX_LEN 32
#define DIGEST_MAX_HEX (2 * DIGEST_MAX_LEN + 1)
#define DIGEST_MD5_LEN 16
#define DIGEST_SHA256_LEN 32

/*
 * What a response is computed over. For qop=auth all fields are needed;
 * without qop (RFC 2069) cnonce, nc and qop are absent (.s == NULL), and
 * -sess algorithms still need cnonce.
 */
struct digest_input {
	enum digest_algorithm algorithm;
	struct sip_str nonce;
	struct sip_str cnonce;
	struct sip_str nc;
	struct sip_str qop;
	struct sip_str method;
	struct sip_str uri;
};

bool digest_algorithm_parse(struct sip_str name, enum digest_algorithm *algorithm);
const char *digest_algorithm_name(enum digest_algorithm algorithm);
size_t digest_len(enum digest_algorithm algorithm);
bool digest_is_sess(enum digest_algorithm algorithm);

int digest_hash(enum digest_algorithm algorithm, const struct sip_str *parts, size_t nparts,
		uint8_t out[DIGEST_MAX_LEN]);
int digest_ha1(enum digest_algorithm algorithm, struct sip_str user, struct sip_str realm,
	       struct sip_str password, uint8_t ha1[DIGEST_MAX_LEN]);
int digest_response(const struct digest_input *in, const uint8_t ha1[DIGEST_MAX_LEN],
		    uint8_t response[DIGEST_MAX_LEN]);

void digest_hex(const uint8_t *bytes, size_t len, char *hex);
bool digest_unhex(struct sip_str hex, uint8_t *bytes, size_t len);

#endif
