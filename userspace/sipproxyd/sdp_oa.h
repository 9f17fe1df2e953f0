/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offer/answer state of one dialog (RFC 3264), as pure code: the SIP layer
 * hands over every SDP body it sees, with the side that sent it, and learns
 * whether the body is an offer, the answer, or a repeat of a body already
 * seen; once an answer completes an exchange, it learns what changed in
 * each stream so the media layer can update its flows.
 *
 * A body in an INVITE or UPDATE request is always an offer (RFC 3261 14,
 * RFC 3311); a second offer before the answer to the first is refused
 * (glare: the SIP layer answers 491), unless it repeats it (retransmission).
 * Any other body (responses, ACK, PRACK) is classified by state:
 *  - an offer from the other side outstanding: the body is its answer;
 *  - else, if it repeats the last body from that side (same o= identity
 *    and version: RFC 3264 8 keeps the version of an unchanged session),
 *    a repeat, as when a 183 and the 200 carry the same answer;
 *  - else an offer (a 2xx answering an INVITE without a body).
 * When the offer fails (error response, 491 glare, CANCEL), the SIP layer
 * calls sdp_oa_abandon() and the last negotiated state stays.
 */
#ifndef SIPPROXYD_SDP_OA_H
#define SIPPROXYD_SDP_OA_H

#include "sdp_session.h"

enum sdp_oa_side {
	SDP_OA_CALLER,		/* the UAC of the initial INVITE */
	SDP_OA_CALLEE,
};

/* The message that carries a body. */
enum sdp_oa_msg {
	SDP_OA_MSG_OFFER,	/* INVITE or UPDATE request */
	SDP_OA_MSG_OTHER,	/* a response, ACK or PRACK */
};

enum sdp_oa_role {
	SDP_OA_OFFER,
	SDP_OA_ANSWER,
	SDP_OA_REPEAT,		/* nothing new: forward with the same rewrite */
};

/* Per stream and side, what an answer changed; see struct sdp_oa_delta. */
#define SDP_CHANGE_ADDED	(1U << 0)	/* starts: new m= line, or a rejected one reused */
#define SDP_CHANGE_REMOVED	(1U << 1)	/* stops: one side set its port to 0 */
#define SDP_CHANGE_ADDRESS	(1U << 2)	/* RTP/RTCP address or port, or rtcp-mux */
#define SDP_CHANGE_HOLD		(1U << 3)	/* the side went on hold */
#define SDP_CHANGE_RESUME	(1U << 4)	/* the side came off hold */
#define SDP_CHANGE_FORMAT	(1U << 5)	/* media type, transport or payload types */

struct sdp_oa_delta {
	unsigned int n;					/* m= lines now negotiated */
	unsigned int change[SDP_MAX_MEDIA][2];		/* [stream][side]: SDP_CHANGE_* */
};

/* What the state keeps of one stream: enough to tell what changed. */
struct sdp_oa_stream {
	enum sdp_media_type type;
	enum sdp_proto proto;
	uint16_t port, rtcp_port;
	bool rtcp_mux, rejected, held;
	struct sdp_addr addr, rtcp_addr;
	uint64_t payload_hash;
};

/* One side's last SDP. */
struct sdp_oa_sdp {
	bool present;
	uint64_t origin_hash;		/* o= identity: username to address */
	uint64_t version;
	unsigned int n;
	struct sdp_oa_stream stream[SDP_MAX_MEDIA];
};

/* The o= version we send towards one side, see sdp_oa_next_version(). */
struct sdp_oa_version {
	bool sent;
	uint64_t ours, peer;
};

struct sdp_oa {
	bool offer_pending;
	enum sdp_oa_side offerer;
	struct sdp_oa_sdp offer;		/* the outstanding offer */
	struct sdp_oa_sdp negotiated[2];	/* by side: the last completed exchange */
	struct sdp_oa_version to[2];		/* by receiving side */
};

void sdp_oa_init(struct sdp_oa *oa);

/**
 * sdp_oa_receive() - account for an SDP body seen in the dialog
 * @oa: the dialog's state
 * @from: the side that sent the body
 * @msg: what carries it
 * @s: the body, parsed
 * @role: set to what the body is
 * @delta: when @role is SDP_OA_ANSWER, what changed per stream and side
 *	   (against the previous exchange; all streams are added on the first);
 *	   otherwise zeroed
 * @err: filled on failure
 *
 * Return: SDP_OK, or SDP_E_OFFER_ANSWER with the state unchanged: an offer
 * while another is outstanding, an offer with fewer m= lines than the session
 * (RFC 3264 8: streams are disabled with port 0, never removed), an answer
 * whose m= lines do not match the offer's in number and type, or one that
 * accepts a stream the offer rejected.
 */
enum sdp_err sdp_oa_receive(struct sdp_oa *oa, enum sdp_oa_side from,
			    enum sdp_oa_msg msg, const struct sdp_session *s,
			    enum sdp_oa_role *role, struct sdp_oa_delta *delta,
			    struct sdp_error *err);

/* The outstanding offer failed: forget it, keep the negotiated state. */
void sdp_oa_abandon(struct sdp_oa *oa);

/**
 * sdp_oa_next_version() - o= sess-version for a rewritten body
 * @oa: the dialog's state
 * @to: the side the rewritten body goes to
 * @peer_version: the o= version of the body being rewritten
 * @relay_changed: our relay for any of its streams differs from last time
 * @version: set to the version to pass to sdp_rewrite_body()
 *
 * The first body towards a side gets the sender's version plus one. After
 * that the version stays when neither the sender's version nor the relay
 * changed (an unchanged body, RFC 3264 8), and grows by one otherwise.
 *
 * Return: false when the version cannot grow (it is UINT64_MAX): refuse
 * the body rather than send a change the peer would ignore.
 */
bool sdp_oa_next_version(struct sdp_oa *oa, enum sdp_oa_side to,
			 uint64_t peer_version, bool relay_changed,
			 uint64_t *version);

#endif
