// SPDX-License-Identifier: GPL-2.0
/*
 * The rtpfwd generic netlink family: command handlers, the flow message
 * layout shared by replies, dumps and events, and the owner-release hook.
 *
 * Every handler has the same shape: check required attributes, parse, take
 * the netns lock, find the flow, act, reply. Every rejection carries an
 * extack message and, where one is to blame, the attribute.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/stringify.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "compat.h"
#include "events.h"
#include "flow.h"
#include "netlink-gen.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "stats.h"

static const struct genl_multicast_group rtpfwd_nl_mcgrps[] = {
	{ .name = RTPFWD_MCGRP_EVENTS, RTPFWD_MCGRP_FLAGS },
};

struct genl_family rtpfwd_nl_family __ro_after_init = {
	.name = RTPFWD_FAMILY_NAME,
	.version = RTPFWD_FAMILY_VERSION,
	.maxattr = RTPFWD_A_MAX,
	.netnsok = true,
	.parallel_ops = true,	/* each netns has its own lock */
	.module = THIS_MODULE,
	.ops = rtpfwd_nl_ops,
	.n_ops = ARRAY_SIZE(rtpfwd_nl_ops),
	.mcgrps = rtpfwd_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rtpfwd_nl_mcgrps),
};

/* ---- the flow message ---- */

static size_t ep_size(void)
{
	return nla_total_size(0) + nla_total_size(sizeof(struct in6_addr)) +
	       nla_total_size(sizeof(u16));
}

/**
 * rtpfwd_nl_flow_size - room a flow message needs, headers excluded
 *
 * Return: the payload size for genlmsg_new().
 */
size_t rtpfwd_nl_flow_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* ID */
	       nla_total_size_64bit(sizeof(u64)) +	/* COOKIE */
	       5 * ep_size() +		/* LOCAL, OUT, PEER, SOURCE, EXPECT */
	       nla_total_size(sizeof(u8)) +		/* POLICY */
	       nla_total_size(0) +			/* LEARNED */
	       3 * nla_total_size(sizeof(u32)) +	/* FLAGS, TIMEOUT, CLOCK_RATE */
	       nla_total_size(16) +			/* PT_MASK */
	       nla_total_size(sizeof(u8)) +		/* TOS */
	       nla_total_size(sizeof(u8)) +		/* DELETE_REASON */
	       nla_total_size(0) +			/* STATS */
	       13 * nla_total_size_64bit(sizeof(u64)) + /* counters, times */
	       4 * nla_total_size(sizeof(u32));		/* SSRC .. JITTER */
}

