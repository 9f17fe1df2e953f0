// SPDX-License-Identifier: GPL-2.0
/*
 * Real-world SDP bodies rewritten for anchoring, compared with the whole
 * expected body; then every way the rewriter refuses.
 */
#include "kselftest_harness.h"

#include "sipproxyd/sdp_rewrite.h"
#include "sdp_bodies.h"
#include "sdp_test.h"

/* The relay host: two IPv4 addresses and one IPv6. */
#define RELAY4 "203.0.113.1"
#define RELAY4B "203.0.113.2"
#define RELAY6 "2001:db8:ffff::1"

FIXTURE(rewrite) {
	struct sdp_session s;
	struct sdp_rewrite rw;
	struct sdp_error err;
	char out[SDP_MAX_BODY + 1];
	size_t len;
};

static struct sdp_addr addr(const char *text)
{
	struct sdp_addr a = { .family = strchr(text, ':') ? AF_INET6 : AF_INET };

	inet_pton(a.family, text, &a.v6);
	return a;
}

static void relay(FIXTURE_DATA(rewrite) *self, unsigned int i,
		  const char *text, uint16_t port)
{
	self->rw.relay[i].addr = addr(text);
	self->rw.relay[i].port = port;
}

FIXTURE_SETUP(rewrite)
{
	unsigned int i;

	memset(&self->rw, 0, sizeof(self->rw));
	self->rw.origin = addr(RELAY4);
	self->rw.version = 7;
	for (i = 0; i < SDP_MAX_MEDIA; i++)
		relay(self, i, RELAY4, 30000 + 2 * i);
}

FIXTURE_TEARDOWN(rewrite) {}

static int parse(FIXTURE_DATA(rewrite) *self, const char *text)
{
	return sdp_session_parse(&self->s, text, strlen(text), &self->err);
}

/* Rewrites into the whole buffer and NUL-terminates the result. */
static int rewrite(FIXTURE_DATA(rewrite) *self)
{
	enum sdp_err ret;

	self->len = 0;
	ret = sdp_rewrite_body(&self->s, &self->rw, self->out,
			       sizeof(self->out) - 1, &self->len, &self->err);
	self->out[ret ? 0 : self->len] = '\0';
	return ret;
}

#define REWRITES_TO(body, expected) do { \
	ASSERT_EQ(SDP_OK, parse(self, body)) TH_LOG("%s", self->err.msg); \
	ASSERT_EQ(SDP_OK, rewrite(self)) TH_LOG("%s", self->err.msg); \
	EXPECT_STREQ(expected, self->out); \
	EXPECT_EQ(strlen(expected), self->len); \
} while (0)

TEST_F(rewrite, sipp_uac)
{
	self->rw.version = 2353687638ULL;
	REWRITES_TO(SDP_SIPP_UAC,
		"v=0\r\n"
		"o=user1 53655765 2353687638 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n");
}

TEST_F(rewrite, sipp_uas_lf_kept)
{
	REWRITES_TO(SDP_SIPP_UAS_LF,
		"v=0\n"
		"o=user1 53655765 7 IN IP4 203.0.113.1\n"
		"s=-\n"
		"c=IN IP4 203.0.113.1\n"
		"t=0 0\n"
		"m=audio 30000 RTP/AVP 0\n"
		"a=rtpmap:0 PCMU/8000\n");
}

TEST_F(rewrite, baresip_rtcp_rewritten_ice_removed)
{
	REWRITES_TO(SDP_BARESIP,
		"v=0\r\n"
		"o=- 1203580342 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"a=tool:baresip 1.0.0\r\n"
		"m=audio 30000 RTP/AVP 96 0 8 101\r\n"
		"b=AS:128\r\n"
		"a=rtpmap:96 opus/48000/2\r\n"
		"a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-15\r\n"
		"a=rtcp:30001 IN IP4 203.0.113.1\r\n"
		"a=sendrecv\r\n"
		"a=label:1\r\n"
		"a=ptime:20\r\n");
}

