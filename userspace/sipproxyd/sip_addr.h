/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_ADDR_H
#define SIPPROXY_SIP_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_uri.h"

/*
 * One address of From, To, Contact, Route or Record-Route:
 * ( name-addr / addr-spec ) *( SEMI param ). Views point into the message.
 */
struct sip_addr {
	struct sip_str raw;		/* the whole element, parameters included */
	struct sip_str display;		/* as written, quotes kept; absent if none */
	struct sip_str uri_text;	/* between < and >, or the addr-spec */
	struct sip_uri uri;
	bool angle;			/* name-addr form: the URI was in <> */
	struct sip_str params;		/* header parameters from the first ';' */
	struct sip_str tag;		/* From and To: absent when untagged */
	struct sip_str q;		/* Contact: absent when not given */
	int64_t expires;		/* Contact: -1 when not given */
};

bool sip_addr_scan(struct sip_scan *sc, enum sip_hdr_type type, struct sip_addr *addr);

#endif
