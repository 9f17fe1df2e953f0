// SPDX-License-Identifier: GPL-2.0
/*
 * Exact log lines: prefix, level words, context, escaping of control
 * characters, truncation, level filtering and the ratelimit.
 */
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/log.h"

FIXTURE(log) {
	FILE *sink;
	char *buf;
	size_t len;
	char prefix[64];
};

FIXTURE_SETUP(log)
{
	self->sink = open_memstream(&self->buf, &self->len);
	ASSERT_NE(NULL, self->sink);
	log_init("sipproxyd");
	log_to_stream(self->sink);
	snprintf(self->prefix, sizeof(self->prefix), "sipproxyd[%d]: ", (int)getpid());
}

FIXTURE_TEARDOWN(log)
{
	fclose(self->sink);
	free(self->buf);
}

/* Everything written so far, with every "sipproxyd[PID]: " made "P: ". */
static char *lines(struct _test_data_log *self)
{
	static char out[8192];
	const char *p = self->buf;
	size_t plen = strlen(self->prefix), n = 0;

	fflush(self->sink);
	while (*p && n < sizeof(out) - 4) {
		if (!strncmp(p, self->prefix, plen)) {
			memcpy(out + n, "P: ", 3);
			n += 3;
			p += plen;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

TEST_F(log, line_without_context)
{
	log_notice("started (mode %s, %d listeners)", "proxy", 4);
	EXPECT_STREQ("P: notice: started (mode proxy, 4 listeners)\n", lines(self));
}

TEST_F(log, line_with_context)
{
	log_msg(LOG_LEVEL_WARN, "a84b4c76e66710/z9hG4bK776asdhds", "no route to %s", "example.org");
	log_msg(LOG_LEVEL_ERROR, "", "empty context is no context");
	EXPECT_STREQ("P: warn a84b4c76e66710/z9hG4bK776asdhds: no route to example.org\n"
		     "P: error: empty context is no context\n", lines(self));
}

TEST_F(log, levels_filter)
{
	log_info("hidden");
	log_debug("hidden");
	log_set_level(LOG_LEVEL_DEBUG);
	EXPECT_TRUE(log_enabled(LOG_LEVEL_DEBUG));
	log_debug("shown");
	log_set_level(LOG_LEVEL_ERROR);
	EXPECT_FALSE(log_enabled(LOG_LEVEL_WARN));
	log_warn("hidden");
	log_error("shown too");
	EXPECT_STREQ("P: debug: shown\nP: error: shown too\n", lines(self));
}

TEST_F(log, control_characters_are_escaped)
{
	log_msg(LOG_LEVEL_NOTICE, "id\r\n", "bad\r\nP: notice: forged\x7f\tend");
	EXPECT_STREQ("P: notice id\\x0d\\x0a: bad\\x0d\\x0aP: notice: forged\\x7f\\x09end\n",
		     lines(self));
}

TEST_F(log, long_lines_are_cut)
{
	char big[3 * LOG_LINE_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_notice("%s", big);
	fflush(self->sink);
	EXPECT_EQ((size_t)LOG_LINE_MAX, self->len);
	EXPECT_EQ('\n', self->buf[self->len - 1]);
	EXPECT_EQ('x', self->buf[self->len - 2]);
}

TEST_F(log, ratelimit_burst_then_summary)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(1000, 2);
	int i;

	for (i = 0; i < 5; i++)
		log_ratelimited(&rl, 100, LOG_LEVEL_WARN, "peer", "bad packet %d", i);
	log_ratelimited(&rl, 1099, LOG_LEVEL_WARN, "peer", "bad packet %d", 5);
	log_ratelimited(&rl, 1100, LOG_LEVEL_WARN, "peer", "bad packet %d", 6);
	log_ratelimited(&rl, 1101, LOG_LEVEL_WARN, "peer", "bad packet %d", 7);
	log_ratelimited(&rl, 1102, LOG_LEVEL_WARN, "peer", "bad packet %d", 8);
	EXPECT_STREQ("P: warn peer: bad packet 0\n"
		     "P: warn peer: bad packet 1\n"
		     "P: warn peer: 4 similar messages suppressed\n"
		     "P: warn peer: bad packet 6\n"
		     "P: warn peer: bad packet 7\n", lines(self));
}

TEST_F(log, ratelimit_ignores_filtered_levels)
{
	struct log_ratelimit rl = LOG_RATELIMIT_INIT(1000, 1);

	log_ratelimited(&rl, 0, LOG_LEVEL_DEBUG, NULL, "filtered");
	log_ratelimited(&rl, 0, LOG_LEVEL_NOTICE, NULL, "first");
	EXPECT_STREQ("P: notice: first\n", lines(self));
}

TEST_F(log, ident_is_configurable)
{
	char want[64];

	log_init("rtpfwd");
	log_to_stream(self->sink);
	log_error("x");
	snprintf(want, sizeof(want), "rtpfwd[%d]: error: x\n", (int)getpid());
	fflush(self->sink);
	EXPECT_STREQ(want, self->buf);
}

TEST(level_names_round_trip)
{
	static const char *const names[] = { "error", "warn", "notice", "info", "debug" };
	enum log_level level;
	size_t i;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, log_level_parse(names[i], &level));
		EXPECT_EQ(i, (size_t)level);
		EXPECT_STREQ(names[i], log_level_name(level));
	}
	EXPECT_EQ(-1, log_level_parse("warning", &level));
	EXPECT_EQ(-1, log_level_parse("", &level));
	EXPECT_EQ(-1, log_level_parse("DEBUG", &level));
}

TEST_HARNESS_MAIN
