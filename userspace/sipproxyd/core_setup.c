// SPDX-License-Identifier: GPL-2.0
/*
 * The core's long-lived services: the location service with its SQLite
 * store and expiry timer, and digest authentication with its credentials
 * and per-source failure limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_setup.h"
#include "resolve.h"
#include "routing.h"
#include "store_sqlite.h"

/* Contact comparison for the location service: RFC 3261 19.1.4. */
static bool contact_equal(struct sip_str a, struct sip_str b)
{
	struct sip_uri ua, ub;

	if (sip_uri_parse(a, &ua) || sip_uri_parse(b, &ub))
		return sip_str_eq(a, b);
	return sip_uri_equal(&ua, &ub);
}

static void on_expiry(struct timer *timer, uint64_t now)
{
	struct core *c = container_of(timer, struct core, expiry);
	size_t n = location_expire(c->loc, time(NULL));

	if (n)
		log_info("%zu binding%s expired", n, n == 1 ? "" : "s");
	core_arm_expiry(c);
}

/* Arm the expiry timer for the earliest binding; call after every change. */
void core_arm_expiry(struct core *c)
{
	int64_t next = location_next_expiry(c->loc), now = time(NULL);

	if (next == INT64_MAX) {
		loop_timer_cancel(c->loop, &c->expiry);
		return;
	}
	loop_timer_arm(c->loop, &c->expiry, next > now ? (uint64_t)(next - now) * 1000 : 0);
}

int core_setup_registrar(struct core *c, char *err, size_t errlen)
{
	const struct config *cfg = c->cfg;
	struct location_config lc;
	size_t skipped = 0;
	int ret;

	location_config_default(&lc);
	lc.default_expires = cfg->default_expires;
	lc.min_expires = cfg->min_expires;
	lc.max_expires = cfg->max_expires;
	lc.max_contacts = cfg->max_contacts_per_aor;
	lc.contact_equal = contact_equal;
	if (*cfg->registrar_database) {
		ret = store_sqlite_ops.open(cfg->registrar_database, &c->store, err, errlen);
		if (ret)
			return ret;
	}
	ret = location_new(&lc, c->store, &c->loc);
	if (ret) {
		snprintf(err, errlen, "cannot create the location service: %s", strerror(-ret));
		goto err_store;
	}
	/* Wall-clock seconds: bindings outlive restarts. */
	ret = location_load(c->loc, time(NULL), &skipped);
	if (ret) {
		snprintf(err, errlen, "cannot load %s: %s", cfg->registrar_database,
			 strerror(-ret));
		goto err_loc;
	}
	if (skipped)
		log_warn("%s: skipped %zu unusable bindings", cfg->registrar_database, skipped);
	timer_init(&c->expiry, on_expiry);
	core_arm_expiry(c);
	return 0;

err_loc:
	location_free(c->loc);
err_store:
	if (c->store)
		c->store->ops->close(c->store);
	c->store = NULL;
	c->loc = NULL;
	return ret;
}

void core_teardown_registrar(struct core *c)
{
	if (!c->loc)
		return;
	loop_timer_cancel(c->loop, &c->expiry);
	location_free(c->loc);
	if (c->store)
		c->store->ops->close(c->store);
}

/* Where requests for other domains go: [routes], then RFC 3263. */
int core_setup_routing(struct core *c, const struct config *cfg, char *err, size_t errlen)
{
	struct resolve_config rc = { 0 };
	int ret;

	ret = routing_new(cfg, &c->routing, err, errlen);
	if (ret)
		return ret;
	if (cfg->listen_udp.n)
		rc.transports |= RESOLVE_T(RESOLVE_UDP);
	if (cfg->listen_tcp.n)
		rc.transports |= RESOLVE_T(RESOLVE_TCP);
	/* TLS needs no listener of ours to connect out. */
	rc.transports |= RESOLVE_T(RESOLVE_TLS);
	ret = resolve_new(c->loop, &rc, &c->resolver);
	if (ret) {
		snprintf(err, errlen, "cannot start the DNS resolver: %s", strerror(-ret));
		routing_free(c->routing);
		c->routing = NULL;
	}
	return ret;
}

/* New [routes] replace the old only when they parse; the resolver stays. */
int core_reload_routing(struct core *c, const struct config *cfg, char *err, size_t errlen)
{
	struct routing *r;
	int ret = routing_new(cfg, &r, err, errlen);

	if (ret)
		return ret;
	routing_free(c->routing);
	c->routing = r;
	return 0;
}

void core_teardown_routing(struct core *c)
{
	resolve_free(c->resolver);
	routing_free(c->routing);
	c->resolver = NULL;
	c->routing = NULL;
}

/* The services one configuration asks for, built apart so a reload can fail cleanly. */
struct auth_set {
	struct auth *auth;
	struct credentials *creds;
	struct ratelimit *failures;
	char realm[AUTH_MAX_REALM + 1];
};

static void auth_set_free(struct auth_set *s)
{
	auth_free(s->auth);
	credentials_free(s->creds);
	ratelimit_free(s->failures);
}

static int auth_set_new(struct auth_set *s, const struct config *cfg, char *err, size_t errlen)
{
	const char *realm = *cfg->auth_realm ? cfg->auth_realm
					     : cfg->domains.n ? cfg->domains.v[0] : "sipproxyd";
	struct ratelimit_config rc;
	struct auth_config ac;
	int ret;

	memset(s, 0, sizeof(*s));
	snprintf(s->realm, sizeof(s->realm), "%s", realm);
	if (!*cfg->auth_credentials_file)
		return 0;
	ret = credentials_load(cfg->auth_credentials_file, &s->creds, err, errlen);
	if (ret)
		return ret;
	auth_config_default(&ac, s->realm);
	ac.algorithms = 0;
	if (cfg->auth_algorithms & CONFIG_AUTH_MD5)
		ac.algorithms |= DIGEST_MD5;
	if (cfg->auth_algorithms & CONFIG_AUTH_SHA256)
		ac.algorithms |= DIGEST_SHA256;
	ac.nonce_lifetime = cfg->nonce_lifetime_ms / 1000;
	ret = auth_new(&ac, &s->auth);
	if (ret) {
		snprintf(err, errlen, "cannot set up authentication for realm \"%s\": %s",
			 s->realm, strerror(-ret));
		goto err_free;
	}
	ratelimit_config_default(&rc);
	rc.max_failures_per_minute = cfg->max_failures_per_minute;
	ret = ratelimit_new(&rc, &s->failures);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	return 0;

err_free:
	auth_set_free(s);
	return ret;
}

static void install(struct core *c, struct auth_set *s)
{
	c->auth = s->auth;
	c->creds = s->creds;
	c->failures = s->failures;
	memcpy(c->realm, s->realm, sizeof(c->realm));
}

int core_setup_auth(struct core *c, const struct config *cfg, char *err, size_t errlen)
{
	struct auth_set s;
	int ret = auth_set_new(&s, cfg, err, errlen);

	if (!ret)
		install(c, &s);
	return ret;
}

/* New credentials replace the old only when they load. */
int core_reload_auth(struct core *c, const struct config *cfg, char *err, size_t errlen)
{
	struct auth_set s;
	int ret = auth_set_new(&s, cfg, err, errlen);

	if (ret)
		return ret;
	core_teardown_auth(c);
	install(c, &s);
	return 0;
}

void core_teardown_auth(struct core *c)
{
	struct auth_set s = { .auth = c->auth, .creds = c->creds, .failures = c->failures };

	auth_set_free(&s);
	c->auth = NULL;
	c->creds = NULL;
	c->failures = NULL;
}