TEST_F(rewrite, webrtc_bundle_muxed)
{
	/* BUNDLE: both streams on one relay port; muxed RTCP goes there too. */
	relay(self, 1, RELAY4, 30000);
	REWRITES_TO(SDP_WEBRTC,
		"v=0\r\n"
		"o=- 4611731400430051336 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"t=0 0\r\n"
		"a=group:BUNDLE 0 1\r\n"
		"a=msid-semantic: WMS stream\r\n"
		"m=audio 30000 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"a=rtcp:30000 IN IP4 0.0.0.0\r\n"
		"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
		"a=setup:actpass\r\n"
		"a=mid:0\r\n"
		"a=sendrecv\r\n"
		"a=rtcp-mux\r\n"
		"a=rtpmap:111 opus/48000/2\r\n"
		"a=fmtp:111 minptime=10;useinbandfec=1\r\n"
		"a=rtpmap:63 red/48000/2\r\n"
		"a=rtpmap:9 G722/8000\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:13 CN/8000\r\n"
		"a=rtpmap:110 telephone-event/48000\r\n"
		"a=rtpmap:126 telephone-event/8000\r\n"
		"a=ssrc:3735928559 cname:4TOk42mSjXCkVIa6\r\n"
		"m=video 30000 UDP/TLS/RTP/SAVPF 96 97 102\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"a=rtcp:30000 IN IP4 0.0.0.0\r\n"
		"a=setup:actpass\r\n"
		"a=mid:1\r\n"
		"a=sendrecv\r\n"
		"a=rtcp-mux\r\n"
		"a=rtcp-rsize\r\n"
		"a=rtpmap:96 VP8/90000\r\n"
		"a=rtcp-fb:96 nack\r\n"
		"a=rtpmap:97 rtx/90000\r\n"
		"a=fmtp:97 apt=96\r\n"
		"a=rtpmap:102 H264/90000\r\n");
}

TEST_F(rewrite, ipv6_peer_ipv4_relay)
{
	REWRITES_TO(SDP_IPV6,
		"v=0\r\n"
		"o=alice 2890844526 7 IN IP4 203.0.113.1\r\n"
		"s=call\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 8 101\r\n"
		"a=rtpmap:8 PCMA/8000\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=fmtp:101 0-16\r\n"
		"a=ptime:20\r\n");
}

TEST_F(rewrite, ipv4_peer_ipv6_relay)
{
	self->rw.origin = addr(RELAY6);
	relay(self, 0, RELAY6, 40000);
	REWRITES_TO(SDP_SIPP_UAC,
		"v=0\r\n"
		"o=user1 53655765 7 IN IP6 2001:db8:ffff::1\r\n"
		"s=-\r\n"
		"c=IN IP6 2001:db8:ffff::1\r\n"
		"t=0 0\r\n"
		"m=audio 40000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n");
}

TEST_F(rewrite, stream_on_other_address_gets_own_c)
{
	relay(self, 1, RELAY4B, 40000);
	REWRITES_TO(SDP_AUDIO_VIDEO,
		"v=0\r\n"
		"o=carol 28908764872 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"t=0 0\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"m=audio 30000 RTP/AVP 0 8 97\r\n"
		"a=rtpmap:97 iLBC/8000\r\n"
		"m=video 40000 RTP/AVP 31 32\r\n"
		"c=IN IP4 203.0.113.2\r\n"
		"a=rtpmap:31 H261/90000\r\n");
}

TEST_F(rewrite, t38)
{
	REWRITES_TO(SDP_T38,
		"v=0\r\n"
		"o=fax 1 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=image 30000 udptl t38\r\n"
		"a=T38FaxVersion:0\r\n"
		"a=T38MaxBitRate:14400\r\n"
		"a=T38FaxRateManagement:transferredTCF\r\n"
		"a=T38FaxMaxDatagram:176\r\n"
		"a=T38FaxUdpEC:t38UDPRedundancy\r\n");
}

