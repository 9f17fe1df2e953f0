// SPDX-License-Identifier: GPL-2.0
/*
 * Header field names: full and compact forms to a type, and a type to the
 * canonical full name used when we write a header ourselves.
 */
#include "sip_hdr.h"

static const char *const full_names[SIP_HDR_COUNT] = {
	[SIP_HDR_ACCEPT_CONTACT] = "Accept-Contact",
	[SIP_HDR_ALLOW] = "Allow",
	[SIP_HDR_ALLOW_EVENTS] = "Allow-Events",
	[SIP_HDR_AUTHORIZATION] = "Authorization",
	[SIP_HDR_CALL_ID] = "Call-ID",
	[SIP_HDR_CONTACT] = "Contact",
	[SIP_HDR_CONTENT_ENCODING] = "Content-Encoding",
	[SIP_HDR_CONTENT_LENGTH] = "Content-Length",
	[SIP_HDR_CONTENT_TYPE] = "Content-Type",
	[SIP_HDR_CSEQ] = "CSeq",
	[SIP_HDR_DATE] = "Date",
	[SIP_HDR_EVENT] = "Event",
	[SIP_HDR_EXPIRES] = "Expires",
	[SIP_HDR_FROM] = "From",
	[SIP_HDR_IDENTITY] = "Identity",
	[SIP_HDR_MAX_FORWARDS] = "Max-Forwards",
	[SIP_HDR_MIN_EXPIRES] = "Min-Expires",
	[SIP_HDR_PROXY_AUTHENTICATE] = "Proxy-Authenticate",
	[SIP_HDR_PROXY_AUTHORIZATION] = "Proxy-Authorization",
	[SIP_HDR_PROXY_REQUIRE] = "Proxy-Require",
	[SIP_HDR_RECORD_ROUTE] = "Record-Route",
	[SIP_HDR_REFER_TO] = "Refer-To",
	[SIP_HDR_REFERRED_BY] = "Referred-By",
	[SIP_HDR_REJECT_CONTACT] = "Reject-Contact",
	[SIP_HDR_REQUEST_DISPOSITION] = "Request-Disposition",
	[SIP_HDR_REQUIRE] = "Require",
	[SIP_HDR_RETRY_AFTER] = "Retry-After",
	[SIP_HDR_ROUTE] = "Route",
	[SIP_HDR_SESSION_EXPIRES] = "Session-Expires",
	[SIP_HDR_SUBJECT] = "Subject",
	[SIP_HDR_SUPPORTED] = "Supported",
	[SIP_HDR_TO] = "To",
	[SIP_HDR_UNSUPPORTED] = "Unsupported",
	[SIP_HDR_USER_AGENT] = "User-Agent",
	[SIP_HDR_VIA] = "Via",
	[SIP_HDR_WWW_AUTHENTICATE] = "WWW-Authenticate",
};

/* Compact forms, indexed by lower-case letter. */
static const enum sip_hdr_type compact[26] = {
	['a' - 'a'] = SIP_HDR_ACCEPT_CONTACT,
	['b' - 'a'] = SIP_HDR_REFERRED_BY,
	['c' - 'a'] = SIP_HDR_CONTENT_TYPE,
	['d' - 'a'] = SIP_HDR_REQUEST_DISPOSITION,
	['e' - 'a'] = SIP_HDR_CONTENT_ENCODING,
	['f' - 'a'] = SIP_HDR_FROM,
	['i' - 'a'] = SIP_HDR_CALL_ID,
	['j' - 'a'] = SIP_HDR_REJECT_CONTACT,
	['k' - 'a'] = SIP_HDR_SUPPORTED,
	['l' - 'a'] = SIP_HDR_CONTENT_LENGTH,
	['m' - 'a'] = SIP_HDR_CONTACT,
	['o' - 'a'] = SIP_HDR_EVENT,
	['r' - 'a'] = SIP_HDR_REFER_TO,
	['s' - 'a'] = SIP_HDR_SUBJECT,
	['t' - 'a'] = SIP_HDR_TO,
	['u' - 'a'] = SIP_HDR_ALLOW_EVENTS,
	['v' - 'a'] = SIP_HDR_VIA,
	['x' - 'a'] = SIP_HDR_SESSION_EXPIRES,
	['y' - 'a'] = SIP_HDR_IDENTITY,
};

/*
 * A linear scan over ~40 names costs less than the header parsing around
 * it; the length check rejects nearly every candidate at once.
 */
enum sip_hdr_type sip_hdr_lookup(struct sip_str name)
{
	int t;

	if (name.len == 1) {
		char c = sip_lower(name.s[0]);

		return c >= 'a' && c <= 'z' ? compact[c - 'a'] : SIP_HDR_OTHER;
	}
	for (t = 1; t < SIP_HDR_COUNT; t++)
		if (sip_str_caseeq_cstr(name, full_names[t]))
			return (enum sip_hdr_type)t;
	return SIP_HDR_OTHER;
}

/* The canonical name of a known type; NULL for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr_type type)
{
	return type > SIP_HDR_OTHER && type < SIP_HDR_COUNT ? full_names[type] : NULL;
}
