// SPDX-License-Identifier: GPL-2.0
/*
 * Logging for both programs: one line per call, to a stream (stderr by
 * default) or to syslog, filtered by level, with a ratelimit helper for
 * paths a peer can trigger once per packet.
 */
#include <stdarg.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_NOTICE] = "notice",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

static const int syslog_priority[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARN] = LOG_WARNING,
	[LOG_LEVEL_NOTICE] = LOG_NOTICE,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};

static struct {
	char ident[32];
	enum log_level level;
	FILE *stream;		/* NULL: syslog */
	bool syslog_open;
} log_state = {
	.ident = "sipproxyd",
	.level = LOG_LEVEL_NOTICE,
};

/**
 * log_init - name the program and log notices and worse to stderr
 * @ident: the name lines start with (cut at 31 bytes)
 */
void log_init(const char *ident)
{
	snprintf(log_state.ident, sizeof(log_state.ident), "%s", ident);
	log_state.level = LOG_LEVEL_NOTICE;
	log_to_stream(stderr);
}

void log_set_level(enum log_level level)
{
	log_state.level = level;
}

/* Whether a message of @level would be written: skip costly formatting. */
bool log_enabled(enum log_level level)
{
	return level <= log_state.level;
}

/* Write lines to @stream (stderr, or a memstream/pipe in tests). */
void log_to_stream(FILE *stream)
{
	if (log_state.syslog_open) {
		closelog();
		log_state.syslog_open = false;
	}
	log_state.stream = stream;
}

/* Send lines to syslog(3), facility daemon; it adds "IDENT[PID]: " itself. */
void log_to_syslog(void)
{
	if (!log_state.syslog_open)
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_state.syslog_open = true;
	log_state.stream = NULL;
}

/* Return: 0, or -1 when @name is none of error, warn, notice, info, debug. */
int log_level_parse(const char *name, enum log_level *level)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcmp(name, level_names[i])) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return level_names[level];
}

/* Append @src to @buf at *@len, escaping control characters; cut at @cap bytes. */
static void append_escaped(char *buf, size_t cap, size_t *len, const char *src)
{
	static const char hex[] = "0123456789abcdef";

	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		size_t need = (c < 0x20 || c == 0x7f) ? 4 : 1;

		if (*len + need > cap)
			return;
		if (need == 1) {
			buf[(*len)++] = (char)c;
			continue;
		}
		buf[(*len)++] = '\\';
		buf[(*len)++] = 'x';
		buf[(*len)++] = hex[c >> 4];
		buf[(*len)++] = hex[c & 0xf];
	}
}

static void emit(enum log_level level, const char *ctx, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX];
	/* Leave room for the newline (stream) or the NUL (syslog). */
	const size_t cap = sizeof(line) - 1;
	size_t len = 0;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_state.stream)
		len = (size_t)snprintf(line, sizeof(line), "%s[%d]: ",
				       log_state.ident, (int)getpid());
	append_escaped(line, cap, &len, level_names[level]);
	if (ctx && *ctx) {
		append_escaped(line, cap, &len, " ");
		append_escaped(line, cap, &len, ctx);
	}
	append_escaped(line, cap, &len, ": ");
	append_escaped(line, cap, &len, msg);
	line[len] = '\0';

	if (!log_state.stream) {
		syslog(syslog_priority[level], "%s", line);
		return;
	}
	/* One write per line so concurrent writers cannot interleave parts. */
	line[len++] = '\n';
	fwrite(line, 1, len, log_state.stream);
	fflush(log_state.stream);
}

/**
 * log_msg - write one line if @level passes the configured level
 * @level: LOG_LEVEL_*
 * @ctx: a Call-ID and/or branch the message is about, or NULL
 * @fmt: printf format of the message
 */
void log_msg(enum log_level level, const char *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	emit(level, ctx, fmt, ap);
	va_end(ap);
}

/* Whether the ratelimit lets one more line through at @now. */
static bool ratelimit_pass(struct log_ratelimit *rl, uint64_t now)
{
	if (!rl->started || now - rl->begin >= rl->interval_ms) {
		rl->started = true;
		rl->begin = now;
		rl->printed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		return true;
	}
	rl->missed++;
	return false;
}

/**
 * log_ratelimited - log_msg() through the ratelimit @rl
 * @rl: one per call site (or per peer), LOG_RATELIMIT_INIT()
 * @now: current time in milliseconds, monotonic
 *
 * Lines filtered out by level do not count against the limit.
 */
void log_ratelimited(struct log_ratelimit *rl, uint64_t now, enum log_level level,
		     const char *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level) || !ratelimit_pass(rl, now))
		return;
	if (rl->missed) {
		log_msg(level, ctx, "%u similar messages suppressed", rl->missed);
		rl->missed = 0;
	}
	va_start(ap, fmt);
	emit(level, ctx, fmt, ap);
	va_end(ap);
}
