/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_LOCATION_STORE_H
#define SIPPROXY_LOCATION_STORE_H

#include <stdint.h>

#include "lib/endpoint.h"
#include "sip_str.h"

/*
 * Where the location service keeps bindings across restarts. The service
 * holds every binding in memory and writes through: each REGISTER's
 * changes are one transaction (begin, upsert/remove..., commit), made
 * before memory changes, so a failed write leaves both untouched
 * (RFC 3261 section 10.3 step 8: all or nothing, else 500). load() runs
 * once at startup. A store may be shared by several proxies later; the
 * key of a binding is (aor, contact).
 */

enum location_transport {
	LOCATION_TRANSPORT_NONE = 0,
	LOCATION_TRANSPORT_UDP,
	LOCATION_TRANSPORT_TCP,
	LOCATION_TRANSPORT_TLS,
	LOCATION_TRANSPORT_SCTP,
	LOCATION_TRANSPORT_WS,
	LOCATION_TRANSPORT_WSS,
	LOCATION_TRANSPORT_MAX = LOCATION_TRANSPORT_WSS,
};

/* One binding as stored; views valid for the duration of the call. */
struct location_record {
	struct sip_str aor;
	struct sip_str contact;
	struct sip_str call_id;
	struct sip_str path;		/* "<uri>,<uri>" or empty */
	struct sip_str instance;	/* absent: .s == NULL */
	struct endpoint received;	/* AF_UNSPEC: unknown */
	enum location_transport transport;
	int64_t expires;		/* absolute, the caller's clock */
	uint32_t cseq;
	uint32_t reg_id;		/* 0: none */
	uint16_t q;			/* 0..1000 */
};

struct location_store;

/* Called by load() per unexpired record; a non-zero return stops the load. */
typedef int (*location_store_add_fn)(void *arg, const struct location_record *rec);

/*
 * Every function returns 0 or a negative errno. open() fills @err with a
 * message naming @target; the others leave detail to the store's log.
 */
struct location_store_ops {
	const char *name;
	int (*open)(const char *target, struct location_store **out, char *err, size_t errlen);
	/* Calls @add for each record with expires > @now; drops the others. */
	int (*load)(struct location_store *st, int64_t now, location_store_add_fn add, void *arg);
	int (*begin)(struct location_store *st);
	int (*upsert)(struct location_store *st, const struct location_record *rec);
	int (*remove)(struct location_store *st, struct sip_str aor, struct sip_str contact);
	int (*remove_aor)(struct location_store *st, struct sip_str aor);
	int (*commit)(struct location_store *st);
	void (*rollback)(struct location_store *st);
	void (*close)(struct location_store *st);
};

/* Implementations embed this first. */
struct location_store {
	const struct location_store_ops *ops;
};

#endif
