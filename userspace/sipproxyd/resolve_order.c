// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3263 section 4 without I/O: the plan for a URI (4.1 transport, 4.2
 * port and what to query), NAPTR selection, the default SRV services, RFC
 * 2782 SRV ordering and building the target list.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "resolve_order.h"

void resolve_rng_seed(struct resolve_rng *rng, uint64_t seed)
{
	rng->state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

static uint64_t rng_next(struct resolve_rng *rng)
{
	uint64_t x = rng->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, @bound) (multiply-shift: bias below 2^-32), 0 for @bound 0. */
uint32_t resolve_rng_below(struct resolve_rng *rng, uint32_t bound)
{
	return (uint32_t)(((rng_next(rng) >> 32) * (uint64_t)bound) >> 32);
}

const char *resolve_transport_name(enum resolve_transport transport)
{
	switch (transport) {
	case RESOLVE_UDP:
		return "udp";
	case RESOLVE_TCP:
		return "tcp";
	case RESOLVE_TLS:
		return "tls";
	}
	return "?";
}

uint16_t resolve_default_port(enum resolve_transport transport)
{
	return transport == RESOLVE_TLS ? 5061 : 5060;
}

/* UDP for sip:, TLS for sips: (4.1); TCP when we do not send UDP. */
enum resolve_transport resolve_default_transport(const struct resolve_plan *plan,
						 unsigned int transports)
{
	if (plan->sips)
		return RESOLVE_TLS;
	return transports & RESOLVE_T(RESOLVE_UDP) ? RESOLVE_UDP : RESOLVE_TCP;
}

/* The transport parameter; sips: makes TCP mean TLS. 0 for one we do not know. */
static enum resolve_transport transport_param(struct sip_str p, bool sips)
{
	if (sip_str_caseeq_cstr(p, "udp"))
		return sips ? 0 : RESOLVE_UDP;
	if (sip_str_caseeq_cstr(p, "tcp"))
		return sips ? RESOLVE_TLS : RESOLVE_TCP;
	if (sip_str_caseeq_cstr(p, "tls"))
		return RESOLVE_TLS;
	return 0;
}

static int plan_address(struct resolve_plan *plan)
{
	struct endpoint *ep = &plan->addr;

	ep->port = (uint16_t)(plan->port >= 0 ? plan->port : resolve_default_port(plan->transport));
	if (inet_pton(AF_INET, plan->name, &ep->addr.v4) == 1)
		ep->family = AF_INET;
	else if (inet_pton(AF_INET6, plan->name, &ep->addr.v6) == 1)
		ep->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

/**
 * resolve_plan - what RFC 3263 looks up for @uri (see resolve.h)
 * @transports: the RESOLVE_T() set we can send on
 *
 * Return: 0; -EINVAL when @uri is not sip:/sips: or its target host or
 * port is unusable (port 0, a name too long for DNS); -EPROTONOSUPPORT for
 * a transport we do not know, do not send on, or UDP in a sips: URI.
 */
int resolve_plan(const struct sip_uri *uri, unsigned int transports, struct resolve_plan *plan)
{
	struct sip_str host = uri->host;
	enum sip_host_type type = uri->host_type;
	size_t i;

	memset(plan, 0, sizeof(*plan));
	if (uri->scheme != SIP_SCHEME_SIP && uri->scheme != SIP_SCHEME_SIPS)
		return -EINVAL;
	plan->sips = uri->scheme == SIP_SCHEME_SIPS;
	plan->port = uri->port;
	if (sip_str_present(uri->maddr) && !sip_host_parse(uri->maddr, &host, &type))
		return -EINVAL;
	if (host.len && host.s[host.len - 1] == '.')
		host.len--;
	if (!host.len || host.len > RESOLVE_NAME_MAX || uri->port == 0)
		return -EINVAL;
	for (i = 0; i < host.len; i++)
		plan->name[i] = sip_lower(host.s[i]);
	plan->name[i] = '\0';

	if (sip_str_present(uri->transport)) {
		plan->transport = transport_param(uri->transport, plan->sips);
		if (!plan->transport || !(transports & RESOLVE_T(plan->transport)))
			return -EPROTONOSUPPORT;
	}
	plan->numeric = type != SIP_HOST_NAME;
	if (!plan->transport && (plan->numeric || plan->port >= 0)) {
		plan->transport = resolve_default_transport(plan, transports);
		if (!(transports & RESOLVE_T(plan->transport)))
			return -EPROTONOSUPPORT;
	}
	return plan->numeric ? plan_address(plan) : 0;
}

static const struct {
	const char *naptr;	/* the NAPTR service field */
	const char *srv;	/* the SRV prefix */
	enum resolve_transport transport;
	bool sip_only;		/* never for a sips: URI */
} services[] = {
	{ "SIP+D2U", "_sip._udp.", RESOLVE_UDP, true },
	{ "SIP+D2T", "_sip._tcp.", RESOLVE_TCP, true },
	{ "SIPS+D2T", "_sips._tcp.", RESOLVE_TLS, false },
};

#define SERVICES (sizeof(services) / sizeof(services[0]))

static bool service_usable(size_t i, const struct resolve_plan *plan, unsigned int transports)
{
	return (transports & RESOLVE_T(services[i].transport)) && !(plan->sips && services[i].sip_only);
}

/*
 * A host name we can look up: letters, digits, '-' and '_' in non-empty
 * labels. c-ares hands other bytes back escaped ("\.", "\200"); a record
 * naming such a host is unusable rather than something to pass on.
 */
static bool host_name_ok(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = name[i];

		if (c == '.') {
			if (i == 0 || name[i - 1] == '.' || i == n - 1)
				return false;
		} else if (!isalnum(c) && c != '-' && c != '_') {
			return false;
		}
	}
	return true;
}

/*
 * The length of @name without its trailing dot; 0 for ".", a name too long
 * for DNS or one that is no host name.
 */
static size_t name_len(const char *name)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	return n <= RESOLVE_NAME_MAX && host_name_ok(name, n) ? n : 0;
}

