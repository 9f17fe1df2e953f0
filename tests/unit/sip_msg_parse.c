// SPDX-License-Identifier: GPL-2.0
/*
 * sip_msg_parse(): start lines, header splitting and folding, the fields
 * it checks, duplicates, missing fields, limits and body framing. Each
 * case asserts the exact outcome: the parsed views or the error, the field
 * it names and whether a 400 can be sent.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "sip_test.h"
#include "sipproxyd/sip_msg.h"

static struct sip_msg msg;

/* Enums compare as int: the harness is strict about signedness. */
#define PARSE(text) sip_msg_parse(&msg, (text), sizeof(text) - 1, SIP_DATAGRAM)

#define BASE_HDRS \
	"Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n" \
	"Max-Forwards: 70\r\n" \
	"To: Bob <sip:bob@example.com>\r\n" \
	"From: Alice <sip:alice@example.com>;tag=1928301774\r\n" \
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"

TEST(invite_all_fields)
{
	static const char text[] =
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		BASE_HDRS
		"CSeq: 314159 INVITE\r\n"
		"Contact: <sip:alice@pc33.example.com>\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length: 4\r\n"
		"\r\n"
		"v=0\n";

	ASSERT_ENUM(SIP_OK, PARSE(text));
	ASSERT_TRUE(msg.request);
	ASSERT_ENUM(SIP_METHOD_INVITE, msg.method_id);
	ASSERT_VIEW(msg.method, "INVITE");
	ASSERT_ENUM(SIP_SCHEME_SIP, msg.ruri.scheme);
	ASSERT_VIEW(msg.ruri.user, "bob");
	ASSERT_VIEW(msg.ruri.host, "example.com");
	ASSERT_VIEW(msg.version, "SIP/2.0");
	ASSERT_EQ(1u, msg.nvia);
	ASSERT_VIEW(msg.via.transport, "UDP");
	ASSERT_VIEW(msg.via.host, "pc33.example.com");
	ASSERT_EQ(-1, msg.via.port);
	ASSERT_VIEW(msg.via.branch, "z9hG4bK776asdhds");
	ASSERT_TRUE(sip_via_branch_is_rfc3261(&msg.via));
	ASSERT_EQ(70, msg.max_forwards);
	ASSERT_VIEW(msg.to.display, "Bob");
	ASSERT_FALSE(sip_str_present(msg.to.tag));
	ASSERT_VIEW(msg.from.tag, "1928301774");
	ASSERT_VIEW(msg.from.uri.user, "alice");
	ASSERT_VIEW(msg.call_id, "a84b4c76e66710@pc33.example.com");
	ASSERT_EQ(314159u, msg.cseq.number);
	ASSERT_ENUM(SIP_METHOD_INVITE, msg.cseq.method_id);
	ASSERT_EQ(1u, msg.ncontact);
	ASSERT_VIEW(msg.content_type.type, "application");
	ASSERT_VIEW(msg.content_type.subtype, "sdp");
	ASSERT_EQ(4, msg.content_length);
	ASSERT_VIEW(msg.body, "v=0\n");
	ASSERT_EQ(sizeof(text) - 1, msg.data.len);
	ASSERT_EQ(-1, msg.expires);
	ASSERT_FALSE(msg.can_reply);
}

TEST(every_method_and_extension_tokens)
{
	static const char *const methods[] = {
		"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "MESSAGE",
		"SUBSCRIBE", "NOTIFY", "INFO", "UPDATE", "PRACK", "REFER", "PUBLISH",
		"invite", "!interesting-Method0123456789_*+`.%indeed'~", "RE%47IST%45R",
	};
	static const enum sip_method ids[] = {
		SIP_METHOD_INVITE, SIP_METHOD_ACK, SIP_METHOD_BYE, SIP_METHOD_CANCEL,
		SIP_METHOD_REGISTER, SIP_METHOD_OPTIONS, SIP_METHOD_MESSAGE,
		SIP_METHOD_SUBSCRIBE, SIP_METHOD_NOTIFY, SIP_METHOD_INFO, SIP_METHOD_UPDATE,
		SIP_METHOD_PRACK, SIP_METHOD_REFER, SIP_METHOD_PUBLISH,
		SIP_METHOD_OTHER, SIP_METHOD_OTHER, SIP_METHOD_OTHER,
	};
	char buf[1024];
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		int n = snprintf(buf, sizeof(buf),
				 "%s sip:x@example.com SIP/2.0\r\n" BASE_HDRS
				 "CSeq: 7 %s\r\n\r\n", methods[i], methods[i]);

		ASSERT_ENUM(SIP_OK, sip_msg_parse(&msg, buf, (size_t)n, SIP_DATAGRAM));
		ASSERT_ENUM(ids[i], msg.method_id);
		ASSERT_EQ(strlen(methods[i]), msg.method.len);
		ASSERT_ENUM(ids[i], msg.cseq.method_id);
		ASSERT_EQ(0u, msg.body.len);
		ASSERT_TRUE(sip_str_present(msg.body));
	}
}

