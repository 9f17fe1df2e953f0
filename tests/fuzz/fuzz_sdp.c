// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the SDP parser and rewriter. Any input either fails
 * to parse with a message, or parses; then the anchored rewrite either
 * fails with a message, or yields a body that parses again with the same
 * streams, every relayed stream pointing at its relay, and that rewrites
 * to itself (the rewrite is a fixed point).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/sdp_rewrite.h"

static struct sdp_session first, again;
static char out[SDP_MAX_BODY], out2[SDP_MAX_BODY];

static void check_message(const struct sdp_error *err)
{
	if (!err->code || !memchr(err->msg, '\0', sizeof(err->msg)) ||
	    !err->msg[0])
		abort();
}

/* The relays depend on the input size so both families get exercised. */
static void make_rewrite(struct sdp_rewrite *rw, size_t size)
{
	unsigned int i;

	memset(rw, 0, sizeof(*rw));
	rw->origin.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.1", &rw->origin.v4);
	rw->version = size * 7919;
	for (i = 0; i < SDP_MAX_MEDIA; i++) {
		struct sdp_relay *r = &rw->relay[i];

		if ((size + i) & 1) {
			r->addr.family = AF_INET6;
			inet_pton(AF_INET6, "2001:db8::1", &r->addr.v6);
		} else {
			r->addr = rw->origin;
		}
		r->port = 30000 + 2 * i;
	}
}

static bool same_addr(const struct sdp_addr *a, const struct sdp_addr *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? a->v4.s_addr == b->v4.s_addr :
	       !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

static void check_streams(const struct sdp_rewrite *rw)
{
	unsigned int i;

	if (again.n_media != first.n_media ||
	    again.origin.version != rw->version)
		abort();
	for (i = 0; i < first.n_media; i++) {
		const struct sdp_stream *a = &first.media[i].s;
		const struct sdp_stream *b = &again.media[i].s;

		if (a->type != b->type || a->rejected != b->rejected ||
		    a->n_fmt != b->n_fmt || a->direction != b->direction ||
		    a->addr_unspecified != b->addr_unspecified)
			abort();
		if (a->rejected)
			continue;
		if (b->port != rw->relay[i].port)
			abort();
		if (!b->addr_unspecified &&
		    !same_addr(&b->addr, &rw->relay[i].addr))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdp_rewrite rw;
	struct sdp_error err;
	size_t len, len2;

	if (sdp_session_parse(&first, (const char *)data, size, &err)) {
		check_message(&err);
		return 0;
	}
	make_rewrite(&rw, size);
	if (sdp_rewrite_body(&first, &rw, out, sizeof(out), &len, &err)) {
		check_message(&err);
		return 0;
	}
	if (sdp_session_parse(&again, out, len, &err))
		abort();
	check_streams(&rw);
	if (sdp_rewrite_body(&again, &rw, out2, sizeof(out2), &len2, &err) ||
	    len2 != len || memcmp(out, out2, len))
		abort();
	return 0;
}
