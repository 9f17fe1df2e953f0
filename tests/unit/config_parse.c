// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration reader: defaults, every value type, and the exact
 * error line for each kind of mistake.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/config.h"

/* Enum fields are unsigned, enum constants int: compare as int. */
#define EXPECT_ENUM(want, seen) EXPECT_EQ((int)(want), (int)(seen))

static char err[CONFIG_ERR_MAX];

/* Parse @text as file "t.conf"; return "" on success, else the error. */
static const char *parse(struct config *cfg, const char *text)
{
	err[0] = '\0';
	if (config_parse(cfg, "t.conf", text, strlen(text), err) == 0)
		return "";
	return err;
}

static const char *ep(const struct endpoint *e)
{
	static char buf[4][ENDPOINT_STRLEN];
	static int i;

	return endpoint_format(e, buf[i++ % 4]);
}

TEST(defaults)
{
	struct config c;

	ASSERT_STREQ("", parse(&c, ""));
	EXPECT_ENUM(CONFIG_MODE_PROXY, c.mode);
	EXPECT_EQ(0U, c.domains.n);
	EXPECT_ENUM(LOG_LEVEL_NOTICE, c.log_level);
	EXPECT_ENUM(CONFIG_LOG_AUTO, c.log_target);
	EXPECT_STREQ("/run/sipproxyd.pid", c.pid_file);
	ASSERT_EQ(2U, c.listen_udp.n);
	EXPECT_STREQ("0.0.0.0:5060", ep(&c.listen_udp.v[0]));
	EXPECT_STREQ("[::]:5060", ep(&c.listen_udp.v[1]));
	ASSERT_EQ(2U, c.listen_tcp.n);
	EXPECT_STREQ("0.0.0.0:5060", ep(&c.listen_tcp.v[0]));
	EXPECT_STREQ("[::]:5060", ep(&c.listen_tcp.v[1]));
	EXPECT_EQ(0U, c.listen_tls.n);
	EXPECT_STREQ("", c.tls_certificate);
	EXPECT_TRUE(c.tls_verify_peer);
	EXPECT_EQ(9U, c.tls_verify_depth);
	EXPECT_EQ(500U, c.t1_ms);
	EXPECT_EQ(4000U, c.t2_ms);
	EXPECT_EQ(5000U, c.t4_ms);
	EXPECT_EQ(65535U, c.max_message_size);
	EXPECT_EQ(10000U, c.max_transactions);
	EXPECT_EQ(1024U, c.max_tcp_connections);
	EXPECT_EQ(600000U, c.tcp_idle_timeout_ms);
	EXPECT_EQ(262144U, c.max_pending_bytes_per_connection);
	EXPECT_EQ(3600U, c.default_expires);
	EXPECT_EQ(60U, c.min_expires);
	EXPECT_EQ(86400U, c.max_expires);
	EXPECT_EQ(10U, c.max_contacts_per_aor);
	EXPECT_STREQ("/var/lib/sipproxy/registrar.db", c.registrar_database);
	EXPECT_STREQ("", c.auth_realm);
	EXPECT_STREQ("", c.auth_credentials_file);
	EXPECT_EQ(300000U, c.nonce_lifetime_ms);
	EXPECT_EQ(CONFIG_AUTH_MD5 | CONFIG_AUTH_SHA256, c.auth_algorithms);
	EXPECT_EQ(0U, c.trusted_peers.n);
	EXPECT_EQ(10U, c.max_failures_per_minute);
	EXPECT_EQ(0U, c.routes.n);
	EXPECT_ENUM(CONFIG_RELAY_AUTO, c.media_relay);
	EXPECT_EQ(AF_UNSPEC, c.relay_address.family);
	EXPECT_EQ(30000U, c.port_range.first);
	EXPECT_EQ(39999U, c.port_range.last);
	EXPECT_ENUM(CONFIG_SOURCE_LEARN, c.source_policy);
	EXPECT_EQ(60000U, c.media_timeout_ms);
	config_free(&c);
}

