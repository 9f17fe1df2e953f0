/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_LOCATION_H
#define SIPPROXY_LOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "location_store.h"
#include "sip_str.h"

/*
 * The registrar's location service (RFC 3261 section 10.3): bindings of
 * contact addresses to addresses of record, in memory, written through to
 * an optional struct location_store.
 *
 * An AOR is the canonical "sip:user@domain" the caller derived from the
 * To header; it is compared byte for byte. Times are absolute seconds of
 * the caller's clock (@now); use wall-clock time when a store persists
 * bindings across reboots. Nothing here reads a clock or logs.
 *
 * Memory: one binding costs its struct (144 bytes on x86-64) plus its
 * strings plus a heap slot; an AOR 56 bytes plus its string plus 8 bytes
 * per binding slot (grown by doubling, so max_contacts costs nothing until
 * used) plus a hash bucket. The bound is 1 KiB per registered contact;
 * tests/unit/location_memory_bound.c counts what the allocation wrappers
 * hand out for 10000 softphone-like bindings: 366 bytes each with one
 * contact per AOR, 294 with ten (malloc's own overhead not included). The
 * worst case, every string at its limit, is about 2.5 KiB.
 */

#define LOCATION_MAX_URI_LEN 512	/* bytes of a contact URI */
#define LOCATION_MAX_AOR_LEN 256	/* bytes of an AOR */
#define LOCATION_MAX_CALLID_LEN 256	/* bytes of a Call-ID */
#define LOCATION_MAX_INSTANCE_LEN 128	/* bytes of a +sip.instance value */
#define LOCATION_MAX_PATH_LEN 1024	/* bytes of the joined Path values */
#define LOCATION_MAX_PATH 8		/* Path header values */
#define LOCATION_MAX_REQUEST_CONTACTS 32 /* Contact values in one REGISTER */
#define LOCATION_MAX_EXPIRES 0xffffffffLL /* RFC 3261 section 20.19 */

#define LOCATION_MAX_CONTACTS_LIMIT 1000 /* the largest max_contacts */
#define LOCATION_DEFAULT_CONTACTS_PER_AOR 10
#define LOCATION_DEFAULT_MAX_AORS 100000
#define LOCATION_DEFAULT_EXPIRES 3600
#define LOCATION_DEFAULT_MIN_EXPIRES 60
#define LOCATION_DEFAULT_MAX_EXPIRES 7200

struct location_config {
	uint32_t default_expires;	/* neither expires param nor Expires header */
	uint32_t min_expires;		/* below: 423 with Min-Expires */
	uint32_t max_expires;		/* above: clamped */
	unsigned int max_contacts;	/* per AOR, 1..LOCATION_MAX_CONTACTS_LIMIT */
	size_t max_aors;
	/*
	 * Contact URI comparison (RFC 3261 section 19.1.4); NULL compares
	 * bytes. The daemon passes the SIP parser's sip_uri_equal() wrapper.
	 */
	bool (*contact_equal)(struct sip_str a, struct sip_str b);
};

/* One Contact header value of a REGISTER. */
struct location_contact {
	struct sip_str uri;		/* the addr-spec, without <> */
	int64_t expires;		/* the expires parameter, -1 if absent */
	int q;				/* 0..1000 (q=0.5 is 500), -1 if absent */
	struct sip_str instance;	/* +sip.instance (RFC 5626), absent: .s NULL */
	uint32_t reg_id;		/* reg-id (RFC 5626), 0 if absent */
};

/* What of a REGISTER request the location service needs. */
struct location_register {
	struct sip_str aor;
	bool star;			/* "Contact: *" */
	const struct location_contact *contacts;
	size_t ncontacts;
	int64_t expires;		/* the Expires header, -1 if absent */
	struct sip_str call_id;
	uint32_t cseq;
	const struct sip_str *path;	/* Path header values as written, e.g. "<sip:p;lr>" */
	size_t npath;
	struct endpoint received;	/* the request's source address */
	enum location_transport transport;
};

/* A binding as lookups return it; valid until the next change. */
struct location_binding {
	struct sip_str contact;
	struct sip_str call_id;
	struct sip_str path;		/* RFC 3327: the Route set, "<uri>,<uri>", or empty */
	struct sip_str instance;	/* absent: .s == NULL */
	struct endpoint received;
	enum location_transport transport;
	int64_t expires;		/* absolute */
	uint32_t cseq;
	uint32_t reg_id;
	uint16_t q;
};

/* The outcome of location_register(); location_status_code() maps it. */
enum location_status {
	LOCATION_OK = 0,		/* 200: list the bindings */
	LOCATION_INTERVAL_TOO_BRIEF,	/* 423 with Min-Expires: location_min_expires() */
	LOCATION_OUT_OF_ORDER,		/* 500: same Call-ID, CSeq not higher (10.3 steps 6, 7) */
	LOCATION_STAR_NOT_ALONE,	/* 400: "*" with other contacts (10.3 step 6) */
	LOCATION_STAR_EXPIRES,		/* 400: "*" without "Expires: 0" (10.3 step 6) */
	LOCATION_DUPLICATE_CONTACT,	/* 400: one binding named twice in a request */
	LOCATION_INVALID,		/* 400: empty or oversized field, bad q or expires */
	LOCATION_TOO_MANY_CONTACTS,	/* 403: the AOR would exceed max_contacts */
	LOCATION_TOO_MANY_AORS,		/* 503: the table holds max_aors AORs */
	LOCATION_NO_MEMORY,		/* 500 */
	LOCATION_STORE_FAILED,		/* 500: the store refused; nothing changed */
};

struct location;

void location_config_default(struct location_config *cfg);
int location_new(const struct location_config *cfg, struct location_store *store,
		 struct location **out);
void location_free(struct location *loc);
int location_load(struct location *loc, int64_t now, size_t *skipped);

enum location_status location_register(struct location *loc,
				       const struct location_register *req, int64_t now);
size_t location_lookup(const struct location *loc, struct sip_str aor, int64_t now,
		       const struct location_binding **out, size_t max);
int64_t location_next_expiry(const struct location *loc);
size_t location_expire(struct location *loc, int64_t now);

size_t location_aor_count(const struct location *loc);
size_t location_binding_count(const struct location *loc);
size_t location_memory(const struct location *loc);
uint32_t location_min_expires(const struct location *loc);
int location_status_code(enum location_status status, const char **reason);
bool location_parse_q(struct sip_str text, int *q);

#endif