/* @name without its trailing dot; false when name_len() is 0. */
static bool copy_name(char *out, const char *name)
{
	size_t n = name_len(name);

	if (!n)
		return false;
	memcpy(out, name, n);
	out[n] = '\0';
	return true;
}

/*
 * Which services[] row a NAPTR record names, or SERVICES when it is none
 * we may use: RFC 3263 4.1 takes only terminal ("s") records with a
 * replacement and no regexp.
 */
static size_t naptr_service(const struct resolve_naptr *rec, const struct resolve_plan *plan,
			    unsigned int transports)
{
	size_t i;

	if (strcasecmp(rec->flags, "s") || rec->regexp[0] || !name_len(rec->replacement))
		return SERVICES;
	for (i = 0; i < SERVICES; i++)
		if (!strcasecmp(rec->service, services[i].naptr))
			return service_usable(i, plan, transports) ? i : SERVICES;
	return SERVICES;
}

static bool naptr_before(const struct resolve_naptr *a, const struct resolve_naptr *b)
{
	return a->order < b->order || (a->order == b->order && a->preference < b->preference);
}

/**
 * resolve_services_naptr - the SRV names @recs point to, best first
 *
 * Records we may not use are skipped; equal (order, preference) keep the
 * answer's order.
 *
 * Return: how many of @out were filled, at most @max.
 */
size_t resolve_services_naptr(const struct resolve_plan *plan, unsigned int transports,
			      const struct resolve_naptr *recs, size_t n,
			      struct resolve_service *out, size_t max)
{
	const struct resolve_naptr *sorted[RESOLVE_NAPTR_MAX];
	size_t i, j, kept = 0;

	if (max > RESOLVE_NAPTR_MAX)
		max = RESOLVE_NAPTR_MAX;
	/* Insertion sort of the usable records, stable, keeping the @max best. */
	for (i = 0; i < n; i++) {
		if (naptr_service(&recs[i], plan, transports) == SERVICES)
			continue;
		for (j = kept; j > 0 && naptr_before(&recs[i], sorted[j - 1]); j--)
			if (j < max)
				sorted[j] = sorted[j - 1];
		if (j < max) {
			sorted[j] = &recs[i];
			if (kept < max)
				kept++;
		}
	}
	for (i = 0; i < kept; i++) {
		out[i].transport = services[naptr_service(sorted[i], plan, transports)].transport;
		copy_name(out[i].name, sorted[i]->replacement);
	}
	return kept;
}

/**
 * resolve_services_default - the SRV names to try without NAPTR records
 *
 * The plan's transport when the URI named one, else every service we may
 * use in the order of services[].
 *
 * Return: how many of @out were filled, at most @max; 0 when the names
 * would be too long for DNS.
 */
size_t resolve_services_default(const struct resolve_plan *plan, unsigned int transports,
				struct resolve_service *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < SERVICES && n < max; i++) {
		struct resolve_service *s = &out[n];

		if (!service_usable(i, plan, transports))
			continue;
		if (plan->transport && services[i].transport != plan->transport)
			continue;
		if (strlen(services[i].srv) + strlen(plan->name) > RESOLVE_NAME_MAX)
			continue;
		s->transport = services[i].transport;
		snprintf(s->name, sizeof(s->name), "%s%s", services[i].srv, plan->name);
		n++;
	}
	return n;
}

/*
 * RFC 2782 within one priority, @idx[0..n): weight-0 records first, then
 * repeatedly draw r in [0, sum of weights] and take the first record whose
 * running sum reaches r.
 */
