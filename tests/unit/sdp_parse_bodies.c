// SPDX-License-Identifier: GPL-2.0
/*
 * Real-world SDP bodies parse into exact per-stream summaries: ports, RTCP
 * port and address, connection address and family, direction and hold,
 * rtcp-mux, payload types with clock rates, rejected streams.
 */
#include "kselftest_harness.h"

#include "sdp_bodies.h"
#include "sdp_test.h"

FIXTURE(body) {
	struct sdp_session s;
	struct sdp_error err;
	char line[1024];
};

FIXTURE_SETUP(body) {}
FIXTURE_TEARDOWN(body) {}

static int parse(FIXTURE_DATA(body) *self, const char *text)
{
	return sdp_session_parse(&self->s, text, strlen(text), &self->err);
}

#define STREAM(i) sdp_test_stream(&self->s.media[i].s, self->line, \
				  sizeof(self->line))

TEST_F(body, sipp_uac)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAC)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1U, self->s.n_media);
	EXPECT_EQ(7U, self->s.n_lines);
	EXPECT_EQ(2353687637ULL, self->s.origin.version);
	EXPECT_EQ(2, self->s.line[0].eol);
	EXPECT_STREQ("#0 audio/rtp 6000/1 rtcp 6001 127.0.0.1 rtcp-addr 127.0.0.1 sendrecv ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
}

TEST_F(body, sipp_uas_lf_line_ends)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAS_LF)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1U, self->s.n_media);
	EXPECT_EQ(1, self->s.line[0].eol);
	EXPECT_EQ(1, self->s.line[6].eol);
	EXPECT_STREQ("#0 audio/rtp 6002/1 rtcp 6003 127.0.0.2 rtcp-addr 127.0.0.2 sendrecv ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
}

TEST_F(body, baresip_rtcp_and_ice)
{
	const struct sdp_media *m = &self->s.media[0];

	ASSERT_EQ(SDP_OK, parse(self, SDP_BARESIP)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1U, self->s.n_media);
	EXPECT_STREQ("#0 audio/rtp 10034/1 rtcp 10035 192.168.1.20 rtcp-addr 192.168.1.20 sendrecv ptime 20000 fmts 4: 96/48000/2 0/8000/1 8/8000/1 101/8000/1",
		     STREAM(0));
	EXPECT_EQ(3U, m->ice.n_candidates);
	EXPECT_EQ(4U, m->ice.ufrag.len);
	EXPECT_EQ(0, memcmp(m->ice.ufrag.p, "Xbdf", 4));
	EXPECT_EQ(7U, self->s.ice.options.len);
	EXPECT_EQ(17U, self->s.n_attrs);
}

TEST_F(body, webrtc_bundle_rtcp_mux)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_WEBRTC)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(2U, self->s.n_media);
	EXPECT_STREQ("#0 audio/rtp 50000/1 rtcp 50000 198.51.100.10 rtcp-addr 198.51.100.10 sendrecv mux ptime 0 fmts 8: 111/48000/2 63/48000/2 9/8000/1 0/8000/1 8/8000/1 13/8000/1 110/48000/1 126/8000/1",
		     STREAM(0));
	EXPECT_STREQ("#1 video/rtp 50000/1 rtcp 50000 198.51.100.10 rtcp-addr 198.51.100.10 sendrecv mux ptime 0 fmts 3: 96/90000/1 97/90000/1 102/90000/1",
		     STREAM(1));
	EXPECT_EQ(2U, self->s.media[0].ice.n_candidates);
	EXPECT_TRUE(self->s.media[0].ice.end_of_candidates);
	EXPECT_FALSE(self->s.media[1].ice.end_of_candidates);
}

TEST_F(body, ipv6)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_IPV6)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1U, self->s.n_media);
	EXPECT_EQ(AF_INET6, self->s.media[0].s.addr.family);
	EXPECT_STREQ("#0 audio/rtp 20000/1 rtcp 20001 2001:db8::10 rtcp-addr 2001:db8::10 sendrecv ptime 20000 fmts 2: 8/8000/1 101/8000/1",
		     STREAM(0));
}

TEST_F(body, audio_video_static_types)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_AUDIO_VIDEO)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(2U, self->s.n_media);
	EXPECT_EQ(28908764872ULL, self->s.origin.version);
	EXPECT_STREQ("#0 audio/rtp 49170/1 rtcp 49171 192.0.2.4 rtcp-addr 192.0.2.4 sendrecv ptime 0 fmts 3: 0/8000/1 8/8000/1 97/8000/1",
		     STREAM(0));
	EXPECT_STREQ("#1 video/rtp 51372/1 rtcp 51373 192.0.2.4 rtcp-addr 192.0.2.4 sendrecv ptime 0 fmts 2: 31/90000/1 32/90000/1",
		     STREAM(1));
}

TEST_F(body, t38_image_udptl)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_T38)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1U, self->s.n_media);
	EXPECT_STREQ("#0 image/udptl 40000/1 rtcp 40001 192.0.2.20 rtcp-addr 192.0.2.20 sendrecv ptime 0 fmts 1:",
		     STREAM(0));
	EXPECT_EQ(3U, self->s.media[0].fmt[0].len);
	EXPECT_EQ(0, memcmp(self->s.media[0].fmt[0].p, "t38", 3));
}

