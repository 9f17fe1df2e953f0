// SPDX-License-Identifier: GPL-2.0
/*
 * The resolver against a server that never answers (a bound UDP socket on
 * loopback nobody reads): RESOLVE_QUERIES_MAX queries stay in flight, the
 * next request fails at once with RESOLVE_TEMPORARY instead of queueing,
 * the others time out the same way, and freeing the resolver with
 * requests and queries outstanding calls nobody back.
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/resolve.h"

#define WATCHDOG_MS 5000
#define TIMEOUT_MS 1000

struct outcome {
	int calls;
	enum resolve_status status;
	uint64_t at;
};

FIXTURE(silent) {
	int sink;
	struct loop *loop;
	struct resolver *r;
	struct timer watchdog;
	struct outcome out[RESOLVE_QUERIES_MAX + 1];
	struct resolve_req *req[RESOLVE_QUERIES_MAX + 1];
};

static struct loop *running_loop;
static int stop_after;

static void on_watchdog(struct timer *t, uint64_t now)
{
	loop_stop(running_loop);
}

static void on_resolved(void *arg, enum resolve_status status, struct resolve_targets *t)
{
	struct outcome *o = arg;

	o->calls++;
	o->status = status;
	o->at = loop_now(running_loop);
	resolve_targets_free(t);
	if (--stop_after == 0)
		loop_stop(running_loop);
}

FIXTURE_SETUP(silent)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct resolve_config cfg = { .timeout_ms = TIMEOUT_MS, .tries = 1, .seed = 1 };
	socklen_t len = sizeof(sin);
	char servers[32];

	memset(self, 0, sizeof(*self));
	self->sink = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->sink);
	ASSERT_EQ(0, bind(self->sink, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(self->sink, (struct sockaddr *)&sin, &len));
	snprintf(servers, sizeof(servers), "127.0.0.1:%d", ntohs(sin.sin_port));
	cfg.servers = servers;
	ASSERT_EQ(0, loop_new(&self->loop));
	running_loop = self->loop;
	timer_init(&self->watchdog, on_watchdog);
	ASSERT_EQ(0, resolve_new(self->loop, &cfg, &self->r));
}

FIXTURE_TEARDOWN(silent)
{
	resolve_free(self->r);
	loop_free(self->loop);
	close(self->sink);
}

/* One distinct name per request: each holds one NAPTR query in flight. */
static void start_many(struct __test_metadata *_metadata, FIXTURE_DATA(silent) *self, size_t n)
{
	char text[64];
	struct sip_uri uri;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "sip:h%zu.example.net", i);
		ASSERT_EQ(0, sip_uri_parse(sip_str_make(text, strlen(text)), &uri));
		ASSERT_EQ(0, resolve_start(self->r, &uri, on_resolved, &self->out[i], &self->req[i]));
	}
}

TEST_F(silent, over_the_limit_fails_at_once)
{
	uint64_t begin;
	size_t i;

	start_many(_metadata, self, RESOLVE_QUERIES_MAX + 1);
	stop_after = 1;
	loop_timer_arm(self->loop, &self->watchdog, WATCHDOG_MS);
	begin = loop_now(self->loop);
	ASSERT_EQ(0, loop_run(self->loop));
	/* Requests start in order: the last one found no room, long before any timeout. */
	for (i = 0; i < RESOLVE_QUERIES_MAX; i++)
		ASSERT_EQ(0, self->out[i].calls) TH_LOG("request %zu", i);
	ASSERT_EQ(1, self->out[RESOLVE_QUERIES_MAX].calls);
	EXPECT_EQ((int)RESOLVE_TEMPORARY, (int)self->out[RESOLVE_QUERIES_MAX].status);
	EXPECT_LT(self->out[RESOLVE_QUERIES_MAX].at - begin, (uint64_t)TIMEOUT_MS / 2);
	/* The rest is left to resolve_free() in the teardown: nobody is called. */
}

/* Unanswered queries time out, fall back through SRV and A/AAAA, and fail. */
TEST_F(silent, timeouts_are_temporary)
{
	start_many(_metadata, self, 2);
	stop_after = 2;
	loop_timer_arm(self->loop, &self->watchdog, WATCHDOG_MS);
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(1, self->out[0].calls);
	EXPECT_EQ(1, self->out[1].calls);
	EXPECT_EQ((int)RESOLVE_TEMPORARY, (int)self->out[0].status);
	EXPECT_EQ((int)RESOLVE_TEMPORARY, (int)self->out[1].status);
}

/* Cancelling every request, then letting the queries time out, calls nobody. */
TEST_F(silent, cancel_all_then_time_out)
{
	size_t i;

	start_many(_metadata, self, 4);
	stop_after = 1;
	loop_timer_arm(self->loop, &self->watchdog, 100);
	ASSERT_EQ(0, loop_run(self->loop));
	for (i = 0; i < 4; i++)
		resolve_cancel(self->req[i]);
	loop_timer_arm(self->loop, &self->watchdog, TIMEOUT_MS * 2);
	ASSERT_EQ(0, loop_run(self->loop));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, self->out[i].calls);
}

TEST_HARNESS_MAIN
