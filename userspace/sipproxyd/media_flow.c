// SPDX-License-Identifier: GPL-2.0
/*
 * Which flows a stream gets. A stream is relayed when neither side
 * rejected it; a direction only when the receiving side has a usable
 * address (an RFC 2543 hold, c=0.0.0.0, has none) and, with the strict
 * policy, the sending side too. Both sides must agree on rtcp-mux for RTCP
 * to share the RTP port (RFC 5761 5.1.1); otherwise RTCP gets its own
 * flows between the odd ports.
 *
 * Learn flows carry the sending side's SDP address as the EXPECT hint (any
 * port): RTCP flows then lock at once on it, and on another address only
 * once the RTP flow below them learned it (a NATed phone), so an attacker
 * spraying the RTCP port first wins nothing. With expect_only a side needs
 * a usable SDP address, as with strict.
 */
#include <string.h>

#include "media_flow.h"

static bool usable(const struct sdp_addr *a, uint16_t port)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (!port)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr != htonl(INADDR_ANY);
	if (a->family == AF_INET6)
		return memcmp(&a->v6, &any6, sizeof(any6)) != 0;
	return false;
}

static void endpoint_of(struct endpoint *ep, const struct sdp_addr *a, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = a->family;
	ep->port = port;
	if (a->family == AF_INET)
		ep->addr.v4 = a->v4;
	else
		ep->addr.v6 = a->v6;
}

/* The side's RTP or RTCP address as it receives (and, symmetric, sends). */
static bool remote(const struct sdp_oa_stream *s, enum media_component c, bool mux,
		   struct endpoint *ep)
{
	const struct sdp_addr *a = &s->addr;
	uint16_t port = s->port;

	if (c == MEDIA_RTCP && !mux) {
		a = &s->rtcp_addr;
		port = s->rtcp_port;
		/* It offered rtcp-mux, the answer refused: RTCP on port + 1. */
		if (s->rtcp_mux)
			port = s->port < 65535 ? s->port + 1 : 0;
	}
	if (!usable(a, port))
		return false;
	endpoint_of(ep, a, port);
	return true;
}

static void build_one(const struct media_flow_spec *spec, int from,
		      enum media_component c, bool mux, struct nl_flow *f)
{
	const struct sdp_oa_stream *src = spec->side[from], *dst = spec->side[!from];
	uint16_t off = c == MEDIA_RTCP ? 1 : 0;

	memset(f, 0, sizeof(*f));
	if (!remote(dst, c, mux, &f->peer))
		return;
	if (f->peer.family != spec->relay[from].family)
		return;
	/*
	 * The SDP source is kept even for learn, unsent, so that a side that
	 * moves restarts learning (see media_flow_diff()).
	 */
	if (remote(src, c, mux, &f->source) && f->source.family == spec->relay[from].family) {
		if (spec->policy == RTPFWD_POLICY_STRICT) {
			nl_flow_mark(f, RTPFWD_A_SOURCE);
		} else {
			f->expect = f->source;
			f->expect.port = 0;
			nl_flow_mark(f, RTPFWD_A_EXPECT);
		}
	} else if (spec->policy == RTPFWD_POLICY_STRICT || spec->expect_only) {
		return;
	} else {
		memset(&f->source, 0, sizeof(f->source));
	}
	f->cookie = spec->cookie;
	f->local = spec->relay[from];
	f->local.port += off;
	f->out = spec->relay[!from];
	f->out.port += off;
	f->policy = spec->policy;
	if (c == MEDIA_RTCP)
		f->flags = RTPFWD_F_RTCP;
	else if (src->proto == SDP_PROTO_RTP)
		f->flags = RTPFWD_F_RTP;
	if (spec->policy == RTPFWD_POLICY_LEARN && spec->expect_only)
		f->flags |= RTPFWD_F_EXPECT_ONLY;
	f->timeout = spec->timeout_s;
	f->clock_rate = spec->clock_rate ? spec->clock_rate : 8000;
	f->attrs |= 1U << RTPFWD_A_COOKIE | 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT |
		    1U << RTPFWD_A_PEER | 1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_FLAGS |
		    1U << RTPFWD_A_TIMEOUT | 1U << RTPFWD_A_CLOCK_RATE;
}

/**
 * media_flow_build() - the flows a stream needs
 * @spec: the stream; relay endpoints of one family, RTCP on port + 1
 * @set: filled; unwanted flows have attrs 0
 *
 * RTP flows carry RTPFWD_F_RTP (so muxed RTCP is recognised, RFC 5761),
 * RTCP flows RTPFWD_F_RTCP. A stream that is not RTP (T.38 over UDPTL)
 * gets one plain datagram flow each way: the RTP checks would drop all of
 * its packets as malformed, and it has no RTCP. A side whose address family differs from the
 * relay's gets no flow towards it: the relay does not translate families.
 */
void media_flow_build(const struct media_flow_spec *spec, struct media_flow_set *set)
{
	const struct sdp_oa_stream *a = spec->side[0], *b = spec->side[1];
	bool mux = a->rtcp_mux && b->rtcp_mux;
	bool rtp = a->proto == SDP_PROTO_RTP && b->proto == SDP_PROTO_RTP;
	int from;

	memset(set, 0, sizeof(*set));
	if (a->rejected || b->rejected)
		return;
	for (from = 0; from < 2; from++) {
		build_one(spec, from, MEDIA_RTP, mux, &set->flow[from][MEDIA_RTP]);
		if (rtp && !mux)
			build_one(spec, from, MEDIA_RTCP, mux, &set->flow[from][MEDIA_RTCP]);
	}
}

/**
 * media_flow_diff() - what FLOW_SET must change to turn @old into @want
 * @old: the flow as last built (and installed)
 * @want: the flow as built now, same LOCAL
 *
 * A new SDP source resends POLICY (and SOURCE when strict, EXPECT when
 * learning): the kernel then restarts learning, so a side that moved is
 * learned anew.
 *
 * Return: a mask of RTPFWD_A_* to send, 0 when nothing changed.
 */
uint32_t media_flow_diff(const struct nl_flow *old, const struct nl_flow *want)
{
	uint32_t mask = 0;

	if (!endpoint_equal(&old->out, &want->out))
		mask |= 1U << RTPFWD_A_OUT;
	if (!endpoint_equal(&old->peer, &want->peer))
		mask |= 1U << RTPFWD_A_PEER;
	if (old->policy != want->policy || !endpoint_equal(&old->source, &want->source))
		mask |= 1U << RTPFWD_A_POLICY;
	if (mask & (1U << RTPFWD_A_POLICY) && want->policy == RTPFWD_POLICY_STRICT)
		mask |= 1U << RTPFWD_A_SOURCE;
	if (mask & (1U << RTPFWD_A_POLICY) && nl_flow_has(want, RTPFWD_A_EXPECT))
		mask |= 1U << RTPFWD_A_EXPECT;
	if (old->flags != want->flags)
		mask |= 1U << RTPFWD_A_FLAGS;
	if (old->timeout != want->timeout)
		mask |= 1U << RTPFWD_A_TIMEOUT;
	if (old->clock_rate != want->clock_rate)
		mask |= 1U << RTPFWD_A_CLOCK_RATE;
	return mask;
}