TEST_F(rewrite, hold_sendonly_kept)
{
	REWRITES_TO(SDP_HOLD_SENDONLY,
		"v=0\r\n"
		"o=user1 53655765 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=sendonly\r\n");
}

TEST_F(rewrite, hold_zero_address_kept)
{
	/* Not even a stream on another relay address gets a c= of its own. */
	relay(self, 0, RELAY4B, 30000);
	REWRITES_TO(SDP_HOLD_ZERO,
		"v=0\r\n"
		"o=user1 53655765 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 0.0.0.0\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"a=rtcp:30001\r\n");
}

TEST_F(rewrite, rejected_stream_untouched)
{
	/* The rejected stream needs no relay: a bad one is ignored. */
	memset(&self->rw.relay[1], 0, sizeof(self->rw.relay[1]));
	REWRITES_TO(SDP_REJECTED,
		"v=0\r\n"
		"o=bob 2808844564 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n"
		"m=video 0 RTP/AVP 31\r\n");
}

TEST_F(rewrite, rejected_section_keeps_everything)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
		"m=audio 0 RTP/AVP 0\r\n"
		"c=IN IP4 192.0.2.1\r\n"
		"a=rtcp:5005 IN IP4 192.0.2.1\r\n"
		"a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\r\n"
		"m=audio 5006 RTP/AVP 0\r\n"
		"c=IN IP4 192.0.2.1\r\n"
		"a=rtcp:5007 IN IP4 192.0.2.1\r\n"
		"a=candidate:1 1 UDP 1 192.0.2.1 5006 typ host\r\n";

	REWRITES_TO(body,
		"v=0\r\no=- 1 7 IN IP4 203.0.113.1\r\ns=-\r\nt=0 0\r\n"
		"m=audio 0 RTP/AVP 0\r\n"
		"c=IN IP4 192.0.2.1\r\n"
		"a=rtcp:5005 IN IP4 192.0.2.1\r\n"
		"a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\r\n"
		"m=audio 30002 RTP/AVP 0\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"a=rtcp:30003 IN IP4 203.0.113.1\r\n");
}

TEST_F(rewrite, media_level_c_only)
{
	relay(self, 1, RELAY6, 40000);
	REWRITES_TO(SDP_MEDIA_C_ONLY,
		"v=0\r\n"
		"o=- 1 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"t=0 0\r\n"
		"a=inactive\r\n"
		"m=audio 30000 RTP/AVP 0 101\r\n"
		"i=voice\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=sendrecv\r\n"
		"m=video 40000 RTP/AVP 96\r\n"
		"c=IN IP6 2001:db8:ffff::1\r\n"
		"a=rtpmap:96 H264/90000\r\n");
}

TEST_F(rewrite, inserted_c_after_i_and_at_end)
{
	/* Mixed line ends, an i= line, a trailing blank line, and a last
	 * m= line without a line end that gets a c= after it. */
	static const char body[] =
		"v=0\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\nc=IN IP4 192.0.2.1\n"
		"m=audio 5004 RTP/AVP 0\r\n"
		"i=first\n"
		"a=ptime:20\r\n"
		"m=audio 5006 RTP/AVP 0";

	relay(self, 0, RELAY4B, 30000);
	relay(self, 1, RELAY6, 30002);
	REWRITES_TO(body,
		"v=0\no=- 1 7 IN IP4 203.0.113.1\r\ns=-\nc=IN IP4 203.0.113.1\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"i=first\n"
		"c=IN IP4 203.0.113.2\n"
		"a=ptime:20\r\n"
		"m=audio 30002 RTP/AVP 0\n"
		"c=IN IP6 2001:db8:ffff::1");
}

TEST_F(rewrite, trailing_blank_line_and_media_c_at_end)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
		"m=audio 5004 RTP/AVP 0\r\n"
		"\r\n";

	relay(self, 0, RELAY4B, 30000);
	REWRITES_TO(body,
		"v=0\r\no=- 1 7 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"c=IN IP4 203.0.113.2\r\n"
		"\r\n");
}

