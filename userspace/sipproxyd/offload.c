// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel backend: flows in rtpfwd.ko over generic netlink. One socket
 * for requests, a second one subscribed to the "events" group and watched
 * on the loop, so events never interleave with replies. Flows are created
 * without RTPFWD_F_OWNED: they survive sipproxyd, and a restarted one
 * adopts them (media_restart_adopt()).
 *
 * The flows of one media change go in one FLOW_NEW_MANY request, all or
 * none; a module without that command (older than this daemon) gets them
 * one FLOW_NEW at a time, those made before a failure deleted again. The
 * packets that reached their ports before them follow (offload_early.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/nl.h"
#include "media_backend.h"
#include "offload_early.h"

_Static_assert(MEDIA_FWD_NEW_MAX <= RTPFWD_MANY_MAX, "a media change fits one FLOW_NEW_MANY");

/* A FLOW_NEW_MANY request of MEDIA_FWD_NEW_MAX flows of any family. */
#define MANY_BUFSIZE (NL_BUFSIZE + MEDIA_FWD_NEW_MAX * NL_MANY_FLOW_SIZE)

struct offload {
	struct media_fwd b;
	struct loop *loop;
	struct nl *req;
	struct nl *ev;
	struct loop_io io;
	relay_event_fn *event;
	void *data;
	bool one_by_one;	/* the module has no FLOW_NEW_MANY */
	char errmsg[sizeof(((struct nl *)0)->errmsg)];	/* of the last failed request */
	struct offload_early early;
};

static struct offload *offload_of(const struct media_fwd *b)
{
	return container_of(b, struct offload, b);
}

/* A request; a failure keeps the kernel's explanation for errmsg(). */
static int request(struct offload *o, struct nlmsghdr *req, mnl_cb_t reply, void *data)
{
	int ret = nl_request(o->req, req, reply, data);

	if (ret)
		memcpy(o->errmsg, nl_errmsg(o->req), sizeof(o->errmsg));
	return ret;
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
	ret = request(o, req, on_flow, &reply);
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
	return request(o, req, NULL, NULL);
}

static int del(struct media_fwd *b, uint32_t id)
{
	struct offload *o = offload_of(b);
	struct nl_flow f = { .attrs = 1U << RTPFWD_A_ID, .id = id };
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_DEL, NLM_F_ACK);
	nl_flow_put(req, &f);
	return request(o, req, NULL, NULL);
}

static int get(struct media_fwd *b, uint32_t id, struct nl_flow *out)
{
	struct offload *o = offload_of(b);
	struct nl_flow f = { .attrs = 1U << RTPFWD_A_ID, .id = id };
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req;

	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_GET, NLM_F_ACK);
	nl_flow_put(req, &f);
	return request(o, req, on_flow, out);
}

struct ids_ctx {
	uint32_t id[MEDIA_FWD_NEW_MAX];
	long n;
};

static int on_ids(const struct nlmsghdr *nlh, void *data)
{
	struct ids_ctx *ctx = data;

	ctx->n = nl_flow_parse_ids(nlh, ctx->id, MEDIA_FWD_NEW_MAX);
	return MNL_CB_OK;
}

/*
 * A module that lacks the command refuses it with EOPNOTSUPP and no
 * message; rtpfwd's own refusals (an unknown flag bit) always say why.
 */
static int new_many(struct offload *o, struct media_fwd_new *nf, size_t n)
{
	const struct nl_flow *flows[MEDIA_FWD_NEW_MAX];
	struct ids_ctx ctx = { .n = -1 };
	char buf[MANY_BUFSIZE];
	struct nlmsghdr *req;
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		flows[i] = nf[i].flow;
	req = nl_msg_start(o->req, buf, RTPFWD_CMD_FLOW_NEW_MANY, NLM_F_ACK);
	nl_flow_put_refs(req, flows, n);
	ret = request(o, req, on_ids, &ctx);
	if (ret == -EOPNOTSUPP && !o->errmsg[0]) {
		log_notice("media: rtpfwd.ko has no FLOW_NEW_MANY (an older module): flows are added one at a time");
		o->one_by_one = true;
		return media_fwd_add_each(&o->b, nf, n);
	}
	if (ret)
		return ret;
	/* Not expected from any module: the flows exist, but which are they? */
	if (ctx.n != (long)n) {
		log_error("media: FLOW_NEW_MANY of %zu flows answered with %ld ids", n, ctx.n);
		return -EPROTO;
	}
	for (i = 0; i < n; i++)
		nf[i].id = ctx.id[i];
	return 0;
}

static int add_many(struct media_fwd *b, struct media_fwd_new *nf, size_t n)
{
	struct offload *o = offload_of(b);
	struct offload_early_count count;
	size_t i;
	int ret;

	if (o->one_by_one)
		ret = media_fwd_add_each(b, nf, n);
	else
		ret = new_many(o, nf, n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		offload_early_relay(&o->early, nf[i].flow, nf[i].in_fd,
				    nf[i].first ? OFFLOAD_EARLY_MAX : 0, &count);
		if (count.relayed || count.dropped)
			log_info("media: flow %u (cookie %016llx): %u early packets handed to it, %u dropped",
				 nf[i].id, (unsigned long long)nf[i].flow->cookie, count.relayed,
				 count.dropped);
	}
	return 0;
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
	offload_early_close(&o->early);
	nl_close(o->ev);
	nl_close(o->req);
	free(o);
}

static const char *errmsg(const struct media_fwd *b)
{
	return offload_of(b)->errmsg;
}

static const struct media_fwd_ops offload_ops = {
	.name = "kernel",
	.add = add,
	.add_many = add_many,
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
	offload_early_init(&o->early);
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
