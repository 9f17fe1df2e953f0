// SPDX-License-Identifier: GPL-2.0
/*
 * A userspace relay flow: configuration checks as strict as rtpfwd.ko's
 * FLOW_NEW/FLOW_SET, the packet verdict of kmod/policy.c, counters in the
 * kernel's units and the idle rule of its FLOW_IDLE event.
 *
 * The source policy is the RTP-bleed defence: a learn flow accepts nothing
 * until one source has sent two in-sequence RTP packets (RFC 3550 A.1
 * probation, MIN_SEQUENTIAL 2), then only that source, exactly like strict.
 * With an EXPECT hint, flows without RTP data learn a source outside it only
 * on their RTP sibling's word, and EXPECT_ONLY flows never (kmod/policy.c).
 */
#include <errno.h>
#include <string.h>

#include "relay_flow.h"

#define MAX_TIMEOUT_S	86400
#define MAX_CLOCK_RATE	1000000
#define DEFAULT_CLOCK	8000
/* What the relay implements of enum rtpfwd_flag. */
#define RELAY_FLAGS	(RTPFWD_F_RTP | RTPFWD_F_RTCP | RTPFWD_F_EXPECT_ONLY)
/* Attributes FLOW_SET may change here. */
#define SETTABLE	(1U << RTPFWD_A_ID | 1U << RTPFWD_A_COOKIE | 1U << RTPFWD_A_OUT | \
			 1U << RTPFWD_A_PEER | 1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_SOURCE | \
			 1U << RTPFWD_A_FLAGS | 1U << RTPFWD_A_PT_MASK | \
			 1U << RTPFWD_A_TIMEOUT | 1U << RTPFWD_A_CLOCK_RATE | \
			 1U << RTPFWD_A_EXPECT)

static bool specified(const struct endpoint *ep, sa_family_t family)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (ep->family != family || !ep->port)
		return false;
	if (family == AF_INET)
		return ep->addr.v4.s_addr != htonl(INADDR_ANY);
	return memcmp(&ep->addr.v6, &any6, sizeof(any6)) != 0;
}

/* EXPECT: an address of the flow's family; the port is optional. */
static bool hint_valid(const struct endpoint *hint, sa_family_t family)
{
	struct endpoint ep = *hint;

	ep.port = 1;
	return specified(&ep, family);
}

/*
 * The merged configuration @c, as the kernel would accept it; @restart:
 * learning starts afresh, so EXPECT_ONLY needs a hint in @c.
 */
static int check(const struct nl_flow *c, bool restart)
{
	sa_family_t family = c->local.family;

	if (!specified(&c->local, family) || !specified(&c->out, family) ||
	    !specified(&c->peer, family))
		return -EINVAL;
	if (c->policy > RTPFWD_POLICY_MAX)
		return -EINVAL;
	if (c->policy == RTPFWD_POLICY_STRICT && !specified(&c->source, family))
		return -EINVAL;
	if (c->policy != RTPFWD_POLICY_STRICT && nl_flow_has(c, RTPFWD_A_SOURCE))
		return -EINVAL;
	if (nl_flow_has(c, RTPFWD_A_EXPECT) &&
	    (c->policy != RTPFWD_POLICY_LEARN || !hint_valid(&c->expect, family)))
		return -EINVAL;
	if ((c->flags & RTPFWD_F_EXPECT_ONLY) &&
	    (c->policy != RTPFWD_POLICY_LEARN || (restart && !nl_flow_has(c, RTPFWD_A_EXPECT))))
		return -EINVAL;
	if (c->flags & ~RELAY_FLAGS)
		return -EOPNOTSUPP;
	if (c->timeout > MAX_TIMEOUT_S)
		return -ERANGE;
	if (c->clock_rate < 1 || c->clock_rate > MAX_CLOCK_RATE)
		return -ERANGE;
	return 0;
}

static void restart_learning(struct relay_flow *f)
{
	f->src_state = RELAY_SRC_NONE;
	if (f->cfg.policy != RTPFWD_POLICY_STRICT)
		memset(&f->cfg.source, 0, sizeof(f->cfg.source));
}

/**
 * relay_flow_init() - a new flow, as FLOW_NEW would create it
 * @f: the flow
 * @cfg: LOCAL, OUT and PEER required; COOKIE, POLICY, SOURCE (strict
 *	 only, then required), EXPECT (learn only), FLAGS (RTP, RTCP,
 *	 EXPECT_ONLY), PT_MASK, TIMEOUT and CLOCK_RATE optional; ID is the
 *	 caller's to set afterwards
 * @now_ms: the loop's clock
 *
 * Return: 0, -EINVAL or -ERANGE for what the kernel rejects too,
 * -EOPNOTSUPP for what only the kernel does (TOS, OWNED, IDLE_DELETE).
 */
