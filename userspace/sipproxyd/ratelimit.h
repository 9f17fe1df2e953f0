/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_RATELIMIT_H
#define SIPPROXY_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"

/*
 * Failed authentication attempts per source IP address (the port is
 * ignored), as a token bucket: max_failures_per_minute may come at once,
 * then one more each 60 / max_failures_per_minute seconds. The table holds
 * at most max_sources addresses, allocated up front; when full, the least
 * recently failing address is forgotten. Time is the caller's @now, in
 * seconds.
 */
#define RATELIMIT_DEFAULT_FAILURES_PER_MINUTE 10
#define RATELIMIT_DEFAULT_SOURCES 4096

struct ratelimit_config {
	unsigned int max_failures_per_minute;
	size_t max_sources;
};

struct ratelimit;

void ratelimit_config_default(struct ratelimit_config *cfg);
int ratelimit_new(const struct ratelimit_config *cfg, struct ratelimit **out);
void ratelimit_free(struct ratelimit *rl);
bool ratelimit_blocked(struct ratelimit *rl, const struct endpoint *src, int64_t now);
void ratelimit_failure(struct ratelimit *rl, const struct endpoint *src, int64_t now);
size_t ratelimit_sources(const struct ratelimit *rl);

#endif
