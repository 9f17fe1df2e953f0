/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_HDR_H
#define SIPPROXY_SIP_HDR_H

#include "sip_str.h"

/*
 * Header fields the message layer knows by name. Everything else is
 * SIP_HDR_OTHER and travels as a name/value pair. Names compare
 * case-insensitively and compact forms map to the same type (RFC 3261 7.3.3
 * and the compact forms IANA registered since).
 */
enum sip_hdr_type {
	SIP_HDR_OTHER = 0,
	SIP_HDR_ACCEPT_CONTACT,		/* a, RFC 3841 */
	SIP_HDR_ALLOW,
	SIP_HDR_ALLOW_EVENTS,		/* u, RFC 6665 */
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_CALL_ID,		/* i */
	SIP_HDR_CONTACT,		/* m */
	SIP_HDR_CONTENT_ENCODING,	/* e */
	SIP_HDR_CONTENT_LENGTH,		/* l */
	SIP_HDR_CONTENT_TYPE,		/* c */
	SIP_HDR_CSEQ,
	SIP_HDR_DATE,
	SIP_HDR_EVENT,			/* o, RFC 6665 */
	SIP_HDR_EXPIRES,
	SIP_HDR_FROM,			/* f */
	SIP_HDR_IDENTITY,		/* y, RFC 8224 */
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_MIN_EXPIRES,
	SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_PROXY_REQUIRE,
	SIP_HDR_RECORD_ROUTE,
	SIP_HDR_REFER_TO,		/* r, RFC 3515 */
	SIP_HDR_REFERRED_BY,		/* b, RFC 3892 */
	SIP_HDR_REJECT_CONTACT,		/* j, RFC 3841 */
	SIP_HDR_REQUEST_DISPOSITION,	/* d, RFC 3841 */
	SIP_HDR_REQUIRE,
	SIP_HDR_RETRY_AFTER,
	SIP_HDR_ROUTE,
	SIP_HDR_SESSION_EXPIRES,	/* x, RFC 4028 */
	SIP_HDR_SUBJECT,		/* s */
	SIP_HDR_SUPPORTED,		/* k */
	SIP_HDR_TO,			/* t */
	SIP_HDR_UNSUPPORTED,
	SIP_HDR_USER_AGENT,
	SIP_HDR_VIA,			/* v */
	SIP_HDR_WWW_AUTHENTICATE,
	SIP_HDR_COUNT
};

enum sip_hdr_type sip_hdr_lookup(struct sip_str name);
const char *sip_hdr_name(enum sip_hdr_type type);

#endif
