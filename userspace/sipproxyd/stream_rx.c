// SPDX-License-Identifier: GPL-2.0
/*
 * Stream receive buffers: what conn.c reads lands here and leaves framed.
 * Messages are handed out in place and their bytes dropped on the next
 * call; the buffer is compacted only when a read needs the room, so a
 * burst of pipelined messages costs one move, not one per message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stream_rx.h"

/* Room for CRLF keepalives arriving behind a maximum-size message. */
#define RX_SLACK 64

/**
 * stream_rx_init - an empty receive buffer for messages up to @max_message
 *
 * Return: 0 or -ENOMEM.
 */
int stream_rx_init(struct stream_rx *rx, size_t max_message)
{
	memset(rx, 0, sizeof(*rx));
	rx->cap = max_message + RX_SLACK;
	rx->max_message = max_message;
	rx->buf = malloc(rx->cap);
	return rx->buf ? 0 : -ENOMEM;
}

void stream_rx_free(struct stream_rx *rx)
{
	free(rx->buf);
	rx->buf = NULL;
}

/**
 * stream_rx_space - where the next read goes
 * @room: set to how many bytes fit; 0 when the buffer is full, which only
 *	  a message over the limit does (the stream must be closed)
 */
char *stream_rx_space(struct stream_rx *rx, size_t *room)
{
	if (rx->start) {
		memmove(rx->buf, rx->buf + rx->start, rx->len - rx->start);
		rx->len -= rx->start;
		rx->start = 0;
	}
	*room = rx->cap - rx->len;
	return rx->buf + rx->len;
}

/* @n bytes were read into the space stream_rx_space() gave. */
void stream_rx_commit(struct stream_rx *rx, size_t n)
{
	rx->len += n;
}

/**
 * stream_rx_next - the next whole message or keepalive held
 * @msg: set to its first byte, in the buffer, valid until the next
 *	 stream_rx_space()
 * @len: set to its length
 *
 * Call it until it returns STREAM_RX_MORE after every commit. After
 * TOO_LARGE or FRAMING the stream is beyond use.
 */
enum stream_rx_event stream_rx_next(struct stream_rx *rx, const char **msg, size_t *len)
{
	enum sip_err err;

	if (rx->start == rx->len)
		return STREAM_RX_MORE;
	*msg = rx->buf + rx->start;
	switch (sip_frame_resume(&rx->framer, *msg, rx->len - rx->start, len, &err)) {
	case SIP_FRAME_MORE:
		return *len > rx->max_message ? STREAM_RX_TOO_LARGE : STREAM_RX_MORE;
	case SIP_FRAME_ERROR:
		return STREAM_RX_FRAMING;
	case SIP_FRAME_KEEPALIVE:
		rx->start += *len;
		return STREAM_RX_KEEPALIVE;
	case SIP_FRAME_MESSAGE:
		if (*len > rx->max_message)
			return STREAM_RX_TOO_LARGE;
		rx->start += *len;
		return STREAM_RX_MESSAGE;
	}
	return STREAM_RX_FRAMING;
}