static int put_ep(struct sk_buff *skb, int type, u8 family,
		  const struct rtpfwd_endpoint *ep)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if ((family == AF_INET ?
	     nla_put_in_addr(skb, RTPFWD_EP_IPV4, ep->addr.v4) :
	     nla_put_in6_addr(skb, RTPFWD_EP_IPV6, &ep->addr.v6)) ||
	    nla_put_u16(skb, RTPFWD_EP_PORT, ntohs(ep->port))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_ms_ago(struct sk_buff *skb, int type, u32 then, u32 now)
{
	return nla_put_u64_64bit(skb, type, jiffies_to_msecs(now - then),
				 RTPFWD_STATS_PAD);
}

static int put_flow_stats(struct sk_buff *skb, struct rtpfwd_flow *flow,
			  const struct rtpfwd_flow_view *v)
{
	u32 now = jiffies;
	struct rtpfwd_totals t;
	struct nlattr *nest;

	nest = nla_nest_start(skb, RTPFWD_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	rtpfwd_stats_sum(flow->stats, &t);
	if (rtpfwd_stats_put(skb, &t))
		goto cancel;
	if (v->first &&
	    (put_ms_ago(skb, RTPFWD_STATS_FIRST_MS, v->first, now) ||
	     put_ms_ago(skb, RTPFWD_STATS_LAST_MS, v->last, now)))
		goto cancel;
	if (rtpfwd_rtp_active(&v->rtp) &&
	    (nla_put_u32(skb, RTPFWD_STATS_SSRC, v->rtp.ssrc) ||
	     nla_put_u32(skb, RTPFWD_STATS_EXT_SEQ, rtpfwd_rtp_ext_seq(&v->rtp)) ||
	     nla_put_s32(skb, RTPFWD_STATS_LOST, rtpfwd_rtp_lost(&v->rtp)) ||
	     nla_put_u32(skb, RTPFWD_STATS_JITTER, rtpfwd_rtp_jitter(&v->rtp))))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_source(struct sk_buff *skb, u8 family,
		      const struct rtpfwd_flow_cfg *cfg)
{
	if (cfg->policy == RTPFWD_POLICY_STRICT)
		return put_ep(skb, RTPFWD_A_SOURCE, family, &cfg->source);
	if (cfg->policy == RTPFWD_POLICY_LEARN &&
	    cfg->src_state == RTPFWD_SRC_LOCKED)
		return put_ep(skb, RTPFWD_A_SOURCE, family, &cfg->source) ?:
		       nla_put_flag(skb, RTPFWD_A_LEARNED);
	return 0;
}

/**
 * rtpfwd_nl_fill_flow - write a flow message
 * @skb: the message buffer
 * @flow: the flow, kept alive by the caller (RCU or netns lock)
 * @portid: destination portid (0 for events)
 * @seq: sequence number to answer
 * @flags: NLM_F_* (NLM_F_MULTI in dumps)
 * @cmd: the command or event
 * @reason: enum rtpfwd_delete_reason for FLOW_DELETED, else 0
 * @cb: the dump callback, for NLM_F_DUMP_INTR; NULL outside dumps
 *
 * Layout: ID, COOKIE, LOCAL, OUT, PEER, POLICY, SOURCE (+LEARNED), EXPECT
 * (while learn holds it), FLAGS,
 * PT_MASK (if filtering), TIMEOUT, TOS (if set), CLOCK_RATE, STATS,
 * DELETE_REASON (FLOW_DELETED only).
 *
 * Context: process or softirq; the flow's lock not held.
 * Return: 0 or -EMSGSIZE (the message is then cancelled).
 */
int rtpfwd_nl_fill_flow(struct sk_buff *skb, struct rtpfwd_flow *flow,
			u32 portid, u32 seq, int flags, u8 cmd, u8 reason,
			struct netlink_callback *cb)
{
	const struct rtpfwd_flow_cfg *cfg;
	struct rtpfwd_endpoint local = {
		.addr = flow->key.addr,
		.port = flow->key.port,
	};
	u8 family = flow->key.family;
	struct rtpfwd_flow_view v;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rtpfwd_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	rtpfwd_flow_view(flow, &v);
	cfg = &v.cfg;
	if (nla_put_u32(skb, RTPFWD_A_ID, flow->id) ||
	    nla_put_u64_64bit(skb, RTPFWD_A_COOKIE, cfg->cookie, RTPFWD_A_PAD) ||
	    put_ep(skb, RTPFWD_A_LOCAL, family, &local) ||
	    put_ep(skb, RTPFWD_A_OUT, family, &cfg->out) ||
	    put_ep(skb, RTPFWD_A_PEER, family, &cfg->peer) ||
	    nla_put_u8(skb, RTPFWD_A_POLICY, cfg->policy) ||
	    put_source(skb, family, cfg) ||
	    rtpfwd_policy_put_expect(skb, family, cfg) ||
	    nla_put_u32(skb, RTPFWD_A_FLAGS, cfg->flags) ||
	    (rtpfwd_flow_pt_filter(cfg) &&
	     nla_put(skb, RTPFWD_A_PT_MASK, RTPFWD_PT_MASK_LEN, cfg->pt_mask)) ||
	    nla_put_u32(skb, RTPFWD_A_TIMEOUT, cfg->timeout) ||
	    (cfg->tos && nla_put_u8(skb, RTPFWD_A_TOS, cfg->tos)) ||
	    nla_put_u32(skb, RTPFWD_A_CLOCK_RATE, cfg->clock_rate) ||
	    put_flow_stats(skb, flow, &v) ||
	    (reason && nla_put_u8(skb, RTPFWD_A_DELETE_REASON, reason))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* ---- parsing ---- */

/**
 * rtpfwd_nl_ep_addr - an endpoint nest's address into @ep, port 0
 * @tb: the nest parsed with rtpfwd_ep_nl_policy, its address of @family
 * @family: AF_INET or AF_INET6
 * @ep: filled in
 *
 * Return: false when the address is unspecified (0.0.0.0 or ::).
 */
bool rtpfwd_nl_ep_addr(struct nlattr **tb, u8 family, struct rtpfwd_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (family == AF_INET)
		ep->addr.v4 = nla_get_in_addr(tb[RTPFWD_EP_IPV4]);
	else
		ep->addr.v6 = nla_get_in6_addr(tb[RTPFWD_EP_IPV6]);
	return family == AF_INET ? ep->addr.v4 : !ipv6_addr_any(&ep->addr.v6);
}

/*
 * An endpoint nest: exactly one address, a port (the policy keeps it
 * non-zero), and the address family @family if that is already known.
 */
static int parse_ep(struct nlattr *nest, u8 *family, struct rtpfwd_endpoint *ep,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RTPFWD_EP_MAX + 1];
	u8 fam;
	int err;

	err = nla_parse_nested(tb, RTPFWD_EP_MAX, nest, rtpfwd_ep_nl_policy,
			       extack);
	if (err)
		return err;
	if (!!tb[RTPFWD_EP_IPV4] == !!tb[RTPFWD_EP_IPV6])
		return reject(extack, nest,
			      "endpoint needs exactly one of IPV4 and IPV6");
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, RTPFWD_EP_PORT)) {
		NL_SET_ERR_MSG_MOD(extack, "endpoint needs PORT");
		return -EINVAL;
	}
	fam = tb[RTPFWD_EP_IPV4] ? AF_INET : AF_INET6;
	if (*family && fam != *family)
		return reject(extack, nest,
			      "endpoint address family differs from LOCAL");

	if (!rtpfwd_nl_ep_addr(tb, fam, ep))
		return reject(extack, nest, "endpoint address is unspecified");
	ep->port = htons(nla_get_u16(tb[RTPFWD_EP_PORT]));
	*family = fam;
	return 0;
}

static int parse_local(struct nlattr *nest, struct rtpfwd_key *key,
		       struct netlink_ext_ack *extack)
{
	struct rtpfwd_endpoint ep;
	u8 family = 0;
	int err;

	err = parse_ep(nest, &family, &ep, extack);
	if (err)
		return err;
	memset(key, 0, sizeof(*key));
	key->addr = ep.addr;
	key->port = ep.port;
	key->family = family;
	return 0;
}

/* What parse_cfg() found changed. */
struct cfg_change {
	bool restart_source;
	bool reroute;
};

/*
 * Apply the configuration attributes of FLOW_NEW or FLOW_SET to @cfg, which
 * holds the current (or default) configuration, and check the result.
 */
static int parse_cfg(struct genl_info *info, u8 family,
		     struct rtpfwd_flow_cfg *cfg, struct cfg_change *chg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	u8 old_policy = cfg->policy;
	struct rtpfwd_endpoint ep;
	int err;

	memset(chg, 0, sizeof(*chg));
	if (attrs[RTPFWD_A_OUT]) {
		err = parse_ep(attrs[RTPFWD_A_OUT], &family, &ep, extack);
		if (err)
			return err;
		chg->reroute |= !rtpfwd_endpoint_equal(&ep, &cfg->out, family);
		cfg->out = ep;
	}
	if (attrs[RTPFWD_A_PEER]) {
		err = parse_ep(attrs[RTPFWD_A_PEER], &family, &ep, extack);
		if (err)
			return err;
		chg->reroute |= !rtpfwd_endpoint_equal(&ep, &cfg->peer, family);
		cfg->peer = ep;
	}
	if (attrs[RTPFWD_A_POLICY])
		cfg->policy = nla_get_u8(attrs[RTPFWD_A_POLICY]);
	if (attrs[RTPFWD_A_SOURCE]) {
		if (cfg->policy != RTPFWD_POLICY_STRICT)
			return reject(extack, attrs[RTPFWD_A_SOURCE],
				      "SOURCE applies to the strict policy only");
		err = parse_ep(attrs[RTPFWD_A_SOURCE], &family, &cfg->source,
			       extack);
		if (err)
			return err;
	} else if (cfg->policy == RTPFWD_POLICY_STRICT &&
		   old_policy != RTPFWD_POLICY_STRICT) {
		NL_SET_ERR_MSG_MOD(extack, "the strict policy needs SOURCE");
		NL_SET_BAD_ATTR(extack, attrs[RTPFWD_A_POLICY]);
		NL_SET_ERR_ATTR_MISS(extack, NULL, RTPFWD_A_SOURCE);
		return -EINVAL;
	}
	/* Setting POLICY, SOURCE or EXPECT starts learning (or enforcing) afresh. */
	if (attrs[RTPFWD_A_POLICY] || attrs[RTPFWD_A_SOURCE] ||
	    attrs[RTPFWD_A_EXPECT]) {
		chg->restart_source = true;
		cfg->src_state = RTPFWD_SRC_NONE;
		if (cfg->policy != RTPFWD_POLICY_STRICT)
			memset(&cfg->source, 0, sizeof(cfg->source));
	}
	if (attrs[RTPFWD_A_FLAGS])
		cfg->flags = nla_get_u32(attrs[RTPFWD_A_FLAGS]);
	if (attrs[RTPFWD_A_TIMEOUT])
		cfg->timeout = nla_get_u32(attrs[RTPFWD_A_TIMEOUT]);
	if (attrs[RTPFWD_A_TOS])
		cfg->tos = nla_get_u8(attrs[RTPFWD_A_TOS]);
	if (attrs[RTPFWD_A_CLOCK_RATE])
		cfg->clock_rate = nla_get_u32(attrs[RTPFWD_A_CLOCK_RATE]);
	if (attrs[RTPFWD_A_COOKIE])
		cfg->cookie = nla_get_u64(attrs[RTPFWD_A_COOKIE]);
	return rtpfwd_policy_parse_learn(attrs[RTPFWD_A_EXPECT],
					 attrs[RTPFWD_A_FLAGS], family, cfg,
					 chg->restart_source, extack);
}

/*
 * PT_MASK, the one configuration attribute that allocates: parsed last, so
 * nothing fails after it before the flow takes the mask.
 */
static int parse_pt_mask(struct genl_info *info, struct rtpfwd_flow_cfg *cfg)
{
	struct nlattr *attr = info->attrs[RTPFWD_A_PT_MASK];

	return attr ? rtpfwd_flow_pt_mask(cfg, nla_data(attr)) : 0;
}

/* The flow FLOW_GET or FLOW_DEL names, by ID or by LOCAL. */
static struct rtpfwd_flow *find_flow(struct rtpfwd_net *rn,
				     struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct rtpfwd_flow *flow;
	struct rtpfwd_key key;
	int err;

	lockdep_assert_held(&rn->lock);
	if (attrs[RTPFWD_A_ID] && attrs[RTPFWD_A_LOCAL])
		return ERR_PTR(reject(extack, attrs[RTPFWD_A_LOCAL],
				      "give ID or LOCAL, not both"));
	if (attrs[RTPFWD_A_ID]) {
		flow = rtpfwd_table_find(&rn->table,
					 nla_get_u32(attrs[RTPFWD_A_ID]));
		if (!flow) {
			NL_SET_ERR_MSG_MOD(extack, "no flow with this ID");
			NL_SET_BAD_ATTR(extack, attrs[RTPFWD_A_ID]);
			return ERR_PTR(-ENOENT);
		}
		return flow;
	}
	if (GENL_REQ_ATTR_CHECK(info, RTPFWD_A_LOCAL)) {
		NL_SET_ERR_MSG_MOD(extack, "ID or LOCAL is required");
		return ERR_PTR(-EINVAL);
	}
	err = parse_local(attrs[RTPFWD_A_LOCAL], &key, extack);
	if (err)
		return ERR_PTR(err);
	flow = rtpfwd_table_lookup(&rn->table, &key);
	if (!flow) {
		NL_SET_ERR_MSG_MOD(extack, "no flow at this LOCAL");
		NL_SET_BAD_ATTR(extack, attrs[RTPFWD_A_LOCAL]);
		return ERR_PTR(-ENOENT);
	}
	return flow;
}

/* ---- handlers ---- */

static struct sk_buff *new_flow_msg(void)
{
	return genlmsg_new(rtpfwd_nl_flow_size(), GFP_KERNEL);
}

/*
 * A new flow from FLOW_NEW's attributes in @info->attrs: the request's top
 * level (@nest NULL) or one element @nest of FLOW_NEW_MANY's FLOWS.
 */
static struct rtpfwd_flow *flow_from_attrs(struct genl_info *info,
					   const struct nlattr *nest)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct rtpfwd_flow_cfg cfg;
	struct cfg_change chg;
	struct rtpfwd_key key;
	int err;

	if (NL_REQ_ATTR_CHECK(extack, nest, attrs, RTPFWD_A_LOCAL) ||
	    NL_REQ_ATTR_CHECK(extack, nest, attrs, RTPFWD_A_OUT) ||
	    NL_REQ_ATTR_CHECK(extack, nest, attrs, RTPFWD_A_PEER)) {
		NL_SET_ERR_MSG_MOD(extack, "FLOW_NEW needs LOCAL, OUT and PEER");
		return ERR_PTR(-EINVAL);
	}
	err = parse_local(attrs[RTPFWD_A_LOCAL], &key, extack);
	if (err)
		return ERR_PTR(err);
	rtpfwd_flow_cfg_init(&cfg);
	err = parse_cfg(info, key.family, &cfg, &chg) ?:
	      parse_pt_mask(info, &cfg);
	if (err)
		return ERR_PTR(err);
	return rtpfwd_flow_create(&key, &cfg, info->snd_portid, extack);
}

/* Link a new flow, or free it; the message says why LOCAL is refused. */
static int link_new(struct rtpfwd_net *rn, struct rtpfwd_flow *flow,
		    struct nlattr *local, struct netlink_ext_ack *extack)
{
	int err = rtpfwd_netns_link(rn, flow);

	if (err == -EEXIST) {
		NL_SET_ERR_MSG_MOD(extack, "LOCAL is already in use");
		NL_SET_BAD_ATTR(extack, local);
	}
	if (err)
		rtpfwd_flow_put(flow);
	return err;
}

/**
 * rtpfwd_nl_flow_new_doit - FLOW_NEW: create a flow, reply with it
 * @skb: the request
 * @info: its attributes
 *
 * The reply is sent with the netns lock held; if it cannot be delivered
 * (the requester's receive buffer is full) the flow is removed again, so a
 * flow exists exactly when its creator was told its id.
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_flow_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct rtpfwd_flow *flow;
	struct sk_buff *msg;
	int err;

	msg = new_flow_msg();
	if (!msg)
		return -ENOMEM;
	flow = flow_from_attrs(info, NULL);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_msg;
	}

	mutex_lock(&rn->lock);
	err = link_new(rn, flow, info->attrs[RTPFWD_A_LOCAL], info->extack);
	if (err)
		goto err_unlock;
	err = rtpfwd_nl_fill_flow(msg, flow, info->snd_portid, info->snd_seq,
				  0, RTPFWD_CMD_FLOW_NEW, 0, NULL);
	if (err)
		goto err_unlink;
	err = genlmsg_reply(msg, info);
	msg = NULL;	/* consumed, sent or not */
	if (err)
		goto err_unlink;
	mutex_unlock(&rn->lock);
	return 0;

err_unlink:
	rtpfwd_netns_unlink(rn, flow, 0);
err_unlock:
	mutex_unlock(&rn->lock);
err_msg:
	nlmsg_free(msg);
	return err;
}

