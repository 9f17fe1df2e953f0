/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_OUTPUT_H
#define RTPFWD_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

enum output_mode {
	OUTPUT_HUMAN,
	OUTPUT_JSON,	/* -j */
	OUTPUT_SCRIPT,	/* -s: tab-separated, raw numbers, "-" for absent */
};

extern enum output_mode output_mode;

#define OUTPUT_STRLEN 32

void output_init(enum output_mode mode);
const char *output_bold(void);
const char *output_green(void);
const char *output_reset(void);
char *output_size(uint64_t bytes, char buf[static OUTPUT_STRLEN]);
char *output_age(uint64_t ms, char buf[static OUTPUT_STRLEN]);

#endif
