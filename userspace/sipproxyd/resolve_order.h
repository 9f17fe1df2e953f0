/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RESOLVE_ORDER_H
#define SIPPROXY_RESOLVE_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "resolve.h"
#include "sip_uri.h"

/*
 * The pure half of RFC 3263 section 4: what to look up for a URI and how
 * to order what comes back, with no I/O, so it is tested from canned
 * records. resolve.c feeds it c-ares answers.
 */

/* RFC 1035: 253 characters in a name, without the trailing dot. */
#define RESOLVE_NAME_MAX 253
/* NAPTR records kept from one answer, SRV records ordered from one answer. */
#define RESOLVE_NAPTR_MAX 8
#define RESOLVE_SRV_MAX 32
/* Hosts (SRV targets, or the domain itself) whose addresses are looked up. */
#define RESOLVE_HOPS_MAX RESOLVE_TARGETS_MAX

/* What resolve_plan() makes of a URI. */
struct resolve_plan {
	char name[RESOLVE_NAME_MAX + 1];	/* maddr or host; lower case, no trailing dot */
	bool numeric;				/* @addr holds the address, port included */
	struct endpoint addr;
	int port;				/* -1: not in the URI */
	enum resolve_transport transport;	/* 0: not in the URI */
	bool sips;
};

/* A service to look up SRV records for: "_sip._udp.example.com". */
struct resolve_service {
	enum resolve_transport transport;
	char name[RESOLVE_NAME_MAX + 1];
};

/* One host to look up addresses for, with what to reach it by. */
struct resolve_hop {
	enum resolve_transport transport;
	uint16_t port;
	char name[RESOLVE_NAME_MAX + 1];
};

/* The records the ordering needs, as c-ares parses them. */
struct resolve_naptr {
	unsigned int order;
	unsigned int preference;
	const char *flags;
	const char *service;
	const char *regexp;
	const char *replacement;
};

struct resolve_srv {
	unsigned int priority;
	unsigned int weight;
	unsigned int port;
	const char *target;
};

/* xorshift64*: SRV weights need fair dice, not secrets. Never seeded with 0. */
struct resolve_rng {
	uint64_t state;
};

void resolve_rng_seed(struct resolve_rng *rng, uint64_t seed);
uint32_t resolve_rng_below(struct resolve_rng *rng, uint32_t bound);

int resolve_plan(const struct sip_uri *uri, unsigned int transports, struct resolve_plan *plan);
enum resolve_transport resolve_default_transport(const struct resolve_plan *plan,
						 unsigned int transports);
uint16_t resolve_default_port(enum resolve_transport transport);

size_t resolve_services_naptr(const struct resolve_plan *plan, unsigned int transports,
			      const struct resolve_naptr *recs, size_t n,
			      struct resolve_service *out, size_t max);
size_t resolve_services_default(const struct resolve_plan *plan, unsigned int transports,
				struct resolve_service *out, size_t max);

size_t resolve_srv_order(const struct resolve_srv *recs, size_t n, struct resolve_rng *rng,
			 size_t *order);
size_t resolve_hops_srv(const struct resolve_srv *recs, size_t n,
			enum resolve_transport transport, struct resolve_rng *rng,
			struct resolve_hop *out, size_t max);

bool resolve_targets_hop(struct resolve_targets *t, const struct resolve_hop *hop,
			 const struct in6_addr *v6, size_t n6, const struct in_addr *v4, size_t n4,
			 bool prefer_ipv4);

#endif
