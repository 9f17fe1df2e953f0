// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace relay's data path: each flow's LOCAL socket is watched on
 * the loop; a readable socket is drained RELAY_BATCH datagrams at a time
 * with recvmmsg(), each judged by relay_flow_judge(), and those that pass
 * go out in one sendmmsg() from the OUT socket to the peer. Arrival times
 * come from SO_TIMESTAMPNS so jitter does not depend on batching.
 *
 * Flow ids are slot numbers + 1, like the kernel's never 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/endpoint.h"
#include "relay.h"
#include "relay_flow.h"

#define IDLE_SCAN_MS 1000
/* Flows by LOCAL endpoint, for relay_add()'s -EEXIST and the learn sibling. */
#define LOCAL_BUCKET_BITS 12
/* Datagrams queued before a flow existed that relay_add() drops at most. */
#define RELAY_DISCARD_MAX 4096

struct entry {
	struct relay_flow flow;
	struct entry *local_next;	/* chain in relay.by_local */
	struct relay *r;
	struct loop_io io;
	int out_fd;
};

struct relay {
	struct loop *loop;
	relay_event_fn *event;
	void *data;
	struct entry **slot;
	size_t n_slots;
	struct entry *by_local[1U << LOCAL_BUCKET_BITS];
	struct timer idle;
	/* One batch in flight at a time: the loop is single-threaded. */
	struct mmsghdr rx[RELAY_BATCH], tx[RELAY_BATCH];
	unsigned int rx_filled;		/* rx[] the last recvmmsg() wrote to */
	struct iovec rx_iov[RELAY_BATCH], tx_iov[RELAY_BATCH];
	struct sockaddr_storage rx_from[RELAY_BATCH];
	char rx_ctl[RELAY_BATCH][CMSG_SPACE(sizeof(struct timespec))];
	uint8_t buf[RELAY_BATCH][RELAY_MTU];
};

static struct log_ratelimit send_rl = LOG_RATELIMIT_INIT(5000, 5);

static void scan_timer(struct timer *t, uint64_t now);

/* The lengths recvmmsg() overwrites in rx[@i]; the pointers never change. */
static void rx_reset(struct relay *r, unsigned int i)
{
	r->rx[i].msg_hdr.msg_namelen = sizeof(r->rx_from[i]);
	r->rx[i].msg_hdr.msg_controllen = sizeof(r->rx_ctl[i]);
}

int relay_new(struct relay **out, struct loop *loop, relay_event_fn *event, void *data)
{
	struct relay *r = calloc(1, sizeof(*r));
	unsigned int i;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < RELAY_BATCH; i++) {
		r->rx_iov[i] = (struct iovec){ r->buf[i], RELAY_MTU };
		r->rx[i].msg_hdr = (struct msghdr){
			.msg_name = &r->rx_from[i],
			.msg_iov = &r->rx_iov[i],
			.msg_iovlen = 1,
			.msg_control = r->rx_ctl[i],
		};
		rx_reset(r, i);
	}
	r->loop = loop;
	r->event = event;
	r->data = data;
	timer_init(&r->idle, scan_timer);
	*out = r;
	return 0;
}

/* Stops every flow; the sockets belong to the caller and stay open. */
void relay_free(struct relay *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_slots; i++)
		if (r->slot[i])
			relay_del(r, (uint32_t)i + 1);
	loop_timer_cancel(r->loop, &r->idle);
	free(r->slot);
	free(r);
}

static struct entry *lookup(const struct relay *r, uint32_t id)
{
	if (!id || id > r->n_slots)
		return NULL;
	return r->slot[id - 1];
}

