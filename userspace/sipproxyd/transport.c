// SPDX-License-Identifier: GPL-2.0
/*
 * The transport layer: reads datagrams off the UDP listeners, accepts
 * connections on the TCP and TLS ones (conn.c does the rest), sends a
 * message over whatever a struct tp_addr names, and knows which addresses
 * are ours (for Via sent-by, Record-Route, loop detection).
 */
#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "lib/log.h"
#include "sip_msg.h"
#include "tls.h"
#include "transport.h"

/* Datagrams read per readable event before giving the loop back. */
#define UDP_BUDGET 64
/*
 * Datagrams one recvmmsg() reads: a burst costs one system call, and the
 * call that used to find the queue empty is gone (8 x 64 KiB of buffers).
 */
#define UDP_BATCH 8
/*
 * A UDP listener's receive queue: it absorbs what arrives while the loop
 * is busy elsewhere or the process is not running. The kernel default
 * (about 200 KiB, a hundred-odd datagrams on loopback) overflows within
 * tens of milliseconds at a few thousand messages a second.
 */
#define UDP_RCVBUF (4 << 20)

struct tp_listener {
	struct transport *tp;
	struct loop_io io;
	enum tp_proto proto;
	struct endpoint ep;
};

struct transport {
	struct loop *loop;
	struct transport_hooks hooks;
	size_t max_message;
	struct tp_listener *l;
	size_t nl;
	struct conn_table *conns;
	SSL_CTX *tls_server;
	SSL_CTX *tls_client;
	struct endpoint *local;		/* the host's interface addresses */
	size_t nlocal;
	char *rx;			/* UDP_BATCH datagrams, each with one byte to spot larger ones */
	struct log_ratelimit rl;
};

static const char *const proto_names[] = {
	[TP_UDP] = "UDP",
	[TP_TCP] = "TCP",
	[TP_TLS] = "TLS",
};

const char *tp_proto_name(enum tp_proto proto)
{
	return proto_names[proto];
}

bool tp_proto_parse(struct sip_str name, enum tp_proto *proto)
{
	int p;

	for (p = TP_UDP; p <= TP_TLS; p++)
		if (sip_str_caseeq_cstr(name, proto_names[p])) {
			*proto = (enum tp_proto)p;
			return true;
		}
	return false;
}

bool tp_reliable(enum tp_proto proto)
{
	return proto != TP_UDP;
}

uint16_t tp_default_port(enum tp_proto proto)
{
	return proto == TP_TLS ? 5061 : 5060;
}

static void on_udp(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct tp_listener *l = container_of(io, struct tp_listener, io);
	struct transport *tp = l->tp;
	struct sockaddr_storage ss[UDP_BATCH];
	struct tp_addr src = { .proto = TP_UDP, .lfd = io->fd };
	struct mmsghdr mm[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	unsigned int budget = 0;
	int i, n;

	while (budget < UDP_BUDGET) {
		for (i = 0; i < UDP_BATCH; i++) {
			iov[i].iov_base = tp->rx + (size_t)i * (tp->max_message + 1);
			iov[i].iov_len = tp->max_message + 1;
			mm[i].msg_hdr = (struct msghdr){
				.msg_name = &ss[i], .msg_namelen = sizeof(ss[i]),
				.msg_iov = &iov[i], .msg_iovlen = 1,
			};
		}
		n = recvmmsg(io->fd, mm, UDP_BATCH, MSG_TRUNC, NULL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_ratelimited(&tp->rl, loop_now(loop), LOG_LEVEL_WARN, NULL,
						"udp receive failed: %s", strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			const char *buf = iov[i].iov_base;
			size_t len = mm[i].msg_len;

			if (len > tp->max_message) {
				tp->hooks.drop(tp->hooks.ctx, TP_DROP_TOO_LARGE);
				continue;
			}
			endpoint_from_sockaddr(&ss[i], &src.peer);
			/* RFC 5626 3.5.1 keepalives over UDP are STUN; a bare CRLF is noise. */
			if (len == 0 || (len <= 4 && strspn(buf, "\r\n") >= len))
				continue;
			tp->hooks.recv(tp->hooks.ctx, buf, len, &src);
		}
		/* A short batch emptied the queue: no call to find it empty. */
		if (n < UDP_BATCH)
			return;
		budget += (unsigned int)n;
	}
}

static void on_stream_listener(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct tp_listener *l = container_of(io, struct tp_listener, io);

	conn_accept(l->tp->conns, io->fd, l->proto);
}

static bool is_any(const struct endpoint *ep)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (ep->family == AF_INET)
		return ep->addr.v4.s_addr == htonl(INADDR_ANY);
	return !memcmp(&ep->addr.v6, &any6, sizeof(any6));
}

static bool same_addr(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

/* The source address the kernel would pick to reach @dst. */
static int route_source(const struct endpoint *dst, struct endpoint *out)
{
	struct sockaddr_storage ss;
	socklen_t sslen = endpoint_to_sockaddr(dst, &ss);
	int fd, err = 0;

	fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sslen) < 0)
		err = -errno;
	sslen = sizeof(ss);
	if (!err && getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0)
		err = -errno;
	close(fd);
	if (!err)
		endpoint_from_sockaddr(&ss, out);
	return err;
}

