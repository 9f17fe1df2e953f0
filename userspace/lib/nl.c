// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client both programs use to talk to rtpfwd.ko:
 * family resolution, acknowledged requests with extended ACKs, dumps that
 * restart when the kernel reports them inconsistent, batched requests and
 * the events multicast group.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <uapi/linux/rtpfwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"

/* Room for the replies to a full batch (one flow plus one ACK each). */
#define RCVBUF_SIZE (4 << 20)
#define BATCH_LIMIT (32 << 10)

/* What one receive loop collects besides the caller's replies. */
struct run_ctx {
	struct nl *nl;
	mnl_cb_t reply;
	void *data;
	int err;	/* from the ACK or NLMSG_DONE */
	int reply_err;	/* first failure of @reply */
};

static int on_extack_attr(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			break;
		strncpy(nl->errmsg, mnl_attr_get_str(attr), sizeof(nl->errmsg) - 1);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			break;
		nl->bad_offset = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			break;
		nl->miss_type = (int)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static void read_extack(struct nl *nl, const struct nlmsghdr *nlh, size_t offset)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)offset, on_extack_attr, nl);
}

/*
 * NLMSG_ERROR: an ACK (error 0) or a refusal. Without NETLINK_CAP_ACK the
 * kernel echoes our whole request before the extack TLVs.
 */
static int ack_error(struct nl *nl, const struct nlmsghdr *nlh, int *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		*err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	read_extack(nl, nlh, offset);
	*err = e->error > 0 ? -e->error : e->error;
	return MNL_CB_STOP;
}

static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *ctx = data;

	return ack_error(ctx->nl, nlh, &ctx->err);
}

/* NLMSG_DONE ends a dump; a failed dump carries its errno and extack. */
static int on_done(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *ctx = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	read_extack(ctx->nl, nlh, sizeof(err));
	ctx->err = err > 0 ? -err : err;
	return MNL_CB_STOP;
}

/*
 * A reply the caller could not use fails the request, but the rest of the
 * replies are still read up to the ACK so none is left on the socket.
 */
static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *ctx = data;

	if (!ctx->reply || ctx->reply_err)
		return MNL_CB_OK;
	errno = 0;
	if (ctx->reply(nlh, ctx->data) == MNL_CB_ERROR)
		ctx->reply_err = errno ? -errno : -EBADMSG;
	return MNL_CB_OK;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = on_error,
	[NLMSG_DONE] = on_done,
};

static void clear_extack(struct nl *nl)
{
	nl->errmsg[0] = '\0';
	nl->bad_offset = 0;
	nl->miss_type = -1;
}

static int send_msg(struct nl *nl, const void *buf, size_t len)
{
	ssize_t sent = mnl_socket_sendto(nl->sock, buf, len);

	if (sent < 0)
		return -errno;
	return (size_t)sent == len ? 0 : -EMSGSIZE;
}

