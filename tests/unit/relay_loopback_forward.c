// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace relay with real UDP sockets on loopback: a learn flow
 * forwards a caller's RTP to the peer from the OUT port, byte for byte;
 * after locking, packets sprayed from another port are dropped and
 * counted, never forwarded; a strict flow never forwards a stranger;
 * RTCP on the odd port; the idle scan reports FLOW_IDLE through the event
 * callback, which may delete the flow; what a port received before its
 * flow existed is never forwarded; a hinted RTCP flow learns a NATed
 * source on its RTP sibling's word, the sibling found among many flows and
 * forgotten once deleted.
 *
 *   caller 127.0.0.1:A --> X [relay flow X->peer, out Y] Y --> peer 127.0.0.1:P
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "lib/endpoint.h"
#include "sipproxyd/portpool.h"
#include "sipproxyd/relay.h"

#define FIRST 47200
#define PAIRS 100
#define SIZE 172
/* Flows of other calls next to the one under test: RTP and hinted RTCP. */
#define OTHERS 40

struct events {
	unsigned int idle, learned;
	uint32_t last_id;
	struct relay *delete_from;
};

static void on_event(void *data, uint8_t cmd, const struct nl_flow *flow)
{
	struct events *ev = data;

	ev->last_id = flow->id;
	if (cmd == RTPFWD_CMD_FLOW_IDLE) {
		ev->idle++;
		if (ev->delete_from)
			relay_del(ev->delete_from, flow->id);
	} else if (cmd == RTPFWD_CMD_SOURCE_LEARNED) {
		ev->learned++;
	}
}

struct stopper {
	struct timer t;
	struct loop *loop;
};

static void stop(struct timer *t, uint64_t now)
{
	struct stopper *s = container_of(t, struct stopper, t);

	loop_stop(s->loop);
}

/* Runs the loop for @ms milliseconds. */
static void spin(struct loop *loop, unsigned int ms)
{
	struct stopper s = { .loop = loop };

	timer_init(&s.t, stop);
	loop_timer_arm(loop, &s.t, ms);
	loop_run(loop);
}

/* A socket on an ephemeral loopback port; @ep is set to its address. */
static int udp_socket(struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (endpoint_parse(ep, "127.0.0.1:1"))
		return -1;
	ep->port = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	len = endpoint_to_sockaddr(ep, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return -1;
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	endpoint_from_sockaddr(&ss, ep);
	return fd;
}

static void send_rtp(int fd, const struct endpoint *to, uint16_t seq, unsigned int n)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(to, &ss);
	uint8_t buf[SIZE] = { 0x80, 0 };

	for (unsigned int i = 0; i < n; i++, seq++) {
		buf[2] = (uint8_t)(seq >> 8);
		buf[3] = (uint8_t)seq;
		buf[11] = 7;
		buf[SIZE - 1] = (uint8_t)seq;
		sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, len);
	}
}

/* Reads every datagram waiting on @fd; all must come from @from. */
static unsigned int drain(int fd, const struct endpoint *from, uint64_t *bytes)
{
	struct sockaddr_storage ss;
	struct endpoint src;
	unsigned int n = 0;
	uint8_t buf[2048];
	socklen_t len;
	ssize_t got;

	for (;;) {
		len = sizeof(ss);
		got = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
		if (got < 0)
			return n;
		endpoint_from_sockaddr(&ss, &src);
		if (!endpoint_equal(&src, from))
			return 1000000;
		n++;
		*bytes += (uint64_t)got;
	}
}

FIXTURE(relay)
{
	struct loop *loop;
	struct relay *relay;
	struct portpool pool;
	struct portpair x, y;
	struct events ev;
	struct endpoint lo, caller_ep, attacker_ep, peer_ep;
	int caller, attacker, peer;
	struct nl_flow cfg;
};