TEST(every_type)
{
	static const char text[] =
		"# comment\r\n"
		"; another comment\n"
		"\n"
		"  [ general ]  \n"
		"mode=redirect\n"
		"domains = Example.COM, 192.0.2.1, [2001:db8::1], 2001:db8::2\n"
		"log_level = debug\n"
		"log_target = syslog\n"
		"pid_file = \"/run/with space \\\"and\\\" quote.pid\"\n"
		"[listen]\n"
		"udp = 127.0.0.1:5070\n"
		"tcp =\n"
		"tls = [::1]:5061, 127.0.0.1:5061\n"
		"[tls]\n"
		"certificate = /etc/ssl/sip.pem\n"
		"private_key = /etc/ssl/sip.key\n"
		"verify_peer = off\n"
		"verify_depth = 3\n"
		"[timers]\n"
		"t1 = 1s\n"
		"t2 = 2m\n"
		"t4 = 2m\n"
		"[auth]\n"
		"realm = \"sip example # not a comment\"\n"
		"algorithms = sha-256\n"
		"trusted_peers = 10.0.0.0/8, 192.0.2.7, 2001:db8::/32, ::/0\n"
		"[routes]\n"
		"example.net = sip:gw.example.net:5080;transport=tcp;lr\n"
		"+4930 = sips:[2001:db8::5]\n"
		"[media]\n"
		"media_relay = userspace\n"
		"relay_address = 2001:db8::9\n"
		"port_range = 40000-40001\n"
		"source_policy = strict\n"
		"media_timeout = 90s\n";
	char addr[INET6_ADDRSTRLEN];
	struct config c;

	ASSERT_STREQ("", parse(&c, text));
	EXPECT_ENUM(CONFIG_MODE_REDIRECT, c.mode);
	ASSERT_EQ(4U, c.domains.n);
	EXPECT_STREQ("example.com", c.domains.v[0]);
	EXPECT_STREQ("192.0.2.1", c.domains.v[1]);
	EXPECT_STREQ("2001:db8::1", c.domains.v[2]);
	EXPECT_STREQ("2001:db8::2", c.domains.v[3]);
	EXPECT_ENUM(LOG_LEVEL_DEBUG, c.log_level);
	EXPECT_ENUM(CONFIG_LOG_SYSLOG, c.log_target);
	EXPECT_STREQ("/run/with space \"and\" quote.pid", c.pid_file);
	ASSERT_EQ(1U, c.listen_udp.n);
	EXPECT_STREQ("127.0.0.1:5070", ep(&c.listen_udp.v[0]));
	EXPECT_EQ(0U, c.listen_tcp.n);
	ASSERT_EQ(2U, c.listen_tls.n);
	EXPECT_STREQ("[::1]:5061", ep(&c.listen_tls.v[0]));
	EXPECT_FALSE(c.tls_verify_peer);
	EXPECT_EQ(3U, c.tls_verify_depth);
	EXPECT_EQ(1000U, c.t1_ms);
	EXPECT_EQ(120000U, c.t2_ms);
	EXPECT_EQ(120000U, c.t4_ms);
	EXPECT_STREQ("sip example # not a comment", c.auth_realm);
	EXPECT_EQ(CONFIG_AUTH_SHA256, c.auth_algorithms);
	ASSERT_EQ(4U, c.trusted_peers.n);
	EXPECT_EQ(8U, c.trusted_peers.v[0].prefix_len);
	EXPECT_EQ(32U, c.trusted_peers.v[1].prefix_len);
	EXPECT_EQ(32U, c.trusted_peers.v[2].prefix_len);
	EXPECT_EQ(AF_INET6, c.trusted_peers.v[2].net.family);
	EXPECT_EQ(0U, c.trusted_peers.v[3].prefix_len);
	ASSERT_EQ(2U, c.routes.n);
	EXPECT_STREQ("example.net", c.routes.v[0].match);
	EXPECT_STREQ("sip:gw.example.net:5080;transport=tcp;lr", c.routes.v[0].next_hop);
	EXPECT_STREQ("+4930", c.routes.v[1].match);
	EXPECT_STREQ("sips:[2001:db8::5]", c.routes.v[1].next_hop);
	EXPECT_ENUM(CONFIG_RELAY_USERSPACE, c.media_relay);
	ASSERT_EQ(AF_INET6, c.relay_address.family);
	inet_ntop(AF_INET6, &c.relay_address.addr.v6, addr, sizeof(addr));
	EXPECT_STREQ("2001:db8::9", addr);
	EXPECT_EQ(40000U, c.port_range.first);
	EXPECT_EQ(40001U, c.port_range.last);
	EXPECT_ENUM(CONFIG_SOURCE_STRICT, c.source_policy);
	EXPECT_EQ(90000U, c.media_timeout_ms);
	config_free(&c);
}

