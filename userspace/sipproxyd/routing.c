// SPDX-License-Identifier: GPL-2.0
/*
 * The routing decision of routing.h: served domains and [routes] kept in
 * sorted arrays, so one decision is a few binary searches whatever the
 * number of routes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing.h"

/* E.164: at most 15 digits. */
#define ROUTING_NUMBER_MAX 15
/* RFC 1035: 253 characters in a name, plus the trailing dot one may carry. */
#define ROUTING_HOST_MAX 254

struct routing_local {
	char *name;		/* lower case */
	int family;		/* AF_INET/AF_INET6 when @name is an address, else 0 */
	struct in6_addr addr;	/* v4 in the first 4 bytes */
};

struct routing_route {
	const char *key;	/* a domain, or the digits after '+' */
	const char *match;	/* as configured */
	char *next_hop_text;	/* @next_hop's views point in here */
	struct sip_uri next_hop;
};

struct routing {
	struct routing_local *locals;
	size_t nlocals;
	struct routing_route *domains;	/* sorted by key */
	size_t ndomains;
	struct routing_route *numbers;	/* sorted by key */
	size_t nnumbers;
};

static int route_cmp(const void *a, const void *b)
{
	const struct routing_route *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static const struct routing_route *route_find(const struct routing_route *v, size_t n,
					      const char *key)
{
	struct routing_route probe = { .key = key };

	return n ? bsearch(&probe, v, n, sizeof(*v), route_cmp) : NULL;
}

static int add_local(struct routing_local *l, const char *domain)
{
	l->name = strdup(domain);
	if (!l->name)
		return -ENOMEM;
	if (inet_pton(AF_INET, domain, &l->addr) == 1)
		l->family = AF_INET;
	else if (inet_pton(AF_INET6, domain, &l->addr) == 1)
		l->family = AF_INET6;
	return 0;
}

static int add_route(struct routing *r, const struct config_route *cr, char *why, size_t len)
{
	bool number = cr->match[0] == '+';
	struct routing_route *rt = number ? &r->numbers[r->nnumbers] : &r->domains[r->ndomains];

	rt->match = cr->match;
	rt->key = number ? cr->match + 1 : cr->match;
	rt->next_hop_text = strdup(cr->next_hop);
	if (!rt->next_hop_text)
		return -ENOMEM;
	if (sip_uri_parse(sip_str_make(rt->next_hop_text, strlen(rt->next_hop_text)),
			  &rt->next_hop) ||
	    (rt->next_hop.scheme != SIP_SCHEME_SIP && rt->next_hop.scheme != SIP_SCHEME_SIPS)) {
		snprintf(why, len, "route for '%s': next hop '%s' is not a valid sip: or sips: URI",
			 cr->match, cr->next_hop);
		free(rt->next_hop_text);
		return -EINVAL;
	}
	if (number)
		r->nnumbers++;
	else
		r->ndomains++;
	return 0;
}

/**
 * routing_new - build the routing table of @cfg's domains and [routes]
 *
 * The table keeps its own copies of the next hops but points at
 * @cfg->routes' match strings: free it before @cfg.
 *
 * Return: 0, -ENOMEM, or -EINVAL when a next hop does not parse as a SIP
 * URI (the reason in @why).
 */
int routing_new(const struct config *cfg, struct routing **out, char *why, size_t len)
{
	struct routing *r;
	size_t i;
	int ret = -ENOMEM;

	r = calloc(1, sizeof(*r));
	if (!r)
		goto err_nomem;
	r->locals = calloc(cfg->domains.n + 1, sizeof(*r->locals));
	r->domains = calloc(cfg->routes.n + 1, sizeof(*r->domains));
	r->numbers = calloc(cfg->routes.n + 1, sizeof(*r->numbers));
	if (!r->locals || !r->domains || !r->numbers)
		goto err_free;
	for (i = 0; i < cfg->domains.n; i++) {
		ret = add_local(&r->locals[i], cfg->domains.v[i]);
		if (ret)
			goto err_free;
		r->nlocals++;
	}
	for (i = 0; i < cfg->routes.n; i++) {
		ret = add_route(r, &cfg->routes.v[i], why, len);
		if (ret)
			goto err_free;
	}
	qsort(r->domains, r->ndomains, sizeof(*r->domains), route_cmp);
	qsort(r->numbers, r->nnumbers, sizeof(*r->numbers), route_cmp);
	*out = r;
	return 0;

err_free:
	routing_free(r);
	if (ret != -ENOMEM)
		return ret;
err_nomem:
	snprintf(why, len, "out of memory");
	return -ENOMEM;
}

void routing_free(struct routing *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nlocals; i++)
		free(r->locals[i].name);
	for (i = 0; i < r->ndomains; i++)
		free(r->domains[i].next_hop_text);
	for (i = 0; i < r->nnumbers; i++)
		free(r->numbers[i].next_hop_text);
	free(r->locals);
	free(r->domains);
	free(r->numbers);
	free(r);
}

