// SPDX-License-Identifier: GPL-2.0
/*
 * Stream connections for SIP over TCP and TLS. Each connection owns a
 * receive buffer one message long (plus keepalive slack) and a send queue
 * bounded by max_pending. Everything is non-blocking: a connect or TLS
 * handshake in progress queues what is sent meanwhile.
 *
 * A connection that fails while a caller is inside it (a send error while
 * the receive path delivers a message, say) is only marked dead and
 * unwatched; its timer frees it from the loop, so no caller ever holds a
 * freed connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "lib/log.h"
#include "stream_rx.h"

/* Messages framed per readable event before giving the loop back. */
#define RX_BUDGET 64

struct conn {
	struct conn_table *tab;
	struct conn *id_next;		/* hash chains */
	struct conn *peer_next;
	struct loop_io io;
	struct timer timer;		/* idle timeout, or the deferred free */
	uint64_t last_active;
	uint32_t id;
	enum tp_proto proto;
	struct endpoint peer;
	SSL *ssl;
	bool connecting;		/* TCP connect() in progress */
	bool handshaking;		/* TLS handshake in progress */
	bool dead;
	struct stream_rx rx;
	char *tx;
	size_t tx_len;
	size_t tx_cap;
};

struct conn_table {
	struct loop *loop;
	struct conn_limits lim;
	struct transport_hooks hooks;
	SSL_CTX *tls_server;
	SSL_CTX *tls_client;
	struct conn **by_id;
	struct conn **by_peer;
	size_t buckets;			/* a power of two */
	size_t count;
	uint32_t next_id;
	struct log_ratelimit rl;
};

static size_t id_bucket(const struct conn_table *tab, uint32_t id)
{
	return (id * 2654435761u) & (tab->buckets - 1);
}

static size_t peer_bucket(const struct conn_table *tab, const struct endpoint *ep)
{
	const uint8_t *p = (const uint8_t *)&ep->addr;
	size_t len = ep->family == AF_INET ? 4 : 16, i;
	uint32_t h = 2166136261u ^ ep->port;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h & (tab->buckets - 1);
}

static void link_conn(struct conn_table *tab, struct conn *c)
{
	size_t b = id_bucket(tab, c->id), p = peer_bucket(tab, &c->peer);

	c->id_next = tab->by_id[b];
	tab->by_id[b] = c;
	c->peer_next = tab->by_peer[p];
	tab->by_peer[p] = c;
	tab->count++;
}

static void unlink_conn(struct conn_table *tab, struct conn *c)
{
	struct conn **pp;

	for (pp = &tab->by_id[id_bucket(tab, c->id)]; *pp; pp = &(*pp)->id_next)
		if (*pp == c) {
			*pp = c->id_next;
			break;
		}
	for (pp = &tab->by_peer[peer_bucket(tab, &c->peer)]; *pp; pp = &(*pp)->peer_next)
		if (*pp == c) {
			*pp = c->peer_next;
			break;
		}
	tab->count--;
}

static void conn_free(struct conn *c)
{
	struct conn_table *tab = c->tab;

	loop_timer_cancel(tab->loop, &c->timer);
	loop_io_del(tab->loop, &c->io);
	unlink_conn(tab, c);
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->io.fd);
	stream_rx_free(&c->rx);
	free(c->tx);
	free(c);
}

static void on_timer(struct timer *t, uint64_t now)
{
	struct conn *c = container_of(t, struct conn, timer);
	uint64_t idle = c->tab->lim.idle_ms;

	if (!c->dead && now - c->last_active < idle) {
		loop_timer_arm(c->tab->loop, &c->timer, idle - (now - c->last_active));
		return;
	}
	if (!c->dead)
		log_debug("%s connection %u closed after %llu ms idle", tp_proto_name(c->proto),
			  c->id, (unsigned long long)idle);
	conn_free(c);
}

/* Stop using @c now, free it from the loop once every caller has returned. */
static void conn_kill(struct conn *c, const char *why)
{
	char text[ENDPOINT_STRLEN];

	if (c->dead)
		return;
	log_debug("%s connection %u with %s closed: %s", tp_proto_name(c->proto), c->id,
		  endpoint_format(&c->peer, text), why);
	c->dead = true;
	loop_io_del(c->tab->loop, &c->io);
	loop_timer_arm(c->tab->loop, &c->timer, 0);
}

static void watch(struct conn *c, bool want_write)
{
	uint32_t events = EPOLLIN | (want_write ? EPOLLOUT : 0);

	if (c->dead || c->io.events == events)
		return;
	if (loop_io_mod(c->tab->loop, &c->io, events))
		conn_kill(c, "epoll failed");
}

