/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_VIA_H
#define SIPPROXY_SIP_VIA_H

#include <stdbool.h>

#include "sip_lex.h"
#include "sip_uri.h"

/*
 * Via entries one message may carry, all Via fields together. Max-Forwards
 * starts at 70, so a request crosses at most 70 proxies after its UAC;
 * one more for us.
 */
#define SIP_MAX_VIA 72

/* The RFC 3261 branch prefix: a branch starting with it is unique per transaction. */
#define SIP_BRANCH_COOKIE "z9hG4bK"

/* One via-parm; views point into the message like everything else. */
struct sip_via {
	struct sip_str raw;		/* sent-protocol through the last parameter */
	struct sip_str protocol;	/* "SIP" */
	struct sip_str version;		/* "2.0" */
	struct sip_str transport;	/* "UDP", "TCP", "TLS", "SCTP", "WS", ... as written */
	struct sip_str host;		/* sent-by host, IPv6 without brackets */
	enum sip_host_type host_type;
	int port;			/* -1 when absent */
	struct sip_str params;		/* from the first ';', empty if none */
	struct sip_str branch;		/* absent when not given */
	struct sip_str received;	/* IPv4 or IPv6 address, absent when not given */
	struct sip_str maddr;
	int ttl;			/* -1 when absent */
	bool rport;			/* RFC 3581 rport present */
	int rport_value;		/* -1 when rport has no value */
};

bool sip_via_scan(struct sip_scan *sc, struct sip_via *via);
bool sip_via_branch_is_rfc3261(const struct sip_via *via);

#endif