/*
 * The digits of a global number ("+1-212-555-0100" -> "12125550100"),
 * the user part of a sip URI ending at its first ';'. False when @user is
 * not one.
 */
static bool number_digits(struct sip_str user, char digits[ROUTING_NUMBER_MAX + 1])
{
	size_t i, n = 0;

	if (!user.len || user.s[0] != '+')
		return false;
	for (i = 1; i < user.len && user.s[i] != ';'; i++) {
		char c = user.s[i];

		if (c >= '0' && c <= '9') {
			if (n == ROUTING_NUMBER_MAX)
				return false;
			digits[n++] = c;
		} else if (!strchr("-.()", c)) {
			return false;
		}
	}
	digits[n] = '\0';
	return n > 0;
}

static bool is_number_uri(const struct sip_uri *uri, char digits[ROUTING_NUMBER_MAX + 1])
{
	if (uri->scheme == SIP_SCHEME_TEL)
		return number_digits(uri->user, digits);
	return sip_str_present(uri->user_param) && sip_str_caseeq_cstr(uri->user_param, "phone") &&
	       number_digits(uri->user, digits);
}

/* The longest "+DIGITS" route that is a prefix of @digits. */
static const struct routing_route *number_route(const struct routing *r, char *digits)
{
	size_t n;

	for (n = strlen(digits); n > 0; n--) {
		const struct routing_route *rt;

		digits[n] = '\0';
		rt = route_find(r->numbers, r->nnumbers, digits);
		if (rt)
			return rt;
	}
	return NULL;
}

static bool is_local(const struct routing *r, const struct sip_uri *uri, const char *host)
{
	struct in6_addr addr = { 0 };
	int family = 0;
	size_t i;

	if (uri->host_type == SIP_HOST_IPV4 && inet_pton(AF_INET, host, &addr) == 1)
		family = AF_INET;
	else if (uri->host_type == SIP_HOST_IPV6 && inet_pton(AF_INET6, host, &addr) == 1)
		family = AF_INET6;
	for (i = 0; i < r->nlocals; i++) {
		const struct routing_local *l = &r->locals[i];

		if (family ? l->family == family && !memcmp(&l->addr, &addr, sizeof(addr)) :
			     !strcmp(l->name, host))
			return true;
	}
	return false;
}

/* The route of @host or of its nearest parent domain. */
static const struct routing_route *domain_route(const struct routing *r, const char *host)
{
	const char *p = host;

	while (p) {
		const struct routing_route *rt = route_find(r->domains, r->ndomains, p);

		if (rt)
			return rt;
		p = strchr(p, '.');
		if (p)
			p++;
	}
	return NULL;
}

/* Lower case, without a trailing dot; false when too long to be a name. */
static bool host_normalize(struct sip_str host, char out[ROUTING_HOST_MAX + 1])
{
	size_t i;

	if (host.len > ROUTING_HOST_MAX)
		return false;
	for (i = 0; i < host.len; i++)
		out[i] = sip_lower(host.s[i]);
	if (i && out[i - 1] == '.')
		i--;
	out[i] = '\0';
	return true;
}

static void decide_none(struct routing_decision *d, int status)
{
	d->kind = ROUTING_NONE;
	d->status = status;
}

static void decide_static(struct routing_decision *d, const struct routing_route *rt)
{
	d->kind = ROUTING_STATIC;
	d->match = rt->match;
	d->next_hop = &rt->next_hop;
}

/**
 * routing_decide - where a request for @uri goes (the rule is in routing.h)
 */
void routing_decide(const struct routing *r, const struct sip_uri *uri,
		    struct routing_decision *d)
{
	char digits[ROUTING_NUMBER_MAX + 1], host[ROUTING_HOST_MAX + 1];
	const struct routing_route *rt;

	*d = (struct routing_decision){ 0 };
	if (uri->scheme != SIP_SCHEME_SIP && uri->scheme != SIP_SCHEME_SIPS &&
	    uri->scheme != SIP_SCHEME_TEL) {
		decide_none(d, 416);
		return;
	}
	if (is_number_uri(uri, digits)) {
		rt = number_route(r, digits);
		if (rt) {
			decide_static(d, rt);
			return;
		}
	}
	if (uri->scheme == SIP_SCHEME_TEL) {
		decide_none(d, 404);
		return;
	}
	if (host_normalize(uri->host, host)) {
		if (is_local(r, uri, host)) {
			d->kind = ROUTING_LOCAL;
			return;
		}
		rt = uri->host_type == SIP_HOST_NAME ? domain_route(r, host) : NULL;
		if (rt) {
			decide_static(d, rt);
			return;
		}
	}
	d->kind = ROUTING_DNS;
}
