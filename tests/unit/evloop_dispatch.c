// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop on real descriptors, signals and the real clock:
 * readiness, changes from inside callbacks, removal of a descriptor whose
 * event is pending in the same batch, signalfd delivery and timers.
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/evloop.h"

/* A test that hangs fails here instead of waiting for the harness. */
#define WATCHDOG_MS 3000

struct watch {
	struct loop_io io;
	int fds[2];
	struct watch *other;
	uint32_t seen[4];
	int calls;
	bool removed;
	int called_after_removal;
	int result;	/* of a call made inside the callback */
};

FIXTURE(loop) {
	struct loop *loop;
	struct timer watchdog;
	struct watch w[2];
};

static bool watchdog_fired;
static struct loop *watched_loop;

static void on_watchdog(struct timer *t, uint64_t now)
{
	watchdog_fired = true;
	loop_stop(watched_loop);
}

FIXTURE_SETUP(loop)
{
	int i;

	ASSERT_EQ(0, loop_new(&self->loop));
	watched_loop = self->loop;
	timer_init(&self->watchdog, on_watchdog);
	loop_timer_arm(self->loop, &self->watchdog, WATCHDOG_MS);
	for (i = 0; i < 2; i++) {
		memset(&self->w[i], 0, sizeof(self->w[i]));
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, self->w[i].fds));
	}
	watchdog_fired = false;
}

FIXTURE_TEARDOWN(loop)
{
	int i;

	for (i = 0; i < 2; i++) {
		close(self->w[i].fds[0]);
		close(self->w[i].fds[1]);
	}
	loop_free(self->loop);
}

static void note(struct loop_io *io, uint32_t events)
{
	struct watch *w = container_of(io, struct watch, io);

	if (w->removed)
		w->called_after_removal++;
	if (w->calls < 4)
		w->seen[w->calls] = events;
	w->calls++;
}

static void read_once_and_stop(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct watch *w = container_of(io, struct watch, io);
	char c;

	note(io, events);
	w->result = (int)read(io->fd, &c, 1);
	loop_io_del(loop, io);
	loop_stop(loop);
}

TEST_F(loop, read_readiness)
{
	struct watch *w = &self->w[0];

	loop_io_init(&w->io, w->fds[0], read_once_and_stop);
	ASSERT_EQ(0, loop_io_add(self->loop, &w->io, EPOLLIN));
	ASSERT_EQ(1, write(w->fds[1], "x", 1));
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_FALSE(watchdog_fired);
	EXPECT_EQ(1, w->calls);
	EXPECT_EQ((uint32_t)EPOLLIN, w->seen[0]);
	EXPECT_EQ(1, w->result);
}

/* Whichever runs first removes the other, whose event is pending too. */
static void remove_other(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct watch *w = container_of(io, struct watch, io);

	note(io, events);
	loop_io_del(loop, &w->other->io);
	w->other->removed = true;
	loop_io_del(loop, io);
	w->removed = true;
	loop_stop(loop);
}

TEST_F(loop, removal_drops_pending_event)
{
	int i;

	for (i = 0; i < 2; i++) {
		self->w[i].other = &self->w[!i];
		loop_io_init(&self->w[i].io, self->w[i].fds[0], remove_other);
		ASSERT_EQ(0, loop_io_add(self->loop, &self->w[i].io, EPOLLIN));
		ASSERT_EQ(1, write(self->w[i].fds[1], "x", 1));
	}
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(1, self->w[0].calls + self->w[1].calls);
	EXPECT_EQ(0, self->w[0].called_after_removal + self->w[1].called_after_removal);
}

/* First readable: switch to writable; then writable: done. */
static void in_then_out(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct watch *w = container_of(io, struct watch, io);

	note(io, events);
	if (w->calls == 1) {
		w->result = loop_io_mod(loop, io, EPOLLOUT);
		return;
	}
	loop_io_del(loop, io);
	loop_stop(loop);
}

TEST_F(loop, modify_inside_callback)
{
	struct watch *w = &self->w[0];

	loop_io_init(&w->io, w->fds[0], in_then_out);
	ASSERT_EQ(0, loop_io_add(self->loop, &w->io, EPOLLIN));
	ASSERT_EQ(1, write(w->fds[1], "x", 1));
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(0, w->result);
	EXPECT_EQ(2, w->calls);
	EXPECT_EQ((uint32_t)EPOLLIN, w->seen[0]);
	EXPECT_EQ((uint32_t)EPOLLOUT, w->seen[1]);
}

static void hangup_and_stop(struct loop *loop, struct loop_io *io, uint32_t events)
{
	note(io, events);
	loop_io_del(loop, io);
	loop_stop(loop);
}

TEST_F(loop, hangup_reported_without_asking)
{
	struct watch *w = &self->w[0];

	loop_io_init(&w->io, w->fds[0], hangup_and_stop);
	ASSERT_EQ(0, loop_io_add(self->loop, &w->io, 0));
	close(w->fds[1]);
	w->fds[1] = -1;
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(1, w->calls);
	EXPECT_EQ((uint32_t)EPOLLHUP, w->seen[0]);
}

