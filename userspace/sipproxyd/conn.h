/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CONN_H
#define SIPPROXY_CONN_H

#include <openssl/ssl.h>

#include "transport.h"

/*
 * TCP and TLS connections (RFC 3261 18.3): accepted or opened on demand,
 * found again by id or by peer so responses and later requests reuse them,
 * framed by Content-Length, closed when idle, when their send queue grows
 * past its limit, or on any error.
 */
struct conn_limits {
	unsigned int max_conns;		/* open at once, both directions */
	uint64_t idle_ms;		/* closed after this long without traffic */
	size_t max_pending;		/* bytes queued for sending */
	size_t max_message;		/* bytes of one framed message */
};

struct conn_table;

int conn_table_new(struct loop *loop, const struct conn_limits *lim,
		   const struct transport_hooks *hooks, struct conn_table **out);
void conn_table_free(struct conn_table *tab);
void conn_table_set_limits(struct conn_table *tab, const struct conn_limits *lim);
void conn_table_set_tls(struct conn_table *tab, SSL_CTX *server, SSL_CTX *client);

void conn_accept(struct conn_table *tab, int lfd, enum tp_proto proto);
int conn_send(struct conn_table *tab, const struct tp_addr *dst, const char *buf, size_t len);
bool conn_exists(struct conn_table *tab, const struct tp_addr *dst);
size_t conn_count(const struct conn_table *tab);

#endif