/**
 * rtpfwd_nl_flow_new_many_doit - FLOW_NEW_MANY: create many flows at once
 * @skb: the request
 * @info: its attributes: FLOWS, whose elements are FLOW_NEW requests
 *
 * All or nothing: the first element refused (with FLOW_NEW's errno and
 * extack, the bad attribute inside that element) undoes the ones before
 * it, and so does a reply that cannot be delivered. The reply holds the
 * ids in element order. One lock hold, one reply and one ACK serve all.
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_flow_new_many_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct nlattr *list = info->attrs[RTPFWD_MANY_A_FLOWS];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[RTPFWD_A_MAX + 1];
	struct genl_info one = *info;
	unsigned int n = 0, done = 0;
	struct rtpfwd_flow **made;
	struct nlattr *elem;
	struct sk_buff *msg;
	int rem, err;
	void *hdr;
	u32 *ids;

	if (GENL_REQ_ATTR_CHECK(info, RTPFWD_MANY_A_FLOWS)) {
		NL_SET_ERR_MSG_MOD(extack, "FLOW_NEW_MANY needs FLOWS");
		return -EINVAL;
	}
	nla_for_each_nested(elem, list, rem)
		n++;
	if (!n || n > RTPFWD_MANY_MAX)
		return reject(extack, list, "FLOWS holds 1 to "
			      __stringify(RTPFWD_MANY_MAX) " flows");

	/* What to undo if a later element or the reply fails. */
	made = kvmalloc_array(n, sizeof(*made), GFP_KERNEL);
	if (!made)
		return -ENOMEM;
	msg = genlmsg_new(nla_total_size(n * sizeof(u32)), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_made;
	}
	hdr = genlmsg_put_reply(msg, info, &rtpfwd_nl_family, 0,
				RTPFWD_CMD_FLOW_NEW_MANY);
	ids = hdr ? nla_data(nla_reserve(msg, RTPFWD_MANY_A_IDS,
					 n * sizeof(u32))) : NULL;
	if (!ids) {
		err = -EMSGSIZE;
		goto err_msg;
	}

	one.attrs = tb;
	mutex_lock(&rn->lock);
	nla_for_each_nested(elem, list, rem) {
		/* The request was validated against the policy whole. */
		err = nla_parse_nested(tb, RTPFWD_A_MAX, elem, NULL, extack);
		if (err)
			goto err_unlink;
		made[done] = flow_from_attrs(&one, elem);
		if (IS_ERR(made[done])) {
			err = PTR_ERR(made[done]);
			goto err_unlink;
		}
		err = link_new(rn, made[done], tb[RTPFWD_A_LOCAL], extack);
		if (err)
			goto err_unlink;
		ids[done] = made[done]->id;
		done++;
		cond_resched();
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	msg = NULL;	/* consumed, sent or not */
	if (err)
		goto err_unlink;
	mutex_unlock(&rn->lock);
	kvfree(made);
	return 0;

err_unlink:
	while (done--)
		rtpfwd_netns_unlink(rn, made[done], 0);
	mutex_unlock(&rn->lock);
err_msg:
	nlmsg_free(msg);
err_made:
	kvfree(made);
	return err;
}

