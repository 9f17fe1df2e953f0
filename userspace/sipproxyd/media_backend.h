/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What media.c asks of a forwarding backend: rtpfwd.ko (offload.c) or the
 * userspace relay (relay.c, wrapped in media_relay.c). Flows are struct
 * nl_flow in both; ids are the backend's. Events (FLOW_IDLE,
 * SOURCE_LEARNED) come back through the event function given at open.
 */
#ifndef SIPPROXYD_MEDIA_BACKEND_H
#define SIPPROXYD_MEDIA_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/evloop.h"
#include "lib/nl_flow.h"
#include "relay.h"

struct media_fwd;

/*
 * The most flows one media change adds: RTP and RTCP each way for every
 * m= line (SDP_MAX_MEDIA).
 */
#define MEDIA_FWD_NEW_MAX 64

/* One flow to add: add()'s arguments, and the id it got. */
struct media_fwd_new {
	const struct nl_flow *flow;
	int in_fd, out_fd;
	/*
	 * The flow's first: what in_fd queued is early media. Otherwise it
	 * was removed (a hold) and what came meanwhile was not wanted.
	 */
	bool first;
	uint32_t id;
};

/* Called for every flow of a dump; nonzero stops it. */
typedef int media_dump_fn(void *data, const struct nl_flow *flow);

struct media_fwd_ops {
	const char *name;
	/*
	 * in_fd/out_fd: the sockets of LOCAL and OUT. The kernel backend
	 * hands what in_fd queued before the flow existed to the flow.
	 */
	int (*add)(struct media_fwd *b, const struct nl_flow *f, int in_fd,
		   int out_fd, uint32_t *id);
	/*
	 * 1 to MEDIA_FWD_NEW_MAX flows, all or none: on failure none of
	 * them exists. NULL: media_fwd_add() adds them one at a time.
	 */
	int (*add_many)(struct media_fwd *b, struct media_fwd_new *nf, size_t n);
	int (*set)(struct media_fwd *b, const struct nl_flow *f);
	int (*del)(struct media_fwd *b, uint32_t id);
	int (*get)(struct media_fwd *b, uint32_t id, struct nl_flow *f);
	/* every flow; NULL when flows do not outlive the process */
	int (*dump)(struct media_fwd *b, media_dump_fn *fn, void *data);
	void (*free)(struct media_fwd *b);
	/* the last failure's explanation, "" when none */
	const char *(*errmsg)(const struct media_fwd *b);
};

struct media_fwd {
	const struct media_fwd_ops *ops;
};

int media_fwd_add(struct media_fwd *b, struct media_fwd_new *nf, size_t n);
int media_fwd_add_each(struct media_fwd *b, struct media_fwd_new *nf, size_t n);

int offload_open(struct media_fwd **out, struct loop *loop,
		 relay_event_fn *event, void *data);
int media_relay_open(struct media_fwd **out, struct loop *loop,
		     relay_event_fn *event, void *data);

#endif
