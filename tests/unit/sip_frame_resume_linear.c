// SPDX-License-Identifier: GPL-2.0
/*
 * sip_frame_resume(): a peer trickling a large message byte by byte costs
 * O(n) scanning in all, not O(n^2). Each call may only look at the bytes
 * after the framer's resume point (less three, for a CRLFCRLF split across
 * reads), so the sum of what every call may scan is bounded by the
 * message's length plus three per call; a 60 KiB message is fed one byte
 * at a time, and the framing limits hold the same way as in one piece.
 */
#include "kselftest_harness.h"
#include "sipproxyd/sip_frame.h"

#define ASSERT_ENUM(a, b) ASSERT_EQ((int)(a), (int)(b))

static char big[SIP_MAX_MSG_SIZE + 16];

/*
 * A request with @hdr_bytes of header padding announcing @body_bytes of
 * body; the body is written when @fill. Its length with the body.
 */
static size_t build(size_t hdr_bytes, size_t body_bytes, bool fill)
{
	size_t n = (size_t)sprintf(big, "MESSAGE sip:b@example.com SIP/2.0\r\nContent-Length: %zu\r\n",
				   body_bytes);

	while (hdr_bytes >= 70) {
		n += (size_t)sprintf(big + n, "X-Pad: %061d\r\n", 0);
		hdr_bytes -= 70;
	}
	n += (size_t)sprintf(big + n, "\r\n");
	if (fill)
		memset(big + n, 'b', body_bytes);
	return n + body_bytes;
}

TEST(trickled_byte_by_byte_scans_each_byte_a_bounded_number_of_times)
{
	size_t total = build(40000, 20000, true), n, len, work = 0, headers = 0;
	struct sip_framer f = { 0 };
	enum sip_err err;

	ASSERT_LT(60000u, total);
	for (n = 1; n < total; n++) {
		size_t from = f.scanned > 3 ? f.scanned - 3 : 0;

		/* Once the headers ended, a call scans nothing until the body is in. */
		if (!f.total)
			work += n - from;
		ASSERT_ENUM(SIP_FRAME_MORE, sip_frame_resume(&f, big, n, &len, &err))
			TH_LOG("at %zu", n);
		if (len && !headers)
			headers = n;
		ASSERT_EQ(headers ? total : 0, len);
		if (!headers)
			ASSERT_EQ(n, f.scanned);
	}
	ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame_resume(&f, big, total, &len, &err));
	ASSERT_EQ(total, len);
	ASSERT_EQ(total - 20000, headers);
	/* At most four looks per header byte, none per body byte (n^2/2 would be 1.8e9). */
	ASSERT_GE(4 * headers, work);
	/* The framer is ready for the next message. */
	ASSERT_EQ(0u, f.scanned);
	ASSERT_EQ(0u, f.total);
}

TEST(crlfcrlf_split_across_reads)
{
	static const char msg[] = "OPTIONS sip:b@example.com SIP/2.0\r\nl: 2\r\n\r\nok";
	size_t cut, len;
	enum sip_err err;

	/* Every split point of the message in two reads frames it the same. */
	for (cut = 1; cut < sizeof(msg) - 1; cut++) {
		struct sip_framer f = { 0 };

		ASSERT_ENUM(SIP_FRAME_MORE, sip_frame_resume(&f, msg, cut, &len, &err));
		ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame_resume(&f, msg, sizeof(msg) - 1, &len, &err))
			TH_LOG("cut at %zu", cut);
		ASSERT_EQ(sizeof(msg) - 1, len);
	}
}

TEST(limits_hold_when_trickled)
{
	struct sip_framer f = { 0 };
	size_t n, len;
	enum sip_err err;

	/* No end of headers within SIP_MAX_MSG_SIZE: an error at exactly that size. */
	memset(big, 'a', SIP_MAX_MSG_SIZE);
	for (n = 1; n < SIP_MAX_MSG_SIZE; n += 997)
		ASSERT_ENUM(SIP_FRAME_MORE, sip_frame_resume(&f, big, n, &len, &err));
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame_resume(&f, big, SIP_MAX_MSG_SIZE, &len, &err));
	ASSERT_ENUM(SIP_ERR_TOO_LARGE, err);
	ASSERT_EQ(0u, f.scanned);
	/* Headers that announce more than fits: an error as soon as they end. */
	n = build(140, SIP_MAX_MSG_SIZE, false);
	n -= SIP_MAX_MSG_SIZE;
	ASSERT_ENUM(SIP_FRAME_MORE, sip_frame_resume(&f, big, n - 1, &len, &err));
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame_resume(&f, big, n, &len, &err));
	ASSERT_ENUM(SIP_ERR_TOO_LARGE, err);
	/* A keepalive ahead of a message, then the message, on one framer. */
	memcpy(big, "\r\n\r\nOPTIONS sip:b@example.com SIP/2.0\r\nl: 0\r\n\r\n", 48);
	ASSERT_ENUM(SIP_FRAME_KEEPALIVE, sip_frame_resume(&f, big, 10, &len, &err));
	ASSERT_EQ(4u, len);
	ASSERT_ENUM(SIP_FRAME_MORE, sip_frame_resume(&f, big + 4, 30, &len, &err));
	ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame_resume(&f, big + 4, 43, &len, &err));
	ASSERT_EQ(43u, len);
}

TEST_HARNESS_MAIN
