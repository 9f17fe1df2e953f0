// SPDX-License-Identifier: GPL-2.0
/*
 * Offer/answer state of one dialog: classifies each SDP body, checks the
 * RFC 3264 rules that anchoring relies on, and computes per-stream changes
 * when an exchange completes. See sdp_oa.h.
 */
#include <string.h>

#include "sdp_error.h"
#include "sdp_lex.h"
#include "sdp_oa.h"

static const char *const side_names[] = { "caller", "callee" };

void sdp_oa_init(struct sdp_oa *oa)
{
	memset(oa, 0, sizeof(*oa));
}

/* FNV-1a: identifies an o= line or a payload list, not a security check. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define HASH_INIT 0xcbf29ce484222325ULL

static uint64_t hash_str(uint64_t h, struct sdp_str s)
{
	/* The length keeps "ab" "c" apart from "a" "bc". */
	h = hash_bytes(h, &s.len, sizeof(s.len));
	return hash_bytes(h, s.p, s.len);
}

static uint64_t origin_hash(const struct sdp_origin *o)
{
	uint64_t h = HASH_INIT;

	h = hash_str(h, o->username);
	h = hash_str(h, o->sess_id);
	h = hash_str(h, o->nettype);
	h = hash_str(h, o->addrtype);
	return hash_str(h, o->host);
}

static uint64_t payload_hash(const struct sdp_stream *st)
{
	uint64_t h = HASH_INIT;
	unsigned int i;

	for (i = 0; i < st->n_payload; i++) {
		const struct sdp_payload *p = &st->payload[i];

		h = hash_bytes(h, &p->pt, sizeof(p->pt));
		h = hash_bytes(h, &p->channels, sizeof(p->channels));
		h = hash_bytes(h, &p->clock_rate, sizeof(p->clock_rate));
	}
	return h;
}

static void keep(struct sdp_oa_sdp *out, const struct sdp_session *s)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->present = true;
	out->origin_hash = origin_hash(&s->origin);
	out->version = s->origin.version;
	out->n = s->n_media;
	for (i = 0; i < s->n_media; i++) {
		const struct sdp_stream *st = &s->media[i].s;
		struct sdp_oa_stream *k = &out->stream[i];

		k->type = st->type;
		k->proto = st->proto;
		k->port = st->port;
		k->rtcp_port = st->rtcp_port;
		k->rtcp_mux = st->rtcp_mux;
		k->rejected = st->rejected;
		k->held = st->held;
		k->addr = st->addr;
		k->rtcp_addr = st->rtcp_addr;
		k->payload_hash = payload_hash(st);
	}
}

static bool same_body(const struct sdp_oa_sdp *a, const struct sdp_oa_sdp *b)
{
	return a->present && b->present && a->origin_hash == b->origin_hash &&
	       a->version == b->version;
}

/* RFC 3264 8: an offer keeps every m= line of the session. */
static enum sdp_err check_offer(const struct sdp_oa *oa,
				const struct sdp_oa_sdp *offer,
				struct sdp_error *err)
{
	const struct sdp_oa_sdp *cur = &oa->negotiated[SDP_OA_CALLER];

	if (cur->present && offer->n < cur->n)
		return sdp_error_set(err, SDP_E_OFFER_ANSWER, 0, -1,
				     "offer has %u m= lines, the session has %u",
				     offer->n, cur->n);
	return SDP_OK;
}

/* RFC 3264 6: the answer mirrors the offer's m= lines. */
static enum sdp_err check_answer(const struct sdp_oa_sdp *offer,
				 const struct sdp_oa_sdp *answer,
				 struct sdp_error *err)
{
	unsigned int i;

	if (answer->n != offer->n)
		return sdp_error_set(err, SDP_E_OFFER_ANSWER, 0, -1,
				     "answer has %u m= lines, the offer has %u",
				     answer->n, offer->n);
	for (i = 0; i < offer->n; i++) {
		if (answer->stream[i].type != offer->stream[i].type)
			return sdp_error_set(err, SDP_E_OFFER_ANSWER, 0, i,
					     "answer changes the media type");
		if (offer->stream[i].rejected && !answer->stream[i].rejected)
			return sdp_error_set(err, SDP_E_OFFER_ANSWER, 0, i,
					     "answer accepts a stream the offer rejected");
	}
	return SDP_OK;
}

static bool active(const struct sdp_oa_sdp side[2], unsigned int i)
{
	return side[0].present && i < side[0].n &&
	       !side[0].stream[i].rejected && !side[1].stream[i].rejected;
}

static bool same_transport(const struct sdp_oa_stream *a,
			   const struct sdp_oa_stream *b)
{
	return a->port == b->port && a->rtcp_port == b->rtcp_port &&
	       a->rtcp_mux == b->rtcp_mux && sdp_addr_equal(&a->addr, &b->addr) &&
	       sdp_addr_equal(&a->rtcp_addr, &b->rtcp_addr);
}