/**
 * rtpfwd_nl_flow_set_doit - FLOW_SET: change a flow atomically
 * @skb: the request
 * @info: its attributes
 *
 * A packet sees either the old or the new configuration. A new POLICY or
 * SOURCE restarts learning; the OWNED flag cannot change.
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_flow_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct rtpfwd_flow_view v;
	struct rtpfwd_flow *flow;
	struct cfg_change chg;
	u32 old_timeout;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, RTPFWD_A_ID)) {
		NL_SET_ERR_MSG_MOD(extack, "FLOW_SET needs ID");
		return -EINVAL;
	}

	mutex_lock(&rn->lock);
	flow = find_flow(rn, info);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto out;
	}
	rtpfwd_flow_view(flow, &v);
	old_timeout = v.cfg.timeout;
	err = parse_cfg(info, flow->key.family, &v.cfg, &chg);
	if (err)
		goto out;
	if ((v.cfg.flags ^ flow->cfg.flags) & RTPFWD_F_OWNED) {
		err = reject(extack, info->attrs[RTPFWD_A_FLAGS],
			     "the OWNED flag cannot be changed");
		goto out;
	}
	err = parse_pt_mask(info, &v.cfg);
	if (err)
		goto out;
	rtpfwd_flow_configure(flow, &v.cfg, chg.restart_source, chg.reroute);
	rtpfwd_netns_changed(rn, flow, old_timeout);
out:
	mutex_unlock(&rn->lock);
	return err;
}

/**
 * rtpfwd_nl_flow_del_doit - FLOW_DEL: delete a flow by ID or LOCAL
 * @skb: the request
 * @info: its attributes
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_flow_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct rtpfwd_flow *flow;
	int err = 0;

	mutex_lock(&rn->lock);
	flow = find_flow(rn, info);
	if (IS_ERR(flow))
		err = PTR_ERR(flow);
	else
		rtpfwd_netns_unlink(rn, flow, RTPFWD_DEL_REQUEST);
	mutex_unlock(&rn->lock);
	return err;
}

/**
 * rtpfwd_nl_flow_get_doit - FLOW_GET: reply with one flow
 * @skb: the request
 * @info: its attributes
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct rtpfwd_flow *flow;
	struct sk_buff *msg;
	int err;

	msg = new_flow_msg();
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rn->lock);
	flow = find_flow(rn, info);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_unlock;
	}
	err = rtpfwd_nl_fill_flow(msg, flow, info->snd_portid, info->snd_seq,
				  0, RTPFWD_CMD_FLOW_GET, 0, NULL);
	if (err)
		goto err_unlock;
	mutex_unlock(&rn->lock);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&rn->lock);
	nlmsg_free(msg);
	return err;
}

/**
 * rtpfwd_nl_flow_get_dumpit - FLOW_GET dump: every flow, by ascending id
 * @skb: the message to fill
 * @cb: cb->args[0] holds the last id sent (the resume cursor)
 *
 * A flow change between two parts sets NLM_F_DUMP_INTR (the netns
 * generation is the dump's sequence); userspace then dumps again.
 *
 * Context: process.
 * Return: the message length, 0 when done, or a negative errno.
 */