static const struct {
	const char *text;
	const char *error;
} bad[] = {
	/* structure */
	{ "mode = proxy\n", "t.conf:1: 'mode' outside any section" },
	{ "[bogus]\n", "t.conf:1: unknown section [bogus]" },
	{ "[general\n", "t.conf:1: expected '[section]'" },
	{ "[general] x\n", "t.conf:1: expected '[section]'" },
	{ "[general]\n[timers]\n[general]\n",
	  "t.conf:3: duplicate section [general] (first at line 1)" },
	{ "[general]\njunk\n", "t.conf:2: expected 'key = value' or '[section]'" },
	{ "[general]\n = proxy\n", "t.conf:2: missing option name before '='" },
	{ "[general]\nfoo = 1\n", "t.conf:2: unknown option 'foo' in [general]" },
	{ "[general]\nMode = proxy\n", "t.conf:2: 'Mode' is not an option name" },
	{ "[timers]\nmode = proxy\n", "t.conf:2: unknown option 'mode' in [timers]" },
	{ "[general]\nmode = proxy\n\nmode = redirect\n",
	  "t.conf:4: duplicate option 'mode' (first at line 2)" },
	/* quoting */
	{ "[auth]\nrealm = \"abc\n", "t.conf:2: missing closing '\"'" },
	{ "[auth]\nrealm = \"a\" b\n", "t.conf:2: text after the closing '\"'" },
	{ "[auth]\nrealm = \"a\\qb\"\n",
	  "t.conf:2: unknown escape in quoted value (only \\\" and \\\\)" },
	{ "[auth]\nrealm = \"a\\\"b\"\n",
	  "t.conf:2: realm: must be printable text without '\"' or '\\'" },
	{ "[auth]\nrealm = \"a\tb\"\n",
	  "t.conf:2: realm: must be printable text without '\"' or '\\'" },
	/* enums, bools, numbers, durations */
	{ "[general]\nmode = forward\n", "t.conf:2: mode: 'forward' is not proxy or redirect" },
	{ "[general]\nlog_level = warning\n",
	  "t.conf:2: log_level: 'warning' is not error, warn, notice, info or debug" },
	{ "[tls]\nverify_peer = maybe\n", "t.conf:2: verify_peer: 'maybe' is not yes or no" },
	{ "[limits]\nmax_transactions = 0\n",
	  "t.conf:2: max_transactions: 0 is out of range (1..1000000)" },
	{ "[limits]\nmax_transactions = -5\n",
	  "t.conf:2: max_transactions: '-5' is not a whole number" },
	{ "[limits]\nmax_transactions = 1e3\n",
	  "t.conf:2: max_transactions: '1e3' is not a whole number" },
	{ "[limits]\nmax_transactions = 99999999999999999999\n",
	  "t.conf:2: max_transactions: '99999999999999999999' is not a whole number" },
	{ "[limits]\nmax_transactions =\n", "t.conf:2: max_transactions: '' is not a whole number" },
	{ "[timers]\nt1 = 500\n",
	  "t.conf:2: t1: '500' is not a duration (a number and ms, s, m or h)" },
	{ "[timers]\nt1 = 5 s\n",
	  "t.conf:2: t1: '5 s' is not a duration (a number and ms, s, m or h)" },
	{ "[timers]\nt1 = ms\n",
	  "t.conf:2: t1: 'ms' is not a duration (a number and ms, s, m or h)" },
	{ "[timers]\nt1 = 2m\n", "t.conf:2: t1: 2m is out of range (50ms..1m)" },
	{ "[timers]\nt1 = 999999999999h\n",
	  "t.conf:2: t1: 999999999999h is out of range (50ms..1m)" },
	{ "[timers]\nt1 = 3s\nt2 = 2s\n", "t.conf:3: t2 (2000ms) is shorter than t1 (3000ms)" },
	/* addresses */
	{ "[listen]\nudp = 1.2.3.4\n",
	  "t.conf:2: udp: '1.2.3.4' is not ADDRESS:PORT or [IPV6]:PORT" },
	{ "[listen]\nudp = 1.2.3.4:0\n",
	  "t.conf:2: udp: '1.2.3.4:0' is not ADDRESS:PORT or [IPV6]:PORT" },
	{ "[listen]\nudp = 1.2.3.4:5060, [::1]:5060, 1.2.3.4:5060\n",
	  "t.conf:2: udp: '1.2.3.4:5060' listed twice" },
	{ "[listen]\nudp = 1.2.3.4:5060,,[::1]:5060\n", "t.conf:2: udp: empty entry in list" },
	{ "[listen]\nudp =\ntcp =\n",
	  "t.conf:3: no listeners: [listen] udp, tcp and tls are all empty" },
	{ "[listen]\ntls = 127.0.0.1:5061\n",
	  "t.conf:2: [listen] tls needs [tls] certificate and private_key" },
	{ "[media]\nrelay_address = 1.2.3.4:5\n",
	  "t.conf:2: relay_address: '1.2.3.4:5' is not an IPv4 or IPv6 address" },
	{ "[media]\nport_range = 30001-39999\n",
	  "t.conf:2: port_range: '30001-39999' must start on an even port (RTP), RTCP takes the odd one" },
	{ "[media]\nport_range = 40000-30000\n",
	  "t.conf:2: port_range: '40000-30000' is not within 1024-65535 with FIRST below LAST" },
	{ "[media]\nport_range = 40000\n", "t.conf:2: port_range: '40000' is not FIRST-LAST" },
	{ "[auth]\ntrusted_peers = 10.0.0.1/8\n",
	  "t.conf:2: trusted_peers: '10.0.0.1/8' has bits set past the prefix length" },
	{ "[auth]\ntrusted_peers = 2001:db8::/129\n",
	  "t.conf:2: trusted_peers: '129' is not a prefix length for 2001:db8:: (0..128)" },
	{ "[auth]\ntrusted_peers = example.com/8\n",
	  "t.conf:2: trusted_peers: 'example.com' is not an IPv4 or IPv6 address" },
	{ "[auth]\nalgorithms = MD5, md5\n", "t.conf:2: algorithms: 'md5' listed twice" },
	{ "[auth]\nalgorithms = SHA-1\n", "t.conf:2: algorithms: 'SHA-1' is not MD5 or SHA-256" },
	{ "[auth]\nalgorithms =\n", "t.conf:2: algorithms: needs at least one value" },
	{ "[general]\ndomains = exa_mple.com\n",
	  "t.conf:2: domains: 'exa_mple.com' is not a host name or address" },
	{ "[general]\ndomains = example.123\n",
	  "t.conf:2: domains: 'example.123' is not a host name or address" },
	{ "[general]\ndomains = -a.com\n", "t.conf:2: domains: '-a.com' is not a host name or address" },
	{ "[general]\ndomains = [1.2.3.4]\n", "t.conf:2: domains: '[1.2.3.4]' is not an IPv6 address" },
	{ "[general]\ndomains = a.com, A.COM\n", "t.conf:2: domains: 'a.com' listed twice" },
	{ "[general]\npid_file = run/x.pid\n",
	  "t.conf:2: pid_file: 'run/x.pid' is not an absolute path" },
	/* routes */
	{ "[routes]\nexample.com = http://gw\n",
	  "t.conf:2: route for 'example.com': next hop 'http://gw' is not sip:HOST[:PORT][;PARAMS] or sips:..." },
	{ "[routes]\nexample.com = sip:gw:99999\n",
	  "t.conf:2: route for 'example.com': next hop 'sip:gw:99999' is not sip:HOST[:PORT][;PARAMS] or sips:..." },
	{ "[routes]\nexample.com = sip:[::1\n",
	  "t.conf:2: route for 'example.com': next hop 'sip:[::1' is not sip:HOST[:PORT][;PARAMS] or sips:..." },
	{ "[routes]\nexample.com = sip:gw;\n",
	  "t.conf:2: route for 'example.com': next hop 'sip:gw;' is not sip:HOST[:PORT][;PARAMS] or sips:..." },
	{ "[routes]\n+12ab = sip:gw\n",
	  "t.conf:2: route for '+12ab': not a domain or +DIGITS (at most 15)" },
	{ "[routes]\n+1234567890123456 = sip:gw\n",
	  "t.conf:2: route for '+1234567890123456': not a domain or +DIGITS (at most 15)" },
	{ "[routes]\nexample.com = sip:a\nEXAMPLE.com = sip:b\n",
	  "t.conf:3: duplicate route for 'example.com'" },
	/* cross-option rules */
	{ "[registrar]\nmin_expires = 7200\n",
	  "t.conf:2: default_expires (3600) is not within min_expires..max_expires (7200..86400)" },
	{ "[registrar]\nmax_expires = 100\nmin_expires = 200\n",
	  "t.conf:3: min_expires (200) is above max_expires (100)" },
	{ "[limits]\nmax_message_size = 300000\n",
	  "t.conf:2: max_pending_bytes_per_connection (262144) is below max_message_size (300000)" },
};

