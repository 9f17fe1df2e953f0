/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rewrites a parsed SDP body so that the peer sends media to our relay.
 *
 * What changes:
 *  - o=: the address becomes @origin (with its addrtype) and sess-version
 *    becomes @version. Username and sess-id stay.
 *  - session-level c=: becomes @origin.
 *  - each stream that is not rejected: m= port becomes the relay port;
 *    its own c= becomes the relay address; a=rtcp becomes the relay RTCP
 *    port (relay port + 1, or the relay port itself with rtcp-mux) and, if
 *    it names an address, the relay address. A stream that inherits the
 *    session c= but is relayed on another address than @origin gets its
 *    own c= line, inserted after its m= (and i=) line.
 *  - ICE lines (a=candidate, a=remote-candidates, a=end-of-candidates and
 *    every a=ice-*) are removed, at session level and in relayed streams:
 *    the relay does not do ICE, so both sides fall back to plain RTP
 *    through it. A WebRTC peer that requires ICE cannot be anchored.
 * What does not:
 *  - rejected streams (port 0): their whole section, byte for byte.
 *  - an unspecified c= (0.0.0.0 or ::, RFC 2543 hold) and an unspecified
 *    a=rtcp address: kept, so the hold stays a hold; ports are still
 *    rewritten so the stream keeps its relay across hold and resume.
 *  - direction attributes, every other line and every line ending.
 *
 * The version: the o= we send describes our rewritten session, so its
 * version sequence is ours and the caller owns it. It must grow by one
 * whenever the body we send changes and stay the same when we resend an
 * unchanged body (RFC 3264 8); sdp_oa_next_version() computes it. The
 * rewriter writes what it is given.
 */
#ifndef SIPPROXYD_SDP_REWRITE_H
#define SIPPROXYD_SDP_REWRITE_H

#include "sdp_session.h"

struct sdp_relay {
	struct sdp_addr addr;	/* a unicast address of this host */
	uint16_t port;		/* RTP; RTCP is port + 1 unless muxed */
};

struct sdp_rewrite {
	struct sdp_addr origin;		/* o= and session-level c= address */
	uint64_t version;		/* o= sess-version to write */
	struct sdp_relay relay[SDP_MAX_MEDIA];	/* by m= index; unused if rejected */
};

/**
 * sdp_rewrite_body() - write the anchored body
 * @s: a session parsed by sdp_session_parse(); its body must still exist
 * @rw: the relay of every stream that is not rejected, origin and version
 * @buf: output, not NUL-terminated; its contents are undefined on failure,
 *	 and nothing past @size is ever written
 * @size: bytes available at @buf
 * @len: set to the length written, for Content-Length
 * @err: filled on failure
 *
 * Return: SDP_OK; SDP_E_RELAY for a bad or missing relay, or a stream with
 * a port count; SDP_E_NOSPACE when @size is too small; SDP_E_LIMIT when
 * the result would exceed SDP_MAX_BODY or SDP_MAX_LINES.
 */
enum sdp_err sdp_rewrite_body(const struct sdp_session *s,
			      const struct sdp_rewrite *rw, char *buf,
			      size_t size, size_t *len, struct sdp_error *err);

#endif
