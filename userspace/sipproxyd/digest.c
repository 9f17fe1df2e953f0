// SPDX-License-Identifier: GPL-2.0
/*
 * Digest arithmetic of RFC 7616 section 3.4:
 *
 *   H(A1)      = H(username ":" realm ":" password)
 *   -sess      : H(A1) = H(H(username ":" realm ":" password) ":" nonce ":" cnonce)
 *   H(A2)      = H(method ":" digest-uri)                 (qop=auth or none)
 *   response   = H(H(A1) ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2))   (qop=auth)
 *   response   = H(H(A1) ":" nonce ":" H(A2))                             (RFC 2069)
 *
 * where every H() fed into another H() is written as lowercase hex.
 */
#include <errno.h>
#include <openssl/evp.h>

#include "digest.h"

static const struct {
	enum digest_algorithm algorithm;
	const char *name;
} algorithm_names[] = {
	{ DIGEST_MD5, "MD5" },
	{ DIGEST_MD5_SESS, "MD5-sess" },
	{ DIGEST_SHA256, "SHA-256" },
	{ DIGEST_SHA256_SESS, "SHA-256-sess" },
};

/* Algorithm tokens compare case-insensitively (RFC 7616 section 3.3). */
bool digest_algorithm_parse(struct sip_str name, enum digest_algorithm *algorithm)
{
	size_t i;

	for (i = 0; i < sizeof(algorithm_names) / sizeof(algorithm_names[0]); i++) {
		if (sip_str_caseeq_cstr(name, algorithm_names[i].name)) {
			*algorithm = algorithm_names[i].algorithm;
			return true;
		}
	}
	return false;
}

const char *digest_algorithm_name(enum digest_algorithm algorithm)
{
	size_t i;

	for (i = 0; i < sizeof(algorithm_names) / sizeof(algorithm_names[0]); i++)
		if (algorithm_names[i].algorithm == algorithm)
			return algorithm_names[i].name;
	return "?";
}

/*
 * Fetched once and kept for the process: with EVP_md5() and EVP_sha256()
 * every EVP_DigestInit_ex() looked the implementation up again, which
 * cost more than hashing the few dozen bytes of a digest.
 */
static EVP_MD *algorithm_md(enum digest_algorithm algorithm)
{
	static EVP_MD *md5, *sha256;
	bool is_md5 = algorithm == DIGEST_MD5 || algorithm == DIGEST_MD5_SESS;
	EVP_MD **md = is_md5 ? &md5 : &sha256;

	if (!*md)
		*md = EVP_MD_fetch(NULL, is_md5 ? "MD5" : "SHA256", NULL);
	return *md;
}

size_t digest_len(enum digest_algorithm algorithm)
{
	if (algorithm == DIGEST_MD5 || algorithm == DIGEST_MD5_SESS)
		return DIGEST_MD5_LEN;
	return DIGEST_SHA256_LEN;
}

bool digest_is_sess(enum digest_algorithm algorithm)
{
	return algorithm == DIGEST_MD5_SESS || algorithm == DIGEST_SHA256_SESS;
}

/* H(parts[0] ":" parts[1] ":" ...), raw bytes, digest_len() of them. */
int digest_hash(enum digest_algorithm algorithm, const struct sip_str *parts, size_t nparts,
		uint8_t out[DIGEST_MAX_LEN])
{
	EVP_MD *md;
	EVP_MD_CTX *ctx;
	size_t i;
	int ok;

	md = algorithm_md(algorithm);
	if (!md)
		return -EIO;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md, NULL);
	for (i = 0; ok && i < nparts; i++) {
		if (i > 0)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok && parts[i].len)
			ok = EVP_DigestUpdate(ctx, parts[i].s, parts[i].len);
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

/* The stored form of a password: H(username ":" realm ":" password). */
int digest_ha1(enum digest_algorithm algorithm, struct sip_str user, struct sip_str realm,
	       struct sip_str password, uint8_t ha1[DIGEST_MAX_LEN])
{
	const struct sip_str parts[] = { user, realm, password };

	return digest_hash(algorithm, parts, 3, ha1);
}

void digest_hex(const uint8_t *bytes, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	hex[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = sip_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Exactly 2 * len hex digits of either case into len bytes. RFC 7616 asks
 * for lowercase, but some clients send uppercase and the value is the same.
 */
bool digest_unhex(struct sip_str hex, uint8_t *bytes, size_t len)
{
	size_t i;
	int hi, lo;

	if (!hex.s || hex.len != 2 * len)
		return false;
	for (i = 0; i < len; i++) {
		hi = hex_value(hex.s[2 * i]);
		lo = hex_value(hex.s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* H(A1) as the response formula sees it: hex, and for -sess bound to the nonces. */
static int session_ha1_hex(const struct digest_input *in, const uint8_t ha1[DIGEST_MAX_LEN],
			   char hex[DIGEST_MAX_HEX])
{
	size_t len = digest_len(in->algorithm);
	uint8_t sess[DIGEST_MAX_LEN];
	struct sip_str parts[3];
	int err;

	digest_hex(ha1, len, hex);
	if (!digest_is_sess(in->algorithm))
		return 0;
	parts[0] = sip_str_make(hex, 2 * len);
	parts[1] = in->nonce;
	parts[2] = in->cnonce;
	err = digest_hash(in->algorithm, parts, 3, sess);
	if (err)
		return err;
	digest_hex(sess, len, hex);
	return 0;
}

/*
 * The response a client holding H(A1) @ha1 must send. qop "auth" uses
 * nc/cnonce/qop; an absent qop is the RFC 2069 form. The caller decides
 * which forms it accepts; auth-int needs the body and is not offered.
 */
int digest_response(const struct digest_input *in, const uint8_t ha1[DIGEST_MAX_LEN],
		    uint8_t response[DIGEST_MAX_LEN])
{
	size_t len = digest_len(in->algorithm);
	char ha1_hex[DIGEST_MAX_HEX], ha2_hex[DIGEST_MAX_HEX];
	struct sip_str a2[2] = { in->method, in->uri };
	uint8_t ha2[DIGEST_MAX_LEN];
	struct sip_str kd[6];
	int err;

	err = session_ha1_hex(in, ha1, ha1_hex);
	if (err)
		return err;
	err = digest_hash(in->algorithm, a2, 2, ha2);
	if (err)
		return err;
	digest_hex(ha2, len, ha2_hex);

	kd[0] = sip_str_make(ha1_hex, 2 * len);
	kd[1] = in->nonce;
	if (!sip_str_present(in->qop)) {
		kd[2] = sip_str_make(ha2_hex, 2 * len);
		return digest_hash(in->algorithm, kd, 3, response);
	}
	kd[2] = in->nc;
	kd[3] = in->cnonce;
	kd[4] = in->qop;
	kd[5] = sip_str_make(ha2_hex, 2 * len);
	return digest_hash(in->algorithm, kd, 6, response);
}
