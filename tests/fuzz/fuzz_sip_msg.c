// SPDX-License-Identifier: GPL-2.0
/*
 * sip_msg_parse() on anything, then for what it accepts: every list walked,
 * a proxy's rewrite applied, and the rewritten message must parse again
 * with the edits visible. For what it rejects with can_reply, the 400 must
 * build. sip_frame() sees the same bytes as a stream.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sipproxyd/sip_frame.h"
#include "sipproxyd/sip_reply.h"
#include "sipproxyd/sip_rewrite.h"

static struct sip_msg msg, again;
static char out[SIP_MAX_MSG_SIZE * 2];

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void walk_lists(void)
{
	static const enum sip_hdr_type addrs[] = { SIP_HDR_CONTACT, SIP_HDR_ROUTE, SIP_HDR_RECORD_ROUTE };
	struct sip_addr addr;
	struct sip_via via;
	struct sip_iter it;
	struct sip_str tok;
	unsigned int n = 0;
	size_t i;

	sip_iter_init(&it, &msg, SIP_HDR_VIA);
	while (sip_iter_via(&it, &via) == 1)
		n++;
	CHECK(n == msg.nvia);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (addrs[i] == SIP_HDR_CONTACT && msg.contact_star)
			continue;
		sip_iter_init(&it, &msg, addrs[i]);
		while (sip_iter_addr(&it, &addr) == 1)
			;
		CHECK(sip_iter_addr(&it, &addr) == 0);
	}
	sip_iter_init(&it, &msg, SIP_HDR_REQUIRE);
	while (sip_iter_token(&it, &tok) == 1)
		;
	CHECK(sip_iter_token(&it, &tok) == 0);
}

static void rewrite_and_reparse(void)
{
	struct sip_rewrite rw = { .set_body = true, .body = SIP_STR("fuzz") };
	bool add_via = msg.nvia < SIP_MAX_VIA && msg.nhdrs < SIP_MAX_HEADERS - 2;
	bool pop_route = msg.first[SIP_HDR_ROUTE] != 0;
	bool adds_length = !msg.first[SIP_HDR_CONTENT_LENGTH];
	size_t len;

	if (add_via)
		sip_rewrite_add(&rw, SIP_EDIT_PREPEND, SIP_HDR_VIA,
				SIP_STR("SIP/2.0/UDP fuzz.example.com;branch=z9hG4bKfuzz"));
	if (pop_route)
		sip_rewrite_add(&rw, SIP_EDIT_POP, SIP_HDR_ROUTE, SIP_STR_NONE);
	if (msg.request) {
		rw.ruri = SIP_STR("sip:fuzz.example.com");
		rw.dec_max_forwards = msg.max_forwards > 0;
	}
	CHECK(sip_rewrite(&msg, &rw, out, sizeof(out), &len) == 0);
	/* Only what fits our own limits must parse again: a datagram without
	 * Content-Length at the header limit gains one. */
	if (len > SIP_MAX_MSG_SIZE || msg.nhdrs + add_via + adds_length > SIP_MAX_HEADERS)
		return;
	CHECK(sip_msg_parse(&again, out, len, SIP_STREAM) == SIP_OK);
	CHECK(again.nvia == msg.nvia + add_via);
	CHECK(again.body.len == 4 && !memcmp(again.body.s, "fuzz", 4));
	CHECK(again.cseq.number == msg.cseq.number);
	CHECK(sip_str_eq(again.call_id, msg.call_id));
	if (msg.request && rw.dec_max_forwards)
		CHECK(again.max_forwards == msg.max_forwards - 1);
	if (msg.request)
		CHECK(sip_str_eq(again.ruri.raw, rw.ruri));
}

static void reply(void)
{
	char reason[64];
	size_t len;

	sip_err_reason(&msg, reason, sizeof(reason));
	CHECK(sip_reply_build(&msg, sip_err_status(msg.err), reason, SIP_STR("t"),
			      SIP_STR(""), out, sizeof(out), &len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	enum sip_err err;
	size_t len;

	if (sip_frame(buf, size, &len, &err) == SIP_FRAME_MESSAGE) {
		CHECK(len <= size);
		sip_msg_parse(&again, buf, len, SIP_STREAM);
	}
	if (sip_msg_parse(&msg, buf, size, SIP_DATAGRAM) != SIP_OK) {
		if (msg.can_reply)
			reply();
		return 0;
	}
	CHECK(msg.data.s >= buf && msg.data.s + msg.data.len <= buf + size);
	walk_lists();
	rewrite_and_reparse();
	return 0;
}
