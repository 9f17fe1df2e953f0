/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_AUTHZ_H
#define SIPPROXY_AUTHZ_H

#include "core.h"

/*
 * Who may do what: digest authentication of our users (401 from the
 * registrar, 407 from the proxy), trusted peers that skip it, and the
 * per-source limit on failed attempts.
 */
enum authz_kind {
	AUTHZ_REGISTRAR,	/* Authorization, answered 401 + WWW-Authenticate */
	AUTHZ_PROXY,		/* Proxy-Authorization, answered 407 + Proxy-Authenticate */
};

/* Challenges for every algorithm offered, as header lines. */
#define AUTHZ_EXTRA_MAX (AUTH_MAX_CHALLENGES * (AUTH_CHALLENGE_MAX + 24))

/* The answer when authorization did not succeed. */
struct authz_denial {
	int status;
	const char *reason;
	char extra[AUTHZ_EXTRA_MAX];
};

bool authz_enabled(const struct core *c);
bool authz_trusted(const struct core *c, const struct endpoint *src);
bool authz_check(struct core *c, const struct sip_msg *msg, const struct tp_addr *src,
		 enum authz_kind kind, struct sip_str user, struct authz_denial *deny);

#endif
