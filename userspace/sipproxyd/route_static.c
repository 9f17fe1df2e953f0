// SPDX-License-Identifier: GPL-2.0
/*
 * [routes] lookups: a telephone number (tel: or a sip: user starting with
 * '+') takes the longest matching "+DIGITS" prefix; anything else the
 * entry for its domain, compared without case.
 */
#include "route_static.h"

static bool number_matches(const char *prefix, struct sip_str number, size_t *len)
{
	size_t i, j = 0;

	/* Visual separators (RFC 3966) do not count: "+1-212" is "+1212". */
	for (i = 0; prefix[i]; i++) {
		while (j < number.len && (number.s[j] == '-' || number.s[j] == '.' ||
					  number.s[j] == '(' || number.s[j] == ')'))
			j++;
		if (j == number.len || number.s[j] != prefix[i])
			return false;
		j++;
	}
	*len = i;
	return true;
}

/**
 * route_static_lookup - the [routes] next hop for @ruri
 *
 * Return: the next-hop URI as configured, or NULL when no entry matches.
 */
const char *route_static_lookup(const struct config *cfg, const struct sip_uri *ruri)
{
	struct sip_str number = ruri->user;
	const char *best = NULL;
	size_t best_len = 0, len, i;
	bool is_number = sip_str_present(number) && number.len && number.s[0] == '+';

	for (i = 0; i < cfg->routes.n; i++) {
		const struct config_route *r = &cfg->routes.v[i];

		if (r->match[0] == '+') {
			if (is_number && number_matches(r->match, number, &len) && len > best_len) {
				best = r->next_hop;
				best_len = len;
			}
		} else if (!best && sip_str_present(ruri->host) &&
			   sip_str_caseeq_cstr(ruri->host, r->match)) {
			best = r->next_hop;
		}
	}
	return best;
}
