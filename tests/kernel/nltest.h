/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the netlink tests: every tests/kernel/netlink_*.c includes
 * this once, after kselftest_harness.h.
 */
#ifndef NLTEST_H
#define NLTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nl.h"
#include "lib/nl_flow.h"

/* A flow every command accepts: LOCAL, OUT and PEER in one family. */
static inline void nlt_flow(struct nl_flow *f, const char *local, const char *out,
			    const char *peer)
{
	memset(f, 0, sizeof(*f));
	if (endpoint_parse(&f->local, local) || endpoint_parse(&f->out, out) ||
	    endpoint_parse(&f->peer, peer))
		abort();
	nl_flow_mark(f, RTPFWD_A_LOCAL);
	nl_flow_mark(f, RTPFWD_A_OUT);
	nl_flow_mark(f, RTPFWD_A_PEER);
}

static inline int nlt_collect(const struct nlmsghdr *nlh, void *data)
{
	if (nl_flow_parse(nlh, data)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Sends @cmd with @in's attributes; the reply, if any, lands in @out. */
static inline int nlt_cmd(struct nl *nl, uint8_t cmd, const struct nl_flow *in,
			  struct nl_flow *out)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req = nl_msg_start(nl, buf, cmd, NLM_F_ACK);

	nl_flow_put(req, in);
	if (out)
		memset(out, 0, sizeof(*out));
	return nl_request(nl, req, out ? nlt_collect : NULL, out);
}

static inline int nlt_by_id(struct nl *nl, uint8_t cmd, uint32_t id, struct nl_flow *out)
{
	struct nl_flow sel = { .id = id };

	nl_flow_mark(&sel, RTPFWD_A_ID);
	return nlt_cmd(nl, cmd, &sel, out);
}

/* Runs a shell command; the tests use it for ip(8) and module reloads. */
static inline int nlt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int nlt_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Counts the flows of this netns with a full dump. */
struct nlt_ids {
	uint32_t *ids;
	size_t count, cap;
};

static inline int nlt_collect_id(const struct nlmsghdr *nlh, void *data)
{
	struct nlt_ids *ids = data;
	struct nl_flow f;

	if (nl_flow_parse(nlh, &f) || !nl_flow_has(&f, RTPFWD_A_ID)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (ids->count == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 1024;
		ids->ids = realloc(ids->ids, ids->cap * sizeof(*ids->ids));
		if (!ids->ids)
			abort();
	}
	ids->ids[ids->count++] = f.id;
	return MNL_CB_OK;
}

static inline void nlt_forget_ids(void *data)
{
	((struct nlt_ids *)data)->count = 0;
}

static inline int nlt_dump_ids(struct nl *nl, struct nlt_ids *ids)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *req = nl_msg_start(nl, buf, RTPFWD_CMD_FLOW_GET, NLM_F_DUMP);

	ids->count = 0;
	return nl_dump(nl, req, nlt_collect_id, nlt_forget_ids, ids);
}

#endif