int rtpfwd_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rtpfwd_net *rn = rtpfwd_net(sock_net(skb->sk));
	struct nlattr **attrs = rtpfwd_dump_attrs(cb);
	unsigned long id = cb->args[0];
	struct rtpfwd_flow *flow;
	int err = 0;

	if (attrs[RTPFWD_A_ID] || attrs[RTPFWD_A_LOCAL])
		return reject(cb->extack, attrs[RTPFWD_A_ID] ?: attrs[RTPFWD_A_LOCAL],
			      "a dump takes no ID or LOCAL");

	mutex_lock(&rn->lock);
	cb->seq = rn->gen;
	xa_for_each_start(&rn->table.by_id, id, flow, id + 1) {
		err = rtpfwd_nl_fill_flow(skb, flow,
					  NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI,
					  RTPFWD_CMD_FLOW_GET, 0, cb);
		if (err)
			break;
		cb->args[0] = id;
	}
	mutex_unlock(&rn->lock);
	/* A full message is not an error: the next call resumes. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/**
 * rtpfwd_nl_flush_doit - FLUSH: delete every flow, or those with COOKIE
 * @skb: the request
 * @info: its attributes
 *
 * Context: process.
 * Return: 0.
 */
int rtpfwd_nl_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct nlattr *cookie_attr = info->attrs[RTPFWD_A_COOKIE];
	u64 cookie = cookie_attr ? nla_get_u64(cookie_attr) : 0;
	struct rtpfwd_flow *flow;
	unsigned long id;

	mutex_lock(&rn->lock);
	xa_for_each(&rn->table.by_id, id, flow) {
		if (!cookie_attr || flow->cfg.cookie == cookie)
			rtpfwd_netns_unlink(rn, flow, RTPFWD_DEL_FLUSH);
		cond_resched();
	}
	mutex_unlock(&rn->lock);
	return 0;
}

