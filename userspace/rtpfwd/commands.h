/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_COMMANDS_H
#define RTPFWD_COMMANDS_H

#include "output.h"

#define RTPFWD_VERSION "0.1.0"

/* Global options, before the command word. */
struct options {
	enum output_mode mode;
	bool help;
	bool version;
};

#define OPTIONS_ERRLEN 96

int options_parse(int argc, char **argv, struct options *opts, char err[static OPTIONS_ERRLEN]);
int commands_run(int argc, char **argv);

/* Each command group: argv[0] is its own name. */
int flow_main(int argc, char **argv);
int stats_main(int argc, char **argv);
int monitor_main(int argc, char **argv);

#endif
