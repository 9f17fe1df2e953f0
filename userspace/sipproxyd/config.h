/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_CONFIG_H
#define SIPPROXY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/endpoint.h"
#include "lib/log.h"

/*
 * sipproxyd's configuration: one INI-style file read into one struct
 * config. Every option, its type, range, default and documentation is a
 * row of config_options[] (config_options.c); sipproxyd.conf(5) and
 * etc/sipproxyd.conf describe the same rows and a unit test keeps them in
 * step.
 */

#define CONFIG_DEFAULT_PATH "/etc/sipproxyd.conf"

/* Input limits, each an error when exceeded. */
#define CONFIG_FILE_MAX (1 << 20)	/* bytes in the file */
#define CONFIG_LINE_MAX 4096		/* bytes in one line, newline excluded */
#define CONFIG_LIST_MAX 64		/* entries in one list value */
#define CONFIG_ROUTES_MAX 4096		/* entries in [routes] */
#define CONFIG_ERR_MAX 512		/* an error message, NUL included */

enum config_mode {
	CONFIG_MODE_PROXY,
	CONFIG_MODE_REDIRECT,
};

enum config_log_target {
	CONFIG_LOG_AUTO,	/* stderr in the foreground, syslog as a daemon */
	CONFIG_LOG_STDERR,
	CONFIG_LOG_SYSLOG,
};

enum config_media_relay {
	CONFIG_RELAY_AUTO,	/* kernel when rtpfwd is loaded, else userspace */
	CONFIG_RELAY_KERNEL,
	CONFIG_RELAY_USERSPACE,
};

enum config_source_policy {
	CONFIG_SOURCE_LEARN,	/* lock onto the first source seen */
	CONFIG_SOURCE_STRICT,	/* only the address the SDP announced */
	CONFIG_SOURCE_SDP_ADDRESS, /* learn, but only at the SDP address */
};

/* [auth] algorithms, a set. */
#define CONFIG_AUTH_MD5 (1U << 0)
#define CONFIG_AUTH_SHA256 (1U << 1)

struct config_strings {
	char **v;
	size_t n;
};

struct config_endpoints {
	struct endpoint *v;
	size_t n;
};

/* An address prefix; the bits past @prefix_len are zero. */
struct config_cidr {
	struct endpoint net;	/* port unused (0) */
	unsigned int prefix_len;
};

struct config_cidrs {
	struct config_cidr *v;
	size_t n;
};

/* A [routes] entry: requests for @match go to @next_hop. */
struct config_route {
	char *match;		/* a domain (lower case) or "+" and digits */
	char *next_hop;		/* sip: or sips: URI, as written */
};

struct config_routes {
	struct config_route *v;
	size_t n;
};

struct config_port_range {
	unsigned int first;	/* even */
	unsigned int last;
};

/*
 * Durations are in milliseconds; numbers and strings as written (strings
 * are never NULL, "" means unset). Read sipproxyd.conf(5) for meanings.
 */
struct config {
	/* [general] */
	enum config_mode mode;
	struct config_strings domains;	/* lower case; empty: the host's */
	enum log_level log_level;
	enum config_log_target log_target;
	char *pid_file;

	/* [listen] */
	struct config_endpoints listen_udp;
	struct config_endpoints listen_tcp;
	struct config_endpoints listen_tls;

	/* [tls] */
	char *tls_certificate;
	char *tls_private_key;
	char *tls_ca_file;
	bool tls_verify_peer;
	unsigned int tls_verify_depth;

	/* [timers] */
	unsigned int t1_ms;
	unsigned int t2_ms;
	unsigned int t4_ms;

	/* [limits] */
	unsigned int max_message_size;
	unsigned int max_transactions;
	unsigned int max_tcp_connections;
	unsigned int tcp_idle_timeout_ms;
	unsigned int max_pending_bytes_per_connection;

	/* [registrar] */
	unsigned int default_expires;	/* seconds, as in SIP */
	unsigned int min_expires;
	unsigned int max_expires;
	unsigned int max_contacts_per_aor;
	char *registrar_database;

	/* [auth] */
	char *auth_realm;		/* "": the first served domain */
	char *auth_credentials_file;	/* "": no authentication */
	unsigned int nonce_lifetime_ms;
	unsigned int auth_algorithms;	/* CONFIG_AUTH_* */
	struct config_cidrs trusted_peers;
	unsigned int max_failures_per_minute;

	/* [routes] */
	struct config_routes routes;

	/* [media] */
	enum config_media_relay media_relay;
	struct endpoint relay_address;	/* AF_UNSPEC: unset; port unused */
	struct config_port_range port_range;
	enum config_source_policy source_policy;
	unsigned int media_timeout_ms;
};

int config_defaults(struct config *cfg);
int config_load(struct config *cfg, const char *path, char err[CONFIG_ERR_MAX]);
int config_parse(struct config *cfg, const char *name, const char *text, size_t len,
		 char err[CONFIG_ERR_MAX]);
void config_free(struct config *cfg);

int config_host_domains(struct config *cfg);

#endif
