// SPDX-License-Identifier: GPL-2.0
/*
 * Flows to and from netlink messages. Decoding validates every attribute
 * it knows and skips the ones it does not, so a newer kernel's replies
 * still parse.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <string.h>

#include "nl_flow.h"

_Static_assert(RTPFWD_A_MAX < 32, "nl_flow.attrs is a u32 mask");
_Static_assert(RTPFWD_STATS_MAX < 32, "nl_stats.present is a u32 mask");

/* EXPECT leaves PORT out for "any port"; the other endpoints always send it. */
static void put_endpoint(struct nlmsghdr *nlh, int type, const struct endpoint *ep)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, (uint16_t)type);

	if (ep->family == AF_INET)
		mnl_attr_put(nlh, RTPFWD_EP_IPV4, sizeof(ep->addr.v4), &ep->addr.v4);
	else if (ep->family == AF_INET6)
		mnl_attr_put(nlh, RTPFWD_EP_IPV6, sizeof(ep->addr.v6), &ep->addr.v6);
	if (type != RTPFWD_A_EXPECT || ep->port)
		mnl_attr_put_u16(nlh, RTPFWD_EP_PORT, ep->port);
	mnl_attr_nest_end(nlh, nest);
}

/**
 * nl_flow_put - append the attributes marked in @flow->attrs to @nlh
 * @nlh: a request from nl_msg_start(), with NL_BUFSIZE bytes of room
 * @flow: what to send; read-only attributes (STATS, LEARNED,
 *	DELETE_REASON) are never sent
 */
void nl_flow_put(struct nlmsghdr *nlh, const struct nl_flow *flow)
{
	if (nl_flow_has(flow, RTPFWD_A_ID))
		mnl_attr_put_u32(nlh, RTPFWD_A_ID, flow->id);
	if (nl_flow_has(flow, RTPFWD_A_COOKIE))
		mnl_attr_put_u64(nlh, RTPFWD_A_COOKIE, flow->cookie);
	if (nl_flow_has(flow, RTPFWD_A_LOCAL))
		put_endpoint(nlh, RTPFWD_A_LOCAL, &flow->local);
	if (nl_flow_has(flow, RTPFWD_A_OUT))
		put_endpoint(nlh, RTPFWD_A_OUT, &flow->out);
	if (nl_flow_has(flow, RTPFWD_A_PEER))
		put_endpoint(nlh, RTPFWD_A_PEER, &flow->peer);
	if (nl_flow_has(flow, RTPFWD_A_POLICY))
		mnl_attr_put_u8(nlh, RTPFWD_A_POLICY, flow->policy);
	if (nl_flow_has(flow, RTPFWD_A_SOURCE))
		put_endpoint(nlh, RTPFWD_A_SOURCE, &flow->source);
	if (nl_flow_has(flow, RTPFWD_A_FLAGS))
		mnl_attr_put_u32(nlh, RTPFWD_A_FLAGS, flow->flags);
	if (nl_flow_has(flow, RTPFWD_A_PT_MASK))
		mnl_attr_put(nlh, RTPFWD_A_PT_MASK, sizeof(flow->pt_mask), flow->pt_mask);
	if (nl_flow_has(flow, RTPFWD_A_TIMEOUT))
		mnl_attr_put_u32(nlh, RTPFWD_A_TIMEOUT, flow->timeout);
	if (nl_flow_has(flow, RTPFWD_A_TOS))
		mnl_attr_put_u8(nlh, RTPFWD_A_TOS, flow->tos);
	if (nl_flow_has(flow, RTPFWD_A_CLOCK_RATE))
		mnl_attr_put_u32(nlh, RTPFWD_A_CLOCK_RATE, flow->clock_rate);
	if (nl_flow_has(flow, RTPFWD_A_EXPECT))
		put_endpoint(nlh, RTPFWD_A_EXPECT, &flow->expect);
}

static void put_element(struct nlmsghdr *nlh, size_t i, const struct nl_flow *flow)
{
	struct nlattr *elem = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));

	nl_flow_put(nlh, flow);
	mnl_attr_nest_end(nlh, elem);
}

/**
 * nl_flow_put_many - append FLOW_NEW_MANY's FLOWS holding @n flows
 * @nlh: a FLOW_NEW_MANY request from nl_msg_start(), with
 *	@n * NL_MANY_FLOW_SIZE bytes of room beyond its header
 * @flows: the flows, as for nl_flow_put()
 * @n: 1 to RTPFWD_MANY_MAX
 *
 * Element i has type i + 1; the kernel goes by their order only.
 */
void nl_flow_put_many(struct nlmsghdr *nlh, const struct nl_flow *flows, size_t n)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, RTPFWD_MANY_A_FLOWS);
	size_t i;

	for (i = 0; i < n; i++)
		put_element(nlh, i, &flows[i]);
	mnl_attr_nest_end(nlh, list);
}

