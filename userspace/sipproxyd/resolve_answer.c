// SPDX-License-Identifier: GPL-2.0
/*
 * From DNS answers to RFC 3263 steps: NAPTR records to SRV names, SRV
 * records to hosts, A and AAAA records to targets. c-ares parses, the
 * pure ordering of resolve_order.c decides.
 */
#include <ares.h>
#include <limits.h>
#include <string.h>

#include "resolve_answer.h"

/* c-ares takes an int length; an answer that does not fit one is garbage. */
static int ares_len(size_t len)
{
	return len > INT_MAX ? -1 : (int)len;
}

/**
 * resolve_answer_services - the SRV names a NAPTR answer points to, best first
 *
 * Return: how many of @out were filled (0 for no usable record).
 */
size_t resolve_answer_services(const unsigned char *abuf, size_t alen,
			       const struct resolve_plan *plan, unsigned int transports,
			       struct resolve_service *out, size_t max)
{
	struct resolve_naptr recs[RESOLVE_SRV_MAX];
	struct ares_naptr_reply *reply = NULL, *r;
	size_t n = 0, found;

	if (!abuf || ares_len(alen) < 0 ||
	    ares_parse_naptr_reply(abuf, ares_len(alen), &reply) != ARES_SUCCESS)
		return 0;
	for (r = reply; r && n < RESOLVE_SRV_MAX; r = r->next) {
		recs[n++] = (struct resolve_naptr){
			.order = r->order,
			.preference = r->preference,
			.flags = (const char *)r->flags,
			.service = (const char *)r->service,
			.regexp = (const char *)r->regexp,
			.replacement = r->replacement,
		};
	}
	found = resolve_services_naptr(plan, transports, recs, n, out, max);
	ares_free_data(reply);
	return found;
}

/**
 * resolve_answer_hops - the hosts of a SRV answer, in RFC 2782 order
 * @nhops: set to how many of @out were filled
 *
 * Return: how many SRV records the answer held, usable or not: a record
 * with target "." still means SRV records were found (RFC 3263 4.2).
 */
size_t resolve_answer_hops(const unsigned char *abuf, size_t alen,
			   enum resolve_transport transport, struct resolve_rng *rng,
			   struct resolve_hop *out, size_t max, size_t *nhops)
{
	struct resolve_srv recs[RESOLVE_SRV_MAX];
	struct ares_srv_reply *reply = NULL, *r;
	size_t n = 0;

	*nhops = 0;
	if (!abuf || ares_len(alen) < 0 ||
	    ares_parse_srv_reply(abuf, ares_len(alen), &reply) != ARES_SUCCESS)
		return 0;
	for (r = reply; r && n < RESOLVE_SRV_MAX; r = r->next) {
		recs[n++] = (struct resolve_srv){
			.priority = r->priority,
			.weight = r->weight,
			.port = r->port,
			.target = r->host,
		};
	}
	*nhops = resolve_hops_srv(recs, n, transport, rng, out, max);
	ares_free_data(reply);
	return n;
}

static size_t parse_a(const unsigned char *abuf, size_t alen, struct in_addr *out)
{
	struct ares_addrttl ttls[RESOLVE_TARGETS_MAX];
	int i, n = RESOLVE_TARGETS_MAX;

	if (!abuf || ares_len(alen) < 0 ||
	    ares_parse_a_reply(abuf, ares_len(alen), NULL, ttls, &n) != ARES_SUCCESS)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = ttls[i].ipaddr;
	return (size_t)n;
}

static size_t parse_aaaa(const unsigned char *abuf, size_t alen, struct in6_addr *out)
{
	struct ares_addr6ttl ttls[RESOLVE_TARGETS_MAX];
	int i, n = RESOLVE_TARGETS_MAX;

	if (!abuf || ares_len(alen) < 0 ||
	    ares_parse_aaaa_reply(abuf, ares_len(alen), NULL, ttls, &n) != ARES_SUCCESS)
		return 0;
	for (i = 0; i < n; i++)
		memcpy(&out[i], &ttls[i].ip6addr, sizeof(out[i]));
	return (size_t)n;
}

/**
 * resolve_answer_targets - append @hop's addresses from its AAAA and A answers
 * @a6, @a4: the answers, NULL when the lookup found nothing
 *
 * Return: false once @t is full.
 */
bool resolve_answer_targets(struct resolve_targets *t, const struct resolve_hop *hop,
			    const unsigned char *a6, size_t a6len,
			    const unsigned char *a4, size_t a4len, bool prefer_ipv4)
{
	struct in6_addr v6[RESOLVE_TARGETS_MAX];
	struct in_addr v4[RESOLVE_TARGETS_MAX];
	size_t n6 = parse_aaaa(a6, a6len, v6);
	size_t n4 = parse_a(a4, a4len, v4);

	return resolve_targets_hop(t, hop, v6, n6, v4, n4, prefer_ipv4);
}
