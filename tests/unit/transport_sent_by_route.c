// SPDX-License-Identifier: GPL-2.0
/*
 * Which listener a request leaves from, which is its Via sent-by and
 * Record-Route (RFC 3261 18.2.1, 16.6 step 4): with UDP listeners on two
 * interfaces, the one on the address the route to the destination leaves
 * from, whatever their order; with a wildcard one, the route's source
 * address and that listener's port; with no route, the first listener
 * (or the route's error for a wildcard). transport_send() uses the same
 * socket: a socket on the destination hears the datagram from exactly the
 * sent-by. In a network namespace of its own (root; skipped otherwise):
 *
 *   lo: 10.0.1.1/24 (the caller side)       lo: 10.0.2.1/24 (the callee side)
 *        sink 10.0.1.9:6000 <-- sipproxyd listeners --> sink 10.0.2.9:6000
 *   10.0.3.9: no route
 *
 * (On lo the whole /24 is local: the sinks bind .9, and the route to
 * them leaves from .1, as the route to a host behind an interface would.)
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/config.h"
#include "sipproxyd/daemon.h"
#include "sipproxyd/transport.h"

FIXTURE(route)
{
	struct loop *loop;
	struct config cfg;
	struct listeners l;
	struct transport *tp;
};

FIXTURE_VARIANT(route)
{
	const char *udp;	/* the [listen] udp value */
	const char *caller;	/* sent-by towards 10.0.1.9 */
	const char *callee;	/* sent-by towards 10.0.2.9 */
	const char *unrouted;	/* towards 10.0.3.9; NULL: -ENETUNREACH */
};

FIXTURE_VARIANT_ADD(route, two_interfaces)
{
	.udp = "10.0.1.1:5060, 10.0.2.1:5060",
	.caller = "10.0.1.1:5060", .callee = "10.0.2.1:5060", .unrouted = "10.0.1.1:5060",
};

FIXTURE_VARIANT_ADD(route, two_interfaces_callee_first)
{
	.udp = "10.0.2.1:5060, 10.0.1.1:5060",
	.caller = "10.0.1.1:5060", .callee = "10.0.2.1:5060", .unrouted = "10.0.2.1:5060",
};

FIXTURE_VARIANT_ADD(route, wildcard)
{
	.udp = "0.0.0.0:5070",
	.caller = "10.0.1.1:5070", .callee = "10.0.2.1:5070", .unrouted = NULL,
};

FIXTURE_VARIANT_ADD(route, caller_side_and_wildcard)
{
	.udp = "10.0.1.1:5060, 0.0.0.0:5070",
	.caller = "10.0.1.1:5060", .callee = "10.0.2.1:5070", .unrouted = "10.0.1.1:5060",
};

FIXTURE_SETUP(route)
{
	struct transport_hooks hooks = { 0 };
	char conf[128], err[CONFIG_ERR_MAX];

	self->tp = NULL;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		SKIP(return, "no network namespace of its own (needs root)");
	ASSERT_EQ(0, system("ip link set lo up && ip addr add 10.0.1.1/24 dev lo && "
			    "ip addr add 10.0.2.1/24 dev lo"));
	snprintf(conf, sizeof(conf), "[listen]\nudp = %s\n", variant->udp);
	ASSERT_EQ(0, config_parse(&self->cfg, "t.conf", conf, strlen(conf), err)) TH_LOG("%s", err);
	ASSERT_EQ(0, listeners_open(&self->l, &self->cfg, NULL, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, loop_new(&self->loop));
	ASSERT_EQ(0, transport_new(self->loop, &self->cfg, &self->l, &hooks, &self->tp, err,
				   sizeof(err))) TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(route)
{
	if (!self->tp)
		return;
	transport_free(self->tp);
	listeners_close(&self->l, NULL);
	loop_free(self->loop);
}

/* What transport_sent_by() says for @dst: "addr:port", or "errno N". */
static const char *sent_by(struct transport *tp, const char *dst, char text[ENDPOINT_STRLEN])
{
	struct endpoint d, ep;
	int err;

	if (endpoint_parse(&d, dst))
		return "bad destination";
	err = transport_sent_by(tp, TP_UDP, &d, &ep);
	if (err) {
		snprintf(text, ENDPOINT_STRLEN, "errno %d", -err);
		return text;
	}
	return endpoint_format(&ep, text);
}

/* Sends one datagram to a sink on @dst; returns where the sink heard it from. */
static const char *heard_from(struct transport *tp, const char *dst, char text[ENDPOINT_STRLEN])
{
	struct tp_addr to = { .proto = TP_UDP, .lfd = -1 };
	struct timeval tv = { .tv_sec = 2 };
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[16];
	int fd;

	if (endpoint_parse(&to.peer, dst))
		return "bad destination";
	len = endpoint_to_sockaddr(&to.peer, &ss);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return "no sink";
	if (transport_send(tp, &to, "OPTIONS", 7)) {
		close(fd);
		return "not sent";
	}
	len = sizeof(ss);
	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len) != 7) {
		close(fd);
		return "nothing heard";
	}
	close(fd);
	endpoint_from_sockaddr(&ss, &to.peer);
	return endpoint_format(&to.peer, text);
}

TEST_F(route, caller_side)
{
	char text[ENDPOINT_STRLEN];

	EXPECT_STREQ(variant->caller, sent_by(self->tp, "10.0.1.9:5060", text));
	EXPECT_STREQ(variant->caller, heard_from(self->tp, "10.0.1.9:6000", text));
}

TEST_F(route, callee_side)
{
	char text[ENDPOINT_STRLEN];

	EXPECT_STREQ(variant->callee, sent_by(self->tp, "10.0.2.9:5060", text));
	EXPECT_STREQ(variant->callee, heard_from(self->tp, "10.0.2.9:6000", text));
}

TEST_F(route, no_route)
{
	char text[ENDPOINT_STRLEN];

	EXPECT_STREQ(variant->unrouted ? variant->unrouted : "errno 101",
		     sent_by(self->tp, "10.0.3.9:5060", text));
}

TEST_HARNESS_MAIN
