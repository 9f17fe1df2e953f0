// SPDX-License-Identifier: GPL-2.0
/* Global options and the table of commands, as wg(8) dispatches them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "flow", flow_main, "add, change, delete, show or flush forwarding flows" },
	{ "stats", stats_main, "show the counters of this network namespace" },
	{ "monitor", monitor_main, "print flow events as they happen, until SIGINT" },
};

static const char usage_text[] =
	"Usage: rtpfwd [-j | -s] COMMAND [ARGS]\n"
	"       rtpfwd -h | --help | -V | --version\n"
	"\n"
	"  rtpfwd flow add local ADDR:PORT out ADDR:PORT peer ADDR:PORT [OPTIONS] [owned]\n"
	"  rtpfwd flow set ID [out ADDR:PORT] [peer ADDR:PORT] [OPTIONS] [no-FLAG]\n"
	"  rtpfwd flow del ID | local ADDR:PORT\n"
	"  rtpfwd flow show [ID | local ADDR:PORT]\n"
	"  rtpfwd flow flush [cookie N]\n"
	"  rtpfwd stats\n"
	"  rtpfwd monitor\n"
	"\n"
	"OPTIONS := [source any|learn|strict ADDR:PORT] [rtp] [rtcp] [pt LIST]\n"
	"           [timeout SEC] [idle-delete] [tos N] [clock-rate HZ] [cookie N]\n"
	"FLAG    := rtp | rtcp | idle-delete\n"
	"IPv6 endpoints are written [ADDR]:PORT; LIST is like 0,8,96-127.\n"
	"-j prints JSON, -s one tab-separated record per line; see rtpfwd(8).\n"
	"\n"
	"Commands:\n";

static void usage(FILE *out)
{
	size_t i;

	fputs(usage_text, out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
}

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, OPTIONS_ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

/**
 * options_parse - read the options before the command word
 * @argc: argument count, program name included
 * @argv: the arguments
 * @opts: filled
 * @err: why parsing failed
 *
 * Return: the index of the command word (== @argc when there is none), or
 * -1 with @err set.
 */
int options_parse(int argc, char **argv, struct options *opts, char err[static OPTIONS_ERRLEN])
{
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			opts->help = true;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			opts->version = true;
		} else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json") ||
			   !strcmp(argv[i], "-s") || !strcmp(argv[i], "--script")) {
			enum output_mode mode = argv[i][1] == 'j' || argv[i][2] == 'j' ?
						OUTPUT_JSON : OUTPUT_SCRIPT;

			if (opts->mode != OUTPUT_HUMAN && opts->mode != mode)
				return fail(err, "-j and -s exclude each other");
			opts->mode = mode;
		} else {
			return fail(err, "unknown option \"%s\" (try rtpfwd --help)", argv[i]);
		}
	}
	return i;
}

/**
 * commands_run - the whole CLI: options, then one command
 * @argc: from main()
 * @argv: from main()
 *
 * Return: the exit status, 0 or 1.
 */
int commands_run(int argc, char **argv)
{
	char err[OPTIONS_ERRLEN];
	struct options opts;
	char *show[] = { "flow", "show", NULL };
	size_t i;
	int first;

	first = options_parse(argc, argv, &opts, err);
	if (first < 0) {
		fprintf(stderr, "rtpfwd: %s\n", err);
		return 1;
	}
	if (opts.help) {
		usage(stdout);
		return 0;
	}
	if (opts.version) {
		printf("rtpfwd " RTPFWD_VERSION "\n");
		return 0;
	}
	output_init(opts.mode);
	if (first == argc)
		return flow_main(2, show);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[first], commands[i].name))
			return commands[i].fn(argc - first, argv + first);
	fprintf(stderr, "rtpfwd: unknown command \"%s\" (try rtpfwd --help)\n", argv[first]);
	return 1;
}