TEST(errors_name_file_line_and_problem)
{
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STREQ(bad[i].error, parse(&c, bad[i].text)) {
			TH_LOG("input: %s", bad[i].text);
		}
	}
}

TEST(nul_byte)
{
	static const char text[] = "[general]\nmode = proxy\n#\0\n";
	struct config c;

	EXPECT_EQ(-1, config_parse(&c, "t.conf", text, sizeof(text) - 1, err));
	EXPECT_STREQ("t.conf:3: NUL byte in line", err);
}

TEST(long_line)
{
	char text[CONFIG_LINE_MAX + 32];
	struct config c;

	snprintf(text, sizeof(text), "[auth]\nrealm = %0*d\n", CONFIG_LINE_MAX, 0);
	EXPECT_STREQ("t.conf:2: line longer than 4096 bytes", parse(&c, text));
	/* Exactly the limit (CRLF's '\r' not counted) is fine. */
	snprintf(text, sizeof(text), "[auth]\r\nrealm = %0*d\r\n", CONFIG_LINE_MAX - 8, 0);
	EXPECT_STREQ("", parse(&c, text));
	EXPECT_EQ((size_t)CONFIG_LINE_MAX - 8, strlen(c.auth_realm));
	config_free(&c);
}

TEST(last_line_without_newline)
{
	struct config c;

	EXPECT_STREQ("", parse(&c, "[general]\nmode = redirect"));
	EXPECT_ENUM(CONFIG_MODE_REDIRECT, c.mode);
	config_free(&c);
	EXPECT_STREQ("t.conf:2: mode: 'x' is not proxy or redirect", parse(&c, "[general]\nmode = x"));
}

