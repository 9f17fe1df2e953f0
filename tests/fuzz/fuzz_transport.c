// SPDX-License-Identifier: GPL-2.0
/*
 * The stream transport's receive path without a socket: a TCP or TLS byte
 * stream goes through stream_rx (what conn.c runs) in two chunkings, all
 * it can take at once and the input's own (1 byte up to a TLS record),
 * and both must frame the same messages and end the same way. Each framed
 * message is then parsed as a stream message and dispatched as the core
 * does: a 400 built for what is answerable, requests matched against or
 * made into server transactions (answered, and forwarded through a
 * client transaction), responses matched to client transactions, all on
 * a virtual clock that advances between messages.
 *
 * Input: byte 0 the largest chunk (0: 1 byte, else up to 64 * byte 0),
 * bytes 1-4 the chunk sizes' seed, byte 5 max_message_size (0: the
 * maximum, else 256 * byte 5), then the stream.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/stream_rx.h"
#include "sipproxyd/txn.h"
#include "sipproxyd/txn_reply.h"
#include "../unit/virtual_clock.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define HEADER 6
#define MAX_EVENTS 4096

/* What one pass framed: messages as offsets into the input, and how it ended. */
struct pass {
	size_t off[MAX_EVENTS], len[MAX_EVENTS];
	size_t n;
	enum stream_rx_event end;	/* MORE, or the error that closed the stream */
};

static struct pass whole, chunked;
static struct stream_rx rx;
static struct sip_msg msg;
static char out[SIP_MAX_MSG_SIZE + 4096];

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Feed @data to a fresh buffer, each read at most @max bytes (0: all the
 * room there is), sizes drawn from @seed, as conn.c's receive() would.
 */
static void feed(struct pass *p, const char *data, size_t size, size_t max_message, size_t max,
		 uint32_t seed)
{
	size_t at = 0, room, n, len, off;
	enum stream_rx_event ev;
	const char *m;
	char *buf;

	CHECK(stream_rx_init(&rx, max_message) == 0);
	p->n = 0;
	p->end = STREAM_RX_MORE;
	while (at < size) {
		buf = stream_rx_space(&rx, &room);
		if (!room) {
			p->end = STREAM_RX_TOO_LARGE;
			break;
		}
		n = size - at < room ? size - at : room;
		if (max && n > 1 + next_rand(&seed) % max)
			n = 1 + seed % max;
		memcpy(buf, data + at, n);
		at += n;
		stream_rx_commit(&rx, n);
		while ((ev = stream_rx_next(&rx, &m, &len)) != STREAM_RX_MORE) {
			if (ev == STREAM_RX_TOO_LARGE || ev == STREAM_RX_FRAMING) {
				p->end = ev;
				goto out;
			}
			/* Whatever comes out is the input's own bytes, in order. */
			CHECK(len > 0 && m >= rx.buf && m + len <= rx.buf + rx.len);
			off = at - rx.len + (size_t)(m - rx.buf);
			CHECK(!memcmp(m, data + off, len));
			if (ev == STREAM_RX_KEEPALIVE)
				continue;
			CHECK(len <= max_message);
			if (p->n < MAX_EVENTS) {
				p->off[p->n] = off;
				p->len[p->n++] = len;
			}
		}
	}
out:
	stream_rx_free(&rx);
}

/* ---- dispatch on a virtual clock ---- */

static int v_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	return 0;
}

static void v_response(void *ctx, struct txn *t, const struct sip_msg *m)
{
	CHECK(m->status >= 100 && m->status <= 699);
}

static void v_timeout(void *ctx, struct txn *t, bool transport_error)
{
}

static void v_terminated(void *ctx, struct txn *t)
{
}

static const struct txn_ops ops = {
	VCLOCK_TXN_OPS,
	.send = v_send,
	.response = v_response,
	.timeout = v_timeout,
	.terminated = v_terminated,
};

static void answer(struct txn *t, const struct tp_addr *src, int status)
{
	size_t len;

	if (txn_reply_build(&msg, src, status, "Fuzz", SIP_STR("ftag"), SIP_STR_NONE, out,
			    sizeof(out), &len) == 0)
		txn_server_respond(t, status, out, len);
}

static void dispatch(struct txn_table *tab, const char *m, size_t len, const struct tp_addr *src)
{
	static const struct sip_str branch = SIP_STR("z9hG4bKfuzz");
	struct txn *t, *client;
	char reason[128];

	if (sip_msg_parse(&msg, m, len, SIP_STREAM) != SIP_OK) {
		if (msg.can_reply) {
			sip_err_reason(&msg, reason, sizeof(reason));
			CHECK(txn_reply_build(&msg, src, sip_err_status(msg.err), reason,
					      SIP_STR("t"), SIP_STR_NONE, out, sizeof(out),
					      &len) == 0);
		}
		return;
	}
	CHECK(msg.data.s == m && msg.data.len == len);
	if (!msg.request) {
		txn_client_receive(tab, &msg);
		return;
	}
	t = txn_server_match(tab, &msg, SIP_METHOD_OTHER);
	if (t) {
		txn_server_retransmission(t, &msg);
		return;
	}
	if (msg.method_id == SIP_METHOD_ACK || txn_server_new(tab, &msg, src, &t))
		return;
	/* Forwarded as received, then answered by what its CSeq number says. */
	txn_client_new(tab, &msg, m, len, branch, src, &client);
	if (msg.method_id == SIP_METHOD_INVITE)
		answer(t, src, 180);
	answer(t, src, msg.cseq.number % 2 ? 200 : 486);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct txn_config cfg = { .t1 = 500, .t2 = 4000, .t4 = 5000, .max_transactions = 64 };
	struct tp_addr src = { .proto = TP_TCP, .conn = 1, .lfd = -1 };
	const char *stream = (const char *)data + HEADER;
	size_t max_message, max, i;
	struct txn_table *tab;
	uint32_t seed;

	if (size < HEADER)
		return 0;
	max = data[0] ? 64u * data[0] : 1;
	memcpy(&seed, data + 1, 4);
	seed |= 1;
	max_message = data[5] ? 256u * data[5] : SIP_MAX_MSG_SIZE;
	size -= HEADER;

	feed(&whole, stream, size, max_message, 0, 0);
	feed(&chunked, stream, size, max_message, max, seed);
	CHECK(whole.n == chunked.n);
	CHECK(whole.end == chunked.end);
	for (i = 0; i < whole.n; i++)
		CHECK(whole.off[i] == chunked.off[i] && whole.len[i] == chunked.len[i]);

	src.peer.family = AF_INET;
	src.peer.port = 5060;
	src.peer.addr.v4.s_addr = htonl(0xc0000201);
	vclock_init(1000);
	CHECK(txn_table_new(&cfg, &ops, NULL, &tab) == 0);
	for (i = 0; i < chunked.n; i++) {
		dispatch(tab, stream + chunked.off[i], chunked.len[i], &src);
		vclock_run_until(vclock.now + (seed = seed * 1103515245u + 12345u) % 40000);
	}
	txn_table_free(tab);
	return 0;
}
