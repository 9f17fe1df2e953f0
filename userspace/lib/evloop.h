/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_EVLOOP_H
#define SIPPROXY_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

#include "timer.h"

/*
 * The single-threaded event loop every daemon component runs on: file
 * descriptors (epoll, level-triggered unless EPOLLET is asked for),
 * signals (signalfd) and timers (timer.h), with one monotonic clock read
 * per iteration.
 *
 * Everything may be changed from inside any callback: adding, modifying
 * or removing a descriptor, arming or cancelling a timer, stopping the
 * loop. A descriptor removed while its events are pending in the current
 * batch gets no further callback, so its owner may free it right away.
 */
struct loop;
struct loop_io;

/*
 * @events: what is ready, a subset of the watched events plus EPOLLERR and
 * EPOLLHUP, which are always reported.
 */
typedef void loop_io_fn(struct loop *loop, struct loop_io *io, uint32_t events);
typedef void loop_signal_fn(struct loop *loop, int signo, void *data);

/* Embedded in the owner's struct; fields are private to the loop. */
struct loop_io {
	int fd;
	uint32_t events;
	loop_io_fn *fn;
	bool added;
};

/* How many ready descriptors one epoll_wait() returns at most. */
#define LOOP_BATCH 64

int loop_new(struct loop **out);
void loop_free(struct loop *loop);
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);
uint64_t loop_now(const struct loop *loop);

void loop_io_init(struct loop_io *io, int fd, loop_io_fn *fn);
int loop_io_add(struct loop *loop, struct loop_io *io, uint32_t events);
int loop_io_mod(struct loop *loop, struct loop_io *io, uint32_t events);
void loop_io_del(struct loop *loop, struct loop_io *io);

int loop_signal(struct loop *loop, int signo, loop_signal_fn *fn, void *data);

void loop_timer_arm(struct loop *loop, struct timer *timer, uint64_t delay_ms);
void loop_timer_cancel(struct loop *loop, struct timer *timer);

#endif
