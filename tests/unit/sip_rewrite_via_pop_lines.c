// SPDX-License-Identifier: GPL-2.0
/*
 * POP takes the first entry of the first field only: a response whose Via
 * entries sit on separate lines (as most UAs write them) keeps every later
 * line byte for byte, after a comma-list first line too, and a PREPEND
 * with a POP (our Via replacing the sender's) leaves the rest in place.
 */
#include "kselftest_harness.h"
#include "sipproxyd/sip_rewrite.h"

static struct sip_msg msg;
static char out[2048];

#define ASSERT_OUT(lit) do { \
	ASSERT_EQ(sizeof(lit) - 1, len); \
	ASSERT_EQ(0, memcmp(out, (lit), len)); \
} while (0)

#define TAIL "From: <sip:a@example.com>;tag=f\r\nTo: <sip:b@example.com>;tag=t\r\n" \
	"Call-ID: pop-lines\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"

TEST(later_via_lines_stay)
{
	static const char resp[] = "SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP proxy.example.net;branch=z9hG4bKp\r\n"
		"Via: SIP/2.0/TCP edge.example.net;branch=z9hG4bKe\r\n"
		"v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKu;received=192.0.2.9;rport=4000\r\n"
		TAIL;
	static const char want[] = "SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/TCP edge.example.net;branch=z9hG4bKe\r\n"
		"v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKu;received=192.0.2.9;rport=4000\r\n"
		TAIL;
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, (int)sip_msg_parse(&msg, resp, sizeof(resp) - 1, SIP_DATAGRAM));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST(comma_list_then_lines)
{
	static const char resp[] = "SIP/2.0 180 Ringing\r\n"
		"Via: SIP/2.0/UDP proxy.example.net;branch=z9hG4bKp , SIP/2.0/UDP a.example.net"
		";branch=z9hG4bKa\r\n"
		"Via: SIP/2.0/UDP b.example.net;branch=z9hG4bKb\r\n"
		TAIL;
	static const char want[] = "SIP/2.0 180 Ringing\r\n"
		"Via: SIP/2.0/UDP a.example.net;branch=z9hG4bKa\r\n"
		"Via: SIP/2.0/UDP b.example.net;branch=z9hG4bKb\r\n"
		TAIL;
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, (int)sip_msg_parse(&msg, resp, sizeof(resp) - 1, SIP_DATAGRAM));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST(prepend_and_pop_keep_the_path)
{
	static const char req[] = "INVITE sip:b@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.7;branch=z9hG4bKn;rport\r\n"
		"Via: SIP/2.0/UDP edge.example.net;branch=z9hG4bKe\r\n"
		"Max-Forwards: 70\r\n"
		TAIL;
	static const char want[] = "INVITE sip:b@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP us.example.com;branch=z9hG4bKus\r\n"
		"Via: SIP/2.0/UDP 10.0.0.7;branch=z9hG4bKn;received=192.0.2.9;rport=4000\r\n"
		"Via: SIP/2.0/UDP edge.example.net;branch=z9hG4bKe\r\n"
		"Max-Forwards: 70\r\n"
		TAIL;
	static const char ours[] = "SIP/2.0/UDP us.example.com;branch=z9hG4bKus";
	static const char sender[] = "SIP/2.0/UDP 10.0.0.7;branch=z9hG4bKn;received=192.0.2.9;rport=4000";
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, (int)sip_msg_parse(&msg, req, sizeof(req) - 1, SIP_DATAGRAM));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_PREPEND, SIP_HDR_VIA,
				     sip_str_make(ours, sizeof(ours) - 1)));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_PREPEND, SIP_HDR_VIA,
				     sip_str_make(sender, sizeof(sender) - 1)));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST_HARNESS_MAIN