static void on_io(struct loop *loop, struct loop_io *io, uint32_t events);

static struct conn *conn_new(struct conn_table *tab, int fd, enum tp_proto proto,
			     const struct endpoint *peer)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (stream_rx_init(&c->rx, tab->lim.max_message))
		goto err_free;
	c->tab = tab;
	c->proto = proto;
	c->peer = *peer;
	c->id = ++tab->next_id ? tab->next_id : ++tab->next_id;
	c->last_active = loop_now(tab->loop);
	loop_io_init(&c->io, fd, on_io);
	timer_init(&c->timer, on_timer);
	if (loop_io_add(tab->loop, &c->io, EPOLLIN))
		goto err_free;
	link_conn(tab, c);
	loop_timer_arm(tab->loop, &c->timer, tab->lim.idle_ms);
	return c;

err_free:
	stream_rx_free(&c->rx);
	free(c);
	return NULL;
}

static void log_tls_error(struct conn *c, const char *what)
{
	char buf[256], text[ENDPOINT_STRLEN];
	unsigned long e = ERR_get_error();

	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	log_ratelimited(&c->tab->rl, loop_now(c->tab->loop), LOG_LEVEL_WARN, NULL,
			"tls %s with %s failed: %s", what, endpoint_format(&c->peer, text),
			e ? buf : "connection closed");
}

/* Attach a TLS session to @c: @server for accepted connections. */
static int tls_attach(struct conn *c, bool server)
{
	SSL_CTX *ctx = server ? c->tab->tls_server : c->tab->tls_client;
	char ip[INET6_ADDRSTRLEN];

	if (!ctx)
		return -ENOTSUP;
	c->ssl = SSL_new(ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->io.fd))
		return -ENOMEM;
	if (server) {
		SSL_set_accept_state(c->ssl);
	} else {
		/* We connect to addresses: the certificate must name this one. */
		inet_ntop(c->peer.family, &c->peer.addr, ip, sizeof(ip));
		if (!X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), ip))
			return -EINVAL;
		SSL_set_connect_state(c->ssl);
	}
	c->handshaking = true;
	return 0;
}

static void flush(struct conn *c);
static void receive(struct conn *c);

static void handshake(struct conn *c)
{
	int ret = SSL_do_handshake(c->ssl), err;

	if (ret == 1) {
		c->handshaking = false;
		return;
	}
	err = SSL_get_error(c->ssl, ret);
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
		watch(c, err == SSL_ERROR_WANT_WRITE);
		return;
	}
	log_tls_error(c, "handshake");
	c->tab->hooks.drop(c->tab->hooks.ctx, TP_DROP_TLS_HANDSHAKE);
	conn_kill(c, "tls handshake failed");
}

static void on_io(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct conn *c = container_of(io, struct conn, io);
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (c->connecting) {
		if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr) {
			conn_kill(c, strerror(soerr ? soerr : errno));
			return;
		}
		if (!(events & (EPOLLOUT | EPOLLIN)))
			return;
		c->connecting = false;
	}
	c->last_active = loop_now(loop);
	if (c->handshaking) {
		handshake(c);
		if (c->handshaking || c->dead)
			return;
	}
	flush(c);
	if (!c->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		receive(c);
}

/* Send what is queued; returns with EPOLLOUT watched while some remains. */
static void flush(struct conn *c)
{
	ssize_t n;
	int err;

	while (c->tx_len && !c->dead) {
		if (c->ssl) {
			n = SSL_write(c->ssl, c->tx, (int)c->tx_len);
			if (n <= 0) {
				err = SSL_get_error(c->ssl, (int)n);
				if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ)
					break;
				log_tls_error(c, "write");
				conn_kill(c, "tls write failed");
				return;
			}
		} else {
			n = send(c->io.fd, c->tx, c->tx_len, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				conn_kill(c, strerror(errno));
				return;
			}
		}
		memmove(c->tx, c->tx + n, c->tx_len - (size_t)n);
		c->tx_len -= (size_t)n;
	}
	watch(c, c->tx_len > 0);
}