/*
 * The @proto listener of @dst's family a message to @dst leaves from (RFC
 * 3261 18.2.1: the Via's sent-by is where responses come back, so it must
 * be the socket the request goes out on): with several, the explicit one
 * on the address the route to @dst leaves from, else a wildcard one (the
 * kernel then picks that address), else the first. One listener needs no
 * route lookup, unless @src is wanted for a wildcard one.
 * @src: NULL, or set to the route's source address when it was looked up
 *       (family AF_UNSPEC when not)
 *
 * Return: 0; -EAFNOSUPPORT without such a listener; the lookup's error
 * when the choice is a wildcard listener and @dst has no route.
 */
static int pick(struct transport *tp, enum tp_proto proto, const struct endpoint *dst,
		const struct tp_listener **out, struct endpoint *src)
{
	const struct tp_listener *first = NULL, *any = NULL;
	struct endpoint route = { .family = AF_UNSPEC };
	size_t i, n = 0;
	int err;

	for (i = 0; i < tp->nl; i++) {
		if (tp->l[i].proto != proto || tp->l[i].ep.family != dst->family)
			continue;
		if (!first)
			first = &tp->l[i];
		if (!any && is_any(&tp->l[i].ep))
			any = &tp->l[i];
		n++;
	}
	if (src)
		*src = route;
	if (!first)
		return -EAFNOSUPPORT;
	*out = first;
	if (n == 1 && (!src || !any))
		return 0;
	err = route_source(dst, &route);
	if (err)
		return any == first ? err : 0;
	if (src)
		*src = route;
	for (i = 0; i < tp->nl; i++)
		if (tp->l[i].proto == proto && same_addr(&tp->l[i].ep, &route)) {
			*out = &tp->l[i];
			return 0;
		}
	if (any)
		*out = any;
	return 0;
}

/* A response goes out of the socket its request came in on (@dst->lfd). */
static int udp_send(struct transport *tp, const struct tp_addr *dst, const char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sslen = endpoint_to_sockaddr(&dst->peer, &ss);
	const struct tp_listener *l;
	int fd = -1, err;
	size_t i;

	for (i = 0; i < tp->nl; i++)
		if (tp->l[i].proto == TP_UDP && tp->l[i].ep.family == dst->peer.family &&
		    tp->l[i].io.fd == dst->lfd)
			fd = dst->lfd;
	if (fd < 0) {
		err = pick(tp, TP_UDP, &dst->peer, &l, NULL);
		if (err)
			return err;
		fd = l->io.fd;
	}
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sslen) < 0)
		return -errno;
	return 0;
}

/**
 * transport_send - send one whole message
 *
 * Return: 0 when sent or queued, else a negative errno: -EAFNOSUPPORT
 * without a UDP socket of the family, -ENOTSUP for TLS without a context,
 * -EMFILE at max_tcp_connections, -ENOBUFS over the pending limit.
 */
