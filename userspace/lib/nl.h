/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_NL_H
#define SIPPROXY_NL_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

/* Dump replies may be up to 32 KiB each (MNL_SOCKET_DUMP_SIZE). */
#define NL_RXSIZE 32768

/*
 * A generic netlink socket bound to the rtpfwd family. Requests are
 * acknowledged with extended ACKs; after a failure nl_errmsg() holds the
 * kernel's explanation (empty when it gave none).
 */
struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t version;
	uint32_t events_group;	/* 0 when the kernel offers no "events" group */
	/* Extended ACK of the last failed request. */
	char errmsg[256];	/* NLMSGERR_ATTR_MSG, or "" */
	uint32_t bad_offset;	/* NLMSGERR_ATTR_OFFS, or 0 */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	char rx[NL_RXSIZE];
};

/* Request/reply buffers: enough for one message of any rtpfwd command. */
#define NL_BUFSIZE 8192

/* How many times a dump restarts after NLM_F_DUMP_INTR before giving up. */
#define NL_DUMP_RETRIES 16

int nl_open(struct nl **out);
void nl_close(struct nl *nl);
const char *nl_errmsg(const struct nl *nl);

struct nlmsghdr *nl_msg_start(struct nl *nl, void *buf, uint8_t cmd, uint16_t flags);
int nl_request(struct nl *nl, struct nlmsghdr *req, mnl_cb_t reply, void *data);
int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t reply,
	    void (*restart)(void *data), void *data);

/*
 * Batches: many requests of one command per sendmsg(). build() fills the
 * request for @index (header already written; NL_BUFSIZE bytes at most)
 * and returns 0 or a negative errno; reply() sees each reply message and
 * error() each refused request; both may be NULL.
 */
struct nl_batch_ops {
	int (*build)(struct nlmsghdr *req, size_t index, void *data);
	void (*reply)(const struct nlmsghdr *nlh, size_t index, void *data);
	void (*error)(size_t index, int err, const char *msg, void *data);
};

long nl_batch(struct nl *nl, uint8_t cmd, size_t count,
	      const struct nl_batch_ops *ops, void *data);

int nl_subscribe(struct nl *nl);
int nl_recv_events(struct nl *nl, mnl_cb_t event, void *data);

#endif
