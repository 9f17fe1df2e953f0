/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_STATS_H
#define SIPPROXY_STATS_H

#include <stdint.h>

#include "transport.h"

/*
 * sipproxyd's counters, logged as "stats: ..." lines on SIGUSR1 and at
 * exit (sipproxyd(8) documents every name). They only ever grow.
 */
enum stats_drop {
	STATS_DROP_PARSE,		/* unparseable, answered 400 when possible */
	STATS_DROP_TOO_LARGE,		/* over max_message_size */
	STATS_DROP_FRAMING,		/* a stream that cannot be framed */
	STATS_DROP_CONN_LIMIT,		/* over max_tcp_connections */
	STATS_DROP_PENDING_LIMIT,	/* over max_pending_bytes_per_connection */
	STATS_DROP_TLS,			/* failed TLS handshake */
	STATS_DROP_TXN_LIMIT,		/* over max_transactions, answered 503 */
	STATS_DROP_STRAY_RESPONSE,	/* a response matching nothing of ours */
	STATS_DROP_STRAY_ACK,		/* an ACK with nowhere to go */
	STATS_DROP_SEND_FAILED,		/* the transport refused a message */
	STATS_DROP_AUTH_BLOCKED,	/* a source over max_failures_per_minute */
	STATS_DROP_COUNT
};

struct stats {
	uint64_t requests;		/* received, retransmissions included */
	uint64_t responses_in[7];	/* received, by class (index 1..6) */
	uint64_t responses_out[7];	/* sent, forwarded or generated, by class */
	uint64_t registrations;		/* REGISTERs answered 200 */
	uint64_t registrations_failed;	/* REGISTERs answered otherwise, challenges excluded */
	uint64_t challenges;		/* 401 and 407 we sent */
	uint64_t auth_failures;		/* wrong credentials or replays */
	uint64_t calls_forwarded;	/* INVITEs forwarded outside a dialog */
	uint64_t redirects;		/* 302s of redirect mode */
	uint64_t drops[STATS_DROP_COUNT];
};

void stats_drop(struct stats *s, enum stats_drop why);
enum stats_drop stats_drop_of_transport(enum tp_drop why);
const char *stats_drop_name(enum stats_drop why);

#endif
