// SPDX-License-Identifier: GPL-2.0
/*
 * sip_frame(): where each message ends on a stream, fed byte by byte and
 * in bulk, with keepalives, pipelined messages and every framing error.
 */
#include "kselftest_harness.h"
#include "sipproxyd/sip_frame.h"

#define ASSERT_ENUM(a, b) ASSERT_EQ((int)(a), (int)(b))

static const char one[] =
	"MESSAGE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h.example.com;branch=z9hG4bK1\r\n"
	"To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: x\r\n"
	"CSeq: 1 MESSAGE\r\nl:\r\n 5\r\n\r\nhello";

TEST(whole_message_and_every_prefix)
{
	enum sip_err err;
	size_t len, n;
	size_t headers = strstr(one, "\r\n\r\n") + 4 - one;

	for (n = 0; n < sizeof(one) - 1; n++) {
		ASSERT_ENUM(SIP_FRAME_MORE, sip_frame(one, n, &len, &err)) TH_LOG("prefix %zu", n);
		ASSERT_EQ(n < headers ? 0 : sizeof(one) - 1, len);
	}
	ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame(one, sizeof(one) - 1, &len, &err));
	ASSERT_EQ(sizeof(one) - 1, len);
}

TEST(pipelined_and_keepalive)
{
	char two[2 * sizeof(one) + 8];
	enum sip_err err;
	size_t len, at = 0;

	memcpy(two, "\r\n\r\n", 4);
	memcpy(two + 4, one, sizeof(one) - 1);
	memcpy(two + 4 + sizeof(one) - 1, one, sizeof(one) - 1);
	ASSERT_ENUM(SIP_FRAME_KEEPALIVE, sip_frame(two, sizeof(two) - 9, &len, &err));
	ASSERT_EQ(4u, len);
	at += len;
	ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame(two + at, 2 * (sizeof(one) - 1), &len, &err));
	ASSERT_EQ(sizeof(one) - 1, len);
	at += len;
	ASSERT_ENUM(SIP_FRAME_MESSAGE, sip_frame(two + at, sizeof(one) - 1, &len, &err));
	ASSERT_ENUM(SIP_FRAME_MORE, sip_frame("\r", 1, &len, &err));
	ASSERT_ENUM(SIP_FRAME_MORE, sip_frame("", 0, &len, &err));
}

TEST(framing_errors)
{
	static const char missing[] = "OPTIONS sip:b@example.com SIP/2.0\r\nCall-ID: x\r\n\r\n";
	static const char twice[] = "OPTIONS sip:b@example.com SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n\r\n";
	static const char negative[] = "OPTIONS sip:b@example.com SIP/2.0\r\nContent-Length: -1\r\n\r\n";
	static const char huge[] = "OPTIONS sip:b@example.com SIP/2.0\r\nContent-Length: 65536\r\n\r\n";
	static char endless[SIP_MAX_MSG_SIZE + 1];
	enum sip_err err;
	size_t len;

	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame(missing, sizeof(missing) - 1, &len, &err));
	ASSERT_ENUM(SIP_ERR_MISSING_HEADER, err);
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame(twice, sizeof(twice) - 1, &len, &err));
	ASSERT_ENUM(SIP_ERR_DUPLICATE_HEADER, err);
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame(negative, sizeof(negative) - 1, &len, &err));
	ASSERT_ENUM(SIP_ERR_BAD_HEADER, err);
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame(huge, sizeof(huge) - 1, &len, &err));
	ASSERT_ENUM(SIP_ERR_TOO_LARGE, err);
	memset(endless, 'a', sizeof(endless));
	ASSERT_ENUM(SIP_FRAME_MORE, sip_frame(endless, SIP_MAX_MSG_SIZE - 1, &len, &err));
	ASSERT_ENUM(SIP_FRAME_ERROR, sip_frame(endless, SIP_MAX_MSG_SIZE, &len, &err));
	ASSERT_ENUM(SIP_ERR_TOO_LARGE, err);
}

TEST_HARNESS_MAIN