TEST(response_status_line)
{
	static const char text[] =
		"SIP/2.0 180 Ringing\r\n" BASE_HDRS "CSeq: 1 INVITE\r\n\r\n";
	static const char noreason[] =
		"SIP/2.0 100 \r\n" BASE_HDRS "CSeq: 1 INVITE\r\n\r\n";
	static const char nosp[] =
		"SIP/2.0 100\r\n" BASE_HDRS "CSeq: 1 INVITE\r\n\r\n";

	ASSERT_ENUM(SIP_OK, PARSE(text));
	ASSERT_FALSE(msg.request);
	ASSERT_EQ(180, msg.status);
	ASSERT_VIEW(msg.reason, "Ringing");
	ASSERT_ENUM(SIP_OK, PARSE(noreason));
	ASSERT_EQ(100, msg.status);
	ASSERT_EQ(0u, msg.reason.len);
	ASSERT_ENUM(SIP_OK, PARSE(nosp));
	ASSERT_EQ(0u, msg.reason.len);
}

TEST(bad_status_codes)
{
	static const char big[] =
		"SIP/2.0 4294967301 better not break the receiver\r\n" BASE_HDRS
		"CSeq: 1 INVITE\r\n\r\n";
	static const char low[] = "SIP/2.0 099 Low\r\n" BASE_HDRS "CSeq: 1 INVITE\r\n\r\n";
	static const char two[] = "SIP/2.0 20 OK\r\n" BASE_HDRS "CSeq: 1 INVITE\r\n\r\n";

	ASSERT_ENUM(SIP_ERR_START_LINE, PARSE(big));
	ASSERT_FALSE(msg.can_reply);
	ASSERT_ENUM(SIP_ERR_START_LINE, PARSE(low));
	ASSERT_ENUM(SIP_ERR_START_LINE, PARSE(two));
}

TEST(folding_and_compact_forms)
{
	static const char text[] =
		"OPTIONS sip:x@example.com SIP/2.0\r\n"
		"v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n"
		"  branch  =   z9hG4bK9ikj8  ,\r\n"
		" SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n"
		" z9hG4bK30239\r\n"
		"t :\r\n sip:bob@example.com ;   tag    = 1918181833n\r\n"
		"f: \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n"
		"  ;\r\n  tag = 98asjd8\r\n"
		"i: fold.test@192.0.2.1\r\n"
		"cseq: 0009\r\n  OPTIONS\r\n"
		"MaX-fOrWaRdS: 0068\r\n"
		"l: 0\r\n"
		"NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n"
		"\r\n";
	const struct sip_hdr *h;
	struct sip_iter it;
	struct sip_via via;

	ASSERT_ENUM(SIP_OK, PARSE(text));
	ASSERT_EQ(2u, msg.nvia);
	ASSERT_VIEW(msg.via.transport, "TCP");
	ASSERT_VIEW(msg.via.host, "spindle.example.com");
	ASSERT_VIEW(msg.via.branch, "z9hG4bK9ikj8");
	sip_iter_init(&it, &msg, SIP_HDR_VIA);
	ASSERT_EQ(1, sip_iter_via(&it, &via));
	ASSERT_EQ(1, sip_iter_via(&it, &via));
	ASSERT_VIEW(via.host, "192.168.255.111");
	ASSERT_ENUM(SIP_HOST_IPV4, via.host_type);
	ASSERT_VIEW(via.branch, "z9hG4bK30239");
	ASSERT_EQ(0, sip_iter_via(&it, &via));
	ASSERT_FALSE(msg.to.angle);
	ASSERT_VIEW(msg.to.tag, "1918181833n");
	ASSERT_VIEW(msg.to.uri.user, "bob");
	ASSERT_VIEW(msg.from.display, "\"J Rosenberg \\\\\\\"\"");
	ASSERT_VIEW(msg.from.tag, "98asjd8");
	ASSERT_EQ(9u, msg.cseq.number);
	ASSERT_EQ(68, msg.max_forwards);
	ASSERT_EQ(0, msg.content_length);
	h = sip_msg_hdr_by_name(&msg, "newfangledheader");
	ASSERT_NE(NULL, h);
	ASSERT_ENUM(SIP_HDR_OTHER, h->type);
	ASSERT_VIEW(h->value, "newfangled value\r\n continued newfangled value");
	ASSERT_EQ(&msg.hdrs[0], sip_msg_hdr_by_name(&msg, "Via"));
	ASSERT_EQ(&msg.hdrs[3], sip_msg_hdr_by_name(&msg, "Call-ID"));
}

