/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_LOG_H
#define SIPPROXY_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Lines read "IDENT[PID]: LEVEL CONTEXT: MESSAGE", or "IDENT[PID]: LEVEL:
 * MESSAGE" without a context (a Call-ID, a branch, "call-id/branch").
 * Control characters in the context or message (which often come off the
 * wire) are written as \xHH so one call always makes exactly one line.
 * These strings are API: tests and operators match them.
 */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_NOTICE,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Longest line written, newline included; longer messages are cut. */
#define LOG_LINE_MAX 1024

void log_init(const char *ident);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_to_stream(FILE *stream);
void log_to_syslog(void);

int log_level_parse(const char *name, enum log_level *level);
const char *log_level_name(enum log_level level);

void log_msg(enum log_level level, const char *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, NULL, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LEVEL_NOTICE, NULL, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, NULL, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, NULL, __VA_ARGS__)

/*
 * Per-packet logs go through a ratelimit: at most @burst lines per
 * @interval_ms, then silence; the first line of a later interval is
 * preceded by "N similar messages suppressed". Times are the caller's
 * clock (loop_now()), so tests drive it.
 */
struct log_ratelimit {
	uint64_t interval_ms;
	unsigned int burst;
	uint64_t begin;		/* start of the current interval */
	unsigned int printed;
	unsigned int missed;
	bool started;
};

#define LOG_RATELIMIT_INIT(interval, n) { .interval_ms = (interval), .burst = (n) }

void log_ratelimited(struct log_ratelimit *rl, uint64_t now, enum log_level level,
		     const char *ctx, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