TEST_F(rewrite, rtcp_port_follows_mux)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
		"m=audio 5004 RTP/AVP 0\r\n"
		"a=rtcp:5005\r\n"
		"m=audio 5006 RTP/AVP 0\r\n"
		"a=rtcp:5006 IN IP6 2001:db8::5\r\n"
		"a=rtcp-mux\r\n";

	/* Port 65535 is fine when RTCP shares it. */
	relay(self, 1, RELAY4, 65535);
	REWRITES_TO(body,
		"v=0\r\no=- 1 7 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtcp:30001\r\n"
		"m=audio 65535 RTP/AVP 0\r\n"
		"a=rtcp:65535 IN IP4 203.0.113.1\r\n"
		"a=rtcp-mux\r\n");
}

TEST_F(rewrite, largest_version)
{
	self->rw.version = UINT64_MAX;
	REWRITES_TO(SDP_SIPP_UAC,
		"v=0\r\n"
		"o=user1 53655765 18446744073709551615 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n");
}

TEST_F(rewrite, output_reparses_to_the_relay)
{
	char line[1024];
	int ret;

	relay(self, 1, RELAY6, 40000);
	ASSERT_EQ(SDP_OK, parse(self, SDP_WEBRTC));
	ASSERT_EQ(SDP_OK, rewrite(self)) TH_LOG("%s", self->err.msg);
	ret = sdp_session_parse(&self->s, self->out, self->len, &self->err);
	ASSERT_EQ(SDP_OK, ret) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(7ULL, self->s.origin.version);
	EXPECT_EQ(0U, self->s.media[0].ice.n_candidates);
	EXPECT_STREQ("#1 video/rtp 40000/1 rtcp 40000 2001:db8:ffff::1 rtcp-addr 2001:db8:ffff::1 sendrecv mux ptime 0 fmts 3: 96/90000/1 97/90000/1 102/90000/1",
		     sdp_test_stream(&self->s.media[1].s, line, sizeof(line)));
}

/* Refusals */

TEST_F(rewrite, origin_must_be_unicast)
{
	static const char *const bad[] = { "0.0.0.0", "::", "224.0.0.1", "ff02::1" };
	unsigned int i;

	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAC));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		self->rw.origin = addr(bad[i]);
		EXPECT_EQ(SDP_E_RELAY, rewrite(self)) TH_LOG("%s", bad[i]);
		EXPECT_EQ(0U, self->err.line);
		EXPECT_STREQ("origin is not a unicast IPv4 or IPv6 address",
			     self->err.msg);
	}
	memset(&self->rw.origin, 0, sizeof(self->rw.origin));
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
}

TEST_F(rewrite, relay_must_be_unicast)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_AUDIO_VIDEO));
	relay(self, 1, "0.0.0.0", 30000);
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
	EXPECT_EQ(8U, self->err.line);
	EXPECT_STREQ("line 8: m= line 2: relay is not a unicast IPv4 or IPv6 address",
		     self->err.msg);
	memset(&self->rw.relay[1], 0, sizeof(self->rw.relay[1]));
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
	EXPECT_STREQ("line 8: m= line 2: relay is not a unicast IPv4 or IPv6 address",
		     self->err.msg);
}

TEST_F(rewrite, relay_needs_port)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAC));
	relay(self, 0, RELAY4, 0);
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
	EXPECT_STREQ("line 6: m= line 1: no relay port", self->err.msg);
}

TEST_F(rewrite, relay_port_65535_without_mux)
{
	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAC));
	relay(self, 0, RELAY4, 65535);
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
	EXPECT_STREQ("line 6: m= line 1: relay port 65535 leaves no RTCP port",
		     self->err.msg);
}