/**
 * nl_flow_put_refs - nl_flow_put_many() for flows that are not in one array
 * @nlh: as for nl_flow_put_many()
 * @flows: @n pointers to the flows
 * @n: 1 to RTPFWD_MANY_MAX
 */
void nl_flow_put_refs(struct nlmsghdr *nlh, const struct nl_flow *const *flows, size_t n)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, RTPFWD_MANY_A_FLOWS);
	size_t i;

	for (i = 0; i < n; i++)
		put_element(nlh, i, flows[i]);
	mnl_attr_nest_end(nlh, list);
}

/**
 * nl_flow_parse_ids - the ids of a FLOW_NEW_MANY reply
 * @nlh: the reply
 * @ids: filled with up to @n ids, in the order of the request's flows
 * @n: room in @ids
 *
 * Return: the number of ids, or -EBADMSG when the reply holds no IDS, a
 * malformed one, or more than @n.
 */
long nl_flow_parse_ids(const struct nlmsghdr *nlh, uint32_t *ids, size_t n)
{
	const struct nlattr *attr;
	size_t len;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != RTPFWD_MANY_A_IDS)
			continue;
		len = mnl_attr_get_payload_len(attr);
		if (len % sizeof(uint32_t) || len / sizeof(uint32_t) > n)
			return -EBADMSG;
		memcpy(ids, mnl_attr_get_payload(attr), len);
		return (long)(len / sizeof(uint32_t));
	}
	return -EBADMSG;
}

static int on_endpoint_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	int ret;

	switch (type) {
	case RTPFWD_EP_IPV4:
		ret = mnl_attr_validate(attr, MNL_TYPE_U32);
		break;
	case RTPFWD_EP_IPV6:
		ret = mnl_attr_validate2(attr, MNL_TYPE_BINARY, sizeof(struct in6_addr));
		break;
	case RTPFWD_EP_PORT:
		ret = mnl_attr_validate(attr, MNL_TYPE_U16);
		break;
	default:
		return MNL_CB_OK;
	}
	if (ret < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * Exactly one address and a port, as the uapi header promises; EXPECT's
 * port is optional (0: any).
 */
static int parse_endpoint(const struct nlattr *nest, struct endpoint *ep)
{
	const struct nlattr *tb[RTPFWD_EP_MAX + 1] = {};
	bool need_port = mnl_attr_get_type(nest) != RTPFWD_A_EXPECT;

	if (mnl_attr_parse_nested(nest, on_endpoint_attr, tb) < 0)
		return -EINVAL;
	if ((need_port && !tb[RTPFWD_EP_PORT]) || !tb[RTPFWD_EP_IPV4] == !tb[RTPFWD_EP_IPV6])
		return -EINVAL;
	memset(ep, 0, sizeof(*ep));
	if (tb[RTPFWD_EP_IPV4]) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(tb[RTPFWD_EP_IPV4]), sizeof(ep->addr.v4));
	} else {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(tb[RTPFWD_EP_IPV6]), sizeof(ep->addr.v6));
	}
	if (tb[RTPFWD_EP_PORT])
		ep->port = mnl_attr_get_u16(tb[RTPFWD_EP_PORT]);
	return 0;
}

static enum mnl_attr_data_type stats_type(int counter)
{
	switch (counter) {
	case RTPFWD_STATS_SSRC:
	case RTPFWD_STATS_EXT_SEQ:
	case RTPFWD_STATS_LOST:
	case RTPFWD_STATS_JITTER:
	case RTPFWD_STATS_FLOWS:
		return MNL_TYPE_U32;
	case RTPFWD_STATS_UNSPEC:
	case RTPFWD_STATS_PAD:
		return MNL_TYPE_UNSPEC;
	default:
		return counter <= RTPFWD_STATS_MAX ? MNL_TYPE_U64 : MNL_TYPE_UNSPEC;
	}
}

static int on_stats_attr(const struct nlattr *attr, void *data)
{
	struct nl_stats *stats = data;
	int type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type want = stats_type(type);

	if (want == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, want) < 0)
		return MNL_CB_ERROR;
	if (want == MNL_TYPE_U64)
		stats->v[type] = mnl_attr_get_u64(attr);
	else if (type == RTPFWD_STATS_LOST)
		/* s32: keep the sign so "lost -1" (a duplicate) reads right */
		stats->v[type] = (uint64_t)(int64_t)(int32_t)mnl_attr_get_u32(attr);
	else
		stats->v[type] = mnl_attr_get_u32(attr);
	stats->present |= 1U << type;
	return MNL_CB_OK;
}

static int parse_stats_nest(const struct nlattr *nest, struct nl_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return mnl_attr_parse_nested(nest, on_stats_attr, stats) < 0 ? -EINVAL : 0;
}