static int free_slot(struct relay *r, size_t *index)
{
	struct entry **grown;
	size_t i, n;

	for (i = 0; i < r->n_slots; i++)
		if (!r->slot[i])
			goto found;
	n = r->n_slots ? 2 * r->n_slots : 64;
	if (n > UINT32_MAX)
		return -ENOSPC;
	grown = realloc(r->slot, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	memset(grown + r->n_slots, 0, (n - r->n_slots) * sizeof(*grown));
	r->slot = grown;
	i = r->n_slots;
	r->n_slots = n;
found:
	*index = i;
	return 0;
}

/*
 * LOCAL endpoints are our own relay ports, never a peer's choice: an
 * unkeyed multiplicative hash cannot be aimed at. Consecutive ports (a
 * pair's RTP and RTCP) land in different buckets.
 */
static struct entry **local_bucket(struct relay *r, const struct endpoint *ep)
{
	uint32_t h = ep->port, w[4];

	if (ep->family == AF_INET) {
		h ^= ep->addr.v4.s_addr;
	} else {
		memcpy(w, &ep->addr.v6, sizeof(w));
		h ^= w[0] ^ w[1] ^ w[2] ^ w[3];
	}
	return &r->by_local[(h * 0x9e3779b1U) >> (32 - LOCAL_BUCKET_BITS)];
}

static struct entry *find_local(struct relay *r, const struct endpoint *local)
{
	struct entry *e;

	for (e = *local_bucket(r, local); e; e = e->local_next)
		if (endpoint_equal(&e->flow.cfg.local, local))
			return e;
	return NULL;
}

static void unlink_local(struct relay *r, struct entry *e)
{
	struct entry **p;

	for (p = local_bucket(r, &e->flow.cfg.local); *p; p = &(*p)->local_next) {
		if (*p == e) {
			*p = e->local_next;
			return;
		}
	}
}

static void arm_scan(struct relay *r)
{
	if (!timer_armed(&r->idle))
		loop_timer_arm(r->loop, &r->idle, IDLE_SCAN_MS);
}

static void on_readable(struct loop *loop, struct loop_io *io, uint32_t events);

/*
 * What reached LOCAL while it had no flow (a side on hold with c=0.0.0.0,
 * say) is dropped, as the kernel does, instead of going out stale once a
 * flow is back. Bounded: a sender faster than this loop cannot hold it.
 */
static void discard_queued(int fd)
{
	char byte;
	unsigned int i;

	for (i = 0; i < RELAY_DISCARD_MAX; i++)
		if (recv(fd, &byte, sizeof(byte), MSG_DONTWAIT | MSG_TRUNC) < 0 && errno != EINTR)
			return;
}

/**
 * relay_add() - start a flow, as FLOW_NEW
 * @r: the relay
 * @cfg: the flow (see relay_flow_init()); cfg->id is ignored
 * @in_fd: a non-blocking UDP socket bound to cfg->local, used by no other flow;
 *	   datagrams already queued on it are dropped
 * @out_fd: a UDP socket bound to cfg->out
 * @id: set to the new flow's id
 *
 * Return: 0, -EEXIST when LOCAL has a flow, or relay_flow_init()'s error.
 */
int relay_add(struct relay *r, const struct nl_flow *cfg, int in_fd, int out_fd,
	      uint32_t *id)
{
	struct entry *e;
	size_t index;
	int one = 1, ret;

	/* Another flow with the same LOCAL: -EEXIST, as the kernel. */
	if (nl_flow_has(cfg, RTPFWD_A_LOCAL) && find_local(r, &cfg->local))
		return -EEXIST;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	ret = relay_flow_init(&e->flow, cfg, loop_now(r->loop));
	if (ret)
		goto err_free;
	ret = free_slot(r, &index);
	if (ret)
		goto err_free;
	if (setsockopt(in_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0) {
		ret = -errno;
		goto err_free;
	}
	e->r = r;
	e->out_fd = out_fd;
	e->flow.cfg.id = (uint32_t)index + 1;
	discard_queued(in_fd);
	loop_io_init(&e->io, in_fd, on_readable);
	ret = loop_io_add(r->loop, &e->io, EPOLLIN);
	if (ret)
		goto err_free;
	r->slot[index] = e;
	e->local_next = *local_bucket(r, &e->flow.cfg.local);
	*local_bucket(r, &e->flow.cfg.local) = e;
	if (e->flow.cfg.timeout)
		arm_scan(r);
	*id = e->flow.cfg.id;
	return 0;

err_free:
	free(e);
	return ret;
}

/* FLOW_SET by cfg->id: -ENOENT, or relay_flow_set()'s error. */
int relay_set(struct relay *r, const struct nl_flow *cfg)
{
	struct entry *e = lookup(r, cfg->id);
	int ret;

	if (!e)
		return -ENOENT;
	ret = relay_flow_set(&e->flow, cfg);
	if (!ret && e->flow.cfg.timeout)
		arm_scan(r);
	return ret;
}

/* FLOW_DEL: the flow stops at once; its sockets stay the caller's. */
int relay_del(struct relay *r, uint32_t id)
{
	struct entry *e = lookup(r, id);

	if (!e)
		return -ENOENT;
	loop_io_del(r->loop, &e->io);
	r->slot[id - 1] = NULL;
	unlink_local(r, e);
	free(e);
	return 0;
}

/* FLOW_GET: the configuration and counters, in the kernel's units. */
int relay_get(struct relay *r, uint32_t id, struct nl_flow *out)
{
	struct entry *e = lookup(r, id);

	if (!e)
		return -ENOENT;
	relay_flow_report(&e->flow, loop_now(r->loop), out);
	return 0;
}

static void announce(struct relay *r, uint8_t cmd, const struct relay_flow *f)
{
	struct nl_flow report;

	relay_flow_report(f, loop_now(r->loop), &report);
	r->event(r->data, cmd, &report);
}

/**
 * relay_scan_idle() - report flows that went idle, as FLOW_IDLE events
 * @r: the relay
 * @now_ms: the clock to judge by (the loop's, or a test's)
 *
 * The event handler may delete any flow, the reported one included.
 */
void relay_scan_idle(struct relay *r, uint64_t now_ms)
{
	size_t i;

	for (i = 0; i < r->n_slots; i++) {
		struct entry *e = r->slot[i];

		if (e && relay_flow_idle(&e->flow, now_ms))
			announce(r, RTPFWD_CMD_FLOW_IDLE, &e->flow);
	}
}

static bool any_timeout(const struct relay *r)
{
	size_t i;

	for (i = 0; i < r->n_slots; i++)
		if (r->slot[i] && r->slot[i]->flow.cfg.timeout)
			return true;
	return false;
}

static void scan_timer(struct timer *t, uint64_t now)
{
	struct relay *r = container_of(t, struct relay, idle);

	relay_scan_idle(r, now);
	if (any_timeout(r))
		arm_scan(r);
}

static uint64_t arrival_ns(struct msghdr *msg)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

/*
 * Most wakeups bring one datagram (a call sends 50 a second): only the
 * headers the last call filled are reset, not all RELAY_BATCH of them.
 */
static int receive(struct relay *r, int fd)
{
	unsigned int i;
	int n;

	for (i = 0; i < r->rx_filled; i++)
		rx_reset(r, i);
	do
		n = recvmmsg(fd, r->rx, RELAY_BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	/* A failure may have written to the first before it failed. */
	r->rx_filled = n > 0 ? (unsigned int)n : 1;
	return n;
}

/* Sends the @n packets queued in r->tx; those the socket refused are drops. */
static void transmit(struct relay *r, struct entry *e, unsigned int n,
		     const bool *rtcp)
{
	uint64_t now = loop_now(r->loop);
	unsigned int sent = 0, i;
	int ret;
	char peer[ENDPOINT_STRLEN];

	while (sent < n) {
		ret = sendmmsg(e->out_fd, r->tx + sent, n - sent, MSG_DONTWAIT);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			break;
		sent += (unsigned int)ret;
	}
	for (i = 0; i < n; i++)
		relay_flow_count(&e->flow, i < sent ? RELAY_PASS : RTPFWD_DROP_XMIT,
				 r->tx_iov[i].iov_len, rtcp[i], now);
	if (sent < n)
		log_ratelimited(&send_rl, now, LOG_LEVEL_WARN, NULL,
				"relay: flow %u: %u packets to %s not sent: %m",
				e->flow.cfg.id, n - sent,
				endpoint_format(&e->flow.cfg.peer, peer));
}

/*
 * The flow whose LOCAL is @e's port minus one, for the learn policy's
 * sibling rule; looked up once per batch, and only while @e wants it.
 */
static const struct relay_flow *sibling(struct relay *r, const struct entry *e)
{
	struct endpoint want = e->flow.cfg.local;
	struct entry *sib;

	if (!relay_flow_wants_sibling(&e->flow) || want.port <= 1)
		return NULL;
	want.port--;
	sib = find_local(r, &want);
	return sib ? &sib->flow : NULL;
}

static void relay_batch(struct relay *r, struct entry *e, int n)
{
	const struct relay_flow *sib = sibling(r, e);
	struct sockaddr_storage peer;
	socklen_t peer_len = endpoint_to_sockaddr(&e->flow.cfg.peer, &peer);
	bool rtcp[RELAY_BATCH], learned;
	struct endpoint src;
	unsigned int queued = 0;
	int i, verdict;

	for (i = 0; i < n; i++) {
		struct msghdr *h = &r->rx[i].msg_hdr;
		size_t len = r->rx[i].msg_len;

		endpoint_from_sockaddr(&r->rx_from[i], &src);
		if (h->msg_flags & MSG_TRUNC)
			verdict = RTPFWD_DROP_MALFORMED;
		else
			verdict = relay_flow_judge(&e->flow, sib, &src, r->buf[i], len,
						   arrival_ns(h), &learned, &rtcp[queued]);
		if (verdict != RELAY_PASS) {
			relay_flow_count(&e->flow, verdict, len, false, loop_now(r->loop));
			continue;
		}
		if (learned)
			announce(r, RTPFWD_CMD_SOURCE_LEARNED, &e->flow);
		r->tx_iov[queued] = (struct iovec){ r->buf[i], len };
		r->tx[queued].msg_hdr = (struct msghdr){
			.msg_name = &peer,
			.msg_namelen = peer_len,
			.msg_iov = &r->tx_iov[queued],
			.msg_iovlen = 1,
		};
		queued++;
	}
	if (queued)
		transmit(r, e, queued, rtcp);
}

static void on_readable(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct entry *e = container_of(io, struct entry, io);
	struct relay *r = e->r;
	int n;

	/* Bounded per wakeup, so one busy flow cannot starve the others. */
	n = receive(r, io->fd);
	if (n > 0)
		relay_batch(r, e, n);
}
