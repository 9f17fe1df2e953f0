// SPDX-License-Identifier: GPL-2.0
/* The counters' names: the log lines sipproxyd(8) documents. */
#include "stats.h"

static const char *const drop_names[STATS_DROP_COUNT] = {
	[STATS_DROP_PARSE] = "parse",
	[STATS_DROP_TOO_LARGE] = "too_large",
	[STATS_DROP_FRAMING] = "framing",
	[STATS_DROP_CONN_LIMIT] = "conn_limit",
	[STATS_DROP_PENDING_LIMIT] = "pending_limit",
	[STATS_DROP_TLS] = "tls_handshake",
	[STATS_DROP_TXN_LIMIT] = "txn_limit",
	[STATS_DROP_STRAY_RESPONSE] = "stray_response",
	[STATS_DROP_STRAY_ACK] = "stray_ack",
	[STATS_DROP_SEND_FAILED] = "send_failed",
	[STATS_DROP_AUTH_BLOCKED] = "auth_blocked",
};

void stats_drop(struct stats *s, enum stats_drop why)
{
	s->drops[why]++;
}

enum stats_drop stats_drop_of_transport(enum tp_drop why)
{
	static const enum stats_drop map[TP_DROP_COUNT] = {
		[TP_DROP_TOO_LARGE] = STATS_DROP_TOO_LARGE,
		[TP_DROP_FRAMING] = STATS_DROP_FRAMING,
		[TP_DROP_CONN_LIMIT] = STATS_DROP_CONN_LIMIT,
		[TP_DROP_PENDING_LIMIT] = STATS_DROP_PENDING_LIMIT,
		[TP_DROP_TLS_HANDSHAKE] = STATS_DROP_TLS,
	};

	return map[why];
}

const char *stats_drop_name(enum stats_drop why)
{
	return drop_names[why];
}
