/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the benchmark tools. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <sys/socket.h>

void bench_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
double bench_now(void);
/* Parses ADDR:PORT or [ADDR6]:PORT into a sockaddr; exits on error. */
socklen_t bench_sockaddr(const char *text, struct sockaddr_storage *ss);
int bench_udp_socket(const struct sockaddr_storage *bind_to, socklen_t len);

#endif
