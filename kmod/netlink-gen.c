// SPDX-License-Identifier: GPL-2.0
/*
 * The rtpfwd family's attribute policies and operations, one policy per
 * command (Documentation/netlink/specs/rtpfwd.yaml). No logic here.
 *
 * Every command is validated strictly (resv_start_op is 0): attributes a
 * command does not list, unknown flag bits and wrong lengths are rejected.
 */
#include "netlink-gen.h"

/* Not const: 6.1's nla_policy points to a mutable one. */
static struct netlink_range_validation timeout_range = {
	.max = RTPFWD_TIMEOUT_MAX,
};

static struct netlink_range_validation clock_rate_range = {
	.min = 1,
	.max = RTPFWD_CLOCK_RATE_MAX,
};

const struct nla_policy rtpfwd_ep_nl_policy[RTPFWD_EP_MAX + 1] = {
	[RTPFWD_EP_IPV4] = { .type = NLA_BE32 },
	[RTPFWD_EP_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[RTPFWD_EP_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

#define EP_ATTR NLA_POLICY_NESTED(rtpfwd_ep_nl_policy)

static const struct nla_policy flow_new_policy[RTPFWD_A_MAX + 1] = {
	[RTPFWD_A_COOKIE] = { .type = NLA_U64 },
	[RTPFWD_A_LOCAL] = EP_ATTR,
	[RTPFWD_A_OUT] = EP_ATTR,
	[RTPFWD_A_PEER] = EP_ATTR,
	[RTPFWD_A_POLICY] = NLA_POLICY_MAX(NLA_U8, RTPFWD_POLICY_MAX),
	[RTPFWD_A_SOURCE] = EP_ATTR,
	[RTPFWD_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, RTPFWD_F_ALL),
	[RTPFWD_A_PT_MASK] = NLA_POLICY_EXACT_LEN(16),
	[RTPFWD_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[RTPFWD_A_TOS] = NLA_POLICY_MASK(NLA_U8, 0xfc),
	[RTPFWD_A_CLOCK_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &clock_rate_range),
	[RTPFWD_A_EXPECT] = EP_ATTR,
};

static const struct nla_policy flow_set_policy[RTPFWD_A_MAX + 1] = {
	[RTPFWD_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[RTPFWD_A_COOKIE] = { .type = NLA_U64 },
	[RTPFWD_A_OUT] = EP_ATTR,
	[RTPFWD_A_PEER] = EP_ATTR,
	[RTPFWD_A_POLICY] = NLA_POLICY_MAX(NLA_U8, RTPFWD_POLICY_MAX),
	[RTPFWD_A_SOURCE] = EP_ATTR,
	[RTPFWD_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, RTPFWD_F_ALL),
	[RTPFWD_A_PT_MASK] = NLA_POLICY_EXACT_LEN(16),
	[RTPFWD_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[RTPFWD_A_TOS] = NLA_POLICY_MASK(NLA_U8, 0xfc),
	[RTPFWD_A_CLOCK_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &clock_rate_range),
	[RTPFWD_A_EXPECT] = EP_ATTR,
};

/* One element of FLOW_NEW_MANY's FLOWS is what a FLOW_NEW carries. */
static const struct nla_policy flow_new_many_policy[RTPFWD_MANY_A_MAX + 1] = {
	[RTPFWD_MANY_A_FLOWS] = NLA_POLICY_NESTED_ARRAY(flow_new_policy),
};

/* FLOW_DEL and FLOW_GET: one flow, by id or by local endpoint. */
static const struct nla_policy flow_select_policy[RTPFWD_A_MAX + 1] = {
	[RTPFWD_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[RTPFWD_A_LOCAL] = EP_ATTR,
};

static const struct nla_policy flush_policy[RTPFWD_A_MAX + 1] = {
	[RTPFWD_A_COOKIE] = { .type = NLA_U64 },
};

/* STATS_GET takes no attribute; a policy of none rejects any. */
static const struct nla_policy stats_get_policy[RTPFWD_A_MAX + 1] = {
};

const struct genl_ops rtpfwd_nl_ops[7] = {
	{
		.cmd = RTPFWD_CMD_FLOW_NEW,
		.doit = rtpfwd_nl_flow_new_doit,
		.policy = flow_new_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_FLOW_SET,
		.doit = rtpfwd_nl_flow_set_doit,
		.policy = flow_set_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_FLOW_DEL,
		.doit = rtpfwd_nl_flow_del_doit,
		.policy = flow_select_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_FLOW_GET,
		.doit = rtpfwd_nl_flow_get_doit,
		.dumpit = rtpfwd_nl_flow_get_dumpit,
		.policy = flow_select_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_FLUSH,
		.doit = rtpfwd_nl_flush_doit,
		.policy = flush_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_STATS_GET,
		.doit = rtpfwd_nl_stats_get_doit,
		.policy = stats_get_policy,
		.maxattr = RTPFWD_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RTPFWD_CMD_FLOW_NEW_MANY,
		.doit = rtpfwd_nl_flow_new_many_doit,
		.policy = flow_new_many_policy,
		.maxattr = RTPFWD_MANY_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};
