/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_URI_H
#define SIPPROXY_SIP_URI_H

#include <stdbool.h>

#include "sip_lex.h"
#include "sip_str.h"

/* URI parameters (";name=value") one URI may carry; more is an error. */
#define SIP_MAX_URI_PARAMS 32
/* URI headers ("?name=value&...") one URI may carry; more is an error. */
#define SIP_MAX_URI_HEADERS 16

enum sip_scheme {
	SIP_SCHEME_SIP = 1,
	SIP_SCHEME_SIPS,
	SIP_SCHEME_TEL,
	/* Any other absoluteURI: syntax checked, content opaque. */
	SIP_SCHEME_OTHER,
};

enum sip_host_type {
	SIP_HOST_NAME = 1,
	SIP_HOST_IPV4,
	SIP_HOST_IPV6,
};

/*
 * A parsed URI. Every view points into the text given to sip_uri_parse()
 * and lives as long as that text. Escapes (%XX) are left in place: compare
 * with sip_uri_equal(), which decodes them.
 *
 * sip and sips: user/password/host/port/params/headers as in RFC 3261 19.1.
 * tel (RFC 3966): user is the number ("+1-212-555-0100" or a local number),
 * params its parameters; host is absent. Other schemes: only raw and scheme.
 */
struct sip_uri {
	struct sip_str raw;
	enum sip_scheme scheme;
	struct sip_str user;		/* absent without userinfo */
	struct sip_str password;	/* absent without ":" in userinfo */
	struct sip_str host;		/* IPv6 without its brackets */
	enum sip_host_type host_type;
	int port;			/* -1 when absent */
	struct sip_str params;		/* ";a=b;lr" from the first ';', empty if none */
	struct sip_str headers;		/* after '?', absent if none */
	unsigned int nparams;
	/* The parameters RFC 3261 names, absent when not given. */
	struct sip_str transport;
	struct sip_str user_param;
	struct sip_str method;
	struct sip_str maddr;
	int ttl;			/* -1 when absent */
	bool lr;
};

int sip_uri_parse(struct sip_str text, struct sip_uri *uri);
bool sip_uri_param_find(const struct sip_uri *uri, const char *name, struct sip_str *value);
bool sip_uri_equal(const struct sip_uri *a, const struct sip_uri *b);

bool sip_scan_host(struct sip_scan *sc, struct sip_str *host, enum sip_host_type *type);
bool sip_host_parse(struct sip_str text, struct sip_str *host, enum sip_host_type *type);

#endif