static unsigned int stream_change(const struct sdp_oa_stream *was,
				  const struct sdp_oa_stream *is)
{
	unsigned int change = 0;

	if (!same_transport(was, is))
		change |= SDP_CHANGE_ADDRESS;
	if (!was->held && is->held)
		change |= SDP_CHANGE_HOLD;
	if (was->held && !is->held)
		change |= SDP_CHANGE_RESUME;
	if (was->type != is->type || was->proto != is->proto ||
	    was->payload_hash != is->payload_hash)
		change |= SDP_CHANGE_FORMAT;
	return change;
}

/* Compares the exchange just completed (@now) with the previous one. */
static void compute_delta(const struct sdp_oa_sdp was[2],
			  const struct sdp_oa_sdp now[2],
			  struct sdp_oa_delta *delta)
{
	unsigned int i, k;

	delta->n = now[0].n;
	for (i = 0; i < now[0].n; i++) {
		bool before = active(was, i), after = active(now, i);

		for (k = 0; k < 2; k++) {
			if (!before && after)
				delta->change[i][k] = SDP_CHANGE_ADDED;
			else if (before && !after)
				delta->change[i][k] = SDP_CHANGE_REMOVED;
			else if (before && after)
				delta->change[i][k] =
					stream_change(&was[k].stream[i],
						      &now[k].stream[i]);
		}
	}
}

static enum sdp_err receive_answer(struct sdp_oa *oa,
				   const struct sdp_oa_sdp *answer,
				   struct sdp_oa_delta *delta,
				   struct sdp_error *err)
{
	struct sdp_oa_sdp now[2];
	enum sdp_err ret;

	ret = check_answer(&oa->offer, answer, err);
	if (ret)
		return ret;
	now[oa->offerer] = oa->offer;
	now[!oa->offerer] = *answer;
	compute_delta(oa->negotiated, now, delta);
	oa->negotiated[0] = now[0];
	oa->negotiated[1] = now[1];
	oa->offer_pending = false;
	return SDP_OK;
}

static enum sdp_err receive_offer(struct sdp_oa *oa, enum sdp_oa_side from,
				  const struct sdp_oa_sdp *offer,
				  struct sdp_error *err)
{
	enum sdp_err ret = check_offer(oa, offer, err);

	if (ret)
		return ret;
	oa->offer = *offer;
	oa->offerer = from;
	oa->offer_pending = true;
	return SDP_OK;
}

enum sdp_err sdp_oa_receive(struct sdp_oa *oa, enum sdp_oa_side from,
			    enum sdp_oa_msg msg, const struct sdp_session *s,
			    enum sdp_oa_role *role, struct sdp_oa_delta *delta,
			    struct sdp_error *err)
{
	struct sdp_oa_sdp body;
	enum sdp_err ret;

	memset(err, 0, sizeof(*err));
	memset(delta, 0, sizeof(*delta));
	keep(&body, s);

	if (oa->offer_pending && from == oa->offerer &&
	    same_body(&body, &oa->offer)) {
		*role = SDP_OA_REPEAT;
		return SDP_OK;
	}
	if (oa->offer_pending && (from == oa->offerer || msg == SDP_OA_MSG_OFFER))
		return sdp_error_set(err, SDP_E_OFFER_ANSWER, 0, -1,
				     "offer from the %s while the %s's offer is unanswered",
				     side_names[from], side_names[oa->offerer]);
	if (oa->offer_pending) {
		ret = receive_answer(oa, &body, delta, err);
		*role = SDP_OA_ANSWER;
		return ret;
	}
	if (msg == SDP_OA_MSG_OTHER && same_body(&body, &oa->negotiated[from])) {
		*role = SDP_OA_REPEAT;
		return SDP_OK;
	}
	ret = receive_offer(oa, from, &body, err);
	*role = SDP_OA_OFFER;
	return ret;
}

void sdp_oa_abandon(struct sdp_oa *oa)
{
	oa->offer_pending = false;
}

bool sdp_oa_next_version(struct sdp_oa *oa, enum sdp_oa_side to,
			 uint64_t peer_version, bool relay_changed,
			 uint64_t *version)
{
	struct sdp_oa_version *v = &oa->to[to];

	if (!v->sent) {
		if (peer_version == UINT64_MAX)
			return false;
		v->ours = peer_version + 1;
	} else if (relay_changed || peer_version != v->peer) {
		if (v->ours == UINT64_MAX)
			return false;
		v->ours++;
	}
	v->sent = true;
	v->peer = peer_version;
	*version = v->ours;
	return true;
}
