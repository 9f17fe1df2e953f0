/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_PTLIST_H
#define RTPFWD_PTLIST_H

#include <stddef.h>
#include <stdint.h>

#include "lib/nl_flow.h"

/* The longest list: every other payload type, "0,2,4,...,126". */
#define PTLIST_STRLEN 320

int ptlist_parse(const char *text, uint8_t mask[NL_PT_MASK_LEN]);
char *ptlist_format(const uint8_t mask[NL_PT_MASK_LEN], char buf[static PTLIST_STRLEN]);

#endif
