// SPDX-License-Identifier: GPL-2.0
/*
 * Offer/answer state of a dialog: which body is the offer, the answer or a
 * repeat, what each completed exchange changed per stream and side, the
 * RFC 3264 violations refused, and the o= version we send.
 */
#include "kselftest_harness.h"

#include "sipproxyd/sdp_oa.h"
#include "sdp_test.h"

#define CALLER SDP_OA_CALLER
#define CALLEE SDP_OA_CALLEE
#define REQ SDP_OA_MSG_OFFER
#define OTHER SDP_OA_MSG_OTHER

FIXTURE(oa) {
	struct sdp_oa oa;
	struct sdp_session s;
	struct sdp_error err;
	struct sdp_oa_delta delta;
	enum sdp_oa_role role;
	char body[2048];
};

FIXTURE_SETUP(oa)
{
	sdp_oa_init(&self->oa);
}

FIXTURE_TEARDOWN(oa) {}

/*
 * One side's body: its o= user and version, its address, then the m=
 * sections, where "%s" stands for the address again where a c= needs it.
 */
static int receive(FIXTURE_DATA(oa) *self, enum sdp_oa_side from,
		   enum sdp_oa_msg msg, const char *user, unsigned int version,
		   const char *addr, const char *media)
{
	int ret;

	snprintf(self->body, sizeof(self->body),
		 "v=0\r\no=%s 100 %u IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n%s",
		 user, version, addr, addr, media);
	ret = sdp_session_parse(&self->s, self->body, strlen(self->body),
				&self->err);
	if (ret)
		return -1;
	return sdp_oa_receive(&self->oa, from, msg, &self->s, &self->role,
			      &self->delta, &self->err);
}

#define AUDIO(port) "m=audio " #port " RTP/AVP 0 8\r\n"
#define VIDEO(port) "m=video " #port " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
#define IMAGE(port) "m=image " #port " udptl t38\r\n"

#define ALICE(msg, v, media) receive(self, CALLER, msg, "alice", v, "192.0.2.10", media)
#define BOB(msg, v, media) receive(self, CALLEE, msg, "bob", v, "198.51.100.20", media)

/* Change bits as letters, caller's then callee's, for one stream. */
static const char *changes(const struct sdp_oa_delta *d, unsigned int i,
			   char *buf)
{
	static const char letters[] = "ARDHSF";	/* added removed address hold resume format */
	unsigned int k, b, n = 0;

	for (k = 0; k < 2; k++) {
		for (b = 0; b < 6; b++)
			if (d->change[i][k] & (1U << b))
				buf[n++] = letters[b];
		buf[n++] = k ? '\0' : '|';
	}
	return buf;
}

#define CHANGES(i) changes(&self->delta, i, buf)
#define ROLE ((int)self->role)

/* Caller offers audio+video, callee answers audio and rejects video. */
static void call_setup(struct __test_metadata *_metadata,
		       FIXTURE_DATA(oa) *self)
{
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) VIDEO(5006)));
	ASSERT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004) VIDEO(0)))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(SDP_OA_ANSWER, ROLE);
}

TEST_F(oa, initial_exchange_adds_accepted_streams)
{
	char buf[16];

	call_setup(_metadata, self);
	EXPECT_EQ(2U, self->delta.n);
	EXPECT_STREQ("A|A", CHANGES(0));
	EXPECT_STREQ("|", CHANGES(1));
}

TEST_F(oa, answer_in_183_then_200_is_a_repeat)
{
	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004) VIDEO(0)));
	EXPECT_EQ(SDP_OA_REPEAT, ROLE);
	EXPECT_EQ(0U, self->delta.n);
}

TEST_F(oa, retransmitted_offer_is_a_repeat)
{
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004)));
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004)));
	EXPECT_EQ(SDP_OA_REPEAT, ROLE);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004)));
	EXPECT_EQ(SDP_OA_ANSWER, ROLE);
}

TEST_F(oa, hold_and_resume)
{
	char buf[16];

	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5004) "a=sendonly\r\n" VIDEO(0)));
	ASSERT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 2, AUDIO(6004) "a=recvonly\r\n" VIDEO(0)));
	ASSERT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("H|", CHANGES(0));
	EXPECT_STREQ("|", CHANGES(1));

	ASSERT_EQ(SDP_OK, ALICE(REQ, 3, AUDIO(5004) VIDEO(0)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 3, AUDIO(6004) VIDEO(0)));
	EXPECT_STREQ("S|", CHANGES(0));
}

