/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_NUMBER_H
#define RTPFWD_NUMBER_H

#include <stdint.h>

int number_parse(const char *text, uint64_t min, uint64_t max, uint64_t *out);

#endif