int transport_send(struct transport *tp, const struct tp_addr *dst, const char *buf, size_t len)
{
	if (dst->peer.family != AF_INET && dst->peer.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (dst->proto == TP_UDP)
		return udp_send(tp, dst, buf, len);
	return conn_send(tp->conns, dst, buf, len);
}

/**
 * transport_sent_by - our address for a message to @dst over @proto
 * @out: the address and port of the listener it leaves from (Via sent-by,
 *       Record-Route); for a wildcard listener, the address the route to
 *       @dst leaves from
 *
 * Return: 0, -EAFNOSUPPORT when no @proto listener of @dst's family
 * exists, or the route lookup's error for a wildcard listener.
 */
int transport_sent_by(struct transport *tp, enum tp_proto proto, const struct endpoint *dst,
		      struct endpoint *out)
{
	const struct tp_listener *l;
	struct endpoint src;
	int err = pick(tp, proto, dst, &l, &src);

	if (err)
		return err;
	if (!is_any(&l->ep)) {
		*out = l->ep;
		return 0;
	}
	*out = src;
	out->port = l->ep.port;
	return 0;
}

/* Whether @ep (address and port) reaches one of our listeners. */
bool transport_is_local(const struct transport *tp, const struct endpoint *ep)
{
	size_t i, j;

	for (i = 0; i < tp->nl; i++) {
		const struct endpoint *l = &tp->l[i].ep;

		if (l->port != ep->port || l->family != ep->family)
			continue;
		if (same_addr(l, ep))
			return true;
		if (!is_any(l))
			continue;
		for (j = 0; j < tp->nlocal; j++)
			if (same_addr(&tp->local[j], ep))
				return true;
	}
	return false;
}

bool transport_has(const struct transport *tp, enum tp_proto proto)
{
	size_t i;

	for (i = 0; i < tp->nl; i++)
		if (tp->l[i].proto == proto)
			return true;
	return false;
}

/* Whether a TCP or TLS connection to @dst is open: a flow to reuse. */
bool transport_connected(struct transport *tp, const struct tp_addr *dst)
{
	return dst->proto != TP_UDP && conn_exists(tp->conns, dst);
}

size_t transport_connections(const struct transport *tp)
{
	return conn_count(tp->conns);
}

/* The host's interface addresses, so wildcard listeners know what they cover. */
static int read_local_addresses(struct transport *tp)
{
	struct ifaddrs *ifa, *i;
	struct endpoint *v;
	size_t n = 0;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next)
		n++;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		freeifaddrs(ifa);
		return -ENOMEM;
	}
	n = 0;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && (i->ifa_addr->sa_family == AF_INET ||
				    i->ifa_addr->sa_family == AF_INET6))
			endpoint_from_sockaddr((const struct sockaddr_storage *)i->ifa_addr, &v[n++]);
	freeifaddrs(ifa);
	free(tp->local);
	tp->local = v;
	tp->nlocal = n;
	return 0;
}

/*
 * Best effort: SO_RCVBUFFORCE needs CAP_NET_ADMIN; without it the kernel
 * caps SO_RCVBUF at net.core.rmem_max, which operators may raise.
 */
