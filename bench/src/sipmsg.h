/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough SIP for mediacall's user agents: find the start line, the
 * headers and the body of one datagram, copy headers into replies and read
 * the audio address out of an SDP body. Not a validating parser: the only
 * peer is sipproxyd, which already checked what it forwards.
 */
#ifndef BENCH_SIPMSG_H
#define BENCH_SIPMSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct sipstr {
	const char *p;
	size_t len;
};

struct sipmsg {
	int status;		/* response code; 0 for a request */
	struct sipstr method;	/* of a request, or of the CSeq of a response */
	struct sipstr headers;	/* from the line after the start line to the blank line */
	struct sipstr body;
};

/* 0 when @buf holds a start line, headers and a blank line; -1 otherwise. */
int sipmsg_parse(struct sipmsg *m, const char *buf, size_t len);
/* The first value of header @name (or its compact form @compact, 0 for none), trimmed. */
bool sipmsg_header(const struct sipmsg *m, const char *name, char compact, struct sipstr *value);
/* Appends every line of header @name/@compact as received, CRLF-ended; the new length. */
size_t sipmsg_copy(const struct sipmsg *m, const char *name, char compact, char *out, size_t len,
		   size_t room);
/* "Route: " + the Record-Route entries in reverse (a UAC's route set), or nothing. */
size_t sipmsg_route_set(const struct sipmsg *m, char *out, size_t len, size_t room);
/* The call number of a Call-ID "mc<number>-...", or -1. */
long sipmsg_call_number(const struct sipmsg *m);
/* The URI inside the Contact header's <>, or its whole value. */
bool sipmsg_contact_uri(const struct sipmsg *m, struct sipstr *uri);
/* The IPv4 c= address and first m=audio port of the SDP body. */
int sipmsg_sdp_audio(const struct sipmsg *m, struct sockaddr_in *to);

#endif