TEST(compact_names_map_to_types)
{
	static const struct { const char *name; enum sip_hdr_type type; } map[] = {
		{ "i", SIP_HDR_CALL_ID }, { "m", SIP_HDR_CONTACT },
		{ "e", SIP_HDR_CONTENT_ENCODING }, { "l", SIP_HDR_CONTENT_LENGTH },
		{ "c", SIP_HDR_CONTENT_TYPE }, { "f", SIP_HDR_FROM }, { "s", SIP_HDR_SUBJECT },
		{ "k", SIP_HDR_SUPPORTED }, { "t", SIP_HDR_TO }, { "v", SIP_HDR_VIA },
		{ "o", SIP_HDR_EVENT }, { "u", SIP_HDR_ALLOW_EVENTS }, { "r", SIP_HDR_REFER_TO },
		{ "b", SIP_HDR_REFERRED_BY }, { "x", SIP_HDR_SESSION_EXPIRES },
		{ "y", SIP_HDR_IDENTITY }, { "a", SIP_HDR_ACCEPT_CONTACT },
		{ "j", SIP_HDR_REJECT_CONTACT }, { "d", SIP_HDR_REQUEST_DISPOSITION },
		{ "I", SIP_HDR_CALL_ID }, { "g", SIP_HDR_OTHER }, { "z", SIP_HDR_OTHER },
		{ "CALL-id", SIP_HDR_CALL_ID }, { "Record-Route", SIP_HDR_RECORD_ROUTE },
		{ "Via2", SIP_HDR_OTHER }, { "1", SIP_HDR_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ASSERT_EQ(map[i].type,
			  sip_hdr_lookup(sip_str_make(map[i].name, strlen(map[i].name))));
}

TEST(multi_value_lists_with_commas_inside)
{
	static const char text[] =
		"REGISTER sip:example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 2 REGISTER\r\n"
		"Contact: \"Doe, John\" <sip:j,d@a.example.com;x=1>;q=0.7;expires=3600,\r\n"
		"  sip:jd@b.example.com;q=1.0\r\n"
		"m: <sip:jd@c.example.com>\r\n"
		"Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
		"Require: 100rel, timer\r\n"
		"Supported:\r\n"
		"\r\n";
	struct sip_addr a;
	struct sip_iter it;
	struct sip_str tok;

	ASSERT_ENUM(SIP_OK, PARSE(text));
	ASSERT_EQ(3u, msg.ncontact);
	sip_iter_init(&it, &msg, SIP_HDR_CONTACT);
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_VIEW(a.display, "\"Doe, John\"");
	ASSERT_VIEW(a.uri_text, "sip:j,d@a.example.com;x=1");
	ASSERT_VIEW(a.q, "0.7");
	ASSERT_EQ(3600, a.expires);
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_FALSE(a.angle);
	ASSERT_VIEW(a.uri.host, "b.example.com");
	ASSERT_VIEW(a.q, "1.0");
	ASSERT_EQ(-1, a.expires);
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_VIEW(a.uri.host, "c.example.com");
	ASSERT_EQ(0, sip_iter_addr(&it, &a));
	sip_iter_init(&it, &msg, SIP_HDR_ROUTE);
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_TRUE(a.uri.lr);
	ASSERT_VIEW(a.uri.host, "p1.example.com");
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_VIEW(a.uri.host, "p2.example.com");
	ASSERT_EQ(0, sip_iter_addr(&it, &a));
	sip_iter_init(&it, &msg, SIP_HDR_REQUIRE);
	ASSERT_EQ(1, sip_iter_token(&it, &tok));
	ASSERT_VIEW(tok, "100rel");
	ASSERT_EQ(1, sip_iter_token(&it, &tok));
	ASSERT_VIEW(tok, "timer");
	ASSERT_EQ(0, sip_iter_token(&it, &tok));
	sip_iter_init(&it, &msg, SIP_HDR_SUPPORTED);
	ASSERT_EQ(0, sip_iter_token(&it, &tok));
}

TEST(contact_star)
{
	static const char ok[] =
		"REGISTER sip:example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\n\r\n";
	static const char mixed[] =
		"REGISTER sip:example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 2 REGISTER\r\nContact: *\r\nContact: <sip:a@b.example.com>\r\n\r\n";

	ASSERT_ENUM(SIP_OK, PARSE(ok));
	ASSERT_TRUE(msg.contact_star);
	ASSERT_EQ(0u, msg.ncontact);
	ASSERT_EQ(0, msg.expires);
	ASSERT_ENUM(SIP_ERR_BAD_HEADER, PARSE(mixed));
	ASSERT_ENUM(SIP_HDR_CONTACT, msg.err_hdr);
	ASSERT_TRUE(msg.can_reply);
}

TEST(via_parameters)
{
	static const char text[] =
		"OPTIONS sip:x@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/TLS [2001:db8::1]:5061;rport;received=2001:db8::9;ttl=16;"
		"maddr=[2001:db8::7];branch=z9hG4bKx;foo=\"bar\"\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;rport=5070;received=192.0.2.99\r\n"
		"Max-Forwards: 70\r\nTo: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
	struct sip_iter it;
	struct sip_via v;

	ASSERT_ENUM(SIP_OK, PARSE(text));
	ASSERT_VIEW(msg.via.host, "2001:db8::1");
	ASSERT_ENUM(SIP_HOST_IPV6, msg.via.host_type);
	ASSERT_EQ(5061, msg.via.port);
	ASSERT_TRUE(msg.via.rport);
	ASSERT_EQ(-1, msg.via.rport_value);
	ASSERT_VIEW(msg.via.received, "2001:db8::9");
	ASSERT_EQ(16, msg.via.ttl);
	ASSERT_VIEW(msg.via.maddr, "[2001:db8::7]");
	ASSERT_VIEW(msg.via.branch, "z9hG4bKx");
	sip_iter_init(&it, &msg, SIP_HDR_VIA);
	ASSERT_EQ(1, sip_iter_via(&it, &v));
	ASSERT_EQ(1, sip_iter_via(&it, &v));
	ASSERT_EQ(5070, v.rport_value);
	ASSERT_EQ(5060, v.port);
	ASSERT_VIEW(v.received, "192.0.2.99");
	ASSERT_EQ(-1, v.ttl);
}

/* One mandatory field or value at a time, each with its exact error. */
struct bad_case {
	const char *name;
	const char *text;
	enum sip_err err;
	enum sip_hdr_type hdr;
	bool can_reply;
	const char *reason;
};

#define REQ(extra) "INVITE sip:bob@example.com SIP/2.0\r\n" BASE_HDRS extra
#define CSEQ "CSeq: 1 INVITE\r\n"

static const struct bad_case bad_cases[] = {
	{ "bad cseq number", REQ("CSeq: x INVITE\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CSEQ, false, "Bad CSeq" },
	{ "cseq 2^31", REQ("CSeq: 2147483648 INVITE\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CSEQ, false, "Bad CSeq" },
	{ "cseq no method", REQ("CSeq: 1\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CSEQ, false, "Bad CSeq" },
	{ "cseq mismatch", REQ("CSeq: 1 OPTIONS\r\n\r\n"), SIP_ERR_CSEQ_METHOD, SIP_HDR_CSEQ, true, "CSeq method mismatch" },
	{ "cseq case", REQ("CSeq: 1 invite\r\n\r\n"), SIP_ERR_CSEQ_METHOD, SIP_HDR_CSEQ, true, "CSeq method mismatch" },
	{ "missing call-id",
	  "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n" CSEQ "\r\n",
	  SIP_ERR_MISSING_HEADER, SIP_HDR_CALL_ID, false, "Missing Call-ID" },
	{ "missing via",
	  "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\n"
	  "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n" CSEQ "\r\n",
	  SIP_ERR_MISSING_HEADER, SIP_HDR_VIA, false, "Missing Via" },
	{ "duplicate to", REQ(CSEQ "t: <sip:c@example.com>\r\n\r\n"), SIP_ERR_DUPLICATE_HEADER, SIP_HDR_TO, true, "Duplicate To header" },
	{ "duplicate call-id", REQ(CSEQ "i: other\r\n\r\n"), SIP_ERR_DUPLICATE_HEADER, SIP_HDR_CALL_ID, true, "Duplicate Call-ID header" },
	{ "duplicate content-length", REQ(CSEQ "Content-Length: 0\r\nl: 0\r\n\r\n"), SIP_ERR_DUPLICATE_HEADER, SIP_HDR_CONTENT_LENGTH, true, "Duplicate Content-Length header" },
	{ "negative content-length", REQ(CSEQ "Content-Length: -999\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CONTENT_LENGTH, true, "Bad Content-Length" },
	{ "content-length past body", REQ(CSEQ "Content-Length: 10\r\n\r\nabc"), SIP_ERR_BODY_TRUNCATED, SIP_HDR_CONTENT_LENGTH, true, "Content-Length mismatch" },
	{ "duplicate max-forwards", REQ(CSEQ "Max-Forwards: 70\r\n\r\n"), SIP_ERR_DUPLICATE_HEADER, SIP_HDR_MAX_FORWARDS, true, "Duplicate Max-Forwards header" },
	{ "max-forwards 256", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: x\r\n" CSEQ "Max-Forwards: 256\r\n\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_MAX_FORWARDS, true, "Bad Max-Forwards" },
	{ "expires overflow", REQ(CSEQ "Expires: 4294967296\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_EXPIRES, true, "Bad Expires" },
	{ "bad via", REQ(CSEQ "Via: SIP/2.0/UDP\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_VIA, true, "Bad Via" },
	{ "via bad host", REQ(CSEQ "Via: SIP/2.0/UDP host_1.example.com\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_VIA, true, "Bad Via" },
	{ "via empty entry", REQ(CSEQ "Via: SIP/2.0/UDP a.example.com,,SIP/2.0/UDP b.example.com\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_VIA, true, "Bad Via" },
	{ "via duplicate branch", REQ(CSEQ "Via: SIP/2.0/UDP a.example.com;branch=1;branch=2\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_VIA, true, "Bad Via" },
	{ "from two tags", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1;tag=2\r\nCall-ID: x\r\n" CSEQ "\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_FROM, false, "Bad From" },
	{ "unquoted comma in display name", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: <sip:b@example.com>\r\nFrom: Bell, Alexander <sip:a.g.bell@example.com>;tag=43\r\nCall-ID: x\r\n" CSEQ "\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_FROM, false, "Bad From" },
	{ "unterminated quote", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: \"Mr. J. User <sip:j.user@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: x\r\n" CSEQ "\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_TO, false, "Bad To" },
	{ "spaces in addr-spec", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: \"Watson, Thomas\" < sip:t.watson@example.org >\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: x\r\n" CSEQ "\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_TO, false, "Bad To" },
	{ "contact addr-spec with headers", REQ(CSEQ "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n\r\n"),
	  SIP_ERR_BAD_HEADER, SIP_HDR_CONTACT, true, "Bad Contact" },
	{ "route addr-spec", REQ(CSEQ "Route: sip:p.example.com;lr\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_ROUTE, true, "Bad Route" },
	{ "require empty", REQ(CSEQ "Require:\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_REQUIRE, true, "Bad Require" },
	{ "contact q 1.5", REQ(CSEQ "Contact: <sip:a@example.com>;q=1.5\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CONTACT, true, "Bad Contact" },
	{ "bad content-type", REQ(CSEQ "Content-Type: application\r\n\r\n"), SIP_ERR_BAD_HEADER, SIP_HDR_CONTENT_TYPE, true, "Bad Content-Type" },
	{ "bad call-id", "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com\r\n"
	  "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: a b\r\n" CSEQ "\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_CALL_ID, false, "Bad Call-ID" },
	{ "ltgt request-uri", "INVITE <sip:user@example.com> SIP/2.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_REQUEST_URI, SIP_HDR_OTHER, true, "Invalid Request-URI" },
	{ "escaped headers in request-uri", "INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_REQUEST_URI, SIP_HDR_OTHER, true, "Invalid Request-URI" },
	{ "unknown scheme", "INVITE nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_URI_SCHEME, SIP_HDR_OTHER, true, "Unsupported URI Scheme" },
	{ "double spaces", "INVITE  sip:user@example.com  SIP/2.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_START_LINE, SIP_HDR_OTHER, true, "Bad start line" },
	{ "trailing spaces", "INVITE sip:user@example.com SIP/2.0  \r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_START_LINE, SIP_HDR_OTHER, true, "Bad start line" },
	{ "no method", " sip:user@example.com SIP/2.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_START_LINE, SIP_HDR_OTHER, false, "Bad start line" },
	{ "version 7.0", "INVITE sip:user@example.com SIP/7.0\r\n" BASE_HDRS CSEQ "\r\n",
	  SIP_ERR_VERSION, SIP_HDR_OTHER, true, "Version Not Supported" },
	{ "header without colon", REQ(CSEQ "NoColonHere\r\n\r\n"), SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER, true, "Bad header field" },
	{ "bare lf", REQ(CSEQ "X-Lf: a\nb\r\n\r\n"), SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER, true, "Bad header field" },
	{ "no empty line", REQ(CSEQ), SIP_ERR_TRUNCATED, SIP_HDR_OTHER, false, "Truncated message" },
	{ "ack is never answered", "ACK sip:bob@example.com SIP/2.0\r\n" BASE_HDRS "CSeq: x ACK\r\n\r\n",
	  SIP_ERR_BAD_HEADER, SIP_HDR_CSEQ, false, "Bad CSeq" },
};

TEST(bad_messages)
{
	char reason[64];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		size_t len = strlen(c->text);

		TH_LOG("case %s", c->name);
		ASSERT_ENUM(c->err, sip_msg_parse(&msg, c->text, len, SIP_DATAGRAM));
		ASSERT_ENUM(c->hdr, msg.err_hdr);
		ASSERT_EQ(c->can_reply, msg.can_reply);
		sip_err_reason(&msg, reason, sizeof(reason));
		ASSERT_STREQ(c->reason, reason);
	}
}

/* A raw NUL is no header byte; an escaped one (%00) in a URI is fine. */
TEST(nul_bytes)
{
	static const char raw[] = REQ(CSEQ "X-Nul: a\0b\r\n\r\n");
	static const char escaped[] = REQ(CSEQ "Contact: <sip:%00@example.com>\r\n\r\n");

	ASSERT_ENUM(SIP_ERR_HEADER_SYNTAX, PARSE(raw));
	ASSERT_TRUE(msg.can_reply);
	ASSERT_ENUM(SIP_OK, PARSE(escaped));
	ASSERT_EQ(1u, msg.ncontact);
}

TEST(error_status_codes)
{
	ASSERT_EQ(400, sip_err_status(SIP_ERR_BAD_HEADER));
	ASSERT_EQ(505, sip_err_status(SIP_ERR_VERSION));
	ASSERT_EQ(416, sip_err_status(SIP_ERR_URI_SCHEME));
	ASSERT_EQ(513, sip_err_status(SIP_ERR_TOO_LARGE));
}

TEST(datagram_framing)
{
	static const char extra[] =
		"OPTIONS sip:x@example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
		"OPTIONS sip:y@example.com SIP/2.0\r\n";
	static const char nocl[] =
		"MESSAGE sip:x@example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 1 MESSAGE\r\n\r\nhello";
	static const char leading[] =
		"\r\n\r\nOPTIONS sip:x@example.com SIP/2.0\r\n" BASE_HDRS
		"CSeq: 1 OPTIONS\r\n\r\n";

	ASSERT_ENUM(SIP_OK, PARSE(extra));
	ASSERT_EQ(0u, msg.body.len);
	ASSERT_EQ(sizeof(extra) - 1 - strlen("OPTIONS sip:y@example.com SIP/2.0\r\n"), msg.data.len);
	ASSERT_ENUM(SIP_OK, PARSE(nocl));
	ASSERT_VIEW(msg.body, "hello");
	ASSERT_ENUM(SIP_OK, PARSE(leading));
	ASSERT_EQ(leading + 4, msg.data.s);
	ASSERT_ENUM(SIP_ERR_MISSING_HEADER, sip_msg_parse(&msg, nocl, sizeof(nocl) - 1, SIP_STREAM));
	ASSERT_ENUM(SIP_HDR_CONTENT_LENGTH, msg.err_hdr);
}

TEST(limits)
{
	static char buf[SIP_MAX_MSG_SIZE + 2];
	static const char head[] = "OPTIONS sip:x@example.com SIP/2.0\r\n" BASE_HDRS
				   "CSeq: 1 OPTIONS\r\n";
	size_t n, i;

	/* SIP_MAX_HEADERS fields pass, one more fails. */
	for (i = SIP_MAX_HEADERS - 6; i <= SIP_MAX_HEADERS - 5; i++) {
		size_t k;

		n = (size_t)sprintf(buf, "%s", head);
		for (k = 0; k < i; k++)
			n += (size_t)sprintf(buf + n, "X-H: %zu\r\n", k);
		n += (size_t)sprintf(buf + n, "\r\n");
		ASSERT_ENUM(i == SIP_MAX_HEADERS - 6 ? SIP_OK : SIP_ERR_TOO_MANY_HEADERS,
			  sip_msg_parse(&msg, buf, n, SIP_DATAGRAM));
	}
	ASSERT_ENUM(SIP_MAX_HEADERS, msg.nhdrs);

	/* A field of exactly SIP_MAX_LINE_LEN bytes passes, one byte more fails. */
	for (i = 0; i < 2; i++) {
		size_t fill = SIP_MAX_LINE_LEN - strlen("X-Long: \r\n") + i;

		n = (size_t)sprintf(buf, "%sX-Long: ", head);
		memset(buf + n, 'a', fill);
		n += fill;
		n += (size_t)sprintf(buf + n, "\r\n\r\n");
		ASSERT_ENUM(i ? SIP_ERR_LINE_TOO_LONG : SIP_OK,
			  sip_msg_parse(&msg, buf, n, SIP_DATAGRAM));
	}

	/* SIP_MAX_VIA entries pass, one more fails. */
	for (i = SIP_MAX_VIA; i <= SIP_MAX_VIA + 1; i++) {
		size_t k;

		n = (size_t)sprintf(buf, "%s", head);
		for (k = 1; k < i; k++)
			n += (size_t)sprintf(buf + n, "Via: SIP/2.0/UDP h%zu.example.com\r\n", k);
		n += (size_t)sprintf(buf + n, "\r\n");
		ASSERT_ENUM(i == SIP_MAX_VIA ? SIP_OK : SIP_ERR_TOO_MANY_VIAS,
			  sip_msg_parse(&msg, buf, n, SIP_DATAGRAM));
	}

	/* SIP_MAX_MSG_SIZE bytes pass, one more fails before anything is read. */
	n = (size_t)sprintf(buf, "MESSAGE sip:x@example.com SIP/2.0\r\n" BASE_HDRS
			    "CSeq: 1 MESSAGE\r\n\r\n");
	memset(buf + n, 'b', sizeof(buf) - n);
	ASSERT_ENUM(SIP_OK, sip_msg_parse(&msg, buf, SIP_MAX_MSG_SIZE, SIP_DATAGRAM));
	ASSERT_ENUM(SIP_MAX_MSG_SIZE - n, msg.body.len);
	ASSERT_ENUM(SIP_ERR_TOO_LARGE, sip_msg_parse(&msg, buf, SIP_MAX_MSG_SIZE + 1, SIP_DATAGRAM));
	ASSERT_FALSE(msg.can_reply);
}

TEST_HARNESS_MAIN
