// SPDX-License-Identifier: GPL-2.0
/*
 * Every way the SDP parser refuses a body: the error code, the 1-based line
 * and the exact message. One variant per error path.
 */
#include "kselftest_harness.h"

#include "sdp_test.h"

/* Three lines; a c= and t= make five; the m= line is line 6. */
#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
#define HEAD_C HEAD "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
#define AUDIO HEAD_C "m=audio 5004 RTP/AVP 0 96\r\n"

FIXTURE(parse_error) {
	struct sdp_session s;
	struct sdp_error err;
};

FIXTURE_VARIANT(parse_error) {
	const char *body;
	size_t len;		/* 0: strlen(body) */
	enum sdp_err code;
	unsigned int line;
	const char *msg;
};

FIXTURE_SETUP(parse_error) {}
FIXTURE_TEARDOWN(parse_error) {}

#define ERR(name, text, c, l, m) \
	FIXTURE_VARIANT_ADD(parse_error, name) { \
		.body = text, .code = c, .line = l, .msg = m };

/* Lines and structure */
FIXTURE_VARIANT_ADD(parse_error, empty) {
	.body = "", .code = SDP_E_STRUCTURE, .line = 0, .msg = "empty body" };
FIXTURE_VARIANT_ADD(parse_error, nul_byte) {
	.body = "v=0\r\ns=a\0b\r\n", .len = 11, .code = SDP_E_SYNTAX,
	.line = 2, .msg = "line 2: NUL byte" };
ERR(stray_cr, "v=0\r\ns=a\rb\r\n", SDP_E_SYNTAX, 2, "line 2: CR not followed by LF")
ERR(bare_cr_line_ends, "v=0\ro=- 1 1 IN IP4 192.0.2.1\r", SDP_E_SYNTAX, 1,
    "line 1: CR not followed by LF")
ERR(blank_line_inside, "v=0\r\n\r\n\r\no=- 1 1 IN IP4 192.0.2.1\r\n", SDP_E_SYNTAX, 2,
    "line 2: blank line before the end")
ERR(not_a_type_line, HEAD "hello\r\n", SDP_E_SYNTAX, 4,
    "line 4: not a \"<letter>=<value>\" line")
ERR(upper_case_type, HEAD "C=IN IP4 192.0.2.1\r\n", SDP_E_SYNTAX, 4,
    "line 4: not a \"<letter>=<value>\" line")
ERR(letter_alone, HEAD "c\r\n", SDP_E_SYNTAX, 4,
    "line 4: not a \"<letter>=<value>\" line")
ERR(no_v_first, "o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n", SDP_E_STRUCTURE, 1,
    "line 1: body does not start with v=")
