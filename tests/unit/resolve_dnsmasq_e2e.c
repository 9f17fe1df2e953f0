// SPDX-License-Identifier: GPL-2.0
/*
 * The resolver end to end against a real DNS server: Debian's dnsmasq on
 * 127.0.0.1 and a free port, serving the zone below; c-ares on our event
 * loop; exact target lists. Skips when dnsmasq is not installed.
 *
 *   example.test   NAPTR 10 10 "s" SIP+D2U -> _sip._udp.example.test
 *                  NAPTR 20 10 "s" SIP+D2T -> _sip._tcp.example.test
 *   _sip._udp.example.test  SRV 10 60 5070 sip1, SRV 20 0 5080 sip2
 *   _sip._tcp.example.test  SRV 10 0 5071 sip1
 *   _sip._tcp.srv-only.test SRV 0 0 5060 sip2;  _sips._tcp.srv-only.test SRV 0 0 5061 sip1
 *   _sip._udp.dead.test     SRV target "." (no service)
 *   sip1.example.test 127.0.0.2 ::2;  sip2.example.test 127.0.0.3;  a-only.test 127.0.0.4
 *   alias.test CNAME sip1.example.test;  c1.test CNAME c2.test ... c10.test CNAME a-only.test
 *   anything else in .test: NXDOMAIN;
 *   outside .test: REFUSED
 */
#include <arpa/inet.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/resolve.h"

#define DNSMASQ "/usr/sbin/dnsmasq"
/* A test that hangs fails here instead of waiting for the harness. */
#define WATCHDOG_MS 5000

struct outcome {
	int calls;
	enum resolve_status status;
	char text[1024];	/* "udp 127.0.0.2:5070, ..." */
};

FIXTURE(dns) {
	pid_t dnsmasq;
	char servers[32];
	struct loop *loop;
	struct resolver *r;
	struct timer watchdog;
	int waiting;
};

static struct loop *running_loop;
static int *waiting_for;

static void on_watchdog(struct timer *t, uint64_t now)
{
	loop_stop(running_loop);
}

/* A UDP port nobody uses right now. */
static int free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), port = -1;

	if (fd >= 0 && !bind(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
	    !getsockname(fd, (struct sockaddr *)&sin, &len))
		port = ntohs(sin.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* dnsmasq answers a query for "a-only.test" within @ms milliseconds. */
static bool dns_ready(int port, int ms)
{
	static const unsigned char query[] = {
		0x42, 0x42, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		6, 'a', '-', 'o', 'n', 'l', 'y', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1,
	};
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { 0, 50000 };
	unsigned char buf[512];
	bool ready = false;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (; ms > 0 && !ready; ms -= 50) {
		sendto(fd, query, sizeof(query), 0, (struct sockaddr *)&to, sizeof(to));
		ready = recv(fd, buf, sizeof(buf), 0) > 0;
	}
	close(fd);
	return ready;
}

static pid_t dnsmasq_start(int port)
{
	char port_arg[32];
	pid_t pid;

	snprintf(port_arg, sizeof(port_arg), "--port=%d", port);
	pid = fork();
	if (pid != 0)
		return pid;
	execl(DNSMASQ, DNSMASQ, "--no-daemon", "--no-resolv", "--no-hosts", port_arg,
	      "--listen-address=127.0.0.1", "--bind-interfaces", "--pid-file=",
	      "--conf-file=/dev/null", "--local=/test/", "--local-ttl=60", "--log-facility=-",
	      "--log-queries",
	      "--naptr-record=example.test,10,10,s,SIP+D2U,,_sip._udp.example.test",
	      "--naptr-record=example.test,20,10,s,SIP+D2T,,_sip._tcp.example.test",
	      "--srv-host=_sip._udp.example.test,sip1.example.test,5070,10,60",
	      "--srv-host=_sip._udp.example.test,sip2.example.test,5080,20,0",
	      "--srv-host=_sip._tcp.example.test,sip1.example.test,5071,10,0",
	      "--srv-host=_sip._tcp.srv-only.test,sip2.example.test,5060,0,0",
	      "--srv-host=_sips._tcp.srv-only.test,sip1.example.test,5061,0,0",
	      "--srv-host=_sip._udp.dead.test",
	      "--host-record=sip1.example.test,127.0.0.2,::2",
	      "--host-record=sip2.example.test,127.0.0.3",
	      "--host-record=a-only.test,127.0.0.4",
	      "--cname=alias.test,sip1.example.test",
	      "--cname=c1.test,c2.test", "--cname=c2.test,c3.test", "--cname=c3.test,c4.test",
	      "--cname=c4.test,c5.test", "--cname=c5.test,c6.test", "--cname=c6.test,c7.test",
	      "--cname=c7.test,c8.test", "--cname=c8.test,c9.test", "--cname=c9.test,c10.test",
	      "--cname=c10.test,a-only.test",
	      (char *)NULL);
	_exit(127);
}

static void dnsmasq_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

FIXTURE_SETUP(dns)
{
	struct resolve_config cfg = { .seed = 1, .timeout_ms = 300, .tries = 1 };
	int port;

	memset(self, 0, sizeof(*self));
	if (access(DNSMASQ, X_OK))
		SKIP(return, "%s not installed (Debian package dnsmasq-base)", DNSMASQ);
	port = free_port();
	ASSERT_LT(0, port);
	self->dnsmasq = dnsmasq_start(port);
	ASSERT_LT(0, self->dnsmasq);
	ASSERT_TRUE(dns_ready(port, 3000));
	snprintf(self->servers, sizeof(self->servers), "127.0.0.1:%d", port);
	cfg.servers = self->servers;
	ASSERT_EQ(0, loop_new(&self->loop));
	running_loop = self->loop;
	timer_init(&self->watchdog, on_watchdog);
	ASSERT_EQ(0, resolve_new(self->loop, &cfg, &self->r));
	waiting_for = &self->waiting;
}

FIXTURE_TEARDOWN(dns)
{
	if (self->r)
		resolve_free(self->r);
	if (self->loop)
		loop_free(self->loop);
	if (self->dnsmasq > 0)
		dnsmasq_stop(self->dnsmasq);
}

static void on_resolved(void *arg, enum resolve_status status, struct resolve_targets *t)
{
	struct outcome *o = arg;
	const struct resolve_target *tg;
	size_t used = 0;

	o->calls++;
	o->status = status;
	o->text[0] = '\0';
	while (t && (tg = resolve_targets_next(t))) {
		char ep[ENDPOINT_STRLEN];

		used += (size_t)snprintf(o->text + used, sizeof(o->text) - used, "%s%s %s",
					 used ? ", " : "", resolve_transport_name(tg->transport),
					 endpoint_format(&tg->addr, ep));
	}
	resolve_targets_free(t);
	if (--*waiting_for == 0)
		loop_stop(running_loop);
}

/* Resolve each URI at once and run the loop until all have answered. */
static void resolve_all(struct __test_metadata *_metadata, FIXTURE_DATA(dns) *self,
			const char *const *uris, struct outcome *out, size_t n)
{
	struct resolve_req *req;
	struct sip_uri uri;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		ASSERT_EQ(0, sip_uri_parse(sip_str_make(uris[i], strlen(uris[i])), &uri));
		ASSERT_EQ(0, resolve_start(self->r, &uri, on_resolved, &out[i], &req));
		/* Never from inside resolve_start(). */
		ASSERT_EQ(0, out[i].calls);
	}
	self->waiting = (int)n;
	loop_timer_arm(self->loop, &self->watchdog, WATCHDOG_MS);
	ASSERT_EQ(0, loop_run(self->loop));
	loop_timer_cancel(self->loop, &self->watchdog);
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, out[i].calls) TH_LOG("%s", uris[i]);
}

