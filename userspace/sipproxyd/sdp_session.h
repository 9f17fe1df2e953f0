/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDP (RFC 8866) parsed for media anchoring.
 *
 * sdp_session_parse() reads a body into fixed-size structs whose string
 * fields are views into that body: the body must outlive the session. It
 * allocates nothing. Each m= line gets a resolved summary (struct
 * sdp_stream) that holds plain values only, so the offer/answer code can
 * keep it after the body is gone.
 */
#ifndef SIPPROXYD_SDP_SESSION_H
#define SIPPROXYD_SDP_SESSION_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Limits. A body over any of them is refused whole (SDP_E_LIMIT) rather
 * than half-parsed. They are sized for the largest real offers seen (a
 * browser's audio+video offer has ~25 payload types on its video line and
 * ~150 attribute lines).
 */
#define SDP_MAX_BODY	16384U	/* bytes */
#define SDP_MAX_LINES	512U
#define SDP_MAX_MEDIA	16U	/* m= lines */
#define SDP_MAX_FMTS	48U	/* formats on one m= line */
#define SDP_MAX_ATTRS	384U	/* a= lines in the whole body */

enum sdp_err {
	SDP_OK = 0,
	SDP_E_LIMIT,		/* one of the SDP_MAX_* limits */
	SDP_E_SYNTAX,		/* a line is not "<letter>=<value>" or has bad bytes */
	SDP_E_STRUCTURE,	/* missing, repeated or misplaced line */
	SDP_E_ORIGIN,		/* bad o= line */
	SDP_E_CONNECTION,	/* bad c= line or address */
	SDP_E_MULTICAST,	/* multicast c=: parsed but cannot be anchored */
	SDP_E_MEDIA,		/* bad m= line */
	SDP_E_ATTRIBUTE,	/* bad value of an attribute we interpret */
	SDP_E_RELAY,		/* rewrite: bad or missing relay for a stream */
	SDP_E_NOSPACE,		/* rewrite: output buffer too small */
	SDP_E_OFFER_ANSWER,	/* offer/answer: out of order or breaks RFC 3264 */
};

#define SDP_ERR_MSG_LEN 128

/*
 * What went wrong, for the caller's log and its 488 reason: a code for
 * the program and a one-line message for people, e.g.
 * "line 7: m= line 2: invalid port". @line is the 1-based body line, or 0
 * when the error is about the body as a whole.
 */
struct sdp_error {
	enum sdp_err code;
	unsigned int line;
	char msg[SDP_ERR_MSG_LEN];
};

/* A view into the body: not NUL-terminated. */
struct sdp_str {
	const char *p;
	size_t len;
};

struct sdp_addr {
	sa_family_t family;	/* AF_INET, AF_INET6, or AF_UNSPEC for none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

enum sdp_media_type {
	SDP_MEDIA_OTHER,	/* kept as is; its name is in sdp_media.media */
	SDP_MEDIA_AUDIO,
	SDP_MEDIA_VIDEO,
	SDP_MEDIA_TEXT,
	SDP_MEDIA_IMAGE,
	SDP_MEDIA_APPLICATION,
	SDP_MEDIA_MESSAGE,
};

enum sdp_proto {
	SDP_PROTO_OTHER,	/* TCP-based, SCTP, ...: formats are opaque */
	SDP_PROTO_RTP,		/* RTP over UDP (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF) */
	SDP_PROTO_UDPTL,	/* T.38 */
};

enum sdp_dir {
	SDP_DIR_UNSET,		/* only in raw per-level fields, never in a summary */
	SDP_DIR_SENDRECV,
	SDP_DIR_SENDONLY,
	SDP_DIR_RECVONLY,
	SDP_DIR_INACTIVE,
};

/* An RTP payload type and its clock: from a=rtpmap, else RFC 3551's table. */
struct sdp_payload {
	uint8_t pt;
	uint8_t channels;	/* from a=rtpmap or the table; 1 when neither says */
	uint32_t clock_rate;	/* Hz; 0 for a dynamic type without a=rtpmap */
};

