/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_DAEMON_H
#define SIPPROXY_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "lib/endpoint.h"
#include "lib/evloop.h"

#define SIPPROXYD_VERSION "0.1.0"

/* How many pending TCP/TLS connections the kernel queues per listener. */
#define LISTEN_BACKLOG 128

enum listen_proto {
	LISTEN_UDP,
	LISTEN_TCP,
	LISTEN_TLS,
};

/*
 * A bound socket from [listen]: UDP sockets ready to receive, TCP and TLS
 * sockets listening; all non-blocking and close-on-exec, IPv6 ones
 * IPV6_V6ONLY so [::]:P and 0.0.0.0:P coexist. The transport layer
 * registers @fd with the loop; the daemon owns and closes it.
 */
struct listener {
	enum listen_proto proto;
	struct endpoint ep;
	int fd;
};

struct listeners {
	struct listener *v;
	size_t n;
};

struct core;
struct proxy_calls;

/* The running daemon: what every layer is given. */
struct daemon {
	struct loop *loop;
	struct core *core;		/* the SIP side: transports, transactions, proxy */
	struct proxy_calls *calls;	/* media anchoring; NULL in redirect mode */
	struct config cfg;
	struct listeners listeners;
	const char *config_path;	/* the file SIGHUP re-reads */
	bool config_optional;		/* a missing file means the defaults */
	bool foreground;
	char *pid_path;			/* NULL: no pid file */
	int pid_fd;
};

struct daemon_opts {
	const char *config_path;	/* NULL: CONFIG_DEFAULT_PATH, if it exists */
	bool foreground;
};

int daemon_run(const struct daemon_opts *opts);
int daemon_check_config(const char *path);
void daemon_usage(FILE *out);

const char *listen_proto_name(enum listen_proto proto);
int listeners_open(struct listeners *out, const struct config *cfg,
		   const struct listeners *reuse, char *err, size_t len);
void listeners_close(struct listeners *l, const struct listeners *keep);

#endif