static ssize_t recv_msg(struct nl *nl)
{
	ssize_t n;

	do
		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* After an interrupted dump, read what is left of it so it cannot be
 * mistaken for the replies to the next request.
 */
static int drain(struct nl *nl, uint32_t seq, size_t pending)
{
	const struct nlmsghdr *nlh;
	ssize_t n = (ssize_t)pending;
	int len;

	for (;;) {
		len = (int)n;
		for (nlh = (const void *)nl->rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
				return 0;
		}
		n = recv_msg(nl);
		if (n < 0)
			return (int)n;
	}
}

/*
 * Reads replies to @seq until its ACK or NLMSG_DONE. Returns the kernel's
 * errno, -EINTR when a dump was interrupted (NLM_F_DUMP_INTR), or the
 * transport error.
 */
static int run(struct nl *nl, uint32_t seq, mnl_cb_t reply, void *data)
{
	struct run_ctx ctx = { .nl = nl, .reply = reply, .data = data };
	ssize_t n;
	int ret;

	for (;;) {
		n = recv_msg(nl);
		if (n < 0)
			return (int)n;
		ret = mnl_cb_run2(nl->rx, (size_t)n, seq, nl->portid, on_data,
				  &ctx, ctl_cbs, MNL_ARRAY_SIZE(ctl_cbs));
		if (ret < 0 && errno == EINTR && !ctx.err) {
			ret = drain(nl, seq, (size_t)n);
			return ret ? ret : -EINTR;
		}
		if (ret < 0)
			return ctx.err ? ctx.err : -errno;
		if (ret == MNL_CB_STOP)
			return ctx.err ? ctx.err : ctx.reply_err;
	}
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint8_t cmd,
				  uint8_t version, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/**
 * nl_msg_start - begin an rtpfwd request in @buf
 * @nl: the socket it will be sent on (gives family id and sequence)
 * @buf: at least NL_BUFSIZE bytes
 * @cmd: enum rtpfwd_cmd
 * @flags: NLM_F_* besides NLM_F_REQUEST (NLM_F_ACK for do, NLM_F_DUMP)
 *
 * Return: the header, to which the caller appends attributes.
 */
struct nlmsghdr *nl_msg_start(struct nl *nl, void *buf, uint8_t cmd, uint16_t flags)
{
	return msg_start(buf, nl->family, cmd, RTPFWD_FAMILY_VERSION, flags, ++nl->seq);
}

/**
 * nl_request - send one request and wait for its ACK
 * @nl: the socket
 * @req: from nl_msg_start(); NLM_F_ACK is added
 * @reply: called for each reply message, may be NULL; returns MNL_CB_OK,
 *	or MNL_CB_ERROR with errno set to fail the request
 * @data: passed to @reply
 *
 * Return: 0, or a negative errno with nl_errmsg() set when the kernel said why.
 */
int nl_request(struct nl *nl, struct nlmsghdr *req, mnl_cb_t reply, void *data)
{
	int ret;

	clear_extack(nl);
	req->nlmsg_flags |= NLM_F_ACK;
	ret = send_msg(nl, req, req->nlmsg_len);
	if (ret)
		return ret;
	return run(nl, req->nlmsg_seq, reply, data);
}

/**
 * nl_dump - run a dump to its end, restarting it when it was interrupted
 * @nl: the socket
 * @req: from nl_msg_start() with NLM_F_DUMP
 * @reply: called for each message of the dump
 * @restart: called before a restart so the caller can drop what @reply
 *	collected; may be NULL
 * @data: passed to @reply and @restart
 *
 * The kernel marks a dump NLM_F_DUMP_INTR when flows changed while it was
 * walking them; such a dump may have missed or repeated a flow, so it is
 * run again from the start, at most NL_DUMP_RETRIES times.
 *
 * Return: 0, -EINTR when every attempt was interrupted, or a negative errno.
 */
int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t reply,
	    void (*restart)(void *data), void *data)
{
	int attempt, ret = -EINTR;

	for (attempt = 0; attempt <= NL_DUMP_RETRIES && ret == -EINTR; attempt++) {
		if (attempt && restart)
			restart(data);
		clear_extack(nl);
		req->nlmsg_seq = ++nl->seq;
		ret = send_msg(nl, req, req->nlmsg_len);
		if (ret)
			return ret;
		ret = run(nl, req->nlmsg_seq, reply, data);
	}
	return ret;
}

/* Replies to a batch, matched to their request by sequence number. */
struct batch_ctx {
	struct nl *nl;
	const struct nl_batch_ops *ops;
	void *data;
	uint32_t first_seq;
	size_t first_index;
	size_t count;
	size_t acked;
	long failed;
};

static bool batch_index(const struct batch_ctx *ctx, const struct nlmsghdr *nlh,
			size_t *index)
{
	uint32_t rel = nlh->nlmsg_seq - ctx->first_seq;

	if (rel >= ctx->count)
		return false;
	*index = ctx->first_index + rel;
	return true;
}

static int batch_data(const struct nlmsghdr *nlh, void *data)
{
	struct batch_ctx *ctx = data;
	size_t index;

	if (!ctx->ops->reply || !batch_index(ctx, nlh, &index))
		return MNL_CB_OK;
	ctx->ops->reply(nlh, index, ctx->data);
	return MNL_CB_OK;
}

static int batch_ack(const struct nlmsghdr *nlh, void *data)
{
	struct batch_ctx *ctx = data;
	size_t index;
	int err;

	if (!batch_index(ctx, nlh, &index))
		return MNL_CB_OK;
	clear_extack(ctx->nl);
	if (ack_error(ctx->nl, nlh, &err) == MNL_CB_ERROR)
		return MNL_CB_ERROR;
	if (err) {
		ctx->failed++;
		if (ctx->ops->error)
			ctx->ops->error(index, err, ctx->nl->errmsg, ctx->data);
	}
	return ++ctx->acked == ctx->count ? MNL_CB_STOP : MNL_CB_OK;
}

static mnl_cb_t batch_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = batch_ack,
};

