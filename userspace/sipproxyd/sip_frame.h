/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_FRAME_H
#define SIPPROXY_SIP_FRAME_H

#include "sip_msg.h"

enum sip_frame_status {
	SIP_FRAME_MORE,		/* read more: *len bytes in all, 0 if not known yet */
	SIP_FRAME_MESSAGE,	/* a whole message of *len bytes starts the buffer */
	SIP_FRAME_KEEPALIVE,	/* *len bytes of CRLFs to consume (RFC 5626 3.5.1) */
	SIP_FRAME_ERROR,	/* never a message: *err says why; close the stream */
};

/*
 * Where framing of the message at the start of a stream buffer stands, so
 * a peer trickling it costs O(n) in all, not a rescan per read. Zeroed for
 * a new stream; sip_frame_resume() zeroes it again after each message,
 * keepalive or error, which the caller then consumes.
 */
struct sip_framer {
	size_t scanned;		/* bytes known to hold no end of the header section */
	size_t total;		/* the message's length once its headers ended; 0 before */
};

enum sip_frame_status sip_frame_resume(struct sip_framer *f, const char *buf, size_t avail,
				       size_t *len, enum sip_err *err);
enum sip_frame_status sip_frame(const char *buf, size_t avail, size_t *len, enum sip_err *err);

#endif
