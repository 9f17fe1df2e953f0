// SPDX-License-Identifier: GPL-2.0
/*
 * [routes]: "DOMAIN = URI" sends requests for a domain, "+DIGITS = URI"
 * requests for telephone numbers starting with those digits, to a fixed
 * next hop. Only the shape is checked here; the proxy core picks routes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_table.h"

/* E.164 numbers have at most 15 digits. */
#define E164_DIGITS_MAX 15

static bool number_prefix_valid(const char *match)
{
	size_t digits = strspn(match + 1, "0123456789");

	return match[0] == '+' && digits > 0 && digits <= E164_DIGITS_MAX &&
	       match[1 + digits] == '\0';
}

/* RFC 3261 paramchar: unreserved, param-unreserved and escapes. */
static bool paramchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("-_.!~*'()[]/:&+$%", c));
}

/* ";name[=value]" repeated, to the end of @p. */
static bool params_valid(const char *p)
{
	while (*p == ';') {
		size_t name = 0;

		for (p++; paramchar(*p) && *p != '='; p++)
			name++;
		if (!name)
			return false;
		if (*p == '=') {
			if (!paramchar(*++p))
				return false;
			while (paramchar(*p))
				p++;
		}
	}
	return *p == '\0';
}

/* "sip:" or "sips:", a host, an optional port, optional parameters. */
static bool next_hop_valid(const char *uri)
{
	char host[CONFIG_HOST_NAME_MAX + 1];
	struct endpoint ep;
	const char *p, *end;
	size_t n;

	if (!strncasecmp(uri, "sip:", 4))
		p = uri + 4;
	else if (!strncasecmp(uri, "sips:", 5))
		p = uri + 5;
	else
		return false;

	end = *p == '[' ? strchr(p, ']') : p + strcspn(p, ":;");
	if (!end)
		return false;
	if (*p == '[')
		p++;
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(host))
		return false;
	memcpy(host, p, n);
	host[n] = '\0';
	if (*end == ']') {
		if (config_address_parse(&ep, host) || ep.family != AF_INET6)
			return false;
		end++;
	} else if (config_address_parse(&ep, host) || ep.family != AF_INET) {
		if (!config_host_name_valid(host))
			return false;
	}

	if (*end == ':') {
		size_t digits = strspn(end + 1, "0123456789");
		long port = digits && digits <= 5 ? strtol(end + 1, NULL, 10) : 0;

		if (port < 1 || port > 65535)
			return false;
		end += 1 + digits;
	}
	return params_valid(end);
}

/**
 * config_route_add - add the [routes] entry "@match = @next_hop"
 *
 * Return: 0, or -1 with the reason in @why.
 */
int config_route_add(struct config *cfg, const char *match, const char *next_hop,
		     char *why, size_t len)
{
	struct config_routes *routes = &cfg->routes;
	struct config_route *grown, route = { 0 };
	size_t i;

	if (routes->n == CONFIG_ROUTES_MAX) {
		snprintf(why, len, "more than %d routes", CONFIG_ROUTES_MAX);
		return -1;
	}
	route.match = strdup(match);
	route.next_hop = strdup(next_hop);
	if (!route.match || !route.next_hop) {
		snprintf(why, len, "out of memory");
		goto err_free;
	}
	if (!number_prefix_valid(route.match) && !config_host_name_valid(route.match)) {
		snprintf(why, len, "route for '%s': not a domain or +DIGITS (at most %d)", match,
			 E164_DIGITS_MAX);
		goto err_free;
	}
	if (!next_hop_valid(next_hop)) {
		snprintf(why, len, "route for '%s': next hop '%s' is not sip:HOST[:PORT][;PARAMS] or sips:...",
			 match, next_hop);
		goto err_free;
	}
	for (i = 0; i < routes->n; i++) {
		if (!strcmp(routes->v[i].match, route.match)) {
			snprintf(why, len, "duplicate route for '%s'", route.match);
			goto err_free;
		}
	}
	grown = realloc(routes->v, (routes->n + 1) * sizeof(*grown));
	if (!grown) {
		snprintf(why, len, "out of memory");
		goto err_free;
	}
	grown[routes->n++] = route;
	routes->v = grown;
	return 0;

err_free:
	free(route.match);
	free(route.next_hop);
	return -1;
}

void config_routes_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->routes.n; i++) {
		free(cfg->routes.v[i].match);
		free(cfg->routes.v[i].next_hop);
	}
	free(cfg->routes.v);
	cfg->routes.v = NULL;
	cfg->routes.n = 0;
}
