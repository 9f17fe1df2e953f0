// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers on the command line: decimal, or hexadecimal after "0x". No
 * sign, spaces or octal, so "010" is ten and "-1" is an error rather than
 * what strtoul() would make of them.
 */
#include <errno.h>
#include <string.h>

#include "number.h"

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = (unsigned int)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned int)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned int)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/**
 * number_parse - read an unsigned number within [@min, @max]
 * @text: the whole string
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * Return: 0, or -EINVAL for anything but one number in range.
 */
int number_parse(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t value = 0;
	int d;

	if (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2)) {
		base = 16;
		text += 2;
	}
	if (!*text)
		return -EINVAL;
	for (; *text; text++) {
		d = digit_value(*text, base);
		if (d < 0 || value > (UINT64_MAX - (uint64_t)d) / base)
			return -EINVAL;
		value = value * base + (uint64_t)d;
	}
	if (value < min || value > max)
		return -EINVAL;
	*out = value;
	return 0;
}