int relay_flow_init(struct relay_flow *f, const struct nl_flow *cfg, uint64_t now_ms)
{
	const uint32_t need = 1U << RTPFWD_A_LOCAL | 1U << RTPFWD_A_OUT | 1U << RTPFWD_A_PEER;
	int ret;

	memset(f, 0, sizeof(*f));
	if ((cfg->attrs & need) != need)
		return -EINVAL;
	if (cfg->attrs & ~(SETTABLE | 1U << RTPFWD_A_LOCAL))
		return -EOPNOTSUPP;
	f->cfg = *cfg;
	if (!nl_flow_has(cfg, RTPFWD_A_POLICY))
		f->cfg.policy = RTPFWD_POLICY_ANY;
	if (!nl_flow_has(cfg, RTPFWD_A_CLOCK_RATE))
		f->cfg.clock_rate = DEFAULT_CLOCK;
	ret = check(&f->cfg, true);
	if (ret)
		return ret;
	f->pt_filter = nl_flow_has(cfg, RTPFWD_A_PT_MASK);
	f->quiet_since_ms = now_ms;
	return 0;
}

/**
 * relay_flow_set() - change a flow, as FLOW_SET would
 * @f: the flow
 * @cfg: the attributes to change (ID and LOCAL are ignored)
 *
 * All or nothing. Setting POLICY, SOURCE or EXPECT restarts learning (a
 * POLICY without EXPECT drops the hint); the counters and RTP statistics
 * stay.
 *
 * Return: 0, or the error of relay_flow_init() with @f unchanged.
 */
int relay_flow_set(struct relay_flow *f, const struct nl_flow *cfg)
{
	const uint32_t restarts = 1U << RTPFWD_A_POLICY | 1U << RTPFWD_A_SOURCE |
				  1U << RTPFWD_A_EXPECT;
	bool restart = cfg->attrs & restarts;
	struct nl_flow c = f->cfg;
	int ret;

	if (cfg->attrs & ~SETTABLE)
		return -EOPNOTSUPP;
	if (nl_flow_has(cfg, RTPFWD_A_COOKIE))
		c.cookie = cfg->cookie;
	if (nl_flow_has(cfg, RTPFWD_A_OUT))
		c.out = cfg->out;
	if (nl_flow_has(cfg, RTPFWD_A_PEER))
		c.peer = cfg->peer;
	if (nl_flow_has(cfg, RTPFWD_A_POLICY))
		c.policy = cfg->policy;
	if (nl_flow_has(cfg, RTPFWD_A_POLICY) || nl_flow_has(cfg, RTPFWD_A_SOURCE)) {
		c.source = cfg->source;
		c.attrs &= ~(1U << RTPFWD_A_SOURCE);
		c.attrs |= cfg->attrs & (1U << RTPFWD_A_SOURCE);
	}
	if (restart) {
		c.expect = cfg->expect;
		c.attrs &= ~(1U << RTPFWD_A_EXPECT);
		c.attrs |= cfg->attrs & (1U << RTPFWD_A_EXPECT);
	}
	if (nl_flow_has(cfg, RTPFWD_A_FLAGS))
		c.flags = cfg->flags;
	if (nl_flow_has(cfg, RTPFWD_A_PT_MASK))
		memcpy(c.pt_mask, cfg->pt_mask, sizeof(c.pt_mask));
	if (nl_flow_has(cfg, RTPFWD_A_TIMEOUT))
		c.timeout = cfg->timeout;
	if (nl_flow_has(cfg, RTPFWD_A_CLOCK_RATE))
		c.clock_rate = cfg->clock_rate;
	ret = check(&c, restart);
	if (ret)
		return ret;
	f->cfg = c;
	if (nl_flow_has(cfg, RTPFWD_A_PT_MASK))
		f->pt_filter = true;
	if (restart)
		restart_learning(f);
	return 0;
}

/* Locking ends the hint, as the kernel's source slot then holds the source. */
static void lock_source(struct relay_flow *f, const struct endpoint *src, bool *learned)
{
	f->cfg.source = *src;
	f->cfg.attrs &= ~(1U << RTPFWD_A_EXPECT);
	f->src_state = RELAY_SRC_LOCKED;
	*learned = true;
}