static void srv_weighted(const struct resolve_srv *recs, size_t *idx, size_t n,
			 struct resolve_rng *rng)
{
	size_t i, j, zero = 0;

	for (i = 0; i < n; i++) {
		if (recs[idx[i]].weight == 0) {
			size_t t = idx[i];

			memmove(&idx[zero + 1], &idx[zero], (i - zero) * sizeof(*idx));
			idx[zero++] = t;
		}
	}
	for (i = 0; i + 1 < n; i++) {
		uint32_t sum = 0, r, running = 0;

		for (j = i; j < n; j++)
			sum += recs[idx[j]].weight;
		r = resolve_rng_below(rng, sum + 1);
		for (j = i; j < n; j++) {
			running += recs[idx[j]].weight;
			if (running >= r)
				break;
		}
		if (j != i) {
			size_t t = idx[j];

			memmove(&idx[i + 1], &idx[i], (j - i) * sizeof(*idx));
			idx[i] = t;
		}
	}
}

/**
 * resolve_srv_order - RFC 2782 order of SRV records
 * @order: filled with indexes into @recs, room for @n (at most RESOLVE_SRV_MAX used)
 *
 * Lowest priority first; within a priority, weighted random order drawn
 * from @rng. Records with target "." (no service) and port 0 are left out.
 *
 * Return: how many indexes were written.
 */
size_t resolve_srv_order(const struct resolve_srv *recs, size_t n, struct resolve_rng *rng,
			 size_t *order)
{
	size_t i, j, kept = 0, start;

	for (i = 0; i < n && kept < RESOLVE_SRV_MAX; i++) {
		if (!strcmp(recs[i].target, ".") || !recs[i].target[0] || !recs[i].port)
			continue;
		/* Stable insertion by priority. */
		for (j = kept; j > 0 && recs[order[j - 1]].priority > recs[i].priority; j--)
			order[j] = order[j - 1];
		order[j] = i;
		kept++;
	}
	for (start = 0; start < kept; start = i) {
		for (i = start; i < kept && recs[order[i]].priority == recs[order[start]].priority; i++)
			;
		srv_weighted(recs, &order[start], i - start, rng);
	}
	return kept;
}

/**
 * resolve_hops_srv - the hosts to look up for one service's SRV records
 *
 * In resolve_srv_order()'s order, all with @transport; targets whose name
 * is too long for DNS are left out.
 *
 * Return: how many of @out were filled, at most @max.
 */
size_t resolve_hops_srv(const struct resolve_srv *recs, size_t n,
			enum resolve_transport transport, struct resolve_rng *rng,
			struct resolve_hop *out, size_t max)
{
	size_t order[RESOLVE_SRV_MAX];
	size_t i, kept, hops = 0;

	kept = resolve_srv_order(recs, n, rng, order);
	for (i = 0; i < kept && hops < max; i++) {
		const struct resolve_srv *rec = &recs[order[i]];

		if (!copy_name(out[hops].name, rec->target))
			continue;
		out[hops].transport = transport;
		out[hops].port = (uint16_t)rec->port;
		hops++;
	}
	return hops;
}

static bool targets_add(struct resolve_targets *t, enum resolve_transport transport,
			const struct endpoint *addr)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].transport == transport && endpoint_equal(&t->v[i].addr, addr))
			return true;
	if (t->n == RESOLVE_TARGETS_MAX)
		return false;
	t->v[t->n].transport = transport;
	t->v[t->n].addr = *addr;
	t->n++;
	return true;
}

/**
 * resolve_targets_hop - append @hop's addresses to @t
 *
 * IPv6 ones first, IPv4 ones first with @prefer_ipv4, each family in the
 * answer's order; duplicates of earlier targets are skipped.
 *
 * Return: false once @t is full (RESOLVE_TARGETS_MAX).
 */
bool resolve_targets_hop(struct resolve_targets *t, const struct resolve_hop *hop,
			 const struct in6_addr *v6, size_t n6, const struct in_addr *v4, size_t n4,
			 bool prefer_ipv4)
{
	struct endpoint ep = { .port = hop->port };
	int pass;
	size_t i;

	for (pass = 0; pass < 2; pass++) {
		bool ipv4 = (pass == 0) == prefer_ipv4;

		ep.family = ipv4 ? AF_INET : AF_INET6;
		for (i = 0; i < (ipv4 ? n4 : n6); i++) {
			if (ipv4)
				ep.addr.v4 = v4[i];
			else
				ep.addr.v6 = v6[i];
			if (!targets_add(t, hop->transport, &ep))
				return false;
		}
	}
	return true;
}

/**
 * resolve_targets_next - the next target to try, NULL when all were tried
 */
const struct resolve_target *resolve_targets_next(struct resolve_targets *t)
{
	return t->next < t->n ? &t->v[t->next++] : NULL;
}
