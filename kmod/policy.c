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
 *
 * Flows without RTP data (an RTCP port, m=image, m=application) have no
 * probation to pass: without a hint they lock onto their first packet. The
 * EXPECT hint (the address the SDP announced) closes that: hinted sources
 * lock at once, other addresses only once the flow's RTP sibling (the flow
 * at the local port below) has locked or is strict on the same address, as
 * a NAT gives RTP and RTCP one public address but not one port. With
 * EXPECT_ONLY no other address is ever learned, RTP flows included.
 */
#include <linux/sched/clock.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/netlink.h>

#include "netlink-gen.h"
#include "netlink.h"
#include "policy.h"
#include "rtp.h"
#include "table.h"

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

/*
 * The release pairs with sibling_vouches() on another flow's packet: who
 * sees LOCKED sees the source that goes with it.
 */
static void lock_source(struct rtpfwd_flow_cfg *cfg,
			const struct rtpfwd_endpoint *src, struct rtpfwd_fwd *fwd)
{
	cfg->source = *src;
	smp_store_release(&cfg->src_state, RTPFWD_SRC_LOCKED);
	fwd->learned = true;
}

static bool addr_equal(const union rtpfwd_addr *a, const union rtpfwd_addr *b,
		       u8 family)
{
	if (family == AF_INET)
		return a->v4 == b->v4;
	return ipv6_addr_equal(&a->v6, &b->v6);
}

/* Whether @src matches the EXPECT hint held in the source slot. */
static bool hinted(const struct rtpfwd_flow_cfg *cfg,
		   const struct rtpfwd_endpoint *src, u8 family)
{
	return addr_equal(&cfg->source.addr, &src->addr, family) &&
	       (!(cfg->src_state & RTPFWD_SRC_EXPECT_PORT) ||
		cfg->source.port == src->port);
}

/* Flows whose learning runs the RTP probation. */
static bool rtp_data(const struct rtpfwd_flow_cfg *cfg)
{
	return (cfg->flags & RTPFWD_F_RTP) && !(cfg->flags & RTPFWD_F_RTCP);
}

/*
 * Whether the RTP flow at the local port below @flow's enforces a source
 * at @src's address: a learned one, or a strict one. Its lock is not
 * taken (no nesting of one lock class); the sequence covers FLOW_SET and
 * the acquire covers learning, after which the slot does not change.
 */
static bool sibling_vouches(struct rtpfwd_table *table,
			    const struct rtpfwd_flow *flow,
			    const struct rtpfwd_endpoint *src)
{
	struct rtpfwd_key key = flow->key;
	const struct rtpfwd_flow *sib;
	union rtpfwd_addr addr;
	unsigned int seq;
	bool enforced;

	if (ntohs(key.port) <= 1)
		return false;
	key.port = htons(ntohs(key.port) - 1);
	sib = rtpfwd_table_lookup(table, &key);
	if (!sib)
		return false;
	do {
		seq = read_seqbegin(&sib->lock);
		enforced = rtp_data(&sib->cfg) &&
			   (sib->cfg.policy == RTPFWD_POLICY_STRICT ||
			    (sib->cfg.policy == RTPFWD_POLICY_LEARN &&
			     smp_load_acquire(&sib->cfg.src_state) ==
			     RTPFWD_SRC_LOCKED));
		addr = sib->cfg.source.addr;
	} while (read_seqretry(&sib->lock, seq));
	return enforced && addr_equal(&addr, &src->addr, flow->key.family);
}

/*
 * Probation of an unlocked learn flow. Non-RTP flows lock on the first
 * packet. RTP flows need two in-sequence RTP packets from one source: the
 * second is forwarded, everything before is dropped, and a packet from any
 * other source (or out of sequence) becomes the new candidate. A candidate
 * at the hinted address keeps the hint: only its port is recorded. A source
 * outside the hint is never learned with EXPECT_ONLY, and by flows without
 * RTP data only on their sibling's word.
 */
static int probation(struct rtpfwd_table *table, struct rtpfwd_flow *flow,
		     const struct rtpfwd_endpoint *src,
		     enum rtpfwd_rtp_kind kind, const struct rtpfwd_rtp_hdr *rtp,
		     struct rtpfwd_fwd *fwd)
{
	struct rtpfwd_flow_cfg *cfg = &flow->cfg;
	u8 hint = cfg->src_state & (RTPFWD_SRC_EXPECT | RTPFWD_SRC_EXPECT_PORT);

