// SPDX-License-Identifier: GPL-2.0
/*
 * Requests a client transaction derives from the one it sent: the ACK of
 * a non-2xx final response (RFC 3261 17.1.1.3) and the CANCEL of a
 * pending INVITE (9.1). Both carry the INVITE's Request-URI, top Via
 * (same branch), Route set, From, Call-ID and CSeq number; so does the
 * INVITE's stub, what a restarted proxy keeps of a copy it forwarded to
 * derive them again (txn_client_resume()).
 */
#include <errno.h>

#include "sip_out.h"
#include "txn_build.h"

static void put_line(struct sip_out *o, const char *name, struct sip_str value)
{
	sip_out_cstr(o, name);
	sip_out_cstr(o, ": ");
	sip_out_str(o, value);
	sip_out_put(o, "\r\n", 2);
}

static int build(const struct sip_msg *req, const char *method, struct sip_str to, char *out,
		 size_t cap, size_t *len)
{
	const struct sip_hdr *h;
	struct sip_out o;

	sip_out_init(&o, out, cap);
	sip_out_cstr(&o, method);
	sip_out_put(&o, " ", 1);
	sip_out_str(&o, req->ruri.raw);
	sip_out_cstr(&o, " SIP/2.0\r\n");
	put_line(&o, "Via", req->via.raw);
	for (h = sip_msg_hdr(req, SIP_HDR_ROUTE); h; h = sip_msg_hdr_next(req, h))
		put_line(&o, "Route", h->value);
	sip_out_cstr(&o, "Max-Forwards: 70\r\n");
	put_line(&o, "From", sip_msg_hdr(req, SIP_HDR_FROM)->value);
	put_line(&o, "To", to);
	put_line(&o, "Call-ID", req->call_id);
	sip_out_cstr(&o, "CSeq: ");
	sip_out_uint(&o, req->cseq.number);
	sip_out_put(&o, " ", 1);
	sip_out_cstr(&o, method);
	sip_out_cstr(&o, "\r\nContent-Length: 0\r\n\r\n");
	if (o.overflow)
		return -ENOSPC;
	*len = o.len;
	return 0;
}

/* The ACK of @resp, a non-2xx final to the INVITE @req: To comes from @resp (its tag). */
int txn_build_ack(const struct sip_msg *req, const struct sip_msg *resp, char *out, size_t cap,
		  size_t *len)
{
	return build(req, "ACK", sip_msg_hdr(resp, SIP_HDR_TO)->value, out, cap, len);
}

/* The CANCEL of the INVITE @req: To as in the request. */
int txn_build_cancel(const struct sip_msg *req, char *out, size_t cap, size_t *len)
{
	return build(req, "CANCEL", sip_msg_hdr(req, SIP_HDR_TO)->value, out, cap, len);
}

/* The INVITE @req without its body and other headers: all its CANCEL and ACK need. */
int txn_build_stub(const struct sip_msg *req, char *out, size_t cap, size_t *len)
{
	return build(req, "INVITE", sip_msg_hdr(req, SIP_HDR_TO)->value, out, cap, len);
}