static int queue(struct conn *c, const char *buf, size_t len)
{
	size_t need = c->tx_len + len;
	char *tx;

	if (need > c->tab->lim.max_pending) {
		c->tab->hooks.drop(c->tab->hooks.ctx, TP_DROP_PENDING_LIMIT);
		conn_kill(c, "send queue over max_pending_bytes_per_connection");
		return -ENOBUFS;
	}
	if (need > c->tx_cap) {
		size_t cap = c->tx_cap ? c->tx_cap : 4096;

		while (cap < need)
			cap *= 2;
		tx = realloc(c->tx, cap);
		if (!tx)
			return -ENOMEM;
		c->tx = tx;
		c->tx_cap = cap;
	}
	memcpy(c->tx + c->tx_len, buf, len);
	c->tx_len += len;
	return 0;
}

/* Bytes read into the receive buffer, 0 for nothing now, -1 when closed or failed. */
static ssize_t read_some(struct conn *c, char *buf, size_t room)
{
	ssize_t n;
	int err;

	if (c->ssl) {
		n = SSL_read(c->ssl, buf, (int)room);
		if (n > 0)
			return n;
		err = SSL_get_error(c->ssl, (int)n);
		if (err == SSL_ERROR_WANT_READ)
			return 0;
		if (err == SSL_ERROR_WANT_WRITE) {
			watch(c, true);
			return 0;
		}
		if (err != SSL_ERROR_ZERO_RETURN)
			log_tls_error(c, "read");
		return -1;
	}
	n = recv(c->io.fd, buf, room, 0);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

/* Hand complete messages up; answer a CRLFCRLF ping with CRLF (RFC 5626 3.5.1). */
static bool deliver(struct conn *c)
{
	const struct transport_hooks *h = &c->tab->hooks;
	struct tp_addr src = { .proto = c->proto, .peer = c->peer, .conn = c->id, .lfd = -1 };
	const char *msg;
	size_t len;

	while (!c->dead) {
		switch (stream_rx_next(&c->rx, &msg, &len)) {
		case STREAM_RX_MORE:
			return true;
		case STREAM_RX_TOO_LARGE:
			h->drop(h->ctx, TP_DROP_TOO_LARGE);
			conn_kill(c, "message over max_message_size");
			return false;
		case STREAM_RX_FRAMING:
			h->drop(h->ctx, TP_DROP_FRAMING);
			conn_kill(c, "unframeable message");
			return false;
		case STREAM_RX_KEEPALIVE:
			if (len >= 4 && queue(c, "\r\n", 2) == 0)
				flush(c);
			break;
		case STREAM_RX_MESSAGE:
			h->recv(h->ctx, msg, len, &src);
			break;
		}
	}
	return false;
}

static void receive(struct conn *c)
{
	unsigned int budget;
	size_t room;
	ssize_t n;
	char *buf;

	for (budget = 0; budget < RX_BUDGET && !c->dead; budget++) {
		buf = stream_rx_space(&c->rx, &room);
		if (!room) {
			c->tab->hooks.drop(c->tab->hooks.ctx, TP_DROP_TOO_LARGE);
			conn_kill(c, "receive buffer full");
			return;
		}
		n = read_some(c, buf, room);
		if (n < 0) {
			conn_kill(c, "closed by peer");
			return;
		}
		if (n == 0)
			return;
		stream_rx_commit(&c->rx, (size_t)n);
		if (!deliver(c))
			return;
	}
}

static bool table_full(struct conn_table *tab)
{
	return tab->count >= tab->lim.max_conns;
}

/**
 * conn_accept - take every pending connection of the listening socket @lfd
 *
 * Connections over max_conns are accepted and closed at once, so the
 * kernel's queue does not fill with peers that wait forever.
 */
void conn_accept(struct conn_table *tab, int lfd, enum tp_proto proto)
{
	struct sockaddr_storage ss;
	struct endpoint peer;
	struct conn *c;
	socklen_t len;
	int fd;

	for (;;) {
		len = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_ratelimited(&tab->rl, loop_now(tab->loop), LOG_LEVEL_WARN, NULL,
						"accept failed: %s", strerror(errno));
			if (errno == ECONNABORTED || errno == EINTR)
				continue;
			return;
		}
		if (table_full(tab)) {
			tab->hooks.drop(tab->hooks.ctx, TP_DROP_CONN_LIMIT);
			log_ratelimited(&tab->rl, loop_now(tab->loop), LOG_LEVEL_WARN, NULL,
					"max_tcp_connections (%u) reached: connection refused",
					tab->lim.max_conns);
			close(fd);
			continue;
		}
		endpoint_from_sockaddr(&ss, &peer);
		c = conn_new(tab, fd, proto, &peer);
		if (!c) {
			close(fd);
			continue;
		}
		if (proto == TP_TLS && tls_attach(c, true))
			conn_kill(c, "no TLS context");
	}
}

