// SPDX-License-Identifier: GPL-2.0
/*
 * A response generated here (100 Trying, 4xx, 503) carries the received
 * and rport parameters on its top Via exactly as a forwarded one does
 * (RFC 3261 18.2.1, RFC 3581 4): the client behind a NAT learns its
 * public address from either, and tools that match responses by their
 * Via see the same thing whoever answered.
 */
#include <errno.h>
#include <string.h>

#include "proxy_via.h"
#include "sip_reply.h"
#include "txn_reply.h"

/*
 * sip_reply_build() copies the request's Via fields verbatim right after
 * the status line, so the request's top Via entry sits at a known offset
 * of @out: swap it for @via.
 */
static void replace_top_via(const struct sip_msg *req, const char *via, char *out, size_t cap,
			   size_t *len)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_VIA);
	size_t vlen = strlen(via), at, tail;
	const char *eol = memchr(out, '\n', *len);

	at = (size_t)(eol + 1 - out) + (size_t)(req->via.raw.s - h->line.s);
	if (*len - req->via.raw.len + vlen > cap)
		return;
	tail = *len - at - req->via.raw.len;
	memmove(out + at + vlen, out + at + req->via.raw.len, tail);
	memcpy(out + at, via, vlen);
	*len = *len - req->via.raw.len + vlen;
}

/**
 * txn_reply_build - sip_reply_build() for a request that came from @src
 *
 * A top Via that cannot take the parameters (over PROXY_HDR_MAX with
 * them, or @out too small) goes back as received: the response still
 * goes to @src, and an answer without them beats none.
 *
 * Return: 0 with *len set, or sip_reply_build()'s errors.
 */
int txn_reply_build(const struct sip_msg *req, const struct tp_addr *src, int status,
		    const char *reason, struct sip_str to_tag, struct sip_str extra, char *out,
		    size_t cap, size_t *len)
{
	char via[PROXY_HDR_MAX];
	bool changed;
	int err;

	err = sip_reply_build(req, status, reason, to_tag, extra, out, cap, len);
	if (err)
		return err;
	if (!proxy_via_received(req, src, via, sizeof(via), &changed) && changed)
		replace_top_via(req, via, out, cap, len);
	return 0;
}
