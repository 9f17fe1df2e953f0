/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CORE_H
#define SIPPROXY_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "config.h"
#include "credentials.h"
#include "daemon.h"
#include "location.h"
#include "ratelimit.h"
#include "sip_msg.h"
#include "stats.h"
#include "transport.h"
#include "txn.h"

/*
 * The SIP core: what the transport layer hands a message to. It parses,
 * lets the transaction layer absorb retransmissions, and gives each new
 * request to its user: the registrar, the redirect server or the proxy.
 * It owns every SIP-side object of the daemon.
 */

/* The largest message we build: a received one plus our Via and Record-Routes. */
#define CORE_OUT_MAX (SIP_MAX_MSG_SIZE + 4096)
/* What an OPTIONS to the proxy itself is answered with. */
#define CORE_ALLOW "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, " \
	"SUBSCRIBE, NOTIFY, INFO, UPDATE, PRACK, REFER, PUBLISH\r\nSupported: path\r\n"
/* A To tag we generate: 16 hex digits. */
#define CORE_TAG_LEN 16

struct core {
	struct loop *loop;
	const struct config *cfg;
	struct transport *tp;
	struct txn_table *txns;

	struct location_store *store;	/* NULL: bindings in memory only */
	struct location *loc;
	struct timer expiry;		/* the next binding expiry */

	struct routing *routing;	/* [routes] and our domains */
	struct resolver *resolver;	/* RFC 3263 */
	struct proxy_calls *calls;	/* media anchoring (proxy_calls.h); NULL: none */

	struct auth *auth;		/* NULL: no credentials_file, no authentication */
	struct credentials *creds;
	struct ratelimit *failures;
	char realm[AUTH_MAX_REALM + 1];

	struct stats stats;
	struct log_ratelimit rl;
	uint64_t seq;			/* tags and branches */
	char salt[17];			/* per-process random hex */

	struct sip_msg msg;		/* the message being handled */
	struct sip_msg scratch;		/* a stored message parsed again */
	char out[CORE_OUT_MAX];
};

int core_new(struct loop *loop, const struct config *cfg, const struct listeners *l,
	     struct core **out, char *err, size_t errlen);
void core_free(struct core *c);
void core_log_stats(struct core *c);
int core_reload(struct core *c, const struct config *cfg, const struct listeners *l,
		char *err, size_t errlen);

int core_reply(struct core *c, struct txn *t, const struct sip_msg *req, int status,
	       const char *reason, const char *extra);
int core_reply_stateless(struct core *c, const struct sip_msg *req, const struct tp_addr *src,
			 int status, const char *reason, const char *extra);
int core_send(struct core *c, const struct tp_addr *dst, const char *buf, size_t len);
struct sip_rewrite;
int core_forward_response(struct core *c, const struct sip_msg *msg, struct sip_rewrite *rw);
void core_log_outcome(struct core *c, const struct txn *t, int status, struct sip_str reason);

bool core_user_known(const struct core *c, struct sip_str user);
bool core_domain_is_ours(const struct core *c, struct sip_str host);
bool core_uri_is_us(const struct core *c, const struct sip_uri *uri);
bool core_uri_endpoint(const struct sip_uri *uri, struct endpoint *ep);
void core_make_tag(struct core *c, char tag[CORE_TAG_LEN + 1]);
int64_t core_seconds(const struct core *c);
void core_arm_expiry(struct core *c);

#endif
