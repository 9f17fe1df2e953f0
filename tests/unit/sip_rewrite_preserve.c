// SPDX-License-Identifier: GPL-2.0
/*
 * sip_rewrite() and sip_reply_build(): the exact bytes written. Fields not
 * edited come out byte for byte (compact names, odd case, folds, unknown
 * fields); edited ones as the proxy rules say; nothing past the buffer.
 */
#include "kselftest_harness.h"
#include "sipproxyd/sip_reply.h"
#include "sipproxyd/sip_rewrite.h"

static struct sip_msg msg, again;
static char out[4096];

#define PARSE(text) (int)sip_msg_parse(&msg, (text), sizeof(text) - 1, SIP_DATAGRAM)

#define ASSERT_OUT(lit) do { \
	ASSERT_EQ(sizeof(lit) - 1, len); \
	ASSERT_EQ(0, memcmp(out, (lit), len)); \
} while (0)

static const char invite[] =
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
	"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
	"max-forwards: 70\r\n"
	"Route: <sip:p1.example.com;lr>,\r\n <sip:p2.example.com;lr>\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"X-Unknown:   keep   these\r\n  spaces\r\n"
	"Content-Type: application/sdp\r\n"
	"l: 4\r\n"
	"\r\n"
	"v=0\n";

TEST(no_edits_is_identity)
{
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, PARSE(invite));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(invite);
}

TEST(proxy_forwarding_edits)
{
	static const char want[] =
		"INVITE sip:bob@192.0.2.4:5070 SIP/2.0\r\n"
		"Record-Route: <sip:proxy.example.com;lr>\r\n"
		"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnew\r\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
		"Max-Forwards: 69\r\n"
		"Route: <sip:p2.example.com;lr>\r\n"
		"To: Bob <sip:bob@biloxi.example.com>\r\n"
		"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
		"CSeq: 314159 INVITE\r\n"
		"X-Unknown:   keep   these\r\n  spaces\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length: 6\r\n"
		"\r\n"
		"v=0\r\n\n";
	struct sip_rewrite rw = {
		.ruri = SIP_STR("sip:bob@192.0.2.4:5070"),
		.dec_max_forwards = true,
		.set_body = true,
		.body = SIP_STR("v=0\r\n\n"),
	};
	size_t len;

	ASSERT_EQ(0, PARSE(invite));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_PREPEND, SIP_HDR_VIA,
				     SIP_STR("SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnew")));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_ROUTE, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_PREPEND, SIP_HDR_RECORD_ROUTE,
				     SIP_STR("<sip:proxy.example.com;lr>")));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
	ASSERT_EQ(0, (int)sip_msg_parse(&again, out, len, SIP_DATAGRAM));
	ASSERT_EQ(69, again.max_forwards);
	ASSERT_EQ(2u, again.nvia);
}

TEST(response_pops_top_via_of_folded_list)
{
	static const char resp[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnew ,\r\n"
		"  SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
		"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"Call-ID: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char want[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
		"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"Call-ID: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char want2[] =
		"SIP/2.0 200 OK\r\n"
		"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"Call-ID: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, PARSE(resp));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
	/* Popping the only entry removes the field. */
	ASSERT_EQ(0, (int)sip_msg_parse(&msg, want, sizeof(want) - 1, SIP_DATAGRAM));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want2);
}

TEST(replace_remove_append_by_name)
{
	static const char want[] =
		"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
		"max-forwards: 70\r\n"
		"To: Bob <sip:bob@biloxi.example.com>\r\n"
		"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
		"CSeq: 314159 INVITE\r\n"
		"X-Unknown: replaced\r\n"
		"Content-Type: application/sdp\r\n"
		"l: 4\r\n"
		"Subject: hello\r\n"
		"\r\n"
		"v=0\n";
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, PARSE(invite));
	rw.edits[rw.nedits++] = (struct sip_edit){ .op = SIP_EDIT_REPLACE, .type = SIP_HDR_OTHER,
						   .name = SIP_STR("x-unknown"), .value = SIP_STR("replaced") };
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_REMOVE, SIP_HDR_ROUTE, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_APPEND, SIP_HDR_SUBJECT, SIP_STR("hello")));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

