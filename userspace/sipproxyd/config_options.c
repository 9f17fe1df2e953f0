// SPDX-License-Identifier: GPL-2.0
/*
 * Every configuration option: section, key, type, range, default and a
 * one-line description. Defaults are written as in the file and go through
 * the same parsers, so what the man page documents is what runs.
 */
#include <string.h>

#include "config_table.h"

#define SEC_MS 1000U
#define MIN_MS (60 * SEC_MS)
#define HOUR_MS (60 * MIN_MS)

/* Order must match the enums in config.h and lib/log.h. */
static const char *const mode_names[] = { "proxy", "redirect", NULL };
static const char *const level_names[] = { "error", "warn", "notice", "info", "debug", NULL };
static const char *const target_names[] = { "auto", "stderr", "syslog", NULL };
static const char *const relay_names[] = { "auto", "kernel", "userspace", NULL };
static const char *const source_names[] = { "learn", "strict", "sdp-address", NULL };
/* Bits CONFIG_AUTH_MD5, CONFIG_AUTH_SHA256. */
static const char *const algorithm_names[] = { "MD5", "SHA-256", NULL };

const char *const config_sections[CONFIG_SECTION_COUNT] = {
	"general", "listen", "tls", "timers", "limits", "registrar", "auth",
	CONFIG_ROUTES_SECTION, "media",
};

#define OPT(sec, k, t, field, lo, hi, nm, d, text) {			\
	.section = sec, .key = k, .type = CONFIG_T_##t,			\
	.offset = offsetof(struct config, field), .min = lo, .max = hi,	\
	.names = nm, .def = d, .doc = text }

