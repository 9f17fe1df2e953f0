// SPDX-License-Identifier: GPL-2.0
/*
 * The documentation agrees with the option table: every option appears in
 * sipproxyd.conf(5) and, commented out with its exact default, in the
 * shipped etc/sipproxyd.conf, which must itself parse to the defaults,
 * commented or not.
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/config_table.h"

/* The repository root: the test runs as TOP/build/tests/unit/NAME. */
static const char *top(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	int up;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	for (up = 0; up < 4; up++) {
		char *slash = strrchr(path, '/');

		if (!slash)
			return NULL;
		*slash = '\0';
	}
	return path;
}

static char *slurp(const char *rel, size_t *len)
{
	char *path, *buf = NULL;
	FILE *f;

	if (!top() || asprintf(&path, "%s/%s", top(), rel) < 0)
		return NULL;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	buf = calloc(1, CONFIG_FILE_MAX + 1);
	if (buf)
		*len = fread(buf, 1, CONFIG_FILE_MAX, f);
	fclose(f);
	return buf;
}

/*
 * The lines of [@section] in @file, from the newline ending its header to
 * the newline before the next one, so every line is "\n...\n".
 */
static char *section_of(const char *file, const char *section)
{
	char header[64];
	const char *start, *end;

	snprintf(header, sizeof(header), "\n[%s]\n", section);
	start = strstr(file, header);
	if (!start)
		return NULL;
	start += strlen(header) - 1;
	end = strstr(start, "\n[");
	return strndup(start, end ? (size_t)(end - start) + 1 : strlen(start));
}

TEST(example_config_lists_every_default)
{
	size_t len, i;
	char *file = slurp("etc/sipproxyd.conf", &len);

	ASSERT_NE(NULL, file);
	for (i = 0; i < CONFIG_OPTION_COUNT; i++) {
		const struct config_option *o = &config_options[i];
		char *sec = section_of(file, o->section);
		char want[512];

		snprintf(want, sizeof(want), "\n#%s =%s%s\n", o->key, *o->def ? " " : "", o->def);
		EXPECT_NE(NULL, sec) {
			TH_LOG("no [%s] in etc/sipproxyd.conf", o->section);
		}
		if (!sec)
			continue;
		EXPECT_NE(NULL, strstr(sec, want)) {
			TH_LOG("[%s] lacks the line '%.*s'", o->section, (int)strlen(want) - 2, want + 1);
		}
		free(sec);
	}
	free(file);
}

TEST(man_page_documents_every_option)
{
	size_t len, i;
	char *man = slurp("Documentation/sipproxyd.conf.5", &len);

	ASSERT_NE(NULL, man);
	for (i = 0; i < CONFIG_OPTION_COUNT; i++) {
		const struct config_option *o = &config_options[i];
		char entry[128];
		char *sec;

		/* Sections are ".SS [name]" there: look the key up after it. */
		snprintf(entry, sizeof(entry), ".SS [%s]\n", o->section);
		sec = strstr(man, entry);
		snprintf(entry, sizeof(entry), "\n.BI \"%s = \"", o->key);
		EXPECT_TRUE(sec && strstr(sec, entry)) {
			TH_LOG("sipproxyd.conf(5) does not document [%s] %s", o->section, o->key);
		}
	}
	free(man);
}

/* Uncommenting every "#key = value" line changes nothing. */
TEST(example_config_parses_to_the_defaults)
{
	char err[CONFIG_ERR_MAX];
	struct config shipped, open, defaults;
	size_t len;
	char *file = slurp("etc/sipproxyd.conf", &len), *p;

	ASSERT_NE(NULL, file);
	ASSERT_EQ(0, config_defaults(&defaults));
	ASSERT_EQ(0, config_parse(&shipped, "sipproxyd.conf", file, len, err)) {
		TH_LOG("%s", err);
	}
	for (p = file; (p = strstr(p, "\n#")); p++)
		if (p[2] >= 'a' && p[2] <= 'z')
			p[1] = ' ';
	ASSERT_EQ(0, config_parse(&open, "sipproxyd.conf", file, len, err)) {
		TH_LOG("uncommented: %s", err);
	}
	EXPECT_EQ(defaults.t1_ms, open.t1_ms);
	EXPECT_EQ(defaults.max_pending_bytes_per_connection, open.max_pending_bytes_per_connection);
	EXPECT_EQ(defaults.listen_udp.n, open.listen_udp.n);
	EXPECT_EQ(defaults.auth_algorithms, open.auth_algorithms);
	EXPECT_EQ(defaults.port_range.first, open.port_range.first);
	EXPECT_STREQ(defaults.registrar_database, open.registrar_database);
	EXPECT_EQ(0U, open.routes.n);
	config_free(&shipped);
	config_free(&open);
	config_free(&defaults);
	free(file);
}

TEST_HARNESS_MAIN
