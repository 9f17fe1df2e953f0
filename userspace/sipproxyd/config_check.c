// SPDX-License-Identifier: GPL-2.0
/*
 * Rules that involve more than one option, checked once the whole file is
 * read. Each failure points at the line of the option set last among
 * those involved, since that is usually the one to change.
 */
#include <stdarg.h>
#include <stdio.h>

#include "config_table.h"

struct check {
	const unsigned int *lines;
	unsigned int *line;
	char *why;
	size_t len;
};

static unsigned int line_of(const struct check *c, size_t offset)
{
	size_t i;

	for (i = 0; i < CONFIG_OPTION_COUNT; i++)
		if (config_options[i].offset == offset)
			return c->lines[i];
	return 0;
}

/* Fail, pointing at the later line of the options at @a and @b. */
__attribute__((format(printf, 4, 5)))
static int fail(struct check *c, size_t a, size_t b, const char *fmt, ...)
{
	unsigned int la = line_of(c, a), lb = line_of(c, b);
	va_list ap;

	*c->line = la > lb ? la : lb;
	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
	return -1;
}

#define OFF(field) offsetof(struct config, field)

/**
 * config_check - the rules across options
 * @lines: per config_options[] row, the line it was set on, 0 for default
 * @line: on failure, the line to report (0: none applies)
 *
 * Return: 0, or -1 with the reason in @why.
 */
int config_check(const struct config *cfg, const unsigned int *lines,
		 unsigned int *line, char *why, size_t len)
{
	struct check c = { .lines = lines, .line = line, .why = why, .len = len };

	if (!cfg->listen_udp.n && !cfg->listen_tcp.n && !cfg->listen_tls.n)
		return fail(&c, OFF(listen_udp), OFF(listen_tcp),
			    "no listeners: [listen] udp, tcp and tls are all empty");
	if (cfg->listen_tls.n && (!*cfg->tls_certificate || !*cfg->tls_private_key))
		return fail(&c, OFF(listen_tls), OFF(tls_certificate),
			    "[listen] tls needs [tls] certificate and private_key");
	if (cfg->t2_ms < cfg->t1_ms)
		return fail(&c, OFF(t1_ms), OFF(t2_ms), "t2 (%ums) is shorter than t1 (%ums)",
			    cfg->t2_ms, cfg->t1_ms);
	if (cfg->max_pending_bytes_per_connection < cfg->max_message_size)
		return fail(&c, OFF(max_pending_bytes_per_connection), OFF(max_message_size),
			    "max_pending_bytes_per_connection (%u) is below max_message_size (%u)",
			    cfg->max_pending_bytes_per_connection, cfg->max_message_size);
	if (cfg->min_expires > cfg->max_expires)
		return fail(&c, OFF(min_expires), OFF(max_expires),
			    "min_expires (%u) is above max_expires (%u)",
			    cfg->min_expires, cfg->max_expires);
	if (cfg->default_expires < cfg->min_expires || cfg->default_expires > cfg->max_expires)
		return fail(&c, OFF(default_expires),
			    cfg->default_expires < cfg->min_expires ? OFF(min_expires) :
								      OFF(max_expires),
			    "default_expires (%u) is not within min_expires..max_expires (%u..%u)",
			    cfg->default_expires, cfg->min_expires, cfg->max_expires);
	return 0;
}
