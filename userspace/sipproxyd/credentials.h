/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CREDENTIALS_H
#define SIPPROXY_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "sip_str.h"

/*
 * The digest credentials of sipproxyd, from the file credentials(5)
 * describes. A table is immutable once parsed: a reload parses a new one
 * and the caller swaps pointers on success, so a bad file never replaces a
 * good table. Only H(A1) values are kept; plain passwords are hashed at
 * load and the text they came in is wiped.
 */
#define CREDENTIALS_MAX_LINE 1024	/* bytes, not counting the newline */
#define CREDENTIALS_MAX_USERS 100000	/* distinct user@realm entries */
#define CREDENTIALS_MAX_USER 128	/* bytes of a username */
#define CREDENTIALS_MAX_REALM 128	/* bytes of a realm */

struct credentials;

struct credential {
	const char *user;
	const char *realm;
	unsigned int algorithms;	/* DIGEST_MD5 and/or DIGEST_SHA256 */
	uint8_t ha1_md5[DIGEST_MD5_LEN];
	uint8_t ha1_sha256[DIGEST_SHA256_LEN];
};

int credentials_parse(const char *text, size_t len, const char *name,
		      struct credentials **out, char *err, size_t errlen);
int credentials_load(const char *path, struct credentials **out, char *err, size_t errlen);
void credentials_free(struct credentials *creds);
size_t credentials_count(const struct credentials *creds);
const struct credential *credentials_find(const struct credentials *creds,
					  struct sip_str user, struct sip_str realm);
bool credential_ha1(const struct credential *cred, enum digest_algorithm algorithm,
		    uint8_t ha1[DIGEST_MAX_LEN]);

#endif
