// SPDX-License-Identifier: GPL-2.0
/*
 * Responses the proxy generates (txn_reply_build(): 100 Trying, 4xx, 503)
 * carry received and rport on the top Via exactly as forwarded ones do
 * (RFC 3261 18.2.1, RFC 3581 4): the exact bytes, the other Via entries
 * and fields untouched, and the response unchanged when nothing is due
 * or the parameters do not fit.
 */
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "sipproxyd/sip_reply.h"
#include "sipproxyd/txn_reply.h"

static struct sip_msg msg;
static char out[2048];

#define PARSE(text) (int)sip_msg_parse(&msg, (text), sizeof(text) - 1, SIP_DATAGRAM)

#define ASSERT_OUT(lit) do { \
	ASSERT_EQ(sizeof(lit) - 1, len); \
	ASSERT_EQ(0, memcmp(out, (lit), len)); \
} while (0)

static struct tp_addr from(const char *v4, uint16_t port)
{
	struct tp_addr a = { .proto = TP_UDP, .lfd = -1 };

	a.peer.family = AF_INET;
	a.peer.port = port;
	inet_pton(AF_INET, v4, &a.peer.addr.v4);
	return a;
}

static const char behind_nat[] =
	"OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
	"v: SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bKnat1;rport , SIP/2.0/TCP relay.example.net"
	";branch=z9hG4bKrelay\r\n"
	"Via: SIP/2.0/UDP pc1.example.net;branch=z9hG4bKfirst\r\n"
	"Max-Forwards: 70\r\n"
	"To: <sip:carol@chicago.example.com>\r\n"
	"From: <sip:alice@atlanta.example.com>;tag=88\r\n"
	"Call-ID: reply-via-1\r\n"
	"CSeq: 7 OPTIONS\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

TEST(rport_and_received_on_top_entry_only)
{
	static const char want[] =
		"SIP/2.0 404 Not Found\r\n"
		"v: SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bKnat1;received=192.0.2.9;rport=40123"
		" , SIP/2.0/TCP relay.example.net;branch=z9hG4bKrelay\r\n"
		"Via: SIP/2.0/UDP pc1.example.net;branch=z9hG4bKfirst\r\n"
		"From: <sip:alice@atlanta.example.com>;tag=88\r\n"
		"To: <sip:carol@chicago.example.com>;tag=abc\r\n"
		"Call-ID: reply-via-1\r\n"
		"CSeq: 7 OPTIONS\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct tp_addr src = from("192.0.2.9", 40123);
	size_t len;

	ASSERT_EQ(0, PARSE(behind_nat));
	ASSERT_EQ(0, txn_reply_build(&msg, &src, 404, "Not Found", sip_str_make("abc", 3),
				     SIP_STR_NONE, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST(received_without_rport_when_sent_by_differs)
{
	static const char req[] =
		"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP pc33.atlanta.example.com:5062;received=198.51.100.1;branch=z9hG4bKa\r\n"
		"Max-Forwards: 70\r\n"
		"To: <sip:bob@biloxi.example.com>\r\n"
		"From: <sip:alice@atlanta.example.com>;tag=1\r\n"
		"Call-ID: reply-via-2\r\n"
		"CSeq: 1 INVITE\r\n"
		"\r\n";
	static const char want[] =
		"SIP/2.0 100 Trying\r\n"
		"Via: SIP/2.0/UDP pc33.atlanta.example.com:5062;branch=z9hG4bKa;received=192.0.2.20\r\n"
		"From: <sip:alice@atlanta.example.com>;tag=1\r\n"
		"To: <sip:bob@biloxi.example.com>\r\n"
		"Call-ID: reply-via-2\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct tp_addr src = from("192.0.2.20", 5062);
	size_t len;

	ASSERT_EQ(0, PARSE(req));
	ASSERT_EQ(0, txn_reply_build(&msg, &src, 100, "Trying", SIP_STR_NONE, SIP_STR_NONE,
				     out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST(unchanged_when_sent_by_is_the_source_without_rport)
{
	static const char req[] =
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.30:5070;branch=z9hG4bKreg\r\n"
		"Max-Forwards: 70\r\n"
		"To: <sip:dan@example.com>\r\n"
		"From: <sip:dan@example.com>;tag=5\r\n"
		"Call-ID: reply-via-3\r\n"
		"CSeq: 2 REGISTER\r\n"
		"\r\n";
	char plain[sizeof(out)];
	struct tp_addr src = from("192.0.2.30", 5070);
	size_t len, plain_len;

	ASSERT_EQ(0, PARSE(req));
	ASSERT_EQ(0, sip_reply_build(&msg, 401, "Unauthorized", sip_str_make("t", 1),
				     SIP_STR_NONE, plain, sizeof(plain), &plain_len));
	ASSERT_EQ(0, txn_reply_build(&msg, &src, 401, "Unauthorized", sip_str_make("t", 1),
				     SIP_STR_NONE, out, sizeof(out), &len));
	ASSERT_EQ(plain_len, len);
	ASSERT_EQ(0, memcmp(plain, out, len));
}

TEST(extra_fields_follow_the_rewritten_via)
{
	struct tp_addr src = from("203.0.113.5", 1024);
	size_t len;

	ASSERT_EQ(0, PARSE(behind_nat));
	ASSERT_EQ(0, txn_reply_build(&msg, &src, 503, "Service Unavailable", sip_str_make("x", 1),
				     sip_str_make("Retry-After: 5\r\n", 16), out, sizeof(out),
				     &len));
	ASSERT_NE(NULL, memmem(out, len, ";received=203.0.113.5;rport=1024 , SIP/2.0/TCP", 46));
	ASSERT_NE(NULL, memmem(out, len, "Retry-After: 5\r\nContent-Length: 0\r\n\r\n", 37));
	ASSERT_EQ(0, memcmp(out + len - 4, "\r\n\r\n", 4));
}

/* The parameters do not fit the caller's buffer: the response goes out as built. */
TEST(no_room_leaves_the_response_as_built)
{
	char plain[sizeof(out)];
	struct tp_addr src = from("192.0.2.9", 40123);
	size_t len, plain_len;

	ASSERT_EQ(0, PARSE(behind_nat));
	ASSERT_EQ(0, sip_reply_build(&msg, 404, "Not Found", sip_str_make("abc", 3), SIP_STR_NONE,
				     plain, sizeof(plain), &plain_len));
	memset(out, 'Z', sizeof(out));
	ASSERT_EQ(0, txn_reply_build(&msg, &src, 404, "Not Found", sip_str_make("abc", 3),
				     SIP_STR_NONE, out, plain_len + 10, &len));
	ASSERT_EQ(plain_len, len);
	ASSERT_EQ(0, memcmp(plain, out, len));
	ASSERT_EQ('Z', out[plain_len + 10]);
}

TEST_HARNESS_MAIN
