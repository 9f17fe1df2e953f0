// SPDX-License-Identifier: GPL-2.0
/*
 * credentials = "Digest" LWS dig-resp *( COMMA dig-resp ): the parameters
 * of a Digest Authorization or Proxy-Authorization value, checked for the
 * form the hash computation relies on.
 */
#include <errno.h>

#include "sip_digest.h"
#include "sip_lex.h"

struct known {
	const char *name;
	size_t offset;
};

#define FIELD(n) { #n, offsetof(struct sip_digest, n) }

static const struct known known[] = {
	FIELD(username), FIELD(realm), FIELD(nonce), FIELD(uri), FIELD(response),
	FIELD(algorithm), FIELD(cnonce), FIELD(opaque), FIELD(qop), FIELD(nc),
};

static struct sip_str *field_of(struct sip_digest *d, struct sip_str name)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (sip_str_caseeq_cstr(name, known[i].name))
			return (struct sip_str *)((char *)d + known[i].offset);
	return NULL;
}

static bool is_lhex(struct sip_str v, size_t len)
{
	size_t i;

	if (v.len != len)
		return false;
	for (i = 0; i < len; i++)
		if (!sip_is_digit(v.s[i]) && !(v.s[i] >= 'a' && v.s[i] <= 'f'))
			return false;
	return true;
}

static enum sip_digest_alg alg_of(struct sip_str name)
{
	if (!sip_str_present(name) || sip_str_caseeq_cstr(name, "MD5"))
		return SIP_DIGEST_MD5;
	if (sip_str_caseeq_cstr(name, "MD5-sess"))
		return SIP_DIGEST_MD5_SESS;
	if (sip_str_caseeq_cstr(name, "SHA-256"))
		return SIP_DIGEST_SHA256;
	if (sip_str_caseeq_cstr(name, "SHA-256-sess"))
		return SIP_DIGEST_SHA256_SESS;
	return SIP_DIGEST_OTHER;
}

/* The value each field needs beyond being a token or quoted-string. */
static int check(struct sip_digest *d)
{
	size_t hex;

	if (!sip_str_present(d->username) || !sip_str_present(d->realm) ||
	    !sip_str_present(d->nonce) || !sip_str_present(d->uri) ||
	    !sip_str_present(d->response))
		return -EINVAL;
	if (sip_str_present(d->algorithm) && !sip_str_is_token(d->algorithm))
		return -EINVAL;
	d->alg = alg_of(d->algorithm);
	hex = d->alg == SIP_DIGEST_SHA256 || d->alg == SIP_DIGEST_SHA256_SESS ? 64 : 32;
	if (d->alg != SIP_DIGEST_OTHER && !is_lhex(d->response, hex))
		return -EINVAL;
	if (sip_str_present(d->qop) && !sip_str_is_token(d->qop))
		return -EINVAL;
	/* With qop, the client nonce and the count enter the hash (RFC 2617 3.2.2). */
	if (sip_str_present(d->qop) != sip_str_present(d->cnonce) ||
	    sip_str_present(d->qop) != sip_str_present(d->nc))
		return -EINVAL;
	if (sip_str_present(d->nc) && !is_lhex(d->nc, 8))
		return -EINVAL;
	return 0;
}

/*
 * Parses a whole credentials value. Returns 0, -EPROTONOSUPPORT when the
 * scheme is not Digest (another scheme: not ours to judge), or -EINVAL.
 */
int sip_digest_parse(struct sip_str value, struct sip_digest *d)
{
	struct sip_str scheme;
	struct sip_scan sc;

	*d = (struct sip_digest){ 0 };
	sip_scan_init(&sc, value);
	if (!sip_scan_token(&sc, &scheme))
		return -EINVAL;
	if (!sip_str_caseeq_cstr(scheme, "Digest"))
		return -EPROTONOSUPPORT;
	if (!sip_scan_lws(&sc))
		return -EINVAL;
	do {
		struct sip_str name, v, *field;

		if (!sip_scan_token(&sc, &name) || !sip_scan_sep(&sc, '='))
			return -EINVAL;
		if (sip_scan_peek(&sc) == '"') {
			if (!sip_scan_quoted(&sc, &v))
				return -EINVAL;
			v = sip_str_unquote_view(v);
		} else if (!sip_scan_token(&sc, &v)) {
			return -EINVAL;
		}
		field = field_of(d, name);
		if (field && sip_str_present(*field))
			return -EINVAL;
		if (field)
			*field = v;
	} while (sip_scan_sep(&sc, ','));
	if (!sip_scan_eof(&sc))
		return -EINVAL;
	return check(d);
}