TEST(load_from_files)
{
	char path[] = "/tmp/config_parse.XXXXXX";
	struct config c;
	char *big;
	int fd;

	EXPECT_EQ(-1, config_load(&c, "/nonexistent/sipproxyd.conf", err));
	EXPECT_STREQ("/nonexistent/sipproxyd.conf: No such file or directory", err);
	EXPECT_EQ(-1, config_load(&c, "/", err));
	EXPECT_STREQ("/: Is a directory", err);

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(25, write(fd, "[general]\nmode = redirect", 25));
	ASSERT_EQ(0, config_load(&c, path, err));
	EXPECT_ENUM(CONFIG_MODE_REDIRECT, c.mode);
	config_free(&c);

	big = malloc(CONFIG_FILE_MAX + 1);
	ASSERT_NE(NULL, big);
	memset(big, '\n', CONFIG_FILE_MAX + 1);
	ASSERT_EQ(0, ftruncate(fd, 0));
	ASSERT_EQ(CONFIG_FILE_MAX + 1, pwrite(fd, big, CONFIG_FILE_MAX + 1, 0));
	EXPECT_EQ(-1, config_load(&c, path, err));
	EXPECT_EQ(0, strcmp(err + strlen(path), ": larger than 1048576 bytes"));
	free(big);
	close(fd);
	unlink(path);
}

TEST_HARNESS_MAIN
