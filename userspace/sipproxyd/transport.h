/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TRANSPORT_H
#define SIPPROXY_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "daemon.h"
#include "lib/endpoint.h"
#include "lib/evloop.h"
#include "sip_str.h"

/*
 * SIP transports (RFC 3261 section 18): UDP datagrams on the [listen]
 * sockets, TCP and TLS connections accepted there or opened on demand.
 * Above this layer a message is a buffer and an address; the layer below
 * frames streams, answers keepalives and enforces the connection limits.
 */

/* The same order as enum listen_proto, so listeners map directly. */
enum tp_proto {
	TP_UDP = LISTEN_UDP,
	TP_TCP = LISTEN_TCP,
	TP_TLS = LISTEN_TLS,
};

/*
 * Where a message came from or goes to. For streams @conn names the
 * connection to use first (0: any to @peer, or a new one); for UDP @lfd
 * is the socket it arrived on (-1: pick one of @peer's family).
 */
struct tp_addr {
	enum tp_proto proto;
	struct endpoint peer;
	uint32_t conn;
	int lfd;
};

/* Why a received message never reached the core, for the counters. */
enum tp_drop {
	TP_DROP_TOO_LARGE,
	TP_DROP_FRAMING,
	TP_DROP_CONN_LIMIT,
	TP_DROP_PENDING_LIMIT,
	TP_DROP_TLS_HANDSHAKE,
	TP_DROP_COUNT
};

/* A whole message: one datagram, or one framed stream message. */
typedef void tp_recv_fn(void *ctx, const char *buf, size_t len, const struct tp_addr *src);
typedef void tp_drop_fn(void *ctx, enum tp_drop why);

struct transport_hooks {
	tp_recv_fn *recv;
	tp_drop_fn *drop;
	void *ctx;
};

struct transport;

int transport_new(struct loop *loop, const struct config *cfg, const struct listeners *l,
		  const struct transport_hooks *hooks, struct transport **out, char *err,
		  size_t errlen);
void transport_free(struct transport *tp);
int transport_reload(struct transport *tp, const struct config *cfg, const struct listeners *l,
		     char *err, size_t errlen);

int transport_send(struct transport *tp, const struct tp_addr *dst, const char *buf, size_t len);
int transport_sent_by(struct transport *tp, enum tp_proto proto, const struct endpoint *dst,
		      struct endpoint *out);
bool transport_is_local(const struct transport *tp, const struct endpoint *ep);
bool transport_has(const struct transport *tp, enum tp_proto proto);
bool transport_connected(struct transport *tp, const struct tp_addr *dst);
size_t transport_connections(const struct transport *tp);

const char *tp_proto_name(enum tp_proto proto);
bool tp_proto_parse(struct sip_str name, enum tp_proto *proto);
bool tp_reliable(enum tp_proto proto);
uint16_t tp_default_port(enum tp_proto proto);

#endif
