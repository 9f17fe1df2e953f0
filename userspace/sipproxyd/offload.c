// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel backend: flows in rtpfwd.ko over generic netlink. One socket
 * for requests, a second one subscribed to the "events" group and watched
 * on the loop, so events never interleave with replies. Flows are created
 * without RTPFWD_F_OWNED: they survive sipproxyd, and a restarted one
 * adopts them (media_restart_adopt()).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/nl.h"
#include "media_backend.h"

struct offload {
	struct media_fwd b;
	struct loop *loop;
	struct nl *req;
	struct nl *ev;
	struct loop_io io;
	relay_event_fn *event;
	void *data;
};

static struct offload *offload_of(const struct media_fwd *b)
{
	return container_of(b, struct offload, b);
}

static int on_flow(const struct nlmsghdr *nlh, void *data)
{
	struct nl_flow *f = data;

	memset(f, 0, sizeof(*f));
	if (nl_flow_parse(nlh, f) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int add(struct media_fwd *b, const struct nl_flow *f, int in_fd,
	       int out_fd, uint32_t *id)
{
	struct offload *o = offload_of(b);
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;
	struct nl_flow reply;
	int ret;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_NEW, NLM_F_ACK);
	nl_flow_put(req, f);
	ret = nl_request(o->req, req, on_flow, &reply);
	if (ret)
		return ret;
	if (!nl_flow_has(&reply, RTPFWD_A_ID))
		return -EPROTO;
	*id = reply.id;
	return 0;
}

static int set(struct media_fwd *b, const struct nl_flow *f)
{
	struct offload *o = offload_of(b);
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;
	struct nl_flow c = *f;

	nl_flow_mark(&c, RTPFWD_A_ID);
	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_SET, NLM_F_ACK);
	nl_flow_put(req, &c);
	return nl_request(o->req, req, NULL, NULL);
}

static int del(struct media_fwd *b, uint32_t id)
{
	struct offload *o = offload_of(b);
	struct nl_flow f = { .attrs = 1U << RTPFWD_A_ID, .id = id };
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_DEL, NLM_F_ACK);
	nl_flow_put(req, &f);
	return nl_request(o->req, req, NULL, NULL);
}

static int get(struct media_fwd *b, uint32_t id, struct nl_flow *out)
{
	struct offload *o = offload_of(b);
	struct nl_flow f = { .attrs = 1U << RTPFWD_A_ID, .id = id };
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_GET, NLM_F_ACK);
	nl_flow_put(req, &f);
	return nl_request(o->req, req, on_flow, out);
}

struct dump_ctx {
	media_dump_fn *fn;
	void *data;
};

static int on_dump(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	struct nl_flow f = { 0 };

	if (nl_flow_parse(nlh, &f) < 0)
		return MNL_CB_ERROR;
	if (ctx->fn(ctx->data, &f)) {
		errno = ECANCELED;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * The dump is restarted when interrupted, so @fn may see a flow twice:
 * it must be idempotent.
 */
static int dump(struct media_fwd *b, media_dump_fn *fn, void *data)
{
	struct offload *o = offload_of(b);
	struct dump_ctx ctx = { .fn = fn, .data = data };
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_GET, NLM_F_DUMP);
	return nl_dump(o->req, req, on_dump, NULL, &ctx);
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct offload *o = data;
	struct nl_flow f = { 0 };

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	if (genl->cmd != RTPFWD_CMD_FLOW_IDLE && genl->cmd != RTPFWD_CMD_SOURCE_LEARNED)
		return MNL_CB_OK;
	/* An event we cannot read is skipped, not fatal to the daemon. */
	if (nl_flow_parse(nlh, &f) < 0 || !nl_flow_has(&f, RTPFWD_A_ID))
		return MNL_CB_OK;
	o->event(o->data, genl->cmd, &f);
	return MNL_CB_OK;
}

static void on_readable(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct offload *o = container_of(io, struct offload, io);
	int ret;

	ret = nl_recv_events(o->ev, on_event, o);
	if (ret == -ENOBUFS)
		log_warn("media: rtpfwd events lost (receive buffer overrun); idle calls end at their next event");
	else if (ret && ret != -EAGAIN && ret != -EINTR)
		log_error("media: rtpfwd events: %s", strerror(-ret));
}

static void free_backend(struct media_fwd *b)
{
	struct offload *o = offload_of(b);

	loop_io_del(o->loop, &o->io);
	nl_close(o->ev);
	nl_close(o->req);
	free(o);
}

static const char *errmsg(const struct media_fwd *b)
{
	return nl_errmsg(offload_of(b)->req);
}

static const struct media_fwd_ops offload_ops = {
	.name = "kernel",
	.add = add,
	.set = set,
	.del = del,
	.get = get,
	.dump = dump,
	.free = free_backend,
	.errmsg = errmsg,
};

/**
 * offload_open() - the kernel backend
 * @out: set on success
 * @loop: where the events socket is watched
 * @event: called for FLOW_IDLE and SOURCE_LEARNED
 * @data: passed to @event
 *
 * Return: 0; -ENOENT when rtpfwd.ko is not loaded; -EPERM without
 * CAP_NET_ADMIN; another negative errno.
 */
int offload_open(struct media_fwd **out, struct loop *loop,
		 relay_event_fn *event, void *data)
{
	struct offload *o = calloc(1, sizeof(*o));
	int fd, ret;

	if (!o)
		return -ENOMEM;
	ret = nl_open(&o->req);
	if (ret)
		goto err_free;
	ret = nl_open(&o->ev);
	if (ret)
		goto err_close_req;
	ret = nl_subscribe(o->ev);
	if (ret)
		goto err_close_ev;
	fd = mnl_socket_get_fd(o->ev->sock);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		ret = -errno;
		goto err_close_ev;
	}
	o->loop = loop;
	o->event = event;
	o->data = data;
	loop_io_init(&o->io, fd, on_readable);
	ret = loop_io_add(loop, &o->io, EPOLLIN);
	if (ret)
		goto err_close_ev;
	o->b.ops = &offload_ops;
	*out = &o->b;
	return 0;

err_close_ev:
	nl_close(o->ev);
err_close_req:
	nl_close(o->req);
err_free:
	free(o);
	return ret;
}
