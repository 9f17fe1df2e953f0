// SPDX-License-Identifier: GPL-2.0
/*
 * A response generated here rather than forwarded (RFC 3261 8.2.6): 100
 * Trying, 400 for what the parser rejected, 4xx of the proxy core.
 */
#include <errno.h>

#include "sip_out.h"
#include "sip_reply.h"

static void copy_vias(struct sip_out *o, const struct sip_msg *req)
{
	const struct sip_hdr *h;

	for (h = sip_msg_hdr(req, SIP_HDR_VIA); h; h = sip_msg_hdr_next(req, h))
		sip_out_str(o, h->line);
}

/* The first field only: a duplicate is what a 400 may be complaining about. */
static void copy_first(struct sip_out *o, const struct sip_msg *req, enum sip_hdr_type type)
{
	sip_out_str(o, sip_msg_hdr(req, type)->line);
}

/*
 * To as received; a tag added when it has none and the response is not
 * 100 (8.2.6.2). The field is copied as written, so the tag goes after the
 * value's last byte.
 */
static void copy_to(struct sip_out *o, const struct sip_msg *req, int status,
		    struct sip_str to_tag)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_TO);

	if (status == 100 || sip_str_present(req->to.tag) || !to_tag.len) {
		sip_out_str(o, h->line);
		return;
	}
	sip_out_str(o, sip_str_span(h->line.s, h->value.s + h->value.len));
	sip_out_cstr(o, ";tag=");
	sip_out_str(o, to_tag);
	sip_out_put(o, "\r\n", 2);
}

/*
 * Builds a response to req into out: status line, every Via field, From,
 * To (tagged with to_tag unless already tagged or status is 100), Call-ID,
 * CSeq, Timestamp on 100 (8.2.6.1), then extra (whole header lines, each
 * ending in CRLF, or empty) and Content-Length: 0.
 *
 * req must be a request that parsed, or failed with can_reply set.
 * Returns 0 with *len set, -EINVAL for a request that cannot be answered
 * or bad arguments, -ENOSPC when out is too small.
 */
int sip_reply_build(const struct sip_msg *req, int status, const char *reason,
		    struct sip_str to_tag, struct sip_str extra,
		    char *out, size_t cap, size_t *len)
{
	struct sip_str r = sip_str_make(reason, strlen(reason));
	const struct sip_hdr *ts;
	struct sip_out o;

	if (!req->request || (req->err != SIP_OK && !req->can_reply) ||
	    req->method_id == SIP_METHOD_ACK || status < 100 || status > 699 ||
	    !sip_out_safe_value(r) || (to_tag.len && !sip_str_is_token(to_tag)))
		return -EINVAL;
	if (extra.len && (extra.len < 2 || memcmp(extra.s + extra.len - 2, "\r\n", 2)))
		return -EINVAL;
	sip_out_init(&o, out, cap);
	sip_out_cstr(&o, "SIP/2.0 ");
	sip_out_uint(&o, (uint64_t)status);
	sip_out_put(&o, " ", 1);
	sip_out_str(&o, r);
	sip_out_put(&o, "\r\n", 2);
	copy_vias(&o, req);
	copy_first(&o, req, SIP_HDR_FROM);
	copy_to(&o, req, status, to_tag);
	copy_first(&o, req, SIP_HDR_CALL_ID);
	copy_first(&o, req, SIP_HDR_CSEQ);
	ts = sip_msg_hdr_by_name(req, "Timestamp");
	if (status == 100 && ts)
		sip_out_str(&o, ts->line);
	sip_out_str(&o, extra);
	sip_out_cstr(&o, "Content-Length: 0\r\n\r\n");
	if (o.overflow)
		return -ENOSPC;
	*len = o.len;
	return 0;
}
