// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a packet addressed to a flow may be forwarded: RTP sanity, the
 * source policy and the payload-type filter; and the RTP statistics of the
 * packets that pass.
 *
 * The source policy is the RTP-bleed defence (CVE-2017-14099,
 * CVE-2025-53399): a learn flow accepts nothing until one source has sent two
 * in-sequence RTP packets (RFC 3550 A.1 probation with MIN_SEQUENTIAL = 2),
 * then only that source, exactly like strict.
 */
#include <linux/ktime.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

#include "policy.h"
#include "rtp.h"

static void copy_fwd(const struct rtpfwd_flow_cfg *cfg, struct rtpfwd_fwd *fwd)
{
	fwd->out = cfg->out;
	fwd->peer = cfg->peer;
	fwd->tos = cfg->tos;
}

/* Flows whose packets change nothing in the flow can be judged locklessly. */
static bool stateless(const struct rtpfwd_flow_cfg *cfg)
{
	return cfg->policy == RTPFWD_POLICY_ANY &&
	       !(cfg->flags & (RTPFWD_F_RTP | RTPFWD_F_RTCP));
}

static void lock_source(struct rtpfwd_flow_cfg *cfg,
			const struct rtpfwd_endpoint *src, struct rtpfwd_fwd *fwd)
{
	cfg->source = *src;
	cfg->src_state = RTPFWD_SRC_LOCKED;
	fwd->learned = true;
}

/*
 * Probation of an unlocked learn flow. Non-RTP flows lock on the first
 * packet. RTP flows need two in-sequence RTP packets from one source: the
 * second is forwarded, everything before is dropped, and a packet from any
 * other source (or out of sequence) becomes the new candidate.
 */
static int probation(struct rtpfwd_flow *flow, const struct rtpfwd_endpoint *src,
		     enum rtpfwd_rtp_kind kind, const struct rtpfwd_rtp_hdr *rtp,
		     struct rtpfwd_fwd *fwd)
{
	struct rtpfwd_flow_cfg *cfg = &flow->cfg;

	if (!(cfg->flags & RTPFWD_F_RTP) || (cfg->flags & RTPFWD_F_RTCP)) {
		lock_source(cfg, src, fwd);
		return RTPFWD_PASS;
	}
	if (kind != RTPFWD_RTP_DATA)
		return RTPFWD_DROP_PROBATION;
	if (cfg->src_state == RTPFWD_SRC_CANDIDATE &&
	    rtpfwd_endpoint_equal(&cfg->source, src, flow->key.family) &&
	    rtp->seq == (u16)(flow->cand_seq + 1)) {
		lock_source(cfg, src, fwd);
		return RTPFWD_PASS;
	}
	cfg->source = *src;
	cfg->src_state = RTPFWD_SRC_CANDIDATE;
	flow->cand_seq = rtp->seq;
	return RTPFWD_DROP_PROBATION;
}

static int judge_locked(struct rtpfwd_flow *flow, struct sk_buff *skb,
			const struct rtpfwd_pkt *pkt, struct rtpfwd_fwd *fwd)
{
	struct rtpfwd_flow_cfg *cfg = &flow->cfg;
	enum rtpfwd_rtp_kind kind = RTPFWD_RTP_CONTROL;
	struct rtpfwd_rtp_hdr rtp = {};
	u8 buf[RTPFWD_RTP_HDR_LEN];
	const u8 *payload;
	bool enforce;

	if (cfg->flags & (RTPFWD_F_RTP | RTPFWD_F_RTCP)) {
		payload = skb_header_pointer(skb, skb_network_offset(skb) +
					     pkt->thoff + sizeof(struct udphdr),
					     min_t(unsigned int, pkt->len, sizeof(buf)),
					     buf);
		kind = payload ? rtpfwd_rtp_classify(payload, pkt->len,
						     cfg->flags, &rtp) :
				 RTPFWD_RTP_MALFORMED;
		if (kind == RTPFWD_RTP_MALFORMED)
			return RTPFWD_DROP_MALFORMED;
		fwd->rtcp = kind == RTPFWD_RTP_CONTROL;
	}

	enforce = cfg->policy == RTPFWD_POLICY_STRICT ||
		  (cfg->policy == RTPFWD_POLICY_LEARN &&
		   cfg->src_state == RTPFWD_SRC_LOCKED);
	if (enforce && !rtpfwd_endpoint_equal(&cfg->source, &pkt->src, pkt->dst.family))
		return RTPFWD_DROP_SOURCE;

	/*
	 * Before probation, so a filtered payload type cannot win it. The
	 * default mask (all ones) allows every type.
	 */
	if (kind == RTPFWD_RTP_DATA &&
	    !rtpfwd_rtp_pt_allowed(cfg->pt_mask, rtp.pt))
		return RTPFWD_DROP_PAYLOAD_TYPE;

	if (cfg->policy == RTPFWD_POLICY_LEARN && !enforce) {
		int verdict = probation(flow, &pkt->src, kind, &rtp, fwd);

		if (verdict != RTPFWD_PASS)
			return verdict;
	}

	if (kind == RTPFWD_RTP_DATA)
		rtpfwd_rtp_update(&flow->rtp, &rtp,
				  rtpfwd_rtp_arrival(ktime_get_ns(),
						     cfg->clock_rate));
	return RTPFWD_PASS;
}

/**
 * rtpfwd_policy_judge - decide a packet's fate and copy what forwarding needs
 * @flow: the flow its destination matched
 * @skb: the packet, network header at skb->data
 * @pkt: what the hook parsed of it
 * @fwd: filled in when the packet may pass; fwd->learned tells the caller to
 *	announce the source just locked
 *
 * Context: softirq (the netfilter hook), rcu_read_lock held.
 * Return: RTPFWD_PASS or the enum rtpfwd_drop reason.
 */
int rtpfwd_policy_judge(struct rtpfwd_flow *flow, struct sk_buff *skb,
			const struct rtpfwd_pkt *pkt, struct rtpfwd_fwd *fwd)
{
	bool lockless;
	int verdict;

	fwd->rtcp = false;
	fwd->learned = false;
	do {
		fwd->seq = read_seqbegin(&flow->lock);
		lockless = stateless(&flow->cfg);
		copy_fwd(&flow->cfg, fwd);
	} while (read_seqretry(&flow->lock, fwd->seq));
	if (lockless)
		return RTPFWD_PASS;

	/*
	 * Learning and RTP statistics write the flow: take the writers' lock
	 * without bumping the sequence, so lockless readers are not disturbed.
	 * A FLOW_SET in between changed the sequence, which fwd->seq keeps
	 * for rtpfwd_forward()'s route-cache check.
	 */
	read_seqlock_excl(&flow->lock);
	verdict = judge_locked(flow, skb, pkt, fwd);
	copy_fwd(&flow->cfg, fwd);
	read_sequnlock_excl(&flow->lock);
	return verdict;
}