static bool addr_equal(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

/* Flows whose learning runs the RTP probation. */
static bool rtp_data(const struct nl_flow *c)
{
	return (c->flags & RTPFWD_F_RTP) && !(c->flags & RTPFWD_F_RTCP);
}

/**
 * relay_flow_wants_sibling() - whether judging may ask the RTP sibling
 * @f: the flow
 *
 * Return: true for an unlocked learn flow without RTP data holding a hint,
 * the only one relay_flow_judge() reads its sibling for.
 */
bool relay_flow_wants_sibling(const struct relay_flow *f)
{
	return f->cfg.policy == RTPFWD_POLICY_LEARN && f->src_state != RELAY_SRC_LOCKED &&
	       nl_flow_has(&f->cfg, RTPFWD_A_EXPECT) && !rtp_data(&f->cfg);
}

/* Whether the RTP flow @sib enforces a source at @src's address. */
static bool sibling_vouches(const struct relay_flow *sib, const struct endpoint *src)
{
	if (!sib || !rtp_data(&sib->cfg))
		return false;
	if (sib->cfg.policy != RTPFWD_POLICY_STRICT &&
	    (sib->cfg.policy != RTPFWD_POLICY_LEARN || sib->src_state != RELAY_SRC_LOCKED))
		return false;
	return addr_equal(&sib->cfg.source, src);
}

/*
 * Probation of an unlocked learn flow: flows without RTP (or with RTCP)
 * lock on the first packet; RTP flows on the second of two in-sequence
 * RTP packets from one source, dropping what came before. A source outside
 * the EXPECT hint is never learned with EXPECT_ONLY, by flows without RTP
 * data only on their sibling's word, and by RTP flows through the
 * probation, its candidate then ending the hint (NATed phones).
 */
static int probation(struct relay_flow *f, const struct relay_flow *sibling,
		     const struct endpoint *src, enum relay_rtp_kind kind,
		     const struct relay_rtp_hdr *rtp, bool *learned)
{
	const struct endpoint *hint = &f->cfg.expect;

	if (nl_flow_has(&f->cfg, RTPFWD_A_EXPECT) &&
	    !(addr_equal(hint, src) && (!hint->port || hint->port == src->port))) {
		if (f->cfg.flags & RTPFWD_F_EXPECT_ONLY)
			return RTPFWD_DROP_SOURCE;
		if (!rtp_data(&f->cfg)) {
			if (!sibling_vouches(sibling, src))
				return RTPFWD_DROP_PROBATION;
			lock_source(f, src, learned);
			return RELAY_PASS;
		}
		f->cfg.attrs &= ~(1U << RTPFWD_A_EXPECT);
	}
	if (!rtp_data(&f->cfg)) {
		lock_source(f, src, learned);
		return RELAY_PASS;
	}
	if (kind != RELAY_RTP_DATA)
		return RTPFWD_DROP_PROBATION;
	if (f->src_state == RELAY_SRC_CANDIDATE && endpoint_equal(&f->cfg.source, src) &&
	    rtp->seq == (uint16_t)(f->cand_seq + 1)) {
		lock_source(f, src, learned);
		return RELAY_PASS;
	}
	f->cfg.source = *src;
	f->src_state = RELAY_SRC_CANDIDATE;
	f->cand_seq = rtp->seq;
	return RTPFWD_DROP_PROBATION;
}

/**
 * relay_flow_judge() - decide whether a packet received on the flow passes
 * @f: the flow
 * @sibling: the flow at the local port below, when
 *	     relay_flow_wants_sibling(@f); NULL otherwise or if there is none
 * @src: the packet's source
 * @buf: its UDP payload
 * @len: the payload's length
 * @arrival_ns: when it arrived, monotonic or real-time nanoseconds
 * @learned: set when this packet locked a learn flow's source
 * @rtcp: set when it counts as RTCP
 *
 * Return: RELAY_PASS or the enum rtpfwd_drop reason.
 */
int relay_flow_judge(struct relay_flow *f, const struct relay_flow *sibling,
		     const struct endpoint *src, const uint8_t *buf, size_t len,
		     uint64_t arrival_ns, bool *learned, bool *rtcp)
{
	enum relay_rtp_kind kind = RELAY_RTP_CONTROL;
	struct relay_rtp_hdr rtp = { 0 };
	bool enforce;
	int verdict;

	*learned = false;
	*rtcp = false;
	if (f->cfg.flags & (RTPFWD_F_RTP | RTPFWD_F_RTCP)) {
		kind = relay_rtp_classify(buf, len, f->cfg.flags, &rtp);
		if (kind == RELAY_RTP_MALFORMED)
			return RTPFWD_DROP_MALFORMED;
		*rtcp = kind == RELAY_RTP_CONTROL;
	}

	enforce = f->cfg.policy == RTPFWD_POLICY_STRICT ||
		  (f->cfg.policy == RTPFWD_POLICY_LEARN && f->src_state == RELAY_SRC_LOCKED);
	if (enforce && !endpoint_equal(&f->cfg.source, src))
		return RTPFWD_DROP_SOURCE;

	/* Before probation, so a filtered payload type cannot win it. */
	if (kind == RELAY_RTP_DATA && f->pt_filter && !relay_rtp_pt_allowed(f->cfg.pt_mask, rtp.pt))
		return RTPFWD_DROP_PAYLOAD_TYPE;

	if (f->cfg.policy == RTPFWD_POLICY_LEARN && !enforce) {
		verdict = probation(f, sibling, src, kind, &rtp, learned);
		if (verdict != RELAY_PASS)
			return verdict;
	}
	if (kind == RELAY_RTP_DATA)
		relay_rtp_update(&f->rtp, &rtp, relay_rtp_arrival(arrival_ns, f->cfg.clock_rate));
	return RELAY_PASS;
}

/**
 * relay_flow_count() - account a judged packet
 * @f: the flow
 * @verdict: RELAY_PASS for a packet sent on, else the drop reason (a
 *	     failed send is RTPFWD_DROP_XMIT)
 * @len: its UDP payload length
 * @rtcp: it counts as RTCP
 * @now_ms: the loop's clock
 */
void relay_flow_count(struct relay_flow *f, int verdict, size_t len, bool rtcp,
		      uint64_t now_ms)
{
	if (verdict != RELAY_PASS) {
		if (verdict >= 0 && verdict < __RTPFWD_DROP_MAX)
			f->drops[verdict]++;
		return;
	}
	if (rtcp) {
		f->rtcp_packets++;
		f->rtcp_bytes += len;
	} else {
		f->packets++;
		f->bytes += len;
	}
	if (!f->forwarded)
		f->first_ms = now_ms;
	f->forwarded = true;
	f->last_ms = now_ms;
	f->quiet_since_ms = now_ms;
	f->idle_reported = false;
}

/**
 * relay_flow_idle() - whether the flow just went idle
 * @f: the flow
 * @now_ms: the loop's clock
 *
 * As the kernel's FLOW_IDLE: nothing forwarded for the flow's TIMEOUT
 * since the last packet or creation, reported once per silence.
 *
 * Return: true once, when the silence reaches TIMEOUT.
 */
bool relay_flow_idle(struct relay_flow *f, uint64_t now_ms)
{
	if (!f->cfg.timeout || f->idle_reported)
		return false;
	if (now_ms - f->quiet_since_ms < (uint64_t)f->cfg.timeout * 1000)
		return false;
	f->idle_reported = true;
	return true;
}

static void stat(struct nl_stats *st, int counter, uint64_t v)
{
	st->present |= 1U << counter;
	st->v[counter] = v;
}

/**
 * relay_flow_report() - the flow as FLOW_GET would describe it
 * @f: the flow
 * @now_ms: the loop's clock, for FIRST_MS and LAST_MS ("ms since")
 * @out: filled with the configuration and STATS
 */
void relay_flow_report(const struct relay_flow *f, uint64_t now_ms, struct nl_flow *out)
{
	struct nl_stats *st = &out->stats;
	int i;

	*out = f->cfg;
	memset(st, 0, sizeof(*st));
	out->attrs |= 1U << RTPFWD_A_ID | 1U << RTPFWD_A_COOKIE | 1U << RTPFWD_A_POLICY |
		      1U << RTPFWD_A_FLAGS | 1U << RTPFWD_A_TIMEOUT |
		      1U << RTPFWD_A_CLOCK_RATE | 1U << RTPFWD_A_STATS;
	out->learned = f->cfg.policy == RTPFWD_POLICY_LEARN && f->src_state == RELAY_SRC_LOCKED;
	if (f->cfg.policy == RTPFWD_POLICY_STRICT || out->learned)
		out->attrs |= 1U << RTPFWD_A_SOURCE;
	else
		out->attrs &= ~(1U << RTPFWD_A_SOURCE);
	if (out->learned)
		out->attrs |= 1U << RTPFWD_A_LEARNED;
	stat(st, RTPFWD_STATS_PACKETS, f->packets);
	stat(st, RTPFWD_STATS_BYTES, f->bytes);
	stat(st, RTPFWD_STATS_RTCP_PACKETS, f->rtcp_packets);
	stat(st, RTPFWD_STATS_RTCP_BYTES, f->rtcp_bytes);
	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		stat(st, RTPFWD_STATS_DROP_SOURCE + i, f->drops[i]);
	if (f->forwarded) {
		stat(st, RTPFWD_STATS_FIRST_MS, now_ms - f->first_ms);
		stat(st, RTPFWD_STATS_LAST_MS, now_ms - f->last_ms);
	}
	if (f->rtp.active) {
		stat(st, RTPFWD_STATS_SSRC, f->rtp.ssrc);
		stat(st, RTPFWD_STATS_EXT_SEQ, relay_rtp_ext_seq(&f->rtp));
		stat(st, RTPFWD_STATS_LOST, (uint64_t)(int64_t)relay_rtp_lost(&f->rtp));
		stat(st, RTPFWD_STATS_JITTER, relay_rtp_jitter(&f->rtp));
	}
}
