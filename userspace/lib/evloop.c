// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: epoll for descriptors, a signalfd for signals, the timer
 * heap for deadlines. Each iteration sleeps until the nearest deadline or
 * an event, reads the clock once, dispatches the ready descriptors, then
 * runs the timers that are due.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"

struct loop_sig {
	loop_signal_fn *fn;
	void *data;
};

struct loop {
	int epfd;
	uint64_t now;
	bool stopping;
	struct timer_heap timers;

	/* The batch being dispatched: loop_io_del() clears its later entries. */
	struct epoll_event batch[LOOP_BATCH];
	int batch_len;
	int batch_pos;

	/* Signals: blocked, then read from one signalfd. */
	struct loop_io sig_io;
	sigset_t sig_mask;
	sigset_t sig_saved;	/* the mask before the first loop_signal() */
	bool sig_blocked;
	struct loop_sig sig[_NSIG];
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * loop_new - create an event loop
 * @out: the loop, to be released with loop_free()
 *
 * Return: 0 or a negative errno.
 */
int loop_new(struct loop **out)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return -ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return -errno;
	}
	loop_io_init(&loop->sig_io, -1, NULL);
	sigemptyset(&loop->sig_mask);
	timer_heap_init(&loop->timers);
	loop->now = monotonic_ms();
	*out = loop;
	return 0;
}

/*
 * Release @loop: descriptors still registered are not closed (their owners
 * do that), blocked signals are unblocked, armed timers forgotten.
 */
void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	if (loop->sig_io.fd >= 0)
		close(loop->sig_io.fd);
	if (loop->sig_blocked)
		sigprocmask(SIG_SETMASK, &loop->sig_saved, NULL);
	close(loop->epfd);
	free(loop);
}

/* The loop's clock: monotonic milliseconds, read once per iteration. */
uint64_t loop_now(const struct loop *loop)
{
	return loop->now;
}

/*
 * Make loop_run() return at the end of the current iteration (the rest of
 * the ready batch and the due timers still run), or at once if not running.
 */
void loop_stop(struct loop *loop)
{
	loop->stopping = true;
}

void loop_io_init(struct loop_io *io, int fd, loop_io_fn *fn)
{
	io->fd = fd;
	io->events = 0;
	io->fn = fn;
	io->added = false;
}

/**
 * loop_io_add - start watching @io->fd
 * @events: EPOLLIN and/or EPOLLOUT (0 watches errors only), EPOLLET allowed
 *
 * Return: 0 or a negative errno (-EEXIST if @io is already added).
 */
int loop_io_add(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	if (io->added)
		return -EEXIST;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, io->fd, &ev) < 0)
		return -errno;
	io->events = events;
	io->added = true;
	return 0;
}

/* Change what @io waits for; events of the old set still pending are dropped. */
int loop_io_mod(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	if (!io->added)
		return -ENOENT;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
		return -errno;
	io->events = events;
	return 0;
}

/*
 * Stop watching @io (call it before closing the descriptor). Safe from any
 * callback: a pending event for @io in the current batch is forgotten.
 */
void loop_io_del(struct loop *loop, struct loop_io *io)
{
	int i;

	if (!io->added)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->added = false;
	for (i = loop->batch_pos + 1; i < loop->batch_len; i++)
		if (loop->batch[i].data.ptr == io)
			loop->batch[i].data.ptr = NULL;
}

static void on_signalfd(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct signalfd_siginfo si;

	while (read(io->fd, &si, sizeof(si)) == sizeof(si)) {
		struct loop_sig *sig;

		if (si.ssi_signo >= _NSIG)
			continue;
		sig = &loop->sig[si.ssi_signo];
		if (sig->fn)
			sig->fn(loop, (int)si.ssi_signo, sig->data);
	}
}

/**
 * loop_signal - deliver @signo through the loop instead of a handler
 * @signo: blocked for the whole process from now until loop_free()
 * @fn: called from the loop, once per delivered signal (same-signal
 *      arrivals between two iterations merge, as for any signal)
 *
 * Call before starting threads, which would inherit the old mask.
 *
 * Return: 0 or a negative errno.
 */
int loop_signal(struct loop *loop, int signo, loop_signal_fn *fn, void *data)
{
	sigset_t mask = loop->sig_mask;
	int fd, ret;

	if (signo <= 0 || signo >= _NSIG)
		return -EINVAL;
	if (sigaddset(&mask, signo) < 0)
		return -errno;
	/* Block first: a signal arriving in between must not kill us. */
	if (sigprocmask(SIG_BLOCK, &mask, loop->sig_blocked ? NULL : &loop->sig_saved) < 0)
		return -errno;
	loop->sig_blocked = true;
	fd = signalfd(loop->sig_io.fd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (loop->sig_io.fd < 0) {
		loop_io_init(&loop->sig_io, fd, on_signalfd);
		ret = loop_io_add(loop, &loop->sig_io, EPOLLIN);
		if (ret) {
			close(fd);
			loop->sig_io.fd = -1;
			return ret;
		}
	}
	loop->sig_mask = mask;
	loop->sig[signo].fn = fn;
	loop->sig[signo].data = data;
	return 0;
}

/* Arm @timer to fire @delay_ms after the loop's current time. */
void loop_timer_arm(struct loop *loop, struct timer *timer, uint64_t delay_ms)
{
	uint64_t deadline = loop->now + delay_ms;

	if (deadline < loop->now)
		deadline = TIMER_NEVER - 1;
	timer_arm(&loop->timers, timer, deadline);
}

void loop_timer_cancel(struct loop *loop, struct timer *timer)
{
	timer_cancel(&loop->timers, timer);
}

/* epoll_wait()'s timeout: until the nearest deadline, -1 for none. */
static int wait_timeout(const struct loop *loop)
{
	uint64_t next = timer_heap_next(&loop->timers);

	if (next == TIMER_NEVER)
		return -1;
	if (next <= loop->now)
		return 0;
	if (next - loop->now > INT_MAX)
		return INT_MAX;
	return (int)(next - loop->now);
}

static void dispatch(struct loop *loop)
{
	for (loop->batch_pos = 0; loop->batch_pos < loop->batch_len; loop->batch_pos++) {
		struct epoll_event *ev = &loop->batch[loop->batch_pos];
		struct loop_io *io = ev->data.ptr;
		uint32_t ready;

		if (!io)
			continue;
		ready = ev->events & (io->events | EPOLLERR | EPOLLHUP);
		if (ready)
			io->fn(loop, io, ready);
	}
	loop->batch_len = 0;
	loop->batch_pos = 0;
}

/**
 * loop_run - dispatch events until loop_stop()
 *
 * Return: 0 after loop_stop(), or a negative errno if epoll_wait() fails.
 */
int loop_run(struct loop *loop)
{
	loop->now = monotonic_ms();
	while (!loop->stopping) {
		int n = epoll_wait(loop->epfd, loop->batch, LOOP_BATCH, wait_timeout(loop));

		if (n < 0 && errno != EINTR)
			return -errno;
		loop->now = monotonic_ms();
		loop->batch_len = n > 0 ? n : 0;
		dispatch(loop);
		timer_heap_run(&loop->timers, loop->now);
	}
	loop->stopping = false;
	return 0;
}
