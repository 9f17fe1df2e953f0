/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_FLOW_PRINT_H
#define RTPFWD_FLOW_PRINT_H

#include "json.h"
#include "lib/nl_flow.h"

#define FLOW_FLAGS_STRLEN 48

const char *flow_policy_name(uint8_t policy);
char *flow_flags_format(uint32_t flags, char buf[static FLOW_FLAGS_STRLEN]);
void flow_print_human(const struct nl_flow *flow);
void flow_print_script(const struct nl_flow *flow);
void flow_print_json(struct json *j, const char *key, const struct nl_flow *flow);

#endif