ERR(version_1, "v=1\r\n", SDP_E_SYNTAX, 1, "line 1: unsupported SDP version (only v=0)")
ERR(repeated_v, HEAD "v=0\r\n", SDP_E_STRUCTURE, 4, "line 4: repeated v= line")
ERR(no_origin, "v=0\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n", SDP_E_STRUCTURE, 0, "no o= line")
ERR(no_name, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n", SDP_E_STRUCTURE, 0, "no s= line")
ERR(repeated_origin, HEAD "o=- 1 1 IN IP4 192.0.2.1\r\n", SDP_E_STRUCTURE, 4,
    "line 4: repeated o= line")
ERR(repeated_name, HEAD "s=x\r\n", SDP_E_STRUCTURE, 4, "line 4: repeated s= line")
ERR(origin_in_media, AUDIO "o=- 1 1 IN IP4 192.0.2.1\r\n", SDP_E_STRUCTURE, 7,
    "line 7: m= line 1: o= line inside a media section")
ERR(name_in_media, AUDIO "s=-\r\n", SDP_E_STRUCTURE, 7,
    "line 7: m= line 1: s= line inside a media section")
ERR(time_in_media, AUDIO "t=0 0\r\n", SDP_E_STRUCTURE, 7,
    "line 7: m= line 1: t= line inside a media section")
ERR(repeated_session_c, HEAD_C "c=IN IP4 192.0.2.1\r\n", SDP_E_STRUCTURE, 6,
    "line 6: repeated c= line")
ERR(repeated_media_c, AUDIO "c=IN IP4 192.0.2.2\r\nc=IN IP4 192.0.2.3\r\n",
    SDP_E_STRUCTURE, 8, "line 8: m= line 1: repeated c= line")

/* o= */
ERR(origin_5_fields, "v=0\r\no=- 1 1 IN IP4\r\n", SDP_E_ORIGIN, 2,
    "line 2: o= needs exactly 6 fields")
ERR(origin_7_fields, "v=0\r\no=- 1 1 IN IP4 192.0.2.1 x\r\n", SDP_E_ORIGIN, 2,
    "line 2: o= needs exactly 6 fields")
ERR(origin_sess_id, "v=0\r\no=- 1a 1 IN IP4 192.0.2.1\r\n", SDP_E_ORIGIN, 2,
    "line 2: o= session id is not a number")
ERR(origin_version, "v=0\r\no=- 1 -1 IN IP4 192.0.2.1\r\n", SDP_E_ORIGIN, 2,
    "line 2: o= session version is not a 64-bit number")
ERR(origin_version_overflow, "v=0\r\no=- 1 18446744073709551616 IN IP4 192.0.2.1\r\n",
    SDP_E_ORIGIN, 2, "line 2: o= session version is not a 64-bit number")

/* c= */
ERR(conn_2_fields, HEAD "c=IN IP4\r\n", SDP_E_CONNECTION, 4,
    "line 4: c= needs exactly <nettype> <addrtype> <address>")
ERR(conn_4_fields, HEAD "c=IN IP4 192.0.2.1 x\r\n", SDP_E_CONNECTION, 4,
    "line 4: c= needs exactly <nettype> <addrtype> <address>")
ERR(conn_nettype, HEAD "c=ATM NSAP 47.0005\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: unsupported network type (only IN)")
ERR(conn_addrtype, HEAD "c=IN IPX 192.0.2.1\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: unsupported address type (only IP4 and IP6)")
ERR(conn_fqdn, HEAD "c=IN IP4 media.example.com\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: address is not a numeric IPv4 address")
ERR(conn_v6_as_v4, HEAD "c=IN IP4 2001:db8::1\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: address is not a numeric IPv4 address")
ERR(conn_v4_as_v6, HEAD "c=IN IP6 192.0.2.1\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: address is not a numeric IPv6 address")
ERR(conn_v4_octet, HEAD "c=IN IP4 192.0.2.256\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: address is not a numeric IPv4 address")
ERR(conn_long_address, HEAD "c=IN IP6 0000:0000:0000:0000:0000:0000:0000:0000:0000\r\n",
    SDP_E_CONNECTION, 4, "line 4: c=: address is not a numeric IPv6 address")
ERR(conn_unicast_ttl, HEAD "c=IN IP4 192.0.2.1/127\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: TTL or address count on a unicast address")
ERR(conn_mc4_no_ttl, HEAD "c=IN IP4 224.2.1.1\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: invalid multicast TTL or address count")
ERR(conn_mc4_ttl_256, HEAD "c=IN IP4 224.2.1.1/256\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: invalid multicast TTL or address count")
ERR(conn_mc4_count_0, HEAD "c=IN IP4 224.2.1.1/127/0\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: invalid multicast TTL or address count")
ERR(conn_mc6_two_suffixes, HEAD "c=IN IP6 ff15::101/3/2\r\n", SDP_E_CONNECTION, 4,
    "line 4: c=: invalid multicast TTL or address count")
ERR(conn_missing, HEAD "t=0 0\r\nm=audio 5004 RTP/AVP 0\r\na=sendrecv\r\n",
    SDP_E_CONNECTION, 5, "line 5: m= line 1: no c= line at session or media level")
ERR(mc4_ttl, HEAD "c=IN IP4 224.2.1.1/127\r\n", SDP_E_MULTICAST, 4,
    "line 4: c=: multicast address cannot be anchored")
ERR(mc4_ttl_count, HEAD "c=IN IP4 224.2.1.1/127/3\r\n", SDP_E_MULTICAST, 4,
    "line 4: c=: multicast address cannot be anchored")
ERR(mc6, AUDIO "c=IN IP6 ff15::101\r\n", SDP_E_MULTICAST, 7,
    "line 7: m= line 1: c=: multicast address cannot be anchored")
ERR(mc6_count, HEAD "c=IN IP6 ff15::101/3\r\n", SDP_E_MULTICAST, 4,
    "line 4: c=: multicast address cannot be anchored")

/* m= */
ERR(media_no_proto, HEAD_C "m=audio 5004\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: m= needs <media> <port> <proto> <format>...")
ERR(media_no_format, HEAD_C "m=audio 5004 RTP/AVP\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: no formats")
ERR(media_type, HEAD_C "m=au(dio 5004 RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid media type")
ERR(media_port_range, HEAD_C "m=audio 65536 RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid port")
ERR(media_port_text, HEAD_C "m=audio 50x4 RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid port")
ERR(media_port_sign, HEAD_C "m=audio +5004 RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid port")
ERR(media_port_count_0, HEAD_C "m=audio 5004/0 RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid port count")
ERR(media_port_count_empty, HEAD_C "m=audio 5004/ RTP/AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid port count")
ERR(media_proto_empty_part, HEAD_C "m=audio 5004 RTP//AVP 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid transport protocol")
ERR(media_proto_trailing_slash, HEAD_C "m=audio 5004 RTP/ 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid transport protocol")
ERR(media_pt_128, HEAD_C "m=audio 5004 RTP/AVP 0 128\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid RTP payload type")
ERR(media_pt_text, HEAD_C "m=audio 5004 RTP/AVP PCMU\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid RTP payload type")
ERR(media_pt_twice, HEAD_C "m=audio 5004 RTP/AVP 0 8 0\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: payload type 0 listed twice")
ERR(media_format_token, HEAD_C "m=image 5004 udptl t3(8\r\n", SDP_E_MEDIA, 6,
    "line 6: m= line 1: invalid format")
ERR(media_second, AUDIO "m=video 5006 RTP/AVP\r\n", SDP_E_MEDIA, 7,
    "line 7: m= line 2: no formats")

/* a= */
ERR(attr_no_name, HEAD "a=:x\r\n", SDP_E_ATTRIBUTE, 4, "line 4: invalid attribute name")
ERR(attr_empty, HEAD "a=\r\n", SDP_E_ATTRIBUTE, 4, "line 4: invalid attribute name")
ERR(attr_space_in_name, HEAD "a=send only\r\n", SDP_E_ATTRIBUTE, 4,
    "line 4: invalid attribute name")
ERR(rtcp_in_session, HEAD "a=rtcp:5005\r\n", SDP_E_ATTRIBUTE, 4,
    "line 4: a=rtcp is only valid in a media section")
ERR(rtpmap_in_session, HEAD "a=rtpmap:0 PCMU/8000\r\n", SDP_E_ATTRIBUTE, 4,
    "line 4: a=rtpmap is only valid in a media section")
ERR(candidate_in_session, HEAD "a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 4, "line 4: a=candidate is only valid in a media section")
ERR(rtcp_mux_value, AUDIO "a=rtcp-mux:1\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp-mux takes no value")
ERR(sendonly_value, AUDIO "a=sendonly:\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=sendonly takes no value")
ERR(rtcp_no_value, AUDIO "a=rtcp\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp needs a value")
ERR(rtcp_empty_value, AUDIO "a=rtcp: \r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp needs a value")
ERR(rtcp_port_0, AUDIO "a=rtcp:0\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp: invalid port")
ERR(rtcp_port_range, AUDIO "a=rtcp:65536\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp: invalid port")
ERR(rtcp_addr_fields, AUDIO "a=rtcp:5005 IN IP4\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp: address needs <nettype> <addrtype> <address>")
ERR(rtcp_addr_extra, AUDIO "a=rtcp:5005 IN IP4 192.0.2.1 x\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtcp: address needs <nettype> <addrtype> <address>")
ERR(rtcp_addr_bad, AUDIO "a=rtcp:5005 IN IP4 host.example.com\r\n", SDP_E_CONNECTION, 7,
    "line 7: m= line 1: a=rtcp: address is not a numeric IPv4 address")
ERR(rtcp_addr_multicast, AUDIO "a=rtcp:5005 IN IP4 224.2.1.1/1\r\n", SDP_E_MULTICAST, 7,
    "line 7: m= line 1: a=rtcp: multicast address cannot be anchored")
ERR(rtcp_repeated, AUDIO "a=rtcp:5005\r\na=rtcp:5007\r\n", SDP_E_ATTRIBUTE, 8,
    "line 8: m= line 1: repeated a=rtcp")
ERR(direction_twice_session, HEAD "a=sendonly\r\na=inactive\r\n", SDP_E_ATTRIBUTE, 5,
    "line 5: more than one direction attribute")
ERR(direction_twice_media, AUDIO "a=sendrecv\r\na=sendrecv\r\n", SDP_E_ATTRIBUTE, 8,
    "line 8: m= line 1: more than one direction attribute")
ERR(rtpmap_no_clock, AUDIO "a=rtpmap:96 opus\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid encoding name")
ERR(rtpmap_one_field, AUDIO "a=rtpmap:96\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap needs <payload type> <encoding>/<clock rate>")
ERR(rtpmap_extra_field, AUDIO "a=rtpmap:96 opus/48000 x\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap needs <payload type> <encoding>/<clock rate>")
ERR(rtpmap_pt, AUDIO "a=rtpmap:128 opus/48000\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid payload type")
ERR(rtpmap_empty_name, AUDIO "a=rtpmap:96 /48000\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid encoding name")
ERR(rtpmap_clock_0, AUDIO "a=rtpmap:96 opus/0\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid clock rate")
ERR(rtpmap_clock_overflow, AUDIO "a=rtpmap:96 opus/4294967296\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid clock rate")
ERR(rtpmap_channels_0, AUDIO "a=rtpmap:96 opus/48000/0\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid channel count")
ERR(rtpmap_channels_text, AUDIO "a=rtpmap:96 opus/48000/2/1\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=rtpmap: invalid channel count")
ERR(rtpmap_repeated, AUDIO "a=rtpmap:96 opus/48000/2\r\na=rtpmap:96 opus/48000/2\r\n",
    SDP_E_ATTRIBUTE, 8, "line 8: m= line 1: repeated a=rtpmap for payload type 96")
ERR(ptime_0, AUDIO "a=ptime:0\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=ptime: invalid value")
ERR(ptime_0_0, AUDIO "a=ptime:0.0\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=ptime: invalid value")
ERR(ptime_text, AUDIO "a=ptime:20ms\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=ptime: invalid value")
ERR(ptime_fraction, AUDIO "a=ptime:20.\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=ptime: invalid value")
ERR(ptime_huge, AUDIO "a=ptime:1000001\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=ptime: invalid value")
ERR(ptime_repeated, AUDIO "a=ptime:20\r\na=ptime:30\r\n", SDP_E_ATTRIBUTE, 8,
    "line 8: m= line 1: repeated a=ptime")
ERR(candidate_short, AUDIO "a=candidate:1 1 UDP 1 192.0.2.1 5004 typ\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=candidate: missing fields")
ERR(candidate_foundation, AUDIO "a=candidate:a-b 1 UDP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid foundation")
ERR(candidate_foundation_long,
    AUDIO "a=candidate:123456789012345678901234567890123 1 UDP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid foundation")
ERR(candidate_component_0, AUDIO "a=candidate:1 0 UDP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid component id")
ERR(candidate_component_257, AUDIO "a=candidate:1 257 UDP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid component id")
ERR(candidate_transport, AUDIO "a=candidate:1 1 U(DP 1 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid transport")
ERR(candidate_priority, AUDIO "a=candidate:1 1 UDP 4294967296 192.0.2.1 5004 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid priority")
ERR(candidate_port, AUDIO "a=candidate:1 1 UDP 1 192.0.2.1 65536 typ host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid port")
ERR(candidate_typ, AUDIO "a=candidate:1 1 UDP 1 192.0.2.1 5004 type host\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: invalid candidate type")
ERR(candidate_extension, AUDIO "a=candidate:1 1 UDP 1 192.0.2.1 5004 typ host generation\r\n",
    SDP_E_ATTRIBUTE, 7, "line 7: m= line 1: a=candidate: extension without a value")
ERR(end_of_candidates_value, AUDIO "a=end-of-candidates:1\r\n", SDP_E_ATTRIBUTE, 7,
    "line 7: m= line 1: a=end-of-candidates takes no value")
ERR(ice_ufrag_chars, HEAD "a=ice-ufrag:ab-c\r\n", SDP_E_ATTRIBUTE, 4,
    "line 4: a=ice-ufrag: invalid value")
ERR(ice_pwd_repeated, AUDIO "a=ice-pwd:abcdefghijklmnopqrstuv\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n",
    SDP_E_ATTRIBUTE, 8, "line 8: m= line 1: repeated a=ice-pwd")
ERR(ice_options_token, HEAD "a=ice-options:trickle ren(omination\r\n", SDP_E_ATTRIBUTE, 4,
    "line 4: a=ice-options: invalid option")

TEST_F(parse_error, refused)
{
	size_t len = variant->len ? variant->len : strlen(variant->body);
	enum sdp_err ret = sdp_session_parse(&self->s, variant->body, len,
					     &self->err);

	EXPECT_EQ(variant->code, ret);
	EXPECT_EQ(variant->code, self->err.code);
	EXPECT_EQ(variant->line, self->err.line);
	EXPECT_STREQ(variant->msg, self->err.msg);
}

/*
 * The limits: a body exactly at each limit parses, one more is refused.
 * Bodies are built in a buffer larger than SDP_MAX_BODY.
 */
struct gen {
	char buf[2 * SDP_MAX_BODY];
	size_t len;
};

static void gen_add(struct gen *g, const char *text)
{
	size_t n = strlen(text);

	if (g->len + n <= sizeof(g->buf)) {
		memcpy(g->buf + g->len, text, n);
		g->len += n;
	}
}

static void gen_repeat(struct gen *g, const char *text, unsigned int times)
{
	while (times--)
		gen_add(g, text);
}

static int gen_parse(struct gen *g, struct sdp_session *s,
			      struct sdp_error *err)
{
	return sdp_session_parse(s, g->buf, g->len, err);
}

FIXTURE(limit) {
	struct gen g;
	struct sdp_session s;
	struct sdp_error err;
};

FIXTURE_SETUP(limit)
{
	self->g.len = 0;
	gen_add(&self->g, HEAD_C);
}

FIXTURE_TEARDOWN(limit) {}

TEST_F(limit, body_size)
{
	/* Pad with one long attribute line to exactly SDP_MAX_BODY. */
	size_t pad = SDP_MAX_BODY - self->g.len - strlen("a=x:\r\n");

	gen_add(&self->g, "a=x:");
	memset(self->g.buf + self->g.len, 'y', pad);
	self->g.len += pad;
	gen_add(&self->g, "\r\n");
	ASSERT_EQ(SDP_MAX_BODY, self->g.len);
	EXPECT_EQ(SDP_OK, gen_parse(&self->g, &self->s, &self->err))
		TH_LOG("%s", self->err.msg);

	self->g.len++;
	EXPECT_EQ(SDP_E_LIMIT, gen_parse(&self->g, &self->s, &self->err));
	EXPECT_EQ(0U, self->err.line);
	EXPECT_STREQ("body of 16385 bytes exceeds 16384", self->err.msg);
}

TEST_F(limit, lines)
{
	gen_repeat(&self->g, "b=AS:64\r\n", SDP_MAX_LINES - 5);
	EXPECT_EQ(SDP_OK, gen_parse(&self->g, &self->s, &self->err))
		TH_LOG("%s", self->err.msg);
	EXPECT_EQ(SDP_MAX_LINES, self->s.n_lines);

	gen_add(&self->g, "b=AS:64\r\n");
	EXPECT_EQ(SDP_E_LIMIT, gen_parse(&self->g, &self->s, &self->err));
	EXPECT_EQ(0U, self->err.line);
	EXPECT_STREQ("more than 512 lines", self->err.msg);
}

TEST_F(limit, media)
{
	gen_repeat(&self->g, "m=audio 5004 RTP/AVP 0\r\n", SDP_MAX_MEDIA);
	EXPECT_EQ(SDP_OK, gen_parse(&self->g, &self->s, &self->err))
		TH_LOG("%s", self->err.msg);
	EXPECT_EQ(SDP_MAX_MEDIA, self->s.n_media);

	gen_add(&self->g, "m=audio 5004 RTP/AVP 0\r\n");
	EXPECT_EQ(SDP_E_LIMIT, gen_parse(&self->g, &self->s, &self->err));
	EXPECT_EQ(22U, self->err.line);
	EXPECT_STREQ("line 22: more than 16 m= lines", self->err.msg);
}

TEST_F(limit, formats)
{
	char fmt[8];
	unsigned int i;

	gen_add(&self->g, "m=audio 5004 RTP/AVP");
	for (i = 0; i < SDP_MAX_FMTS; i++) {
		snprintf(fmt, sizeof(fmt), " %u", i + 50);
		gen_add(&self->g, fmt);
	}
	gen_add(&self->g, "\r\n");
	EXPECT_EQ(SDP_OK, gen_parse(&self->g, &self->s, &self->err))
		TH_LOG("%s", self->err.msg);
	EXPECT_EQ(SDP_MAX_FMTS, self->s.media[0].s.n_payload);

	self->g.len -= 2;
	gen_add(&self->g, " 127\r\n");
	EXPECT_EQ(SDP_E_LIMIT, gen_parse(&self->g, &self->s, &self->err));
	EXPECT_EQ(6U, self->err.line);
	EXPECT_STREQ("line 6: m= line 1: more than 48 formats", self->err.msg);
}

TEST_F(limit, attributes)
{
	gen_repeat(&self->g, "a=x\r\n", SDP_MAX_ATTRS);
	EXPECT_EQ(SDP_OK, gen_parse(&self->g, &self->s, &self->err))
		TH_LOG("%s", self->err.msg);
	EXPECT_EQ(SDP_MAX_ATTRS, self->s.n_attrs);

	gen_add(&self->g, "a=x\r\n");
	EXPECT_EQ(SDP_E_LIMIT, gen_parse(&self->g, &self->s, &self->err));
	EXPECT_EQ(390U, self->err.line);
	EXPECT_STREQ("line 390: more than 384 attributes", self->err.msg);
}

TEST_HARNESS_MAIN