static void grow_receive_queue(int fd)
{
	int size = UDP_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static void unwatch_listeners(struct transport *tp)
{
	size_t i;

	for (i = 0; i < tp->nl; i++)
		loop_io_del(tp->loop, &tp->l[i].io);
	free(tp->l);
	tp->l = NULL;
	tp->nl = 0;
}

static int watch_listeners(struct transport *tp, const struct listeners *ls)
{
	size_t i;
	int err;

	tp->l = calloc(ls->n ? ls->n : 1, sizeof(*tp->l));
	if (!tp->l)
		return -ENOMEM;
	for (i = 0; i < ls->n; i++) {
		struct tp_listener *l = &tp->l[i];

		l->tp = tp;
		l->proto = (enum tp_proto)ls->v[i].proto;
		l->ep = ls->v[i].ep;
		if (l->proto == TP_UDP)
			grow_receive_queue(ls->v[i].fd);
		loop_io_init(&l->io, ls->v[i].fd, l->proto == TP_UDP ? on_udp : on_stream_listener);
		err = loop_io_add(tp->loop, &l->io, EPOLLIN);
		if (err) {
			tp->nl = i;
			unwatch_listeners(tp);
			return err;
		}
	}
	tp->nl = ls->n;
	return 0;
}

static void limits_of(const struct config *cfg, struct conn_limits *lim)
{
	lim->max_conns = cfg->max_tcp_connections;
	lim->idle_ms = cfg->tcp_idle_timeout_ms;
	lim->max_pending = cfg->max_pending_bytes_per_connection;
	lim->max_message = cfg->max_message_size;
}

static void free_tls(struct transport *tp)
{
	SSL_CTX_free(tp->tls_server);
	SSL_CTX_free(tp->tls_client);
	tp->tls_server = NULL;
	tp->tls_client = NULL;
}

/**
 * transport_reload - take the listeners and limits of a new configuration
 *
 * The receive buffer keeps the size of the first configuration: a larger
 * max_message_size needs a restart. On failure nothing changes.
 */
int transport_reload(struct transport *tp, const struct config *cfg, const struct listeners *l,
		     char *err, size_t errlen)
{
	SSL_CTX *server, *client;
	struct conn_limits lim;
	int ret;

	ret = tls_contexts_new(cfg, &server, &client, err, errlen);
	if (ret)
		return ret;
	unwatch_listeners(tp);
	ret = watch_listeners(tp, l);
	if (ret) {
		snprintf(err, errlen, "cannot watch the listeners: %s", strerror(-ret));
		SSL_CTX_free(server);
		SSL_CTX_free(client);
		return ret;
	}
	free_tls(tp);
	tp->tls_server = server;
	tp->tls_client = client;
	conn_table_set_tls(tp->conns, server, client);
	limits_of(cfg, &lim);
	conn_table_set_limits(tp->conns, &lim);
	read_local_addresses(tp);
	return 0;
}

int transport_new(struct loop *loop, const struct config *cfg, const struct listeners *l,
		  const struct transport_hooks *hooks, struct transport **out, char *err,
		  size_t errlen)
{
	struct transport *tp = calloc(1, sizeof(*tp));
	struct conn_limits lim;
	int ret = -ENOMEM;

	if (!tp)
		goto err_nomem;
	tp->loop = loop;
	tp->hooks = *hooks;
	tp->max_message = cfg->max_message_size < SIP_MAX_MSG_SIZE ? cfg->max_message_size
								   : SIP_MAX_MSG_SIZE;
	tp->rl = (struct log_ratelimit)LOG_RATELIMIT_INIT(10000, 5);
	tp->rx = malloc(UDP_BATCH * (tp->max_message + 1));
	if (!tp->rx)
		goto err_free;
	limits_of(cfg, &lim);
	lim.max_message = tp->max_message;
	ret = conn_table_new(loop, &lim, hooks, &tp->conns);
	if (ret)
		goto err_rx;
	ret = tls_contexts_new(cfg, &tp->tls_server, &tp->tls_client, err, errlen);
	if (ret)
		goto err_conns;
	conn_table_set_tls(tp->conns, tp->tls_server, tp->tls_client);
	ret = read_local_addresses(tp);
	if (ret) {
		snprintf(err, errlen, "cannot list interface addresses: %s", strerror(-ret));
		goto err_tls;
	}
	ret = watch_listeners(tp, l);
	if (ret) {
		snprintf(err, errlen, "cannot watch the listeners: %s", strerror(-ret));
		goto err_local;
	}
	*out = tp;
	return 0;

err_local:
	free(tp->local);
err_tls:
	free_tls(tp);
err_conns:
	conn_table_free(tp->conns);
err_rx:
	free(tp->rx);
err_free:
	free(tp);
err_nomem:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}

void transport_free(struct transport *tp)
{
	if (!tp)
		return;
	unwatch_listeners(tp);
	conn_table_free(tp->conns);
	free_tls(tp);
	free(tp->local);
	free(tp->rx);
	free(tp);
}