FIXTURE_SETUP(relay)
{
	struct nl_flow *c = &self->cfg;

	ASSERT_EQ(0, loop_new(&self->loop));
	ASSERT_EQ(0, relay_new(&self->relay, self->loop, on_event, &self->ev));
	ASSERT_EQ(0, portpool_init(&self->pool, FIRST, FIRST + 2 * PAIRS - 1));
	ASSERT_EQ(0, endpoint_parse(&self->lo, "127.0.0.1:1"));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->x));
	ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &self->y));
	self->caller = udp_socket(&self->caller_ep);
	self->attacker = udp_socket(&self->attacker_ep);
	self->peer = udp_socket(&self->peer_ep);
	ASSERT_LE(0, self->caller);
	ASSERT_LE(0, self->attacker);
	ASSERT_LE(0, self->peer);
	memset(c, 0, sizeof(*c));
	c->attrs = 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT | 1U << RTPFWD_A_PEER |
		   1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_FLAGS;
	c->local = self->lo;
	c->local.port = self->x.port;
	c->out = self->lo;
	c->out.port = self->y.port;
	c->peer = self->peer_ep;
	c->policy = RTPFWD_POLICY_LEARN;
	c->flags = RTPFWD_F_RTP;
}

FIXTURE_TEARDOWN(relay)
{
	relay_free(self->relay);
	portpool_put(&self->pool, &self->x);
	portpool_put(&self->pool, &self->y);
	portpool_destroy(&self->pool);
	close(self->caller);
	close(self->attacker);
	close(self->peer);
	loop_free(self->loop);
}

TEST_F(relay, learn_forwards_from_out_port_and_drops_spray)
{
	struct endpoint out = self->cfg.out;
	struct nl_flow r;
	uint64_t bytes = 0;
	uint32_t id;

	ASSERT_EQ(0, relay_add(self->relay, &self->cfg, self->x.fd[0], self->y.fd[0], &id));
	EXPECT_EQ(-EEXIST, relay_add(self->relay, &self->cfg, self->x.fd[0], self->y.fd[0], &id));
	send_rtp(self->caller, &self->cfg.local, 100, 50);
	spin(self->loop, 100);
	EXPECT_EQ(49U, drain(self->peer, &out, &bytes));
	EXPECT_EQ(49U * SIZE, bytes);
	EXPECT_EQ(1U, self->ev.learned);

	send_rtp(self->attacker, &self->cfg.local, 150, 20);
	send_rtp(self->caller, &self->cfg.local, 150, 5);
	spin(self->loop, 100);
	bytes = 0;
	EXPECT_EQ(5U, drain(self->peer, &out, &bytes));

	ASSERT_EQ(0, relay_get(self->relay, id, &r));
	EXPECT_EQ(54U, r.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(54U * SIZE, r.stats.v[RTPFWD_STATS_BYTES]);
	EXPECT_EQ(20U, r.stats.v[RTPFWD_STATS_DROP_SOURCE]);
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_DROP_PROBATION]);
	EXPECT_EQ(154U, r.stats.v[RTPFWD_STATS_EXT_SEQ]);
	EXPECT_EQ(0U, r.stats.v[RTPFWD_STATS_LOST]);
	EXPECT_TRUE(r.learned);
	EXPECT_TRUE(endpoint_equal(&r.source, &self->caller_ep));
	EXPECT_EQ(0, relay_del(self->relay, id));
	EXPECT_EQ(-ENOENT, relay_del(self->relay, id));
}