static void expect_one(struct __test_metadata *_metadata, FIXTURE_DATA(dns) *self,
		       const char *uri, enum resolve_status status, const char *targets)
{
	struct outcome o;

	resolve_all(_metadata, self, &uri, &o, 1);
	EXPECT_EQ((int)status, (int)o.status) TH_LOG("%s", uri);
	EXPECT_STREQ(targets, o.text);
}

TEST_F(dns, naptr_then_srv_by_priority)
{
	expect_one(_metadata, self, "sip:alice@example.test", RESOLVE_OK,
		   "udp [::2]:5070, udp 127.0.0.2:5070, udp 127.0.0.3:5080, "
		   "tcp [::2]:5071, tcp 127.0.0.2:5071");
}

TEST_F(dns, srv_without_naptr_in_service_order)
{
	expect_one(_metadata, self, "sip:srv-only.test", RESOLVE_OK,
		   "tcp 127.0.0.3:5060, tls [::2]:5061, tls 127.0.0.2:5061");
	expect_one(_metadata, self, "sips:srv-only.test", RESOLVE_OK,
		   "tls [::2]:5061, tls 127.0.0.2:5061");
	expect_one(_metadata, self, "sip:srv-only.test;transport=tcp", RESOLVE_OK,
		   "tcp 127.0.0.3:5060");
}

TEST_F(dns, explicit_port_skips_naptr_and_srv)
{
	expect_one(_metadata, self, "sip:bob@example.test:5099", RESOLVE_NOT_FOUND, "");
	expect_one(_metadata, self, "sip:bob@sip1.example.test:5099", RESOLVE_OK,
		   "udp [::2]:5099, udp 127.0.0.2:5099");
	expect_one(_metadata, self, "sips:bob@sip1.example.test:5099", RESOLVE_OK,
		   "tls [::2]:5099, tls 127.0.0.2:5099");
}

