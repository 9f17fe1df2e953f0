// SPDX-License-Identifier: GPL-2.0
/*
 * stream_rx: what a TCP or TLS connection reads, framed without a socket.
 * A CRLFCRLF ping split across reads is one ping (RFC 5626 3.5.1), a lone
 * CRLF is consumed without one; pipelined messages come out in order, in
 * place, and the buffer is compacted only when a read needs the room; a
 * message over max_message closes the stream however it arrives.
 */
#include "kselftest_harness.h"
#include "sipproxyd/stream_rx.h"

#define ASSERT_ENUM(a, b) ASSERT_EQ((int)(a), (int)(b))

static const char opt[] = "OPTIONS sip:b@example.com SIP/2.0\r\nl: 2\r\n\r\nok";

/* Append @n bytes of @text as one read. */
static void put(struct stream_rx *rx, const char *text, size_t n)
{
	size_t room;
	char *buf = stream_rx_space(rx, &room);

	if (n > room)
		abort();
	memcpy(buf, text, n);
	stream_rx_commit(rx, n);
}

TEST(split_ping_is_one_ping)
{
	struct stream_rx rx;
	const char *m;
	size_t len;

	ASSERT_EQ(0, stream_rx_init(&rx, 1024));
	put(&rx, "\r", 1);
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	put(&rx, "\n\r", 2);
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	put(&rx, "\n", 1);
	ASSERT_ENUM(STREAM_RX_KEEPALIVE, stream_rx_next(&rx, &m, &len));
	ASSERT_EQ(4u, len);
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	/* A lone CRLF before a message goes without a ping. */
	put(&rx, "\r\n", 2);
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	put(&rx, opt, sizeof(opt) - 1);
	ASSERT_ENUM(STREAM_RX_KEEPALIVE, stream_rx_next(&rx, &m, &len));
	ASSERT_EQ(2u, len);
	ASSERT_ENUM(STREAM_RX_MESSAGE, stream_rx_next(&rx, &m, &len));
	ASSERT_EQ(sizeof(opt) - 1, len);
	ASSERT_EQ(0, memcmp(m, opt, len));
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	stream_rx_free(&rx);
}

TEST(pipelined_in_place_one_compaction_per_read)
{
	char three[3 * sizeof(opt)];
	struct stream_rx rx;
	const char *m;
	size_t len, room, n = sizeof(opt) - 1;
	int i;

	ASSERT_EQ(0, stream_rx_init(&rx, 1024));
	for (i = 0; i < 3; i++)
		memcpy(three + i * n, opt, n);
	/* Two and a half messages in one read. */
	put(&rx, three, 2 * n + n / 2);
	for (i = 0; i < 2; i++) {
		ASSERT_ENUM(STREAM_RX_MESSAGE, stream_rx_next(&rx, &m, &len));
		ASSERT_EQ(n, len);
		/* In place: the i-th message where the read put it. */
		ASSERT_EQ(rx.buf + i * n, m);
	}
	ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	ASSERT_EQ(2 * n, rx.start);
	/* The next read moves the half message to the front, once. */
	ASSERT_EQ(rx.buf, stream_rx_space(&rx, &room) - n / 2);
	ASSERT_EQ(0u, rx.start);
	put(&rx, three + 2 * n + n / 2, n - n / 2);
	ASSERT_ENUM(STREAM_RX_MESSAGE, stream_rx_next(&rx, &m, &len));
	ASSERT_EQ(rx.buf, m);
	ASSERT_EQ(0, memcmp(m, opt, n));
	stream_rx_free(&rx);
}

TEST(over_max_message_in_any_chunking)
{
	static const char big[] = "MESSAGE sip:b@example.com SIP/2.0\r\nContent-Length: 100\r\n\r\n";
	struct stream_rx rx;
	const char *m;
	size_t len, i, room;

	/* Headers that announce more than max_message: refused as soon as they end. */
	ASSERT_EQ(0, stream_rx_init(&rx, 100));
	for (i = 0; i + 1 < sizeof(big) - 1; i++) {
		put(&rx, big + i, 1);
		ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	}
	put(&rx, big + i, 1);
	ASSERT_ENUM(STREAM_RX_TOO_LARGE, stream_rx_next(&rx, &m, &len));
	stream_rx_free(&rx);
	/* Headers that never end: the buffer fills at max_message plus the slack. */
	ASSERT_EQ(0, stream_rx_init(&rx, 100));
	for (i = 0; i < 164; i++) {
		put(&rx, "a", 1);
		ASSERT_ENUM(STREAM_RX_MORE, stream_rx_next(&rx, &m, &len));
	}
	stream_rx_space(&rx, &room);
	ASSERT_EQ(0u, room);
	stream_rx_free(&rx);
}

TEST_HARNESS_MAIN
