/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RESOLVE_MSG_H
#define SIPPROXY_RESOLVE_MSG_H

#include <stddef.h>
#include <stdint.h>

/*
 * What the cache needs from a DNS answer that c-ares 1.18 does not report:
 * TTLs of SRV and NAPTR records, the CNAME chain length and the RFC 2308
 * negative TTL. The records themselves are read by c-ares' parsers.
 */

#define RESOLVE_MSG_NO_TTL UINT32_MAX

struct resolve_msg {
	unsigned int rcode;
	unsigned int qtype;		/* of the first question */
	unsigned int answers;		/* answer records of type @qtype */
	unsigned int cnames;		/* CNAME records in the answer section */
	uint32_t ttl;			/* lowest of the answer section, or NO_TTL */
	uint32_t negative_ttl;		/* min(SOA TTL, SOA MINIMUM) of the authority section, or NO_TTL */
};

int resolve_msg_scan(const unsigned char *buf, size_t len, struct resolve_msg *msg);

#endif
