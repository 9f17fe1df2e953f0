// SPDX-License-Identifier: GPL-2.0
/*
 * How results are written: the humane form (colour only on a terminal,
 * sizes and ages humanised), JSON, or one tab-separated record per line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"

enum output_mode output_mode;
static bool color;

/* Colour only for people: not in -j/-s, not into pipes, not with NO_COLOR. */
void output_init(enum output_mode mode)
{
	output_mode = mode;
	color = mode == OUTPUT_HUMAN && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

const char *output_bold(void)
{
	return color ? "\x1b[1m" : "";
}

const char *output_green(void)
{
	return color ? "\x1b[32m" : "";
}

const char *output_reset(void)
{
	return color ? "\x1b[0m" : "";
}

/* "512 B", "1.50 KiB", ... "2.00 EiB". */
char *output_size(uint64_t bytes, char buf[static OUTPUT_STRLEN])
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double value = (double)bytes;
	int unit = -1;

	if (bytes < 1024) {
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 " B", bytes);
		return buf;
	}
	while (value >= 1024 && unit < 5) {
		value /= 1024;
		unit++;
	}
	snprintf(buf, OUTPUT_STRLEN, "%.2f %s", value, units[unit]);
	return buf;
}

/* "850ms", "12s", "3m 4s", "2h 5m", "3d 4h": the two largest units. */
char *output_age(uint64_t ms, char buf[static OUTPUT_STRLEN])
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 "ms", ms);
	else if (s < 60)
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 "m %" PRIu64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 "h %" PRIu64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, OUTPUT_STRLEN, "%" PRIu64 "d %" PRIu64 "h", s / 86400, s % 86400 / 3600);
	return buf;
}