/* One m= line, resolved against the session level. */
struct sdp_stream {
	unsigned int index;		/* 0-based position among the m= lines */
	enum sdp_media_type type;
	enum sdp_proto proto;
	uint16_t port;			/* 0: rejected */
	uint16_t port_count;		/* m=<port>/<count>; 1 without a count */
	uint16_t rtcp_port;		/* muxed: port; else a=rtcp, else port + 1;
					 * 0 when rejected or port is 65535 */
	bool rtcp_mux;
	bool rejected;			/* port 0: keep, never relay */
	bool held;			/* sendonly, inactive, or an unspecified c= */
	bool addr_unspecified;		/* c= 0.0.0.0 or :: (RFC 2543 hold) */
	struct sdp_addr addr;		/* media-level c=, else session-level */
	struct sdp_addr rtcp_addr;	/* a=rtcp's address, else addr */
	enum sdp_dir direction;		/* media level, else session, else sendrecv */
	uint32_t ptime_us;		/* a=ptime in microseconds; 0 when absent */
	unsigned int n_fmt;		/* formats on the m= line */
	unsigned int n_payload;		/* == n_fmt for SDP_PROTO_RTP, else 0 */
	struct sdp_payload payload[SDP_MAX_FMTS];
};

/* A c= line or a=rtcp address, with the token views the rewriter replaces. */
struct sdp_conn {
	bool present;
	unsigned int line;		/* index into sdp_session.line[] */
	struct sdp_str addrtype;	/* "IP4" / "IP6" */
	struct sdp_str host;		/* the address token */
	struct sdp_addr addr;
};

/* What the rewriter does with a line. */
enum sdp_line_role {
	SDP_LINE_COPY,		/* byte for byte */
	SDP_LINE_ORIGIN,	/* o= */
	SDP_LINE_CONN,		/* c= of the session or of line.media */
	SDP_LINE_MEDIA,		/* m= */
	SDP_LINE_RTCP,		/* a=rtcp of line.media */
	SDP_LINE_ICE,		/* ICE attribute: dropped (the relay does not do ICE) */
};

#define SDP_SESSION_LEVEL 0xff

struct sdp_line {
	uint16_t off;		/* of the type letter in the body */
	uint16_t len;		/* without the line ending */
	uint8_t eol;		/* bytes of line ending: 0 (last line), 1 (LF), 2 (CRLF) */
	uint8_t type;		/* the letter before '=' */
	uint8_t role;		/* enum sdp_line_role */
	uint8_t media;		/* m= index, or SDP_SESSION_LEVEL */
};

struct sdp_origin {
	bool present;
	unsigned int line;
	struct sdp_str username, sess_id, version_str, nettype, addrtype, host;
	uint64_t version;
};

struct sdp_ice {
	struct sdp_str ufrag, pwd, options;
	unsigned int n_candidates;
	bool end_of_candidates;
};

struct sdp_media {
	struct sdp_stream s;		/* the summary, filled once the body is read */
	unsigned int line;		/* index of the m= line in sdp_session.line[] */
	unsigned int first_attr_line;	/* where a c= may be inserted (after m=, i=) */
	struct sdp_str media, port_str, proto;
	struct sdp_str fmt[SDP_MAX_FMTS];
	struct sdp_conn conn;		/* media-level c= */
	bool has_rtcp;
	unsigned int rtcp_line;		/* index of the a=rtcp line */
	uint16_t rtcp_port;
	struct sdp_str rtcp_port_str;
	struct sdp_conn rtcp;		/* a=rtcp's optional address */
	bool rtcp_mux;
	enum sdp_dir direction;
	uint32_t ptime_us;
	struct sdp_ice ice;
	struct sdp_str encoding[SDP_MAX_FMTS];	/* a=rtpmap name per fmt[]; p NULL if none */
};

struct sdp_session {
	const char *body;
	size_t len;
	unsigned int n_lines;
	struct sdp_line line[SDP_MAX_LINES];
	unsigned int n_attrs;
	struct sdp_origin origin;
	bool has_name;
	struct sdp_str name;		/* s= */
	struct sdp_conn conn;		/* session-level c= */
	enum sdp_dir direction;		/* session-level, or SDP_DIR_UNSET */
	struct sdp_ice ice;
	unsigned int n_media;
	struct sdp_media media[SDP_MAX_MEDIA];
};

/**
 * sdp_session_parse() - read an SDP body
 * @s: filled on success; holds views into @body
 * @body: the body, not NUL-terminated; must outlive @s
 * @len: its length in bytes
 * @err: filled on failure
 *
 * Return: SDP_OK, or the error code also stored in @err.
 */
enum sdp_err sdp_session_parse(struct sdp_session *s, const char *body,
			       size_t len, struct sdp_error *err);

const char *sdp_media_type_name(enum sdp_media_type type);
const char *sdp_dir_name(enum sdp_dir dir);

#endif