static int batch_collect(struct batch_ctx *ctx)
{
	struct nl *nl = ctx->nl;
	ssize_t n;
	int ret;

	while (ctx->acked < ctx->count) {
		n = recv_msg(nl);
		if (n < 0)
			return (int)n;
		/* Sequence 0: the batch spans many; batch_index() matches them. */
		ret = mnl_cb_run2(nl->rx, (size_t)n, 0, nl->portid, batch_data, ctx,
				  batch_ctl_cbs, MNL_ARRAY_SIZE(batch_ctl_cbs));
		if (ret < 0)
			return -errno;
	}
	return 0;
}

/* Fills @buf with requests from @index on until it is full or all are in;
 * returns how many it holds.
 */
static long batch_fill(struct nl *nl, struct mnl_nlmsg_batch *b, uint8_t cmd,
		       size_t index, size_t count, const struct nl_batch_ops *ops,
		       void *data)
{
	struct nlmsghdr *req;
	size_t n;
	int ret;

	for (n = 0; index + n < count; n++) {
		req = msg_start(mnl_nlmsg_batch_current(b), nl->family, cmd,
				RTPFWD_FAMILY_VERSION, NLM_F_ACK, nl->seq + 1);
		ret = ops->build(req, index + n, data);
		if (ret < 0)
			return ret;
		/* A request that does not fit goes first in the next batch. */
		if (!mnl_nlmsg_batch_next(b))
			break;
		nl->seq++;
	}
	return n ? (long)n : -EMSGSIZE;
}

/* One sendmsg() worth of requests, from @index on, and their ACKs. */
static int batch_round(struct batch_ctx *ctx, void *buf, uint8_t cmd,
		       size_t index, size_t count)
{
	struct nl *nl = ctx->nl;
	struct mnl_nlmsg_batch *b;
	long n;
	int ret;

	b = mnl_nlmsg_batch_start(buf, BATCH_LIMIT);
	if (!b)
		return -ENOMEM;
	ctx->first_seq = nl->seq + 1;
	ctx->first_index = index;
	n = batch_fill(nl, b, cmd, index, count, ctx->ops, ctx->data);
	if (n < 0) {
		ret = (int)n;
		goto out_stop;
	}
	ctx->count = (size_t)n;
	ctx->acked = 0;
	ret = send_msg(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b));
	if (ret)
		goto out_stop;
	ret = batch_collect(ctx);
out_stop:
	mnl_nlmsg_batch_stop(b);
	return ret;
}

/**
 * nl_batch - send @count requests of one command, many per sendmsg()
 * @nl: the socket
 * @cmd: enum rtpfwd_cmd of every request
 * @count: how many
 * @ops: build() is required; reply() and error() are optional
 * @data: passed to @ops
 *
 * Every request is acknowledged; a refused one is reported to ops->error()
 * with the kernel's errno and extack text and does not stop the others.
 *
 * Return: how many requests the kernel refused, or a negative errno when
 * building or the socket failed (requests already sent stay applied).
 */