TEST_F(oa, hold_by_zero_address_changes_address_too)
{
	char buf[16];

	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, receive(self, CALLER, REQ, "alice", 2, "0.0.0.0",
				  AUDIO(5004) VIDEO(0)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004) VIDEO(0)));
	EXPECT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("DH|", CHANGES(0));
}

TEST_F(oa, new_peer_port_and_codecs)
{
	char buf[16];

	call_setup(_metadata, self);
	/* The callee re-offers from a new port with one codec less. */
	ASSERT_EQ(SDP_OK, BOB(REQ, 2, "m=audio 6010 RTP/AVP 0\r\n" VIDEO(0)));
	ASSERT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, ALICE(OTHER, 2, "m=audio 5004 RTP/AVP 0\r\n" VIDEO(0)));
	ASSERT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("F|DF", CHANGES(0));
}

TEST_F(oa, stream_added_then_removed)
{
	char buf[16];

	call_setup(_metadata, self);
	/* The rejected video slot is reused, and a third stream appended. */
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5004) VIDEO(5006) AUDIO(5008)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 2, AUDIO(6004) VIDEO(6006) AUDIO(6008)));
	EXPECT_EQ(3U, self->delta.n);
	EXPECT_STREQ("|", CHANGES(0));
	EXPECT_STREQ("A|A", CHANGES(1));
	EXPECT_STREQ("A|A", CHANGES(2));

	ASSERT_EQ(SDP_OK, ALICE(REQ, 3, AUDIO(5004) VIDEO(0) AUDIO(5008)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 3, AUDIO(6004) VIDEO(0) AUDIO(6008)));
	EXPECT_STREQ("R|R", CHANGES(1));
	EXPECT_STREQ("|", CHANGES(2));
}

TEST_F(oa, answer_rejecting_removes)
{
	char buf[16];

	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) AUDIO(5006)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004) AUDIO(6006)));
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5004) AUDIO(5006)));
	ASSERT_EQ(SDP_OK, BOB(OTHER, 2, AUDIO(6004) AUDIO(0)));
	EXPECT_STREQ("|", CHANGES(0));
	EXPECT_STREQ("R|R", CHANGES(1));
}

TEST_F(oa, t38_switch)
{
	char buf[16];

	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, BOB(REQ, 2, IMAGE(6008) VIDEO(0)));
	ASSERT_EQ(SDP_OK, ALICE(OTHER, 2, IMAGE(5010) VIDEO(0)));
	EXPECT_STREQ("DF|DF", CHANGES(0));
}

TEST_F(oa, offer_in_2xx_answer_in_ack)
{
	char buf[16];

	/* INVITE without a body: the 200 carries the offer, ACK the answer. */
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004)));
	EXPECT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, ALICE(OTHER, 1, AUDIO(5004)));
	EXPECT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("A|A", CHANGES(0));
}

TEST_F(oa, unchanged_refresh_is_an_exchange)
{
	char buf[16];

	/* A session refresh re-INVITE resends the same SDP: still an offer,
	 * and the answer to it may change. */
	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) VIDEO(5006)));
	EXPECT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 2, AUDIO(6010) VIDEO(0)));
	EXPECT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("|D", CHANGES(0));
}

TEST_F(oa, abandoned_offer_keeps_the_session)
{
	char buf[16];

	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5020) VIDEO(0)));
	sdp_oa_abandon(&self->oa);
	/* The callee may offer now, and changes count from the old session. */
	ASSERT_EQ(SDP_OK, BOB(REQ, 2, AUDIO(6004) "a=sendonly\r\n" VIDEO(0)));
	EXPECT_EQ(SDP_OA_OFFER, ROLE);
	ASSERT_EQ(SDP_OK, ALICE(OTHER, 3, AUDIO(5004) "a=recvonly\r\n" VIDEO(0)));
	EXPECT_STREQ("|H", CHANGES(0));
}

/* Refusals: each leaves the state as it was. */

