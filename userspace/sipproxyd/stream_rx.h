/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_STREAM_RX_H
#define SIPPROXY_STREAM_RX_H

#include <stddef.h>

#include "sip_frame.h"

/*
 * The receive side of one stream connection, without the socket: bytes go
 * in as they are read, whole messages and keepalives come out in place
 * (RFC 3261 18.3, RFC 5626 3.5.1). The buffer holds one message of
 * @max_message bytes plus keepalive slack, fixed when it is made, and
 * framing resumes where the previous read left it.
 */
struct stream_rx {
	char *buf;
	size_t cap;
	size_t start;			/* the next message begins here */
	size_t len;			/* bytes held, from buf[0] */
	size_t max_message;
	struct sip_framer framer;
};

enum stream_rx_event {
	STREAM_RX_MORE,			/* nothing whole yet: read more */
	STREAM_RX_MESSAGE,		/* a message, valid until the next call */
	STREAM_RX_KEEPALIVE,		/* CRLFs; a ping (CRLFCRLF) when 4 or more */
	STREAM_RX_TOO_LARGE,		/* over max_message: close the stream */
	STREAM_RX_FRAMING,		/* never a message: close the stream */
};

int stream_rx_init(struct stream_rx *rx, size_t max_message);
void stream_rx_free(struct stream_rx *rx);
char *stream_rx_space(struct stream_rx *rx, size_t *room);
void stream_rx_commit(struct stream_rx *rx, size_t n);
enum stream_rx_event stream_rx_next(struct stream_rx *rx, const char **msg, size_t *len);

#endif