TEST(rejected_edits)
{
	struct sip_rewrite rw = { 0 };
	size_t len;

	ASSERT_EQ(0, PARSE(invite));
	/* A value that would inject a field. */
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_APPEND, SIP_HDR_SUBJECT, SIP_STR("a\r\nEvil: 1")));
	ASSERT_EQ(-EINVAL, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	/* Two edits rewriting the same fields. */
	rw = (struct sip_rewrite){ 0 };
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_REMOVE, SIP_HDR_VIA, SIP_STR_NONE));
	ASSERT_EQ(-EINVAL, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	/* POP of a field that is no list of entries. */
	rw = (struct sip_rewrite){ 0 };
	ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_CSEQ, SIP_STR_NONE));
	ASSERT_EQ(-EINVAL, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	/* An invalid Request-URI. */
	rw = (struct sip_rewrite){ .ruri = SIP_STR("sip:a b") };
	ASSERT_EQ(-EINVAL, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	/* The edit table is bounded. */
	rw = (struct sip_rewrite){ 0 };
	while (rw.nedits < SIP_MAX_EDITS)
		ASSERT_EQ(0, sip_rewrite_add(&rw, SIP_EDIT_APPEND, SIP_HDR_SUBJECT, SIP_STR("x")));
	ASSERT_EQ(-ENOSPC, sip_rewrite_add(&rw, SIP_EDIT_APPEND, SIP_HDR_SUBJECT, SIP_STR("x")));
}

TEST(max_forwards_zero_and_absent)
{
	static const char zero[] =
		"OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
		"Max-Forwards: 0\r\nTo: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
	static const char absent[] =
		"OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
		"To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
	static const char want[] =
		"OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
		"To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n";
	struct sip_rewrite rw = { .dec_max_forwards = true };
	size_t len;

	ASSERT_EQ(0, PARSE(zero));
	ASSERT_EQ(-ERANGE, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_EQ(0, PARSE(absent));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
	ASSERT_OUT(want);
}

/* Every size short of the result fails cleanly and writes nothing past cap. */
TEST(bounded_output)
{
	struct sip_rewrite rw = { .dec_max_forwards = true };
	size_t len, need, cap;
	char small[sizeof(invite) + 64];

	ASSERT_EQ(0, PARSE(invite));
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, out, sizeof(out), &need));
	for (cap = 0; cap < need; cap++) {
		memset(small, 'Z', sizeof(small));
		ASSERT_EQ(-ENOSPC, sip_rewrite(&msg, &rw, small, cap, &len));
		ASSERT_EQ('Z', small[cap]);
	}
	ASSERT_EQ(0, sip_rewrite(&msg, &rw, small, need, &len));
	ASSERT_EQ(need, len);
}

TEST(reply_copies_and_tags)
{
	static const char req[] =
		"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp\r\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
		"Max-Forwards: 69\r\n"
		"To: Bob <sip:bob@biloxi.example.com>\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"i: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Timestamp: 54\r\n"
		"l: 0\r\n\r\n";
	static const char trying[] =
		"SIP/2.0 100 Trying\r\n"
		"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp\r\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"To: Bob <sip:bob@biloxi.example.com>\r\n"
		"i: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Timestamp: 54\r\n"
		"Content-Length: 0\r\n\r\n";
	static const char busy[] =
		"SIP/2.0 486 Busy Here\r\n"
		"Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp\r\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"To: Bob <sip:bob@biloxi.example.com>;tag=xyz\r\n"
		"i: a84b4c76e66710\r\n"
		"CSeq: 314159 INVITE\r\n"
		"Retry-After: 60\r\n"
		"Content-Length: 0\r\n\r\n";
	size_t len;

	ASSERT_EQ(0, PARSE(req));
	ASSERT_EQ(0, sip_reply_build(&msg, 100, "Trying", SIP_STR("xyz"), SIP_STR(""),
				     out, sizeof(out), &len));
	ASSERT_OUT(trying);
	ASSERT_EQ(0, sip_reply_build(&msg, 486, "Busy Here", SIP_STR("xyz"),
				     SIP_STR("Retry-After: 60\r\n"), out, sizeof(out), &len));
	ASSERT_OUT(busy);
	ASSERT_EQ(-EINVAL, sip_reply_build(&msg, 486, "Busy\r\nX: y", SIP_STR("xyz"),
					   SIP_STR(""), out, sizeof(out), &len));
	ASSERT_EQ(-EINVAL, sip_reply_build(&msg, 99, "x", SIP_STR("xyz"), SIP_STR(""),
					   out, sizeof(out), &len));
	ASSERT_EQ(-EINVAL, sip_reply_build(&msg, 486, "x", SIP_STR("x y"), SIP_STR(""),
					   out, sizeof(out), &len));
	ASSERT_EQ(-ENOSPC, sip_reply_build(&msg, 486, "Busy Here", SIP_STR("xyz"), SIP_STR(""),
					   out, 40, &len));
}

/* A request the parser rejected is answered with its reason. */
TEST(reply_to_bad_request)
{
	static const char bad[] =
		"OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
		"To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 INVITE\r\n\r\n";
	static const char want[] =
		"SIP/2.0 400 CSeq method mismatch\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
		"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=t1\r\n"
		"Call-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
	struct sip_rewrite rw = { 0 };
	char reason[64];
	size_t len;

	ASSERT_EQ((int)SIP_ERR_CSEQ_METHOD, PARSE(bad));
	ASSERT_TRUE(msg.can_reply);
	sip_err_reason(&msg, reason, sizeof(reason));
	ASSERT_EQ(0, sip_reply_build(&msg, sip_err_status(msg.err), reason, SIP_STR("t1"),
				     SIP_STR(""), out, sizeof(out), &len));
	ASSERT_OUT(want);
	/* Never forwarded. */
	ASSERT_EQ(-EINVAL, sip_rewrite(&msg, &rw, out, sizeof(out), &len));
}

TEST_HARNESS_MAIN