TEST_F(loop, registration_errors)
{
	struct watch *w = &self->w[0];
	struct loop_io bad;

	loop_io_init(&w->io, w->fds[0], hangup_and_stop);
	EXPECT_EQ(-ENOENT, loop_io_mod(self->loop, &w->io, EPOLLIN));
	ASSERT_EQ(0, loop_io_add(self->loop, &w->io, EPOLLIN));
	EXPECT_EQ(-EEXIST, loop_io_add(self->loop, &w->io, EPOLLIN));
	loop_io_del(self->loop, &w->io);
	loop_io_del(self->loop, &w->io);	/* twice is harmless */
	loop_io_init(&bad, 1000000, hangup_and_stop);
	EXPECT_EQ(-EBADF, loop_io_add(self->loop, &bad, EPOLLIN));
	EXPECT_EQ(-EINVAL, loop_signal(self->loop, 0, NULL, NULL));
	EXPECT_EQ(-EINVAL, loop_signal(self->loop, _NSIG, NULL, NULL));
}

static int signals_seen[2];
static int nsignals;

static void on_signal(struct loop *loop, int signo, void *data)
{
	if (nsignals < 2)
		signals_seen[nsignals] = signo;
	if (++nsignals == *(int *)data)
		loop_stop(loop);
}

TEST_F(loop, signals_arrive_through_the_loop)
{
	int want = 2;

	nsignals = 0;
	ASSERT_EQ(0, loop_signal(self->loop, SIGHUP, on_signal, &want));
	ASSERT_EQ(0, loop_signal(self->loop, SIGTERM, on_signal, &want));
	ASSERT_EQ(0, kill(getpid(), SIGHUP));
	ASSERT_EQ(0, kill(getpid(), SIGTERM));
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_FALSE(watchdog_fired);
	EXPECT_EQ(2, nsignals);
	/* signalfd hands pending signals over lowest number first. */
	EXPECT_EQ(SIGHUP, signals_seen[0]);
	EXPECT_EQ(SIGTERM, signals_seen[1]);
}

TEST_F(loop, loop_free_unblocks_signals)
{
	sigset_t mask;

	ASSERT_EQ(0, loop_signal(self->loop, SIGUSR1, on_signal, NULL));
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, NULL, &mask));
	EXPECT_EQ(1, sigismember(&mask, SIGUSR1));
	loop_free(self->loop);
	ASSERT_EQ(0, loop_new(&self->loop));
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, NULL, &mask));
	EXPECT_EQ(0, sigismember(&mask, SIGUSR1));
}

struct tick {
	struct timer timer;
	struct loop *loop;
	int id;
	bool last;
};

static int ticks[3];
static int nticks;
static uint64_t tick_now[3];

static void on_tick(struct timer *t, uint64_t now)
{
	struct tick *k = container_of(t, struct tick, timer);

	if (nticks < 3) {
		ticks[nticks] = k->id;
		tick_now[nticks] = loop_now(k->loop);
	}
	nticks++;
	if (k->last)
		loop_stop(k->loop);
}

TEST_F(loop, timers_fire_in_order_on_the_loop_clock)
{
	struct tick k[3] = {
		{ .id = 0, .loop = self->loop, .last = true },
		{ .id = 1, .loop = self->loop },
		{ .id = 2, .loop = self->loop },
	};
	uint64_t start = loop_now(self->loop);
	int i;

	nticks = 0;
	for (i = 0; i < 3; i++)
		timer_init(&k[i].timer, on_tick);
	loop_timer_arm(self->loop, &k[0].timer, 60);
	loop_timer_arm(self->loop, &k[1].timer, 0);
	loop_timer_arm(self->loop, &k[2].timer, 20);
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_FALSE(watchdog_fired);
	EXPECT_EQ(3, nticks);
	EXPECT_EQ(1, ticks[0]);
	EXPECT_EQ(2, ticks[1]);
	EXPECT_EQ(0, ticks[2]);
	EXPECT_LE(start + 20, tick_now[1]);
	EXPECT_LE(start + 60, tick_now[2]);
}

TEST_F(loop, cancelled_timer_never_fires)
{
	struct tick k[2] = {
		{ .id = 0, .loop = self->loop, .last = true },
		{ .id = 1, .loop = self->loop, .last = true },
	};

	nticks = 0;
	timer_init(&k[0].timer, on_tick);
	timer_init(&k[1].timer, on_tick);
	loop_timer_arm(self->loop, &k[0].timer, 10);
	loop_timer_arm(self->loop, &k[1].timer, 30);
	loop_timer_cancel(self->loop, &k[0].timer);
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_EQ(1, nticks);
	EXPECT_EQ(1, ticks[0]);
}

TEST_F(loop, stop_before_run_returns_at_once)
{
	loop_stop(self->loop);
	ASSERT_EQ(0, loop_run(self->loop));
	EXPECT_FALSE(watchdog_fired);
}

TEST_HARNESS_MAIN