static enum mnl_attr_data_type flow_type(int attr)
{
	static const enum mnl_attr_data_type types[RTPFWD_A_MAX + 1] = {
		[RTPFWD_A_ID] = MNL_TYPE_U32,
		[RTPFWD_A_COOKIE] = MNL_TYPE_U64,
		[RTPFWD_A_LOCAL] = MNL_TYPE_NESTED,
		[RTPFWD_A_OUT] = MNL_TYPE_NESTED,
		[RTPFWD_A_PEER] = MNL_TYPE_NESTED,
		[RTPFWD_A_POLICY] = MNL_TYPE_U8,
		[RTPFWD_A_SOURCE] = MNL_TYPE_NESTED,
		[RTPFWD_A_FLAGS] = MNL_TYPE_U32,
		[RTPFWD_A_PT_MASK] = MNL_TYPE_BINARY,
		[RTPFWD_A_TIMEOUT] = MNL_TYPE_U32,
		[RTPFWD_A_TOS] = MNL_TYPE_U8,
		[RTPFWD_A_CLOCK_RATE] = MNL_TYPE_U32,
		[RTPFWD_A_STATS] = MNL_TYPE_NESTED,
		[RTPFWD_A_DELETE_REASON] = MNL_TYPE_U8,
		[RTPFWD_A_LEARNED] = MNL_TYPE_FLAG,
		[RTPFWD_A_EXPECT] = MNL_TYPE_NESTED,
	};

	return attr >= 0 && attr <= RTPFWD_A_MAX ? types[attr] : MNL_TYPE_UNSPEC;
}

static int read_flow_attr(const struct nlattr *attr, int type, struct nl_flow *flow)
{
	switch (type) {
	case RTPFWD_A_ID:
		flow->id = mnl_attr_get_u32(attr);
		return 0;
	case RTPFWD_A_COOKIE:
		flow->cookie = mnl_attr_get_u64(attr);
		return 0;
	case RTPFWD_A_LOCAL:
		return parse_endpoint(attr, &flow->local);
	case RTPFWD_A_OUT:
		return parse_endpoint(attr, &flow->out);
	case RTPFWD_A_PEER:
		return parse_endpoint(attr, &flow->peer);
	case RTPFWD_A_POLICY:
		flow->policy = mnl_attr_get_u8(attr);
		return 0;
	case RTPFWD_A_SOURCE:
		return parse_endpoint(attr, &flow->source);
	case RTPFWD_A_FLAGS:
		flow->flags = mnl_attr_get_u32(attr);
		return 0;
	case RTPFWD_A_PT_MASK:
		if (mnl_attr_get_payload_len(attr) != sizeof(flow->pt_mask))
			return -EINVAL;
		memcpy(flow->pt_mask, mnl_attr_get_payload(attr), sizeof(flow->pt_mask));
		return 0;
	case RTPFWD_A_TIMEOUT:
		flow->timeout = mnl_attr_get_u32(attr);
		return 0;
	case RTPFWD_A_TOS:
		flow->tos = mnl_attr_get_u8(attr);
		return 0;
	case RTPFWD_A_CLOCK_RATE:
		flow->clock_rate = mnl_attr_get_u32(attr);
		return 0;
	case RTPFWD_A_STATS:
		return parse_stats_nest(attr, &flow->stats);
	case RTPFWD_A_DELETE_REASON:
		flow->delete_reason = mnl_attr_get_u8(attr);
		return 0;
	case RTPFWD_A_LEARNED:
		flow->learned = true;
		return 0;
	case RTPFWD_A_EXPECT:
		return parse_endpoint(attr, &flow->expect);
	}
	return 0;
}

static int on_flow_attr(const struct nlattr *attr, void *data)
{
	struct nl_flow *flow = data;
	int type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type want = flow_type(type);

	if (want == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, want) < 0 || read_flow_attr(attr, type, flow)) {
		errno = EINVAL;
		return MNL_CB_ERROR;
	}
	nl_flow_mark(flow, type);
	return MNL_CB_OK;
}

/**
 * nl_flow_parse - decode a FLOW_* reply or event
 * @nlh: a generic netlink message of the rtpfwd family
 * @flow: zeroed, then filled; @flow->attrs tells what was present
 *
 * Return: 0, or -EINVAL when a known attribute is malformed.
 */
int nl_flow_parse(const struct nlmsghdr *nlh, struct nl_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EINVAL;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), on_flow_attr, flow) < 0)
		return -EINVAL;
	return 0;
}

static int on_stats_reply_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) != RTPFWD_A_STATS)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 || parse_stats_nest(attr, data))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/**
 * nl_stats_parse - decode the RTPFWD_A_STATS nest of a STATS_GET reply
 * @nlh: the reply
 * @stats: zeroed, then filled; @stats->present tells what was present
 *
 * Return: 0, or -EINVAL when the nest is malformed.
 */
int nl_stats_parse(const struct nlmsghdr *nlh, struct nl_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EINVAL;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), on_stats_reply_attr, stats) < 0)
		return -EINVAL;
	return 0;
}