/**
 * rtpfwd_nl_stats_get_doit - STATS_GET: the netns' global counters
 * @skb: the request
 * @info: its attributes
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rtpfwd_net *rn = rtpfwd_net(genl_info_net(info));
	struct rtpfwd_totals t;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rtpfwd_nl_family, 0,
				RTPFWD_CMD_STATS_GET);
	if (!hdr)
		goto err_msg;
	nest = nla_nest_start(msg, RTPFWD_A_STATS);
	if (!nest)
		goto err_msg;
	rtpfwd_stats_sum_net(rn->stats, &t);
	if (rtpfwd_stats_put(msg, &t) ||
	    nla_put_u32(msg, RTPFWD_STATS_FLOWS, READ_ONCE(rn->n_flows)) ||
	    nla_put_u64_64bit(msg, RTPFWD_STATS_MISSES, t.misses,
			      RTPFWD_STATS_PAD) ||
	    nla_put_u64_64bit(msg, RTPFWD_STATS_COPIES, t.copies,
			      RTPFWD_STATS_PAD))
		goto err_msg;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- registration ---- */

static int release_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		rtpfwd_netns_release_owner(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block release_nb = {
	.notifier_call = release_notify,
};

/**
 * rtpfwd_nl_register - register the family and the owner-release notifier
 *
 * Context: module init, after the netns state exists everywhere.
 * Return: 0 or a negative errno.
 */
int rtpfwd_nl_register(void)
{
	int err;

	err = netlink_register_notifier(&release_nb);
	if (err)
		return err;
	err = genl_register_family(&rtpfwd_nl_family);
	if (err)
		goto err_notifier;
	rtpfwd_events_start();
	return 0;

err_notifier:
	netlink_unregister_notifier(&release_nb);
	return err;
}

/**
 * rtpfwd_nl_unregister - undo rtpfwd_nl_register()
 *
 * On return no handler runs and no event is sent any more.
 *
 * Context: module exit.
 */
void rtpfwd_nl_unregister(void)
{
	rtpfwd_events_stop();
	genl_unregister_family(&rtpfwd_nl_family);
	netlink_unregister_notifier(&release_nb);
}