TEST_F(relay, strict_never_forwards_a_stranger)
{
	struct endpoint out = self->cfg.out;
	uint64_t bytes = 0;
	struct nl_flow r;
	uint32_t id;

	self->cfg.policy = RTPFWD_POLICY_STRICT;
	self->cfg.source = self->caller_ep;
	nl_flow_mark(&self->cfg, RTPFWD_A_SOURCE);
	ASSERT_EQ(0, relay_add(self->relay, &self->cfg, self->x.fd[0], self->y.fd[0], &id));
	send_rtp(self->attacker, &self->cfg.local, 1, 30);
	send_rtp(self->caller, &self->cfg.local, 1, 3);
	spin(self->loop, 100);
	EXPECT_EQ(3U, drain(self->peer, &out, &bytes));
	ASSERT_EQ(0, relay_get(self->relay, id, &r));
	EXPECT_EQ(3U, r.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(30U, r.stats.v[RTPFWD_STATS_DROP_SOURCE]);
	EXPECT_EQ(0U, self->ev.learned);
}

TEST_F(relay, rtcp_on_odd_port)
{
	struct endpoint out = self->cfg.out;
	struct sockaddr_storage ss;
	uint8_t rr[8] = { 0x80, 201, 0, 1, 0, 0, 0, 7 };
	uint64_t bytes = 0;
	struct nl_flow r;
	uint32_t id;

	self->cfg.local.port++;
	self->cfg.out.port++;
	out.port++;
	self->cfg.flags = RTPFWD_F_RTCP;
	ASSERT_EQ(0, relay_add(self->relay, &self->cfg, self->x.fd[1], self->y.fd[1], &id));
	sendto(self->caller, rr, sizeof(rr), 0, (struct sockaddr *)&ss,
	       endpoint_to_sockaddr(&self->cfg.local, &ss));
	spin(self->loop, 100);
	EXPECT_EQ(1U, drain(self->peer, &out, &bytes));
	ASSERT_EQ(0, relay_get(self->relay, id, &r));
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_RTCP_PACKETS]);
	EXPECT_EQ(8U, r.stats.v[RTPFWD_STATS_RTCP_BYTES]);
	EXPECT_EQ(0U, r.stats.v[RTPFWD_STATS_PACKETS]);
}

/* As in the kernel: a hold with c=0.0.0.0 must not release stale media at resume. */
TEST_F(relay, queued_before_the_flow_is_dropped)
{
	struct endpoint out = self->cfg.out;
	uint64_t bytes = 0;
	struct nl_flow r;
	uint32_t id;

	send_rtp(self->caller, &self->cfg.local, 1, 20);
	ASSERT_EQ(0, relay_add(self->relay, &self->cfg, self->x.fd[0], self->y.fd[0], &id));
	send_rtp(self->caller, &self->cfg.local, 21, 10);
	spin(self->loop, 100);
	EXPECT_EQ(9U, drain(self->peer, &out, &bytes));
	ASSERT_EQ(0, relay_get(self->relay, id, &r));
	EXPECT_EQ(9U, r.stats.v[RTPFWD_STATS_PACKETS]);
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_DROP_PROBATION]);
	EXPECT_EQ(30U, r.stats.v[RTPFWD_STATS_EXT_SEQ]);
}

TEST_F(relay, idle_event_may_delete_the_flow)
{
	struct nl_flow r;
	uint32_t id;

	self->cfg.timeout = 2;
	nl_flow_mark(&self->cfg, RTPFWD_A_TIMEOUT);
	self->ev.delete_from = self->relay;
	ASSERT_EQ(0, relay_add(self->relay, &self->cfg, self->x.fd[0], self->y.fd[0], &id));
	relay_scan_idle(self->relay, loop_now(self->loop) + 1999);
	EXPECT_EQ(0U, self->ev.idle);
	relay_scan_idle(self->relay, loop_now(self->loop) + 2000);
	EXPECT_EQ(1U, self->ev.idle);
	EXPECT_EQ(id, self->ev.last_id);
	EXPECT_EQ(-ENOENT, relay_get(self->relay, id, &r));
}

static void send_rr(int fd, const struct endpoint *to)
{
	uint8_t rr[8] = { 0x80, 201, 0, 1, 0, 0, 0, 7 };
	struct sockaddr_storage ss;

	sendto(fd, rr, sizeof(rr), 0, (struct sockaddr *)&ss, endpoint_to_sockaddr(to, &ss));
}

/* The RTCP flow at X + 1, hinted at a documentation address (a NAT rewrote the caller's). */
static int add_rtcp(FIXTURE_DATA(relay) *self, struct portpair *in, const struct endpoint *peer,
		    uint32_t *id)
{
	struct nl_flow c = self->cfg;

	c.local.port = in->port + 1;
	c.out.port = self->y.port + 1;
	c.peer = *peer;
	c.flags = RTPFWD_F_RTCP;
	endpoint_parse(&c.expect, "192.0.2.1:1");
	c.expect.port = 0;
	nl_flow_mark(&c, RTPFWD_A_EXPECT);
	return relay_add(self->relay, &c, in->fd[1], self->y.fd[1], id);
}

