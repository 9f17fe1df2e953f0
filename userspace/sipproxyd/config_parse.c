// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the configuration file: "[section]" lines, "key = value" lines
 * (the value optionally in double quotes, with \" and \\ escapes), and
 * comment lines starting with '#' or ';'. Parsing stops at the first
 * problem, reported as "FILE:LINE: what is wrong".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_table.h"

struct parser {
	struct config *cfg;
	const char *name;
	unsigned int line;
	int section;			/* index in config_sections, -1 before any */
	unsigned int section_line[CONFIG_SECTION_COUNT];
	unsigned int option_line[CONFIG_OPTION_COUNT];
	char *err;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->line)
		n = snprintf(p->err, CONFIG_ERR_MAX, "%s:%u: ", p->name, p->line);
	else
		n = snprintf(p->err, CONFIG_ERR_MAX, "%s: ", p->name);
	if (n < 0 || n >= CONFIG_ERR_MAX)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, CONFIG_ERR_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (blank(*s))
		s++;
	while (end > s && blank(end[-1]))
		*--end = '\0';
	return s;
}

static int section_line(struct parser *p, char *line)
{
	char *close = strchr(line, ']');
	char *name;
	int i;

	if (!close || *trim(close + 1))
		return fail(p, "expected '[section]'");
	*close = '\0';
	name = trim(line + 1);
	for (i = 0; i < CONFIG_SECTION_COUNT; i++)
		if (!strcmp(name, config_sections[i]))
			break;
	if (i == CONFIG_SECTION_COUNT)
		return fail(p, "unknown section [%s]", name);
	if (p->section_line[i])
		return fail(p, "duplicate section [%s] (first at line %u)", name,
			    p->section_line[i]);
	p->section_line[i] = p->line;
	p->section = i;
	return 0;
}

/* Undo the quoting of a value in place; NULL and @p->err set when malformed. */
static char *unquote(struct parser *p, char *value)
{
	char *in = value + 1, *out = value;

	for (; *in && *in != '"'; in++) {
		if (*in == '\\') {
			if (in[1] != '"' && in[1] != '\\') {
				fail(p, "unknown escape in quoted value (only \\\" and \\\\)");
				return NULL;
			}
			in++;
		}
		*out++ = *in;
	}
	if (*in != '"') {
		fail(p, "missing closing '\"'");
		return NULL;
	}
	if (*trim(in + 1)) {
		fail(p, "text after the closing '\"'");
		return NULL;
	}
	*out = '\0';
	return value;
}

static int option_line(struct parser *p, const char *key, const char *value)
{
	const char *section = config_sections[p->section];
	const struct config_option *opt;
	char why[CONFIG_ERR_MAX];
	size_t index;

	if (!strcmp(section, CONFIG_ROUTES_SECTION)) {
		if (config_route_add(p->cfg, key, value, why, sizeof(why)))
			return fail(p, "%s", why);
		return 0;
	}
	if (key[strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_")])
		return fail(p, "'%s' is not an option name", key);
	opt = config_option_find(section, key);
	if (!opt)
		return fail(p, "unknown option '%s' in [%s]", key, section);
	index = (size_t)(opt - config_options);
	if (p->option_line[index])
		return fail(p, "duplicate option '%s' (first at line %u)", key,
			    p->option_line[index]);
	if (config_value_set(p->cfg, opt, value, why, sizeof(why)))
		return fail(p, "%s: %s", key, why);
	p->option_line[index] = p->line;
	return 0;
}

static int parse_line(struct parser *p, char *line)
{
	char *eq, *key, *value;

	line = trim(line);
	if (!*line || *line == '#' || *line == ';')
		return 0;
	if (*line == '[')
		return section_line(p, line);

	eq = strchr(line, '=');
	if (!eq)
		return fail(p, "expected 'key = value' or '[section]'");
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*key)
		return fail(p, "missing option name before '='");
	if (p->section < 0)
		return fail(p, "'%s' outside any section", key);
	if (*value == '"') {
		value = unquote(p, value);
		if (!value)
			return -1;
	}
	return option_line(p, key, value);
}

static int parse_text(struct parser *p, const char *text, size_t len)
{
	char line[CONFIG_LINE_MAX + 1];
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		size_t next = pos + n + (nl ? 1 : 0);

		p->line++;
		if (memchr(text + pos, '\0', n))
			return fail(p, "NUL byte in line");
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (n > CONFIG_LINE_MAX)
			return fail(p, "line longer than %d bytes", CONFIG_LINE_MAX);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (parse_line(p, line))
			return -1;
		pos = next;
	}
	return 0;
}

/**
 * config_defaults - fill @cfg with every option's default
 *
 * Return: 0, or -ENOMEM (@cfg then holds nothing to free).
 */
int config_defaults(struct config *cfg)
{
	char why[CONFIG_ERR_MAX];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CONFIG_OPTION_COUNT; i++) {
		if (config_value_set(cfg, &config_options[i], config_options[i].def, why,
				     sizeof(why))) {
			config_free(cfg);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * config_parse - read a configuration from memory
 * @cfg: filled on success; on failure left empty (nothing to free)
 * @name: the file name errors start with
 * @text: the file's content, not NUL-terminated
 * @err: on failure, "NAME:LINE: what is wrong" (or "NAME: ...")
 *
 * Options not in @text keep their defaults.
 *
 * Return: 0 or -1.
 */
int config_parse(struct config *cfg, const char *name, const char *text, size_t len,
		 char err[CONFIG_ERR_MAX])
{
	struct parser p = { .cfg = cfg, .name = name, .section = -1, .err = err };
	char why[CONFIG_ERR_MAX];
	unsigned int line;

	if (config_defaults(cfg))
		return fail(&p, "out of memory");
	if (len > CONFIG_FILE_MAX) {
		fail(&p, "larger than %d bytes", CONFIG_FILE_MAX);
		goto err_free;
	}
	if (parse_text(&p, text, len))
		goto err_free;
	if (config_check(cfg, p.option_line, &line, why, sizeof(why))) {
		p.line = line;
		fail(&p, "%s", why);
		goto err_free;
	}
	return 0;

err_free:
	config_free(cfg);
	return -1;
}

/**
 * config_load - read the configuration file @path
 *
 * As config_parse(); a file that cannot be read is "PATH: strerror".
 */
int config_load(struct config *cfg, const char *path, char err[CONFIG_ERR_MAX])
{
	char *buf = NULL;
	ssize_t n = 0, got = 0;
	int fd, ret = -1;

	memset(cfg, 0, sizeof(*cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto err_errno;
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		errno = ENOMEM;
		goto err_errno;
	}
	/* One byte more than allowed, so an oversized file is noticed. */
	while (n <= CONFIG_FILE_MAX && (got = read(fd, buf + n, CONFIG_FILE_MAX + 1 - (size_t)n)) > 0)
		n += got;
	if (got < 0)
		goto err_errno;
	ret = config_parse(cfg, path, buf, (size_t)n, err);
	goto out;

err_errno:
	snprintf(err, CONFIG_ERR_MAX, "%s: %s", path, strerror(errno));
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Release everything @cfg holds; it is left zeroed. */
void config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < CONFIG_OPTION_COUNT; i++)
		config_value_free(cfg, &config_options[i]);
	config_routes_free(cfg);
	memset(cfg, 0, sizeof(*cfg));
}