long nl_batch(struct nl *nl, uint8_t cmd, size_t count,
	      const struct nl_batch_ops *ops, void *data)
{
	struct batch_ctx ctx = { .nl = nl, .ops = ops, .data = data };
	size_t index = 0;
	long ret = 0;
	void *buf;

	/* An mnl batch holds its last message past the limit, unsent. */
	buf = malloc(BATCH_LIMIT + NL_BUFSIZE);
	if (!buf)
		return -ENOMEM;
	while (index < count) {
		ret = batch_round(&ctx, buf, cmd, index, count);
		if (ret < 0)
			goto out_free;
		index += ctx.count;
	}
	ret = ctx.failed;
out_free:
	free(buf);
	return ret;
}

/* Family resolution through nlctrl. */
static int on_mcast_group(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	switch (type) {
	case CTRL_ATTR_MCAST_GRP_NAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_MCAST_GRP_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int read_mcast_groups(struct nl *nl, const struct nlattr *groups)
{
	const struct nlattr *group;

	mnl_attr_for_each_nested(group, groups) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};

		if (mnl_attr_parse_nested(group, on_mcast_group, tb) < 0)
			return MNL_CB_ERROR;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), RTPFWD_MCGRP_EVENTS))
			nl->events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

static int on_family_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	static const enum mnl_attr_data_type types[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
		[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};

	if (type > CTRL_ATTR_MAX || types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int on_family(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = {};
	struct nl *nl = data;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), on_family_attr, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		nl->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return read_mcast_groups(nl, tb[CTRL_ATTR_MCAST_GROUPS]);
	return MNL_CB_OK;
}

static int resolve_family(struct nl *nl)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, ++nl->seq);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, RTPFWD_FAMILY_NAME);
	return nl_request(nl, req, on_family, nl);
}

static int set_options(struct nl *nl)
{
	int one = 1, size = RCVBUF_SIZE;
	int fd = mnl_socket_get_fd(nl->sock);

	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one)) < 0)
		return -errno;
	/* Batches need room for thousands of replies; only root may pass
	 * net.core.rmem_max, others keep what SO_RCVBUF grants.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

/**
 * nl_open - open a generic netlink socket and resolve the rtpfwd family
 * @out: the new socket, for nl_close()
 *
 * Return: 0, -ENOENT when the family is not registered (the module is not
 * loaded), or another negative errno.
 */
int nl_open(struct nl **out)
{
	struct nl *nl;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock) {
		ret = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	ret = set_options(nl);
	if (ret)
		goto err_close;
	ret = resolve_family(nl);
	if (ret)
		goto err_close;
	*out = nl;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
err_free:
	free(nl);
	return ret;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

/* The kernel's extack text for the last failed request, or "". */
const char *nl_errmsg(const struct nl *nl)
{
	return nl->errmsg;
}

/**
 * nl_subscribe - receive the "events" multicast group on this socket
 * @nl: a socket used for nothing else, since events would mix with replies
 *
 * Return: 0, -ENOENT when the family has no such group, or a negative errno.
 */
int nl_subscribe(struct nl *nl)
{
	int group = (int)nl->events_group;

	if (!group)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return -errno;
	return 0;
}

/**
 * nl_recv_events - wait for the next events and pass each to @event
 * @nl: a socket after nl_subscribe()
 * @event: called for each event message
 * @data: passed to @event
 *
 * Return: 0; -EINTR when a signal arrived first; -ENOBUFS when events were
 * lost because the receive buffer overran (the socket stays usable); or
 * the error @event reported.
 */
int nl_recv_events(struct nl *nl, mnl_cb_t event, void *data)
{
	ssize_t n;

	n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(nl->rx, (size_t)n, 0, 0, event, data) < 0)
		return errno ? -errno : -EBADMSG;
	return 0;
}
