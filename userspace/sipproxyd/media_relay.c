// SPDX-License-Identifier: GPL-2.0
/* The userspace relay as a media backend. */
#include <errno.h>
#include <stdlib.h>

#include "media_backend.h"

struct relay_backend {
	struct media_fwd b;
	struct relay *relay;
};

static struct relay *relay_of(struct media_fwd *b)
{
	return container_of(b, struct relay_backend, b)->relay;
}

static int add(struct media_fwd *b, const struct nl_flow *f, int in_fd,
	       int out_fd, uint32_t *id)
{
	return relay_add(relay_of(b), f, in_fd, out_fd, id);
}

static int set(struct media_fwd *b, const struct nl_flow *f)
{
	return relay_set(relay_of(b), f);
}

static int del(struct media_fwd *b, uint32_t id)
{
	return relay_del(relay_of(b), id);
}

static int get(struct media_fwd *b, uint32_t id, struct nl_flow *f)
{
	return relay_get(relay_of(b), id, f);
}

static void free_backend(struct media_fwd *b)
{
	struct relay_backend *rb = container_of(b, struct relay_backend, b);

	relay_free(rb->relay);
	free(rb);
}

static const char *errmsg(const struct media_fwd *b)
{
	return "";
}

static const struct media_fwd_ops relay_ops = {
	.name = "userspace",
	.add = add,
	.set = set,
	.del = del,
	.get = get,
	.free = free_backend,
	.errmsg = errmsg,
};

int media_relay_open(struct media_fwd **out, struct loop *loop,
		     relay_event_fn *event, void *data)
{
	struct relay_backend *rb = calloc(1, sizeof(*rb));
	int ret;

	if (!rb)
		return -ENOMEM;
	ret = relay_new(&rb->relay, loop, event, data);
	if (ret) {
		free(rb);
		return ret;
	}
	rb->b.ops = &relay_ops;
	*out = &rb->b;
	return 0;
}
