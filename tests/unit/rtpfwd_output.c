// SPDX-License-Identifier: GPL-2.0
/*
 * What rtpfwd prints: global options, humanised sizes and ages, and the
 * exact -s and -j records of a flow, captured from stdout.
 */
#include <stdio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "rtpfwd/commands.h"
#include "rtpfwd/flow_print.h"
#include "rtpfwd/output.h"

/* Runs @print with stdout redirected into @buf. */
static void capture(void (*print)(const struct nl_flow *), const struct nl_flow *flow,
		    char *buf, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	size_t n;

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	print(flow);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

static void print_json(const struct nl_flow *flow)
{
	struct json j;

	json_init(&j, stdout);
	flow_print_json(&j, NULL, flow);
}

static void sample_flow(struct nl_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->id = 7;
	f->cookie = 42;
	endpoint_parse(&f->local, "10.0.0.1:4000");
	endpoint_parse(&f->out, "10.0.1.1:5000");
	endpoint_parse(&f->peer, "[2001:db8::2]:6000");
	endpoint_parse(&f->source, "10.0.0.9:7000");
	f->policy = RTPFWD_POLICY_LEARN;
	f->learned = true;
	f->flags = RTPFWD_F_RTP | RTPFWD_F_IDLE_DELETE;
	f->pt_mask[0] = 0x01;
	f->pt_mask[1] = 0x01;
	f->timeout = 30;
	f->clock_rate = 8000;
	f->attrs = (1U << RTPFWD_A_ID) | (1U << RTPFWD_A_COOKIE) | (1U << RTPFWD_A_LOCAL) |
		   (1U << RTPFWD_A_OUT) | (1U << RTPFWD_A_PEER) | (1U << RTPFWD_A_SOURCE) |
		   (1U << RTPFWD_A_POLICY) | (1U << RTPFWD_A_FLAGS) | (1U << RTPFWD_A_PT_MASK) |
		   (1U << RTPFWD_A_TIMEOUT) | (1U << RTPFWD_A_CLOCK_RATE) |
		   (1U << RTPFWD_A_STATS) | (1U << RTPFWD_A_LEARNED);
	f->stats.v[RTPFWD_STATS_PACKETS] = 100;
	f->stats.v[RTPFWD_STATS_BYTES] = 16000;
	f->stats.v[RTPFWD_STATS_LOST] = (uint64_t)-1;
	f->stats.present = (1U << RTPFWD_STATS_PACKETS) | (1U << RTPFWD_STATS_BYTES) |
			   (1U << RTPFWD_STATS_LOST);
}

TEST(script_record)
{
	struct nl_flow f;
	char buf[1024];

	sample_flow(&f);
	capture(flow_print_script, &f, buf, sizeof(buf));
	EXPECT_STREQ("7\t42\t10.0.0.1:4000\t10.0.1.1:5000\t[2001:db8::2]:6000\tlearn"
		     "\t10.0.0.9:7000\t1\t9\t01010000000000000000000000000000\t30\t-\t8000"
		     "\t100\t16000\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-1\t-\t-\n", buf);
}

TEST(json_record)
{
	struct nl_flow f;
	char buf[1024];

	sample_flow(&f);
	capture(print_json, &f, buf, sizeof(buf));
	EXPECT_STREQ("{\"id\":7,\"cookie\":42,\"local\":\"10.0.0.1:4000\",\"out\":\"10.0.1.1:5000\","
		     "\"peer\":\"[2001:db8::2]:6000\",\"policy\":\"learn\",\"source\":\"10.0.0.9:7000\","
		     "\"learned\":true,\"flags\":[\"rtp\",\"idle-delete\"],\"pt\":\"0,8\","
		     "\"timeout\":30,\"clock_rate\":8000,"
		     "\"stats\":{\"packets\":100,\"bytes\":16000,\"lost\":-1}}", buf);
}

/* An unlocked learn flow's hint: last -s column, "expect" in -j; ADDR:* is any port. */
TEST(expect_hint)
{
	struct nl_flow f;
	char buf[1024];

	sample_flow(&f);
	f.learned = false;
	f.attrs &= ~((1U << RTPFWD_A_SOURCE) | (1U << RTPFWD_A_LEARNED) | (1U << RTPFWD_A_STATS));
	f.attrs |= 1U << RTPFWD_A_EXPECT;
	f.stats.present = 0;
	f.flags |= RTPFWD_F_EXPECT_ONLY;
	endpoint_parse(&f.expect, "[2001:db8::9]:7000");
	capture(flow_print_script, &f, buf, sizeof(buf));
	EXPECT_STREQ("7\t42\t10.0.0.1:4000\t10.0.1.1:5000\t[2001:db8::2]:6000\tlearn"
		     "\t-\t0\t25\t01010000000000000000000000000000\t30\t-\t8000"
		     "\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t[2001:db8::9]:7000\n", buf);
	f.expect.port = 0;
	capture(print_json, &f, buf, sizeof(buf));
	EXPECT_STREQ("{\"id\":7,\"cookie\":42,\"local\":\"10.0.0.1:4000\",\"out\":\"10.0.1.1:5000\","
		     "\"peer\":\"[2001:db8::2]:6000\",\"policy\":\"learn\",\"learned\":false,"
		     "\"expect\":\"[2001:db8::9]:*\",\"flags\":[\"rtp\",\"idle-delete\",\"expect-only\"],"
		     "\"pt\":\"0,8\",\"timeout\":30,\"clock_rate\":8000}", buf);
}

TEST(human_block)
{
	struct nl_flow f;
	char buf[1024];

	output_init(OUTPUT_HUMAN);
	sample_flow(&f);
	capture(flow_print_human, &f, buf, sizeof(buf));
	EXPECT_STREQ("flow 7\n"
		     "  cookie: 42\n"
		     "  local: 10.0.0.1:4000\n"
		     "  out: 10.0.1.1:5000\n"
		     "  peer: [2001:db8::2]:6000\n"
		     "  source: learn, locked to 10.0.0.9:7000\n"
		     "  flags: rtp,idle-delete\n"
		     "  payload types: 0,8\n"
		     "  timeout: 30s\n"
		     "  clock rate: 8000 Hz\n"
		     "  forwarded: 100 packets, 15.62 KiB\n", buf);
}

TEST(json_escapes)
{
	FILE *tmp = tmpfile();
	char buf[128] = {};
	struct json j;

	json_init(&j, tmp);
	json_array_begin(&j, NULL);
	json_string(&j, NULL, "a\"b\\c\nd\x01");
	json_object_begin(&j, NULL);
	json_bool(&j, "t", true);
	json_s64(&j, "n", -5);
	json_object_end(&j);
	json_array_end(&j);
	rewind(tmp);
	EXPECT_LT(0U, fread(buf, 1, sizeof(buf) - 1, tmp));
	EXPECT_STREQ("[\"a\\\"b\\\\c\\u000ad\\u0001\",{\"t\":true,\"n\":-5}]", buf);
	fclose(tmp);
}

TEST(sizes_and_ages)
{
	char buf[OUTPUT_STRLEN];

	EXPECT_STREQ("0 B", output_size(0, buf));
	EXPECT_STREQ("1023 B", output_size(1023, buf));
	EXPECT_STREQ("1.00 KiB", output_size(1024, buf));
	EXPECT_STREQ("1.50 MiB", output_size(1572864, buf));
	EXPECT_STREQ("16.00 EiB", output_size(UINT64_MAX, buf));
	EXPECT_STREQ("0ms", output_age(0, buf));
	EXPECT_STREQ("999ms", output_age(999, buf));
	EXPECT_STREQ("1s", output_age(1000, buf));
	EXPECT_STREQ("1m 5s", output_age(65000, buf));
	EXPECT_STREQ("2h 0m", output_age(7200000, buf));
	EXPECT_STREQ("3d 4h", output_age((3 * 86400 + 4 * 3600 + 59) * 1000ULL, buf));
}

TEST(flags_words)
{
	char buf[FLOW_FLAGS_STRLEN];

	EXPECT_STREQ("none", flow_flags_format(0, buf));
	EXPECT_STREQ("rtp,rtcp,owned,idle-delete,expect-only",
		     flow_flags_format(RTPFWD_F_ALL, buf));
	EXPECT_STREQ("0x21", flow_flags_format(0x21, buf));
	EXPECT_STREQ("unknown", flow_policy_name(9));
}

TEST(global_options)
{
	char err[OPTIONS_ERRLEN];
	struct options o;

	EXPECT_EQ(1, options_parse(1, (char *[]){ "rtpfwd", NULL }, &o, err));
	EXPECT_TRUE(o.mode == OUTPUT_HUMAN);
	EXPECT_EQ(2, options_parse(3, (char *[]){ "rtpfwd", "-j", "stats", NULL }, &o, err));
	EXPECT_TRUE(o.mode == OUTPUT_JSON);
	EXPECT_EQ(2, options_parse(3, (char *[]){ "rtpfwd", "--script", "flow", NULL }, &o, err));
	EXPECT_TRUE(o.mode == OUTPUT_SCRIPT);
	EXPECT_EQ(3, options_parse(3, (char *[]){ "rtpfwd", "-s", "-s", NULL }, &o, err));
	EXPECT_EQ(2, options_parse(2, (char *[]){ "rtpfwd", "--help", NULL }, &o, err));
	EXPECT_TRUE(o.help);
	EXPECT_EQ(2, options_parse(2, (char *[]){ "rtpfwd", "-V", NULL }, &o, err));
	EXPECT_TRUE(o.version);
	EXPECT_EQ(-1, options_parse(3, (char *[]){ "rtpfwd", "-j", "-s", NULL }, &o, err));
	EXPECT_STREQ("-j and -s exclude each other", err);
	EXPECT_EQ(-1, options_parse(2, (char *[]){ "rtpfwd", "-x", NULL }, &o, err));
	EXPECT_STREQ("unknown option \"-x\" (try rtpfwd --help)", err);
	EXPECT_EQ(-1, options_parse(2, (char *[]){ "rtpfwd", "--jsonx", NULL }, &o, err));
	/* Options after the command word belong to the command. */
	EXPECT_EQ(1, options_parse(3, (char *[]){ "rtpfwd", "flow", "-j", NULL }, &o, err));
}

TEST_HARNESS_MAIN