static struct conn *conn_open(struct conn_table *tab, enum tp_proto proto,
			      const struct endpoint *peer, int *errp)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(peer, &ss);
	struct conn *c;
	int fd;

	if (proto == TP_TLS && !tab->tls_client) {
		*errp = -ENOTSUP;
		return NULL;
	}
	if (table_full(tab)) {
		tab->hooks.drop(tab->hooks.ctx, TP_DROP_CONN_LIMIT);
		*errp = -EMFILE;
		return NULL;
	}
	fd = socket(peer->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*errp = -errno;
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		*errp = -errno;
		close(fd);
		return NULL;
	}
	c = conn_new(tab, fd, proto, peer);
	if (!c) {
		*errp = -ENOMEM;
		close(fd);
		return NULL;
	}
	c->connecting = true;
	watch(c, true);
	if (proto == TP_TLS) {
		*errp = tls_attach(c, false);
		if (*errp) {
			conn_kill(c, "tls setup failed");
			return NULL;
		}
	}
	return c;
}

static struct conn *find(struct conn_table *tab, const struct tp_addr *dst)
{
	struct conn *c;

	if (dst->conn)
		for (c = tab->by_id[id_bucket(tab, dst->conn)]; c; c = c->id_next)
			if (c->id == dst->conn && !c->dead)
				return c;
	for (c = tab->by_peer[peer_bucket(tab, &dst->peer)]; c; c = c->peer_next)
		if (!c->dead && c->proto == dst->proto && endpoint_equal(&c->peer, &dst->peer))
			return c;
	return NULL;
}

/**
 * conn_send - queue @buf for @dst and send what the socket takes now
 *
 * Uses the connection @dst->conn names if it is still open, else one to
 * the same peer and protocol, else opens one.
 *
 * Return: 0 or a negative errno (the message is not sent).
 */
int conn_send(struct conn_table *tab, const struct tp_addr *dst, const char *buf, size_t len)
{
	struct conn *c = find(tab, dst);
	int err = 0;

	if (!c) {
		c = conn_open(tab, dst->proto, &dst->peer, &err);
		if (!c)
			return err;
	}
	err = queue(c, buf, len);
	if (err)
		return err;
	c->last_active = loop_now(tab->loop);
	if (!c->connecting && !c->handshaking)
		flush(c);
	return c->dead ? -EPIPE : 0;
}

/* Whether a connection to @dst->peer over @dst->proto is open (or opening). */
bool conn_exists(struct conn_table *tab, const struct tp_addr *dst)
{
	struct tp_addr any = *dst;

	any.conn = 0;
	return find(tab, &any) != NULL;
}

size_t conn_count(const struct conn_table *tab)
{
	return tab->count;
}

void conn_table_set_limits(struct conn_table *tab, const struct conn_limits *lim)
{
	/* Receive buffers are sized at creation: keep the size they have. */
	size_t max_message = tab->lim.max_message;

	tab->lim = *lim;
	tab->lim.max_message = max_message;
}

/* The contexts stay the caller's; connections keep a reference of their own. */
void conn_table_set_tls(struct conn_table *tab, SSL_CTX *server, SSL_CTX *client)
{
	tab->tls_server = server;
	tab->tls_client = client;
}

int conn_table_new(struct loop *loop, const struct conn_limits *lim,
		   const struct transport_hooks *hooks, struct conn_table **out)
{
	struct conn_table *tab = calloc(1, sizeof(*tab));
	size_t buckets = 64;

	if (!tab)
		return -ENOMEM;
	while (buckets < lim->max_conns && buckets < (1u << 16))
		buckets *= 2;
	tab->by_id = calloc(buckets, sizeof(*tab->by_id));
	tab->by_peer = calloc(buckets, sizeof(*tab->by_peer));
	if (!tab->by_id || !tab->by_peer) {
		free(tab->by_id);
		free(tab->by_peer);
		free(tab);
		return -ENOMEM;
	}
	tab->buckets = buckets;
	tab->loop = loop;
	tab->lim = *lim;
	tab->hooks = *hooks;
	tab->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000, 5);
	*out = tab;
	return 0;
}

void conn_table_free(struct conn_table *tab)
{
	size_t b;

	if (!tab)
		return;
	for (b = 0; b < tab->buckets; b++)
		while (tab->by_id[b])
			conn_free(tab->by_id[b]);
	free(tab->by_id);
	free(tab->by_peer);
	free(tab);
}