TEST_F(dns, address_fallback_and_cname)
{
	expect_one(_metadata, self, "sip:a-only.test", RESOLVE_OK, "udp 127.0.0.4:5060");
	expect_one(_metadata, self, "sips:a-only.test", RESOLVE_OK, "tls 127.0.0.4:5061");
	expect_one(_metadata, self, "sip:alias.test;transport=tcp", RESOLVE_OK,
		   "tcp [::2]:5060, tcp 127.0.0.2:5060");
	/* maddr wins over the host. */
	expect_one(_metadata, self, "sip:x@missing.test;maddr=a-only.test", RESOLVE_OK,
		   "udp 127.0.0.4:5060");
}

TEST_F(dns, failures)
{
	/* NXDOMAIN everywhere. */
	expect_one(_metadata, self, "sip:missing.test", RESOLVE_NOT_FOUND, "");
	/* SRV says the service is not there: no fallback to the host. */
	expect_one(_metadata, self, "sip:dead.test;transport=udp", RESOLVE_NOT_FOUND, "");
	/* The server refuses: try again later. */
	expect_one(_metadata, self, "sip:x@elsewhere.org", RESOLVE_TEMPORARY, "");
}

/* RESOLVE_CNAME_MAX (8) CNAMEs are followed, 10 are a broken answer. */
TEST_F(dns, cname_chain_limit)
{
	expect_one(_metadata, self, "sip:c3.test:5060", RESOLVE_OK, "udp 127.0.0.4:5060");
	expect_one(_metadata, self, "sip:c1.test:5060", RESOLVE_TEMPORARY, "");
}

TEST_F(dns, numeric_hosts_answer_from_the_loop)
{
	expect_one(_metadata, self, "sip:192.0.2.1:5070;transport=tcp", RESOLVE_OK,
		   "tcp 192.0.2.1:5070");
	expect_one(_metadata, self, "sips:[2001:db8::1]", RESOLVE_OK, "tls [2001:db8::1]:5061");
}

TEST_F(dns, many_at_once_share_queries)
{
	static const char *const uris[] = {
		"sip:a@example.test", "sip:b@example.test", "sip:c@srv-only.test",
		"sip:d@missing.test", "sip:e@example.test",
	};
	struct outcome o[5];

	resolve_all(_metadata, self, uris, o, 5);
	EXPECT_STREQ(o[0].text, o[1].text);
	EXPECT_STREQ(o[0].text, o[4].text);
	EXPECT_STREQ("tcp 127.0.0.3:5060, tls [::2]:5061, tls 127.0.0.2:5061", o[2].text);
	EXPECT_EQ((int)RESOLVE_NOT_FOUND, (int)o[3].status);
}

TEST_F(dns, cancelled_requests_stay_silent)
{
	struct outcome kept = { 0 }, cancelled = { 0 };
	struct resolve_req *a, *b, *c;
	struct sip_uri uri;

	ASSERT_EQ(0, sip_uri_parse(SIP_STR("sip:example.test"), &uri));
	ASSERT_EQ(0, resolve_start(self->r, &uri, on_resolved, &cancelled, &a));
	ASSERT_EQ(0, resolve_start(self->r, &uri, on_resolved, &kept, &b));
	ASSERT_EQ(0, sip_uri_parse(SIP_STR("sip:192.0.2.1"), &uri));
	ASSERT_EQ(0, resolve_start(self->r, &uri, on_resolved, &cancelled, &c));
	resolve_cancel(c);
	/* The same names as @b: its queries go on without @a. */
	resolve_cancel(a);
	self->waiting = 1;
	loop_timer_arm(self->loop, &self->watchdog, WATCHDOG_MS);
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(1, kept.calls);
	EXPECT_EQ(0, cancelled.calls);
}

/* Answers and NXDOMAIN outlive the server for their TTL; the rest fails. */
TEST_F(dns, cache_and_negative_cache)
{
	expect_one(_metadata, self, "sip:example.test", RESOLVE_OK,
		   "udp [::2]:5070, udp 127.0.0.2:5070, udp 127.0.0.3:5080, "
		   "tcp [::2]:5071, tcp 127.0.0.2:5071");
	expect_one(_metadata, self, "sip:missing.test", RESOLVE_NOT_FOUND, "");
	dnsmasq_stop(self->dnsmasq);
	self->dnsmasq = 0;
	expect_one(_metadata, self, "sip:example.test", RESOLVE_OK,
		   "udp [::2]:5070, udp 127.0.0.2:5070, udp 127.0.0.3:5080, "
		   "tcp [::2]:5071, tcp 127.0.0.2:5071");
	expect_one(_metadata, self, "sip:missing.test", RESOLVE_NOT_FOUND, "");
	expect_one(_metadata, self, "sip:a-only.test", RESOLVE_TEMPORARY, "");
}

TEST(bad_servers_are_refused)
{
	struct resolve_config cfg = { .servers = "not an address" };
	struct resolver *r = NULL;
	struct loop *loop;

	ASSERT_EQ(0, loop_new(&loop));
	EXPECT_EQ(-EINVAL, resolve_new(loop, &cfg, &r));
	EXPECT_EQ(NULL, r);
	loop_free(loop);
}

TEST_HARNESS_MAIN
