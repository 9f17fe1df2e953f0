/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_COUNTERS_H
#define RTPFWD_COUNTERS_H

#include "json.h"
#include "lib/nl_flow.h"

void counters_print_drops(const struct nl_stats *stats);
void counters_print_script(const struct nl_stats *stats, const int *columns, int count);
void counters_print_json(struct json *j, const char *key, const struct nl_stats *stats);

#endif