	if (hint && !hinted(cfg, src, flow->key.family)) {
		if (cfg->flags & RTPFWD_F_EXPECT_ONLY)
			return RTPFWD_DROP_SOURCE;
		if (!rtp_data(cfg)) {
			if (!sibling_vouches(table, flow, src))
				return RTPFWD_DROP_PROBATION;
			lock_source(cfg, src, fwd);
			return RTPFWD_PASS;
		}
		/*
		 * The probation decides, as without a hint (a NATed phone's
		 * SDP address is not where it sends from); the candidate
		 * takes the hint's slot.
		 */
		hint = 0;
	}
	if (!rtp_data(cfg)) {
		lock_source(cfg, src, fwd);
		return RTPFWD_PASS;
	}
	if (kind != RTPFWD_RTP_DATA)
		return RTPFWD_DROP_PROBATION;
	if ((cfg->src_state & RTPFWD_SRC_STATE) == RTPFWD_SRC_CANDIDATE &&
	    rtpfwd_endpoint_equal(&cfg->source, src, flow->key.family) &&
	    rtp->seq == (u16)(flow->rtp.cand_seq + 1)) {
		lock_source(cfg, src, fwd);
		return RTPFWD_PASS;
	}
	cfg->source = *src;
	cfg->src_state = RTPFWD_SRC_CANDIDATE | hint;
	flow->rtp.cand_seq = rtp->seq;
	return RTPFWD_DROP_PROBATION;
}

static int judge_locked(struct rtpfwd_table *table, struct rtpfwd_flow *flow,
			struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
			struct rtpfwd_fwd *fwd)
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
		int verdict = probation(table, flow, &pkt->src, kind, &rtp,
					fwd);

		if (verdict != RTPFWD_PASS)
			return verdict;
	}

	/*
	 * Jitter compares arrivals of one flow, which RSS keeps on one CPU:
	 * local_clock() (the TSC) serves, and costs a fraction of a
	 * clocksource read (HPET in some VMs).
	 */
	if (kind == RTPFWD_RTP_DATA)
		rtpfwd_rtp_update(&flow->rtp, &rtp,
				  rtpfwd_rtp_arrival(local_clock(),
						     cfg->clock_rate));
	return RTPFWD_PASS;
}

/**
 * rtpfwd_policy_judge - decide a packet's fate and copy what forwarding needs
 * @table: the flows of the packet's netns, for an RTP sibling's word
 * @flow: the flow its destination matched
 * @skb: the packet, network header at skb->data
 * @pkt: what the hook parsed of it
 * @fwd: filled in when the packet may pass; fwd->learned tells the caller to
 *	announce the source just locked
 *
 * Context: softirq (the netfilter hook), rcu_read_lock held.
 * Return: RTPFWD_PASS or the enum rtpfwd_drop reason.
 */
int rtpfwd_policy_judge(struct rtpfwd_table *table, struct rtpfwd_flow *flow,
			struct sk_buff *skb, const struct rtpfwd_pkt *pkt,
			struct rtpfwd_fwd *fwd)
{
	bool lockless;
	int verdict;

	fwd->rtcp = false;
	fwd->learned = false;
	do {
		fwd->seq = read_seqbegin(&flow->lock);
		lockless = stateless(&flow->cfg);
		/* The others copy under the lock below, only once. */
		if (!lockless)
			break;
		copy_fwd(&flow->cfg, fwd);
	} while (read_seqretry(&flow->lock, fwd->seq));
	if (lockless)
		return RTPFWD_PASS;

	/*
	 * Learning and RTP statistics write the flow: take the writers' lock
	 * without bumping the sequence, so lockless readers are not disturbed.
	 * Writers are excluded, so the sequence read under it is the one the
	 * copy belongs to, for rtpfwd_forward()'s route-cache check. Any
	 * configuration is judged right here, a stateless one too (a
	 * FLOW_SET may have made it so since).
	 */
	read_seqlock_excl(&flow->lock);
	fwd->seq = read_seqbegin(&flow->lock);
	verdict = judge_locked(table, flow, skb, pkt, fwd);
	copy_fwd(&flow->cfg, fwd);
	read_sequnlock_excl(&flow->lock);
	return verdict;
}