TEST_F(body, hold_sendonly)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_HOLD_SENDONLY)) TH_LOG("%s", self->err.msg);
	EXPECT_STREQ("#0 audio/rtp 6000/1 rtcp 6001 127.0.0.1 rtcp-addr 127.0.0.1 sendonly held ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
}

TEST_F(body, hold_zero_address)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_HOLD_ZERO)) TH_LOG("%s", self->err.msg);
	EXPECT_STREQ("#0 audio/rtp 6000/1 rtcp 6001 0.0.0.0 rtcp-addr 0.0.0.0 sendrecv held unspecified ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
}

TEST_F(body, rejected_stream)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_REJECTED)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(2U, self->s.n_media);
	EXPECT_STREQ("#0 audio/rtp 49172/1 rtcp 49173 192.0.2.8 rtcp-addr 192.0.2.8 sendrecv ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
	EXPECT_STREQ("#1 video/rtp 0/1 rtcp 0 192.0.2.8 rtcp-addr 192.0.2.8 sendrecv rejected ptime 0 fmts 1: 31/90000/1",
		     STREAM(1));
}

TEST_F(body, media_level_c_only)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_MEDIA_C_ONLY)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(2U, self->s.n_media);
	EXPECT_FALSE(self->s.conn.present);
	EXPECT_STREQ("inactive", sdp_dir_name(self->s.direction));
	EXPECT_STREQ("#0 audio/rtp 7078/1 rtcp 7079 203.0.113.50 rtcp-addr 203.0.113.50 sendrecv ptime 0 fmts 2: 0/8000/1 101/8000/1",
		     STREAM(0));
	EXPECT_STREQ("#1 video/rtp 9078/1 rtcp 9079 2001:db8::50 rtcp-addr 2001:db8::50 inactive held ptime 0 fmts 1: 96/90000/1",
		     STREAM(1));
	/* a c= for the audio stream would go after its i= line */
	EXPECT_EQ(self->s.media[0].line + 2, self->s.media[0].first_attr_line);
}

TEST_F(body, rejected_stream_needs_no_address)
{
	static const char text[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
		"m=audio 0 RTP/AVP 0\r\n";

	ASSERT_EQ(SDP_OK, parse(self, text)) TH_LOG("%s", self->err.msg);
	EXPECT_STREQ("#0 audio/rtp 0/1 rtcp 0 none rtcp-addr none sendrecv rejected ptime 0 fmts 1: 0/8000/1",
		     STREAM(0));
}

TEST_F(body, generous_tokens)
{
	/* Blank runs, trailing blanks, a last line without a line end, a
	 * trailing blank line, an unknown line letter, an unknown media type
	 * and protocol, a port count, fractional ptime, rtcp-mux overriding
	 * a=rtcp, and channels on a static type. */
	static const char text[] =
		"v=0\r\n"
		"o=jdoe  1 18446744073709551615 IN IP4 192.0.2.1 \r\n"
		"s=\r\n"
		"c=IN  IP4 192.0.2.1\t\r\n"
		"x=unknown letter\r\n"
		"m=audio 5004/2 RTP/AVP 0 10\r\n"
		"a=ptime:2.5\r\n"
		"m=video 5008 RTP/AVPF 96\r\n"
		"a=rtcp:5011 IN IP6 2001:db8::1\r\n"
		"m=application 6000 TCP/RTP/AVP x-y\r\n"
		"m=3d 7000 UDP/UNKNOWN z\r\n"
		"a=rtcp:7005\r\n"
		"a=rtcp-mux\r\n"
		"\r\n";

	ASSERT_EQ(SDP_OK, parse(self, text)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(4U, self->s.n_media);
	EXPECT_EQ(UINT64_MAX, self->s.origin.version);
	EXPECT_STREQ("#0 audio/rtp 5004/2 rtcp 5005 192.0.2.1 rtcp-addr 192.0.2.1 sendrecv ptime 2500 fmts 2: 0/8000/1 10/44100/2",
		     STREAM(0));
	EXPECT_STREQ("#1 video/rtp 5008/1 rtcp 5011 192.0.2.1 rtcp-addr 2001:db8::1 sendrecv ptime 0 fmts 1: 96/0/1",
		     STREAM(1));
	EXPECT_STREQ("#2 application/other 6000/1 rtcp 6001 192.0.2.1 rtcp-addr 192.0.2.1 sendrecv ptime 0 fmts 1:",
		     STREAM(2));
	EXPECT_STREQ("#3 other/other 7000/1 rtcp 7000 192.0.2.1 rtcp-addr 192.0.2.1 sendrecv mux ptime 0 fmts 1:",
		     STREAM(3));
	EXPECT_EQ(2U, self->s.media[3].media.len);
	EXPECT_EQ(14U, self->s.n_lines);
	EXPECT_EQ(0U, self->s.line[13].len);
}

TEST_F(body, no_line_end_on_last_line)
{
	static const char text[] =
		"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\r\n"
		"m=audio 5004 RTP/AVP 8";

	ASSERT_EQ(SDP_OK, parse(self, text)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(5U, self->s.n_lines);
	EXPECT_EQ(1, self->s.line[2].eol);
	EXPECT_EQ(2, self->s.line[3].eol);
	EXPECT_EQ(0, self->s.line[4].eol);
	EXPECT_STREQ("#0 audio/rtp 5004/1 rtcp 5005 192.0.2.1 rtcp-addr 192.0.2.1 sendrecv ptime 0 fmts 1: 8/8000/1",
		     STREAM(0));
}

TEST_HARNESS_MAIN
