/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_MSG_H
#define SIPPROXY_SIP_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_addr.h"
#include "sip_hdr.h"
#include "sip_hval.h"
#include "sip_method.h"
#include "sip_uri.h"
#include "sip_via.h"

/* Largest message accepted on any transport (a UDP datagram's payload fits). */
#define SIP_MAX_MSG_SIZE 65536
/* Header fields one message may carry (a folded field counts once). */
#define SIP_MAX_HEADERS 128
/* Longest start line or header field, folds and final CRLF included. */
#define SIP_MAX_LINE_LEN 8192

enum sip_err {
	SIP_OK = 0,
	SIP_ERR_TOO_LARGE,		/* over SIP_MAX_MSG_SIZE */
	SIP_ERR_TRUNCATED,		/* no empty line ends the header section */
	SIP_ERR_START_LINE,		/* not Method SP URI SP Version, nor a status line */
	SIP_ERR_VERSION,		/* well formed but not SIP/2.0 */
	SIP_ERR_REQUEST_URI,		/* Request-URI does not parse */
	SIP_ERR_URI_SCHEME,		/* Request-URI scheme is neither sip, sips nor tel */
	SIP_ERR_HEADER_SYNTAX,		/* a line that is no "name: value" header field */
	SIP_ERR_LINE_TOO_LONG,		/* over SIP_MAX_LINE_LEN */
	SIP_ERR_TOO_MANY_HEADERS,	/* over SIP_MAX_HEADERS */
	SIP_ERR_TOO_MANY_VIAS,		/* over SIP_MAX_VIA */
	SIP_ERR_BAD_HEADER,		/* err_hdr's value does not match its grammar */
	SIP_ERR_MISSING_HEADER,		/* a mandatory err_hdr is absent */
	SIP_ERR_DUPLICATE_HEADER,	/* a single-valued err_hdr appears twice */
	SIP_ERR_CSEQ_METHOD,		/* CSeq method differs from the request method */
	SIP_ERR_BODY_TRUNCATED,		/* Content-Length larger than the bytes present */
};

/* How sip_msg_parse() frames the body. */
enum sip_transport_kind {
	/* The buffer is one datagram: no Content-Length means the body is the
	 * rest; bytes past Content-Length are ignored (RFC 3261 18.3). */
	SIP_DATAGRAM,
	/* The buffer holds exactly what sip_frame() measured: Content-Length
	 * is mandatory. */
	SIP_STREAM,
};

/*
 * One header field. line is what a rewrite copies when it keeps the field:
 * name, colon, value, folds and the final CRLF, byte for byte.
 */
struct sip_hdr {
	enum sip_hdr_type type;
	struct sip_str name;		/* as written: "Via", "v", "vIA" */
	struct sip_str value;		/* without surrounding LWS; may hold folds */
	struct sip_str line;
	uint16_t next;			/* index + 1 of the next field of this type, 0 at the end */
};

/*
 * A parsed message: a fixed-size index of views into the caller's buffer,
 * no allocation. The buffer must outlive the struct and stay unchanged.
 * The struct is large (tens of KiB with hdrs): keep one per worker, not
 * on small stacks. Fields of absent headers read as documented below.
 *
 * Headers whose value sip_msg_parse() checks against its grammar: Via,
 * From, To, Call-ID, CSeq, Max-Forwards, Expires, Content-Length,
 * Content-Type, Contact, Route, Record-Route, Require, Proxy-Require,
 * Supported, Unsupported, Retry-After. Others are kept as name/value.
 */
struct sip_msg {
	struct sip_str data;		/* start line through body */
	bool request;

	struct sip_str start_line;	/* without its CRLF */
	struct sip_str method;		/* request */
	enum sip_method method_id;
	struct sip_uri ruri;		/* request; views into start_line */
	int status;			/* response: 100..699 */
	struct sip_str reason;		/* response: possibly empty */
	struct sip_str version;		/* "SIP/2.0" as written */

	struct sip_via via;		/* the first Via entry */
	unsigned int nvia;		/* Via entries in all Via fields */
	struct sip_addr from;
	struct sip_addr to;
	struct sip_str call_id;
	struct sip_cseq cseq;
	int max_forwards;		/* -1 when absent */
	int64_t expires;		/* -1 when absent */
	int64_t content_length;		/* -1 when absent */
	struct sip_ctype content_type;	/* type absent when no Content-Type */
	unsigned int ncontact;		/* Contact entries; 0 with contact_star */
	bool contact_star;		/* "Contact: *" */
	struct sip_str headers;		/* first header field through the empty line */
	struct sip_str body;		/* empty (not absent) when there is none */

	/* Why parsing failed; SIP_OK after success. */
	enum sip_err err;
	enum sip_hdr_type err_hdr;	/* for BAD/MISSING/DUPLICATE_HEADER */
	/*
	 * Whether enough parsed to answer a failed request with sip_err_status()
	 * (start line, Via, From, To, Call-ID, CSeq): otherwise drop it. Never
	 * true for responses and ACKs, which are never answered.
	 */
	bool can_reply;

	uint16_t first[SIP_HDR_COUNT];	/* index + 1 of the first field of each type */
	unsigned int nhdrs;
	struct sip_hdr hdrs[SIP_MAX_HEADERS];
};

enum sip_err sip_msg_parse(struct sip_msg *msg, const char *buf, size_t len,
			   enum sip_transport_kind kind);

int sip_err_status(enum sip_err err);
size_t sip_err_reason(const struct sip_msg *msg, char *buf, size_t cap);

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *msg, enum sip_hdr_type type);
const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *msg, const struct sip_hdr *hdr);
const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *msg, const char *name);

/*
 * Walks the comma-separated entries of every field of one type, in order.
 * Each *_next returns 1 with the next entry, 0 after the last one, or
 * -EINVAL on a malformed entry (never after sip_msg_parse() succeeded
 * for the types it checks).
 */
struct sip_iter {
	const struct sip_msg *msg;
	const struct sip_hdr *hdr;
	struct sip_scan sc;
	bool in_field;
};

void sip_iter_init(struct sip_iter *it, const struct sip_msg *msg, enum sip_hdr_type type);
int sip_iter_via(struct sip_iter *it, struct sip_via *via);
int sip_iter_addr(struct sip_iter *it, struct sip_addr *addr);
int sip_iter_token(struct sip_iter *it, struct sip_str *token);

#endif