static int add_rtp(FIXTURE_DATA(relay) *self, struct portpair *in, uint32_t *id)
{
	struct nl_flow c = self->cfg;

	c.local.port = in->port;
	return relay_add(self->relay, &c, in->fd[0], self->y.fd[0], id);
}

TEST_F(relay, rtcp_learns_on_its_rtp_siblings_word_among_many_flows)
{
	struct portpair others[OTHERS];
	struct endpoint rtcp_out = self->cfg.out, rtcp_peer, at = self->cfg.local;
	uint32_t rtp, rtcp, id;
	uint64_t bytes = 0;
	struct nl_flow r;
	int rtcp_sink, i;

	rtcp_out.port++;
	rtcp_sink = udp_socket(&rtcp_peer);
	ASSERT_LE(0, rtcp_sink);
	for (i = 0; i < OTHERS; i++) {
		ASSERT_EQ(0, portpool_get(&self->pool, &self->lo, &others[i]));
		ASSERT_EQ(0, add_rtp(self, &others[i], &id));
		ASSERT_EQ(0, add_rtcp(self, &others[i], &rtcp_peer, &id));
	}
	ASSERT_EQ(0, add_rtcp(self, &self->x, &rtcp_peer, &rtcp));
	ASSERT_EQ(0, add_rtp(self, &self->x, &rtp));
	at.port++;

	/* Not from the hint and no RTP locked yet: probation. */
	send_rr(self->caller, &at);
	spin(self->loop, 50);
	send_rtp(self->caller, &self->cfg.local, 1, 3);
	spin(self->loop, 50);
	send_rr(self->caller, &at);
	spin(self->loop, 50);
	EXPECT_EQ(1U, drain(rtcp_sink, &rtcp_out, &bytes));
	EXPECT_EQ(2U, drain(self->peer, &self->cfg.out, &bytes));
	ASSERT_EQ(0, relay_get(self->relay, rtcp, &r));
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_RTCP_PACKETS]);
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_DROP_PROBATION]);
	EXPECT_TRUE(r.learned);
	EXPECT_TRUE(endpoint_equal(&r.source, &self->caller_ep));
	EXPECT_EQ(2U, self->ev.learned);

	/* The sibling gone (its LOCAL free again), a new RTCP flow hears no word. */
	EXPECT_EQ(0, relay_del(self->relay, rtp));
	EXPECT_EQ(0, relay_del(self->relay, rtcp));
	ASSERT_EQ(0, add_rtcp(self, &self->x, &rtcp_peer, &rtcp));
	send_rr(self->caller, &at);
	spin(self->loop, 50);
	ASSERT_EQ(0, relay_get(self->relay, rtcp, &r));
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_DROP_PROBATION]);
	EXPECT_FALSE(r.learned);
	ASSERT_EQ(0, add_rtp(self, &self->x, &rtp));
	EXPECT_EQ(-EEXIST, add_rtp(self, &self->x, &id));
	send_rtp(self->caller, &self->cfg.local, 10, 2);
	spin(self->loop, 50);
	send_rr(self->caller, &at);
	spin(self->loop, 50);
	ASSERT_EQ(0, relay_get(self->relay, rtcp, &r));
	EXPECT_EQ(1U, r.stats.v[RTPFWD_STATS_RTCP_PACKETS]);
	EXPECT_TRUE(r.learned);
	bytes = 0;
	EXPECT_EQ(1U, drain(rtcp_sink, &rtcp_out, &bytes));
	EXPECT_EQ(8U, bytes);

	for (i = 0; i < OTHERS; i++)
		portpool_put(&self->pool, &others[i]);
	close(rtcp_sink);
}

TEST_HARNESS_MAIN