TEST_F(oa, glare_refused)
{
	char buf[16];

	call_setup(_metadata, self);
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5004) "a=sendonly\r\n" VIDEO(0)));
	EXPECT_EQ(SDP_E_OFFER_ANSWER, BOB(REQ, 2, AUDIO(6004) VIDEO(0)));
	EXPECT_STREQ("offer from the callee while the caller's offer is unanswered",
		     self->err.msg);
	/* Bob's answer still completes Alice's offer. */
	ASSERT_EQ(SDP_OK, BOB(OTHER, 2, AUDIO(6004) VIDEO(0)));
	EXPECT_EQ(SDP_OA_ANSWER, ROLE);
	EXPECT_STREQ("H|", CHANGES(0));
}

TEST_F(oa, second_offer_before_answer_refused)
{
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004)));
	EXPECT_EQ(SDP_E_OFFER_ANSWER, ALICE(REQ, 2, AUDIO(5008)));
	EXPECT_STREQ("offer from the caller while the caller's offer is unanswered",
		     self->err.msg);
	EXPECT_EQ(SDP_E_OFFER_ANSWER, ALICE(OTHER, 2, AUDIO(5008)));
}

TEST_F(oa, offer_removing_m_lines_refused)
{
	call_setup(_metadata, self);
	EXPECT_EQ(SDP_E_OFFER_ANSWER, BOB(REQ, 2, AUDIO(6004)));
	EXPECT_STREQ("offer has 1 m= lines, the session has 2", self->err.msg);
	/* No offer is pending: a new one from Alice is accepted. */
	ASSERT_EQ(SDP_OK, ALICE(REQ, 2, AUDIO(5004) VIDEO(0)));
	EXPECT_EQ(SDP_OA_OFFER, ROLE);
}

TEST_F(oa, answer_with_other_m_line_count_refused)
{
	char buf[16];

	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) VIDEO(5006)));
	EXPECT_EQ(SDP_E_OFFER_ANSWER, BOB(OTHER, 1, AUDIO(6004)));
	EXPECT_STREQ("answer has 1 m= lines, the offer has 2", self->err.msg);
	ASSERT_EQ(SDP_OK, BOB(OTHER, 1, AUDIO(6004) VIDEO(6006)));
	EXPECT_STREQ("A|A", CHANGES(1));
}

TEST_F(oa, answer_changing_media_type_refused)
{
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) VIDEO(5006)));
	EXPECT_EQ(SDP_E_OFFER_ANSWER, BOB(OTHER, 1, AUDIO(6004) IMAGE(6006)));
	EXPECT_STREQ("m= line 2: answer changes the media type", self->err.msg);
}

TEST_F(oa, answer_accepting_rejected_stream_refused)
{
	ASSERT_EQ(SDP_OK, ALICE(REQ, 1, AUDIO(5004) VIDEO(0)));
	EXPECT_EQ(SDP_E_OFFER_ANSWER, BOB(OTHER, 1, AUDIO(6004) VIDEO(6006)));
	EXPECT_STREQ("m= line 2: answer accepts a stream the offer rejected",
		     self->err.msg);
}

/* The o= version we send */

TEST_F(oa, version_starts_at_peer_plus_one_and_grows_on_change)
{
	uint64_t v = 0;

	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, 2353687637ULL,
					false, &v));
	EXPECT_EQ(2353687638ULL, v);
	/* Unchanged body: same version. */
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, 2353687637ULL,
					false, &v));
	EXPECT_EQ(2353687638ULL, v);
	/* Our relay moved. */
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, 2353687637ULL,
					true, &v));
	EXPECT_EQ(2353687639ULL, v);
	/* The peer changed its body, whatever its new number. */
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, 1, false, &v));
	EXPECT_EQ(2353687640ULL, v);
	/* The other direction has its own sequence. */
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLER, 6, false, &v));
	EXPECT_EQ(7ULL, v);
}

TEST_F(oa, version_that_cannot_grow_is_refused)
{
	uint64_t v = 42;

	EXPECT_FALSE(sdp_oa_next_version(&self->oa, CALLEE, UINT64_MAX, false, &v));
	EXPECT_EQ(42ULL, v);
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, UINT64_MAX - 1, false, &v));
	EXPECT_EQ(UINT64_MAX, v);
	ASSERT_TRUE(sdp_oa_next_version(&self->oa, CALLEE, UINT64_MAX - 1, false, &v));
	EXPECT_FALSE(sdp_oa_next_version(&self->oa, CALLEE, UINT64_MAX - 1, true, &v));
}

TEST_HARNESS_MAIN
