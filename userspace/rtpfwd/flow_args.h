/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_FLOW_ARGS_H
#define RTPFWD_FLOW_ARGS_H

#include <stdbool.h>

#include "lib/nl_flow.h"

#define FLOW_ARGS_ERRLEN 192

enum flow_args_cmd {
	FLOW_ARGS_ADD,
	FLOW_ARGS_SET,
};

/*
 * "flow add" and "flow set" options. @flow holds the attributes to send;
 * for "set" the flag words are kept apart, because they change the flow's
 * current flags rather than replace them.
 */
struct flow_args {
	struct nl_flow flow;
	uint32_t flags_on;	/* rtp, rtcp, idle-delete, owned */
	uint32_t flags_off;	/* no-rtp, no-rtcp, no-idle-delete */
};

int flow_args_parse(enum flow_args_cmd cmd, int argc, char **argv,
		    struct flow_args *args, char err[static FLOW_ARGS_ERRLEN]);
int flow_args_select(int argc, char **argv, bool optional, struct nl_flow *sel,
		     char err[static FLOW_ARGS_ERRLEN]);
int flow_args_flush(int argc, char **argv, struct nl_flow *sel,
		    char err[static FLOW_ARGS_ERRLEN]);

#endif
