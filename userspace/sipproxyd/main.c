// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>

#include "daemon.h"

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct daemon_opts opts = { 0 };
	int check = 0, c;

	/* Our own messages: getopt's would start with the full argv[0]. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:fVh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opts.config_path = optarg;
			break;
		case 'f':
			opts.foreground = true;
			break;
		case 'C':
			check = 1;
			break;
		case 'V':
			printf("sipproxyd %s\n", SIPPROXYD_VERSION);
			return 0;
		case 'h':
			daemon_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "sipproxyd: option '%s' needs an argument\n", argv[optind - 1]);
			daemon_usage(stderr);
			return 1;
		default:
			fprintf(stderr, "sipproxyd: unknown option '%s'\n", argv[optind - 1]);
			daemon_usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sipproxyd: unexpected argument '%s'\n", argv[optind]);
		daemon_usage(stderr);
		return 1;
	}
	if (check)
		return daemon_check_config(opts.config_path);
	return daemon_run(&opts);
}
