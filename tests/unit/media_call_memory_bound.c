// SPDX-License-Identifier: GPL-2.0
/*
 * Memory per anchored call in the userspace relay mode, as malloc counts
 * it (mallinfo2's in-use bytes, chunk overhead included): 250 calls, each
 * an offer from the caller and the callee's answer, so every call holds its
 * branch, its ports and its four relay flows (RTP and RTCP each way). The
 * bound in Documentation/media.rst is <= 8 KiB for a one-stream call and
 * <= 4.5 KiB more per further m= line; ending every call gives all of it
 * back once what grows only once has grown.
 *
 *   caller 192.0.2.10:6000 --> 127.0.0.1:p [relay] 127.0.0.1:q --> 192.0.2.20:6002
 */
#include <malloc.h>
#include <stdio.h>
#include <sys/resource.h>

#include "kselftest_harness.h"

#include "lib/evloop.h"
#include "lib/log.h"
#include "sipproxyd/config.h"
#include "sipproxyd/media.h"
#include "sipproxyd/sdp_oa.h"

#define CALLS 250
#define FIRST_PORT 40000
/* Sockets: RTP and RTCP of one pair per stream and side, 3 streams. */
#define FDS_NEEDED (CALLS * 12 + 64)

#define OFFER(addr, port, more) \
	"v=0\r\n" \
	"o=- 1 1 IN IP4 " addr "\r\n" \
	"s=-\r\n" \
	"c=IN IP4 " addr "\r\n" \
	"t=0 0\r\n" \
	"m=audio " port " RTP/AVP 8\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	more

#define VIDEO(port) "m=video " port " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"

struct bodies {
	const char *offer, *answer;
	unsigned int streams;
};

static const struct bodies audio = {
	OFFER("192.0.2.10", "6000", ""), OFFER("192.0.2.20", "6002", ""), 1,
};

static const struct bodies three = {
	OFFER("192.0.2.10", "6000", VIDEO("6010") VIDEO("6020")),
	OFFER("192.0.2.20", "6002", VIDEO("6012") VIDEO("6022")), 3,
};

static void on_end(void *owner, struct media_call *call, const char *reason)
{
}

static size_t in_use(void)
{
	return mallinfo2().uordblks;
}

FIXTURE(calls)
{
	struct loop *loop;
	struct config cfg;
	struct media *m;
	struct media_call *call[CALLS];
};

FIXTURE_SETUP(calls)
{
	struct rlimit fds;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &fds));
	if (fds.rlim_cur < FDS_NEEDED) {
		fds.rlim_cur = fds.rlim_max < FDS_NEEDED ? fds.rlim_max : FDS_NEEDED;
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &fds));
	}
	ASSERT_LE((rlim_t)FDS_NEEDED, fds.rlim_cur);
	log_set_level(LOG_LEVEL_WARN);
	ASSERT_EQ(0, loop_new(&self->loop));
	ASSERT_EQ(0, config_defaults(&self->cfg));
	self->cfg.media_relay = CONFIG_RELAY_USERSPACE;
	self->cfg.registrar_database[0] = '\0';
	/* Room for 3 streams a call and ports other programs hold. */
	self->cfg.port_range.first = FIRST_PORT;
	self->cfg.port_range.last = FIRST_PORT + 2 * CALLS * 12 - 1;
	ASSERT_EQ(0, endpoint_parse(&self->cfg.relay_address, "127.0.0.1:1"));
	ASSERT_EQ(0, media_init(&self->m, self->loop, &self->cfg, on_end));
	ASSERT_EQ((int)MEDIA_BACKEND_USERSPACE, (int)media_backend(self->m));
}

FIXTURE_TEARDOWN(calls)
{
	media_free(self->m);
	config_free(&self->cfg);
	loop_free(self->loop);
}

/* Sets up CALLS calls with @b; returns the bytes each holds. */
static size_t per_call(struct __test_metadata *_metadata, FIXTURE_DATA(calls) *self,
		       const struct bodies *b)
{
	struct media_err err;
	char out[4096], cid[32];
	size_t before, after;
	long n;
	int i;

	before = in_use();
	for (i = 0; i < CALLS; i++) {
		snprintf(cid, sizeof(cid), "cid-%04d", i);
		ASSERT_EQ(0, media_call_new(self->m, cid, strlen(cid), (uint64_t)i + 1,
					    &self->cfg.relay_address, NULL, &self->call[i]));
		n = media_sdp(self->call[i], 1, SDP_OA_CALLER, SDP_OA_MSG_OFFER, b->offer,
			      strlen(b->offer), out, sizeof(out), &err);
		ASSERT_LT(0, n) TH_LOG("offer %d: %d %s", i, err.status, err.reason);
		n = media_sdp(self->call[i], 1, SDP_OA_CALLEE, SDP_OA_MSG_OTHER, b->answer,
			      strlen(b->answer), out, sizeof(out), &err);
		ASSERT_LT(0, n) TH_LOG("answer %d: %d %s", i, err.status, err.reason);
	}
	after = in_use();
	TH_LOG("%u stream(s): %zu bytes per call", b->streams, (after - before) / CALLS);
	/* Not a malloc that counts nothing (valgrind's): a call holds its offer/answer state. */
	EXPECT_LE(sizeof(struct sdp_oa), (after - before) / CALLS);
	for (i = 0; i < CALLS; i++)
		media_call_end(self->call[i], "test");
	return (after - before) / CALLS;
}

TEST_F(calls, one_stream_within_8_kib)
{
	size_t before, bytes;

	/* What grows once and never shrinks (the relay's slot array, the C library's own). */
	per_call(_metadata, self, &audio);
	per_call(_metadata, self, &audio);
	before = in_use();
	bytes = per_call(_metadata, self, &audio);
	EXPECT_LE(bytes, 8192U);
	EXPECT_EQ(before, in_use());
}

TEST_F(calls, further_streams_within_4_5_kib_each)
{
	size_t one, more;

	one = per_call(_metadata, self, &audio);
	more = per_call(_metadata, self, &three);
	EXPECT_LE(one, 8192U);
	EXPECT_LE(more - one, 2 * 4608U);
}

TEST_HARNESS_MAIN
