/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_DIGEST_H
#define SIPPROXY_SIP_DIGEST_H

#include "sip_str.h"

enum sip_digest_alg {
	SIP_DIGEST_MD5 = 1,		/* also when algorithm is absent */
	SIP_DIGEST_MD5_SESS,
	SIP_DIGEST_SHA256,		/* RFC 7616, RFC 8760 */
	SIP_DIGEST_SHA256_SESS,
	SIP_DIGEST_OTHER,		/* a token we do not implement: challenge again */
};

/*
 * Digest credentials of one Authorization or Proxy-Authorization value
 * (RFC 3261 22.4 and 25.1, RFC 7616). Each value is a view without its
 * quotes, quoted-pairs still in place (sip_unquote() decodes them);
 * parameters not given are absent. Clients quote some values that the
 * grammar has as tokens and the reverse: either form is accepted.
 */
struct sip_digest {
	struct sip_str username;
	struct sip_str realm;
	struct sip_str nonce;
	struct sip_str uri;
	struct sip_str response;	/* 32 (MD5) or 64 (SHA-256) lower-case hex digits */
	struct sip_str algorithm;	/* as written */
	enum sip_digest_alg alg;
	struct sip_str cnonce;
	struct sip_str opaque;
	struct sip_str qop;		/* "auth", "auth-int" or another token */
	struct sip_str nc;		/* 8 hex digits */
};

int sip_digest_parse(struct sip_str value, struct sip_digest *d);

#endif
