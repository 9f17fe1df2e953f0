/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace relay: rtpfwd.ko's flows in this process, for hosts
 * without the module. A flow reads from the socket bound to its LOCAL
 * endpoint and sends from the socket bound to its OUT endpoint, both owned
 * by the caller (the port pool); packets are judged as in the kernel
 * (relay_flow.h) and moved in batches (recvmmsg/sendmmsg) on the loop.
 */
#ifndef SIPPROXYD_RELAY_H
#define SIPPROXYD_RELAY_H

#include <stdint.h>

#include "lib/evloop.h"
#include "lib/nl_flow.h"

struct relay;

/*
 * What the kernel multicasts: @cmd is RTPFWD_CMD_FLOW_IDLE or
 * RTPFWD_CMD_SOURCE_LEARNED, @flow the flow as FLOW_GET reports it.
 * SOURCE_LEARNED comes from inside packet processing: its handler must not
 * add or delete flows. FLOW_IDLE's may.
 */
typedef void relay_event_fn(void *data, uint8_t cmd, const struct nl_flow *flow);

/* Datagrams moved per recvmmsg()/sendmmsg(). */
#define RELAY_BATCH 32
/* Largest datagram relayed; longer ones are dropped as malformed. */
#define RELAY_MTU 9216

int relay_new(struct relay **out, struct loop *loop, relay_event_fn *event, void *data);
void relay_free(struct relay *r);
int relay_add(struct relay *r, const struct nl_flow *cfg, int in_fd, int out_fd,
	      uint32_t *id);
int relay_set(struct relay *r, const struct nl_flow *cfg);
int relay_del(struct relay *r, uint32_t id);
int relay_get(struct relay *r, uint32_t id, struct nl_flow *out);
void relay_scan_idle(struct relay *r, uint64_t now_ms);

#endif
