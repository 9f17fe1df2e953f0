/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the benchmark tools. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <sys/socket.h>

void bench_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
double bench_now(void);
/*
 * How many of a batch of BATCH to send now to keep RATE packets/s since
 * START, SENT having gone; RATE 0 sends whole batches. When none is due it
 * sleeps a little and returns 0. *NOW is updated when it sleeps.
 */
unsigned int bench_due(double start, double *now, double rate, uint64_t sent,
		       unsigned int batch);
/* Parses ADDR:PORT or [ADDR6]:PORT into a sockaddr; exits on error. */
socklen_t bench_sockaddr(const char *text, struct sockaddr_storage *ss);
int bench_udp_socket(const struct sockaddr_storage *bind_to, socklen_t len);

#endif
