// SPDX-License-Identifier: GPL-2.0
/*
 * Header field names: full and compact forms to a type, and a type to the
 * canonical full name used when we write a header ourselves.
 */
#include <stdint.h>

#include "sip_hdr.h"

static const struct sip_str full_names[SIP_HDR_COUNT] = {
	[SIP_HDR_ACCEPT_CONTACT] = SIP_STR("Accept-Contact"),
	[SIP_HDR_ALLOW] = SIP_STR("Allow"),
	[SIP_HDR_ALLOW_EVENTS] = SIP_STR("Allow-Events"),
	[SIP_HDR_AUTHORIZATION] = SIP_STR("Authorization"),
	[SIP_HDR_CALL_ID] = SIP_STR("Call-ID"),
	[SIP_HDR_CONTACT] = SIP_STR("Contact"),
	[SIP_HDR_CONTENT_ENCODING] = SIP_STR("Content-Encoding"),
	[SIP_HDR_CONTENT_LENGTH] = SIP_STR("Content-Length"),
	[SIP_HDR_CONTENT_TYPE] = SIP_STR("Content-Type"),
	[SIP_HDR_CSEQ] = SIP_STR("CSeq"),
	[SIP_HDR_DATE] = SIP_STR("Date"),
	[SIP_HDR_EVENT] = SIP_STR("Event"),
	[SIP_HDR_EXPIRES] = SIP_STR("Expires"),
	[SIP_HDR_FROM] = SIP_STR("From"),
	[SIP_HDR_IDENTITY] = SIP_STR("Identity"),
	[SIP_HDR_MAX_FORWARDS] = SIP_STR("Max-Forwards"),
	[SIP_HDR_MIN_EXPIRES] = SIP_STR("Min-Expires"),
	[SIP_HDR_PROXY_AUTHENTICATE] = SIP_STR("Proxy-Authenticate"),
	[SIP_HDR_PROXY_AUTHORIZATION] = SIP_STR("Proxy-Authorization"),
	[SIP_HDR_PROXY_REQUIRE] = SIP_STR("Proxy-Require"),
	[SIP_HDR_RECORD_ROUTE] = SIP_STR("Record-Route"),
	[SIP_HDR_REFER_TO] = SIP_STR("Refer-To"),
	[SIP_HDR_REFERRED_BY] = SIP_STR("Referred-By"),
	[SIP_HDR_REJECT_CONTACT] = SIP_STR("Reject-Contact"),
	[SIP_HDR_REQUEST_DISPOSITION] = SIP_STR("Request-Disposition"),
	[SIP_HDR_REQUIRE] = SIP_STR("Require"),
	[SIP_HDR_RETRY_AFTER] = SIP_STR("Retry-After"),
	[SIP_HDR_ROUTE] = SIP_STR("Route"),
	[SIP_HDR_SESSION_EXPIRES] = SIP_STR("Session-Expires"),
	[SIP_HDR_SUBJECT] = SIP_STR("Subject"),
	[SIP_HDR_SUPPORTED] = SIP_STR("Supported"),
	[SIP_HDR_TO] = SIP_STR("To"),
	[SIP_HDR_UNSUPPORTED] = SIP_STR("Unsupported"),
	[SIP_HDR_USER_AGENT] = SIP_STR("User-Agent"),
	[SIP_HDR_VIA] = SIP_STR("Via"),
	[SIP_HDR_WWW_AUTHENTICATE] = SIP_STR("WWW-Authenticate"),
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

/* The longest full name, "Proxy-Authorization" and "Request-Disposition". */
#define NAME_MAX_LEN 19

/*
 * The types by name length, built once: a lookup compares only names of
 * the length it has, two or three at most, instead of scanning all ~40
 * (a header name is looked up for every field of every message).
 */
static struct {
	bool built;
	uint8_t first[NAME_MAX_LEN + 2];	/* into type[], by length */
	uint8_t type[SIP_HDR_COUNT];
} by_len;

static void build_by_len(void)
{
	unsigned int len, n = 0;
	int t;

	for (len = 0; len <= NAME_MAX_LEN; len++) {
		by_len.first[len] = (uint8_t)n;
		for (t = 1; t < SIP_HDR_COUNT; t++)
			if (full_names[t].len == len)
				by_len.type[n++] = (uint8_t)t;
	}
	by_len.first[NAME_MAX_LEN + 1] = (uint8_t)n;
	by_len.built = true;
}

enum sip_hdr_type sip_hdr_lookup(struct sip_str name)
{
	unsigned int i;

	if (name.len == 1) {
		char c = sip_lower(name.s[0]);

		return c >= 'a' && c <= 'z' ? compact[c - 'a'] : SIP_HDR_OTHER;
	}
	if (name.len > NAME_MAX_LEN)
		return SIP_HDR_OTHER;
	if (!by_len.built)
		build_by_len();
	for (i = by_len.first[name.len]; i < by_len.first[name.len + 1]; i++)
		if (sip_str_caseeq(name, full_names[by_len.type[i]]))
			return (enum sip_hdr_type)by_len.type[i];
	return SIP_HDR_OTHER;
}

/* The canonical name of a known type; NULL for SIP_HDR_OTHER. */
const char *sip_hdr_name(enum sip_hdr_type type)
{
	return type > SIP_HDR_OTHER && type < SIP_HDR_COUNT ? full_names[type].s : NULL;
}
