/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RESOLVE_H
#define SIPPROXY_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"
#include "lib/evloop.h"
#include "sip_uri.h"

/*
 * RFC 3263 client resolution of a SIP URI to an ordered list of
 * {transport, address, port}, asynchronous on the event loop (c-ares, no
 * threads), with a TTL cache and a negative cache shared by all requests.
 *
 * What is looked up (section 4), the target host being maddr if present,
 * else the host:
 *   - numeric host: that address; the port, else 5060 (5061 for TLS); the
 *     transport parameter, else UDP for sip: and TLS for sips:.
 *   - port in the URI: AAAA and A of the host, transport as above.
 *   - transport parameter, no port: SRV of that transport only
 *     (_sip._udp, _sip._tcp, _sips._tcp), else AAAA and A on 5060/5061.
 *   - neither: NAPTR; the records with flag "s", an empty regexp and a
 *     service we send on (SIP+D2U, SIP+D2T, SIPS+D2T; sips: only
 *     SIPS+D2T), by order then preference, give the SRV names. Without
 *     such records: SRV of _sip._udp, _sip._tcp, _sips._tcp (sips: only
 *     _sips._tcp) in that order. Without any SRV record: AAAA and A of the
 *     host on 5060 (5061 for TLS), transport UDP (TLS for sips:).
 *   "transport=tcp" in a sips: URI means TLS; "transport=udp" in a sips:
 *   URI, a transport we have no listener for, or any other transport is
 *   refused by resolve_start(). When UDP is the default but we do not
 *   send UDP, the default is TCP.
 *
 * Order of the result: SRV records by priority, then RFC 2782 weighted
 * random order within a priority (a fresh draw per request, cached
 * records or not); for each host its IPv6 addresses then its IPv4 ones
 * (resolve_config.prefer_ipv4 swaps them); duplicates dropped; at most
 * RESOLVE_TARGETS_MAX targets. All hosts are resolved before the callback,
 * so failing over (section 4.3: on a 503 or a transaction timeout, try the
 * next target) needs no further lookup: resolve_targets_next().
 *
 * A SRV target of "." (service decidedly absent) yields no hop and counts
 * as a found record, so there is no fallback to A/AAAA. Lookups go to DNS
 * only, never to /etc/hosts.
 *
 * How the proxy core uses it, per request it forwards (routing.h first):
 *
 *	routing_decide(routing, &ruri, &d);
 *	ROUTING_LOCAL:  location service, no DNS
 *	ROUTING_NONE:   reply d.status
 *	ROUTING_STATIC: err = resolve_start(res, d.next_hop, on_targets, txn, &txn->dns);
 *	ROUTING_DNS:    err = resolve_start(res, &ruri, on_targets, txn, &txn->dns);
 *	err: -EPROTONOSUPPORT or -EINVAL -> 503 / 400 as the core sees fit, -ENOMEM -> 500
 *
 *	on_targets(txn, status, t): txn->dns = NULL; RESOLVE_NOT_FOUND -> 404,
 *	RESOLVE_TEMPORARY -> 503; RESOLVE_OK -> keep t, send to
 *	resolve_targets_next(t); on a 503 or a timeout of that client
 *	transaction, the next one; when it returns NULL, 503 (RFC 3263 4.3).
 *	Targets of a family or transport the core cannot send on are skipped
 *	the same way. resolve_targets_free(t) with the transaction.
 *
 *	transaction dies with txn->dns set: resolve_cancel(txn->dns).
 *
 * Callbacks never run inside resolve_start(): numeric hosts and cached
 * answers are reported from a zero-delay loop timer, like everything else.
 *
 * resolve_config.transports should be the transports we have listeners
 * for ([listen] udp/tcp/tls), so no target names one we cannot use.
 * Everything runs on the loop's thread; a callback may start or cancel
 * other requests but must not free the resolver.
 */

enum resolve_transport {
	RESOLVE_UDP = 1,
	RESOLVE_TCP,
	RESOLVE_TLS,
};

/* Sets of transports: RESOLVE_T(RESOLVE_UDP) | RESOLVE_T(RESOLVE_TLS). */
#define RESOLVE_T(t) (1U << (t))
#define RESOLVE_T_ALL (RESOLVE_T(RESOLVE_UDP) | RESOLVE_T(RESOLVE_TCP) | RESOLVE_T(RESOLVE_TLS))

/* Targets one resolution returns at most. */
#define RESOLVE_TARGETS_MAX 16
/* CNAME records one answer may chain through; more is a failed lookup. */
#define RESOLVE_CNAME_MAX 8
/* DNS queries in flight for all requests together; past it, RESOLVE_TEMPORARY. */
#define RESOLVE_QUERIES_MAX 256
/*
 * Cached answers (positive and negative) at most; the least recently used
 * goes first. With answers of at most RESOLVE_CACHE_ANSWER_MAX bytes (a
 * larger one is used but not cached) the cache stays under 10 MiB.
 */
#define RESOLVE_CACHE_MAX 4096
#define RESOLVE_CACHE_ANSWER_MAX 2048
/* TTL bounds, seconds: longer TTLs are cut, negative answers without SOA get the default. */
#define RESOLVE_TTL_MAX 86400
#define RESOLVE_NEGATIVE_TTL_MAX 300
#define RESOLVE_NEGATIVE_TTL_DEFAULT 30

struct resolve_target {
	enum resolve_transport transport;
	struct endpoint addr;		/* port included */
};

/*
 * The result, the caller's after the callback: take targets in order with
 * resolve_targets_next(), free with resolve_targets_free().
 */
struct resolve_targets {
	size_t n;
	size_t next;
	struct resolve_target v[RESOLVE_TARGETS_MAX];
};

/*
 * How a resolution ended, and the final response a proxy sends when it has
 * nowhere to forward to:
 *   RESOLVE_OK         at least one target (the core replies 503 itself
 *                      once every target failed, RFC 3263 4.3)
 *   RESOLVE_NOT_FOUND  every lookup said the names or records do not exist
 *                      (NXDOMAIN, no data, SRV "." only): 404 Not Found
 *   RESOLVE_TEMPORARY  a timeout, server failure, refusal, malformed
 *                      answer, too many queries in flight or no memory
 *                      prevented an answer: 503 Service Unavailable
 */
enum resolve_status {
	RESOLVE_OK,
	RESOLVE_NOT_FOUND,
	RESOLVE_TEMPORARY,
};

/* @targets: NULL unless RESOLVE_OK; then the callee owns it. */
typedef void resolve_fn(void *arg, enum resolve_status status, struct resolve_targets *targets);

struct resolve_config {
	unsigned int transports;	/* RESOLVE_T() set we can send on; 0: all */
	bool prefer_ipv4;		/* IPv4 addresses of a host before IPv6 ones */
	const char *servers;		/* "ADDR[:PORT],..."; NULL: /etc/resolv.conf */
	unsigned int timeout_ms;	/* per try; 0: c-ares' default */
	unsigned int tries;		/* per server; 0: c-ares' default */
	uint64_t seed;			/* of the SRV weight draws; 0: random */
};

struct resolver;
struct resolve_req;

int resolve_new(struct loop *loop, const struct resolve_config *cfg, struct resolver **out);
void resolve_free(struct resolver *r);

int resolve_start(struct resolver *r, const struct sip_uri *uri, resolve_fn *fn, void *arg,
		  struct resolve_req **out);
void resolve_cancel(struct resolve_req *req);

const struct resolve_target *resolve_targets_next(struct resolve_targets *t);
void resolve_targets_free(struct resolve_targets *t);

const char *resolve_transport_name(enum resolve_transport transport);

#endif