/* The EXPECT nest into the source slot: an address and maybe a port. */
static int parse_hint(const struct nlattr *nest, u8 family,
		      struct rtpfwd_flow_cfg *cfg,
		      struct netlink_ext_ack *extack)
{
	struct rtpfwd_endpoint *hint = &cfg->source;
	struct nlattr *tb[RTPFWD_EP_MAX + 1];
	int err;

	err = nla_parse_nested(tb, RTPFWD_EP_MAX, nest, rtpfwd_ep_nl_policy,
			       extack);
	if (err)
		return err;
	if (!!tb[RTPFWD_EP_IPV4] == !!tb[RTPFWD_EP_IPV6])
		return reject(extack, nest,
			      "EXPECT needs exactly one of IPV4 and IPV6");
	if ((tb[RTPFWD_EP_IPV4] ? AF_INET : AF_INET6) != family)
		return reject(extack, nest,
			      "EXPECT address family differs from LOCAL");
	if (!rtpfwd_nl_ep_addr(tb, family, hint))
		return reject(extack, nest, "EXPECT address is unspecified");
	cfg->src_state = RTPFWD_SRC_NONE | RTPFWD_SRC_EXPECT;
	if (tb[RTPFWD_EP_PORT]) {
		hint->port = htons(nla_get_u16(tb[RTPFWD_EP_PORT]));
		cfg->src_state |= RTPFWD_SRC_EXPECT_PORT;
	}
	return 0;
}

/**
 * rtpfwd_policy_parse_learn - apply EXPECT and check the learn options
 * @expect: the EXPECT attribute, or NULL
 * @flags: the FLAGS attribute, or NULL; blamed for a misplaced EXPECT_ONLY
 * @family: the flow's address family
 * @cfg: the configuration FLOW_NEW or FLOW_SET builds, the other
 *	attributes applied
 * @restart: learning starts afresh (the source slot was reset)
 * @extack: for the rejection
 *
 * EXPECT restarts learning like POLICY does, so the caller counts it in
 * @restart. EXPECT_ONLY needs the learn policy, and a hint when learning
 * restarts (after locking the hint is gone, so a later FLOW_SET of FLAGS
 * alone is not checked for one).
 *
 * Context: process, the netns lock held.
 * Return: 0, or -EINVAL with an extack message.
 */
int rtpfwd_policy_parse_learn(const struct nlattr *expect,
			      const struct nlattr *flags, u8 family,
			      struct rtpfwd_flow_cfg *cfg, bool restart,
			      struct netlink_ext_ack *extack)
{
	int err;

	if (expect) {
		if (cfg->policy != RTPFWD_POLICY_LEARN)
			return reject(extack, expect,
				      "EXPECT applies to the learn policy only");
		err = parse_hint(expect, family, cfg, extack);
		if (err)
			return err;
	}
	if (!(cfg->flags & RTPFWD_F_EXPECT_ONLY))
		return 0;
	if (cfg->policy != RTPFWD_POLICY_LEARN)
		return reject(extack, flags,
			      "EXPECT_ONLY applies to the learn policy only");
	if (restart && !expect) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, RTPFWD_A_EXPECT);
		return reject(extack, flags, "EXPECT_ONLY needs EXPECT");
	}
	return 0;
}

/**
 * rtpfwd_policy_put_expect - write the EXPECT hint a learn flow still holds
 * @skb: the message
 * @family: the flow's address family
 * @cfg: a consistent copy of the flow's configuration
 *
 * Nothing once the source is locked, or an RTP candidate from another
 * address has taken the hint's slot.
 *
 * Return: 0 or -EMSGSIZE.
 */
int rtpfwd_policy_put_expect(struct sk_buff *skb, u8 family,
			     const struct rtpfwd_flow_cfg *cfg)
{
	struct nlattr *nest;

	if (cfg->policy != RTPFWD_POLICY_LEARN ||
	    !(cfg->src_state & RTPFWD_SRC_EXPECT))
		return 0;
	nest = nla_nest_start(skb, RTPFWD_A_EXPECT);
	if (!nest)
		return -EMSGSIZE;
	if ((family == AF_INET ?
	     nla_put_in_addr(skb, RTPFWD_EP_IPV4, cfg->source.addr.v4) :
	     nla_put_in6_addr(skb, RTPFWD_EP_IPV6, &cfg->source.addr.v6)) ||
	    ((cfg->src_state & RTPFWD_SRC_EXPECT_PORT) &&
	     nla_put_u16(skb, RTPFWD_EP_PORT, ntohs(cfg->source.port)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
