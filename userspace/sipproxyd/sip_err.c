// SPDX-License-Identifier: GPL-2.0
/* What a parse error means on the wire: the status code and reason phrase. */
#include <stdio.h>

#include "sip_msg.h"

/* The status code answering a request that failed with err. */
int sip_err_status(enum sip_err err)
{
	switch (err) {
	case SIP_OK:
		return 0;
	case SIP_ERR_TOO_LARGE:
		return 513;
	case SIP_ERR_VERSION:
		return 505;
	case SIP_ERR_URI_SCHEME:
		return 416;
	default:
		return 400;
	}
}

static const char *const fixed[] = {
	[SIP_OK] = "OK",
	[SIP_ERR_TOO_LARGE] = "Message Too Large",
	[SIP_ERR_TRUNCATED] = "Truncated message",
	[SIP_ERR_START_LINE] = "Bad start line",
	[SIP_ERR_VERSION] = "Version Not Supported",
	[SIP_ERR_REQUEST_URI] = "Invalid Request-URI",
	[SIP_ERR_URI_SCHEME] = "Unsupported URI Scheme",
	[SIP_ERR_HEADER_SYNTAX] = "Bad header field",
	[SIP_ERR_LINE_TOO_LONG] = "Header field too long",
	[SIP_ERR_TOO_MANY_HEADERS] = "Too many header fields",
	[SIP_ERR_TOO_MANY_VIAS] = "Too many Via entries",
	[SIP_ERR_CSEQ_METHOD] = "CSeq method mismatch",
	[SIP_ERR_BODY_TRUNCATED] = "Content-Length mismatch",
};

/*
 * Writes the reason phrase for msg's error ("Bad CSeq", "Missing Call-ID",
 * "Duplicate To header") into buf, NUL-terminated and cut to cap. Returns
 * the length it needed, like snprintf.
 */
size_t sip_err_reason(const struct sip_msg *msg, char *buf, size_t cap)
{
	const char *name = sip_hdr_name(msg->err_hdr);
	int n;

	switch (msg->err) {
	case SIP_ERR_BAD_HEADER:
		n = snprintf(buf, cap, "Bad %s", name);
		break;
	case SIP_ERR_MISSING_HEADER:
		n = snprintf(buf, cap, "Missing %s", name);
		break;
	case SIP_ERR_DUPLICATE_HEADER:
		n = snprintf(buf, cap, "Duplicate %s header", name);
		break;
	default:
		n = snprintf(buf, cap, "%s", fixed[msg->err]);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}
