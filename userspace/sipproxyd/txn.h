/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TXN_H
#define SIPPROXY_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/timer.h"
#include "sip_msg.h"
#include "transport.h"

/*
 * RFC 3261 section 17 transactions, with RFC 6026's Accepted states: the
 * four state machines, their timers (A to K, L and M) and the table that
 * matches messages to them (17.1.3, 17.2.3). The layer never reads a clock
 * or a socket itself: everything goes through struct txn_ops, so tests run
 * it under a virtual clock.
 */

/* A branch we generate: the cookie, 16 hex digits of loop hash, '.', 16 of sequence. */
#define TXN_BRANCH_MAX 64
/* Timer C of a proxy (16.6 step 11): longer than three minutes. */
#define TXN_TIMER_C_MS (181 * 1000)

enum txn_state {
	TXN_CALLING = 1,	/* client INVITE */
	TXN_TRYING,		/* client and server non-INVITE */
	TXN_PROCEEDING,
	TXN_COMPLETED,
	TXN_CONFIRMED,		/* server INVITE, ACK received */
	TXN_ACCEPTED,		/* RFC 6026: INVITE after a 2xx */
	TXN_TERMINATED,
};

struct txn;
struct txn_table;

struct txn_ops {
	uint64_t (*now)(void *ctx);
	void (*timer_arm)(void *ctx, struct timer *timer, uint64_t delay_ms);
	void (*timer_cancel)(void *ctx, struct timer *timer);
	int (*send)(void *ctx, const struct tp_addr *dst, const char *buf, size_t len);
	/*
	 * A client transaction's response for its user (never a 100 after a
	 * provisional, never a retransmitted final except 2xx to INVITE,
	 * which RFC 6026 passes up every time).
	 */
	void (*response)(void *ctx, struct txn *t, const struct sip_msg *msg);
	/* A client transaction ended without a final response: Timer B/F or a send error. */
	void (*timeout)(void *ctx, struct txn *t, bool transport_error);
	/* Either kind is about to be freed: forget every pointer to it. */
	void (*terminated)(void *ctx, struct txn *t);
};

struct txn_config {
	uint64_t t1, t2, t4;		/* milliseconds */
	size_t max_transactions;
};

/* Counts for the daemon's counters. */
struct txn_counts {
	uint64_t created;
	uint64_t retransmissions;	/* requests and responses we resent */
	uint64_t absorbed;		/* retransmissions received and answered here */
	uint64_t timeouts;
	uint64_t refused;		/* over max_transactions */
};

int txn_table_new(const struct txn_config *cfg, const struct txn_ops *ops, void *ctx,
		  struct txn_table **out);
void txn_table_free(struct txn_table *tab);
void txn_table_set_config(struct txn_table *tab, const struct txn_config *cfg);
size_t txn_count(const struct txn_table *tab);
const struct txn_counts *txn_counts(const struct txn_table *tab);

/* Server transactions. */
struct txn *txn_server_match(struct txn_table *tab, const struct sip_msg *msg,
			     enum sip_method as_method);
int txn_server_new(struct txn_table *tab, const struct sip_msg *msg, const struct tp_addr *src,
		   struct txn **out);
bool txn_server_retransmission(struct txn *t, const struct sip_msg *msg);
int txn_server_respond(struct txn *t, int status, const char *buf, size_t len);
void txn_server_drop(struct txn *t);

/* Client transactions. */
int txn_client_new(struct txn_table *tab, const struct sip_msg *req, const char *buf, size_t len,
		   struct sip_str branch, const struct tp_addr *dst, struct txn **out);
int txn_client_resume(struct txn_table *tab, const struct sip_msg *req, const char *buf,
		      size_t len, struct sip_str branch, const struct tp_addr *dst,
		      struct txn **out);
bool txn_client_receive(struct txn_table *tab, const struct sip_msg *msg);
void txn_client_abandon(struct txn *t);

/* Accessors. */
enum txn_state txn_state(const struct txn *t);
bool txn_is_invite(const struct txn *t);
bool txn_is_server(const struct txn *t);
const struct tp_addr *txn_peer(const struct txn *t);
const char *txn_request(const struct txn *t, size_t *len);
int txn_last_status(const struct txn *t);
void txn_set_user(struct txn *t, void *user);
void *txn_user(const struct txn *t);
const char *txn_log_context(const struct txn *t);

const char *txn_state_name(enum txn_state state);

#endif