const struct config_option config_options[CONFIG_OPTION_COUNT] = {
	OPT("general", "mode", ENUM, mode, 0, 0, mode_names, "proxy",
	    "proxy: forward requests; redirect: answer them with 302 and the target"),
	OPT("general", "domains", DOMAINS, domains, 0, 0, NULL, "",
	    "domains served (registrar and routing); empty: the host's name and addresses"),
	OPT("general", "log_level", ENUM, log_level, 0, 0, level_names, "notice",
	    "least severe level logged: error, warn, notice, info or debug"),
	OPT("general", "log_target", ENUM, log_target, 0, 0, target_names, "auto",
	    "stderr, syslog, or auto: stderr in the foreground, syslog as a daemon"),
	OPT("general", "pid_file", PATH, pid_file, 0, 0, NULL, "/run/sipproxyd.pid",
	    "file holding the daemon's pid; empty: none"),

	OPT("listen", "udp", ENDPOINTS, listen_udp, 0, 0, NULL, "0.0.0.0:5060, [::]:5060",
	    "UDP addresses to receive SIP on"),
	OPT("listen", "tcp", ENDPOINTS, listen_tcp, 0, 0, NULL, "0.0.0.0:5060, [::]:5060",
	    "TCP addresses to accept SIP connections on"),
	OPT("listen", "tls", ENDPOINTS, listen_tls, 0, 0, NULL, "",
	    "TLS addresses to accept SIP connections on (needs [tls])"),

	OPT("tls", "certificate", PATH, tls_certificate, 0, 0, NULL, "",
	    "PEM certificate chain presented to peers"),
	OPT("tls", "private_key", PATH, tls_private_key, 0, 0, NULL, "",
	    "PEM private key of the certificate"),
	OPT("tls", "ca_file", PATH, tls_ca_file, 0, 0, NULL, "",
	    "PEM CA certificates peers are verified against; empty: the system store"),
	OPT("tls", "verify_peer", BOOL, tls_verify_peer, 0, 0, NULL, "yes",
	    "require and verify a certificate from every TLS peer"),
	OPT("tls", "verify_depth", UINT, tls_verify_depth, 1, 32, NULL, "9",
	    "longest certificate chain accepted"),

	OPT("timers", "t1", DURATION, t1_ms, 50, 60 * SEC_MS, NULL, "500ms",
	    "RFC 3261 T1, the round-trip estimate"),
	OPT("timers", "t2", DURATION, t2_ms, 1 * SEC_MS, 5 * MIN_MS, NULL, "4s",
	    "RFC 3261 T2, the longest retransmit interval"),
	OPT("timers", "t4", DURATION, t4_ms, 1 * SEC_MS, 5 * MIN_MS, NULL, "5s",
	    "RFC 3261 T4, how long a message may stay in the network"),

	OPT("limits", "max_message_size", UINT, max_message_size, 1500, 1 << 20, NULL, "65535",
	    "largest SIP message accepted, in bytes"),
	OPT("limits", "max_transactions", UINT, max_transactions, 1, 1000000, NULL, "10000",
	    "transactions in progress at once; more are refused with 503"),
	OPT("limits", "max_tcp_connections", UINT, max_tcp_connections, 1, 100000, NULL, "1024",
	    "TCP and TLS connections open at once"),
	OPT("limits", "tcp_idle_timeout", DURATION, tcp_idle_timeout_ms, 1 * SEC_MS, 24 * HOUR_MS,
	    NULL, "10m", "idle time after which a TCP or TLS connection is closed"),
	OPT("limits", "max_pending_bytes_per_connection", UINT, max_pending_bytes_per_connection,
	    1500, 64 << 20, NULL, "262144",
	    "bytes queued for sending on one connection before it is closed"),

	OPT("registrar", "default_expires", UINT, default_expires, 1, 31536000, NULL, "3600",
	    "registration lifetime (seconds) when the client asks for none"),
	OPT("registrar", "min_expires", UINT, min_expires, 1, 31536000, NULL, "60",
	    "shortest registration accepted (seconds); shorter gets 423"),
	OPT("registrar", "max_expires", UINT, max_expires, 1, 31536000, NULL, "86400",
	    "longest registration granted (seconds); longer is cut to it"),
	OPT("registrar", "max_contacts_per_aor", UINT, max_contacts_per_aor, 1, 1000, NULL, "10",
	    "contacts one address of record may register"),
	OPT("registrar", "database", PATH, registrar_database, 0, 0, NULL,
	    "/var/lib/sipproxy/registrar.db",
	    "SQLite file keeping registrations across restarts; empty: memory only"),

	OPT("auth", "realm", TEXT, auth_realm, 0, 0, NULL, "",
	    "digest realm; empty: the first served domain"),
	OPT("auth", "credentials_file", PATH, auth_credentials_file, 0, 0, NULL, "",
	    "file of user credentials; empty: no authentication"),
	OPT("auth", "nonce_lifetime", DURATION, nonce_lifetime_ms, 10 * SEC_MS, 1 * HOUR_MS,
	    NULL, "5m", "how long a digest nonce stays valid"),
	OPT("auth", "algorithms", FLAGS, auth_algorithms, 0, 0, algorithm_names, "SHA-256, MD5",
	    "digest algorithms offered, MD5 and/or SHA-256"),
	OPT("auth", "trusted_peers", CIDRS, trusted_peers, 0, 0, NULL, "",
	    "address prefixes whose requests need no authentication"),
	OPT("auth", "max_failures_per_minute", UINT, max_failures_per_minute, 1, 100000, NULL,
	    "10", "failed authentications from one address before it is refused"),

	OPT("media", "media_relay", ENUM, media_relay, 0, 0, relay_names, "auto",
	    "auto (kernel if rtpfwd is loaded), kernel or userspace"),
	OPT("media", "relay_address", ADDRESS, relay_address, 0, 0, NULL, "",
	    "address media is anchored on; empty: the address the SIP request came to"),
	OPT("media", "port_range", PORT_RANGE, port_range, 1024, 65535, NULL, "30000-39999",
	    "UDP ports for relayed RTP/RTCP pairs; starts on an even port"),
	OPT("media", "source_policy", ENUM, source_policy, 0, 0, source_names, "learn",
	    "learn: lock onto the first source (RTCP: at the SDP or the RTP address); "
	    "strict: only the SDP address and port; sdp-address: learn the port, never another address"),
	OPT("media", "media_timeout", DURATION, media_timeout_ms, 1 * SEC_MS, 24 * HOUR_MS, NULL,
	    "60s", "silence after which a call's media is torn down"),
};

/* The option @key of @section, or NULL. */
const struct config_option *config_option_find(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < CONFIG_OPTION_COUNT; i++)
		if (!strcmp(config_options[i].section, section) &&
		    !strcmp(config_options[i].key, key))
			return &config_options[i];
	return NULL;
}