TEST_F(rewrite, port_count_cannot_be_anchored)
{
	static const char body[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
		"m=video 5004/2 RTP/AVP 31\r\n";

	ASSERT_EQ(SDP_OK, parse(self, body));
	EXPECT_EQ(SDP_E_RELAY, rewrite(self));
	EXPECT_EQ(5U, self->err.line);
	EXPECT_STREQ("line 5: m= line 1: port count 2 cannot be anchored",
		     self->err.msg);
}

TEST_F(rewrite, buffer_too_small)
{
	static const char expected[] =
		"v=0\r\n"
		"o=user1 53655765 7 IN IP4 203.0.113.1\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.1\r\n"
		"t=0 0\r\n"
		"m=audio 30000 RTP/AVP 0\r\n"
		"a=rtpmap:0 PCMU/8000\r\n";
	size_t need = strlen(expected);
	char small[sizeof(expected) + 16];
	size_t len = 12345;
	int ret;

	ASSERT_EQ(SDP_OK, parse(self, SDP_SIPP_UAC));
	memset(small, '#', sizeof(small));
	ret = sdp_rewrite_body(&self->s, &self->rw, small, need - 1, &len,
			       &self->err);
	EXPECT_EQ(SDP_E_NOSPACE, ret);
	EXPECT_EQ(12345U, len);
	EXPECT_STREQ("rewritten body needs 125 bytes, buffer has 124",
		     self->err.msg);
	/* Nothing past the buffer is touched. */
	EXPECT_EQ('#', small[need - 1]);

	ret = sdp_rewrite_body(&self->s, &self->rw, small, need, &len,
			       &self->err);
	EXPECT_EQ(SDP_OK, ret);
	EXPECT_EQ(need, len);
	EXPECT_EQ(0, memcmp(small, expected, need));
	EXPECT_EQ('#', small[need]);
}

/* A body just under SDP_MAX_BODY that grows past it (IPv4 -> IPv6). */
TEST_F(rewrite, result_over_body_limit)
{
	static char body[SDP_MAX_BODY + 1];
	static const char head[] =
		"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
		"m=audio 5004 RTP/AVP 0\r\na=x:";
	size_t len = strlen(head);

	memcpy(body, head, len);
	memset(body + len, 'y', SDP_MAX_BODY - len - 2);
	memcpy(body + SDP_MAX_BODY - 2, "\r\n", 2);
	body[SDP_MAX_BODY] = '\0';
	self->rw.origin = addr(RELAY6);
	relay(self, 0, RELAY6, 30000);
	ASSERT_EQ(SDP_OK, parse(self, body)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(SDP_E_LIMIT, rewrite(self));
	EXPECT_EQ(0U, self->err.line);
	EXPECT_STREQ("rewritten body of 16399 bytes exceeds 16384", self->err.msg);
}

/* 512 lines, then one c= inserted per stream. */
TEST_F(rewrite, result_over_line_limit)
{
	static char body[SDP_MAX_BODY];
	size_t len = 0;
	unsigned int i;

	len += sprintf(body + len, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
		       "c=IN IP4 192.0.2.1\r\n");
	for (i = 0; i < 4; i++)
		len += sprintf(body + len, "m=audio %u RTP/AVP 0\r\n", 5004 + 2 * i);
	for (i = 8; i < SDP_MAX_LINES; i++)
		len += sprintf(body + len, "b=AS:64\r\n");
	ASSERT_EQ(SDP_OK, parse(self, body)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(SDP_MAX_LINES, self->s.n_lines);
	relay(self, 3, RELAY4B, 30000);
	EXPECT_EQ(SDP_E_LIMIT, rewrite(self));
	EXPECT_STREQ("rewritten body has more than 512 lines", self->err.msg);
}

TEST_HARNESS_MAIN
