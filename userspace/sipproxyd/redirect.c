// SPDX-License-Identifier: GPL-2.0
/*
 * Redirect mode (RFC 3261 8.3 from the server's side): every request for
 * one of our users is answered 302 with the user's bindings as Contacts,
 * highest q first, 480 when a known user has none, 404 otherwise.
 */
#include <stdlib.h>
#include <time.h>

#include "redirect.h"
#include "registrar.h"

void redirect_request(struct core *c, struct txn *t, const struct sip_msg *msg,
		      const struct tp_addr *src)
{
	const struct location_binding *b[LOCATION_MAX_CONTACTS_LIMIT];
	char aor[REGISTRAR_AOR_MAX];
	size_t n, used, cap = SIP_MAX_MSG_SIZE / 2;
	int64_t now = time(NULL);
	char *extra;

	if (msg->method_id == SIP_METHOD_OPTIONS && core_uri_is_us(c, &msg->ruri)) {
		core_reply(c, t, msg, 200, "OK", CORE_ALLOW);
		return;
	}
	if (registrar_aor(c, &msg->ruri, aor)) {
		core_reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	n = location_lookup(c->loc, sip_str_make(aor, strlen(aor)), now, b,
			    LOCATION_MAX_CONTACTS_LIMIT);
	if (!n) {
		if (core_user_known(c, msg->ruri.user))
			core_reply(c, t, msg, 480, "Temporarily Unavailable", NULL);
		else
			core_reply(c, t, msg, 404, "Not Found", NULL);
		return;
	}
	extra = malloc(cap);
	if (!extra) {
		core_reply(c, t, msg, 500, "Server Internal Error", NULL);
		return;
	}
	used = registrar_contacts(b, n, now, extra, cap);
	if (used) {
		c->stats.redirects++;
		core_reply(c, t, msg, 302, "Moved Temporarily", extra);
	} else {
		core_reply(c, t, msg, 500, "Too Many Contacts To List", NULL);
	}
	free(extra);
}
