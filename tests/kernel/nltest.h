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

/* Deletes every flow of this netns: where each fixture starts and ends. */
static inline int nlt_flush(struct nl *nl)
{
	struct nl_flow all = {};

	return nlt_cmd(nl, RTPFWD_CMD_FLUSH, &all, NULL);
}

/* A fixture's first step: a socket, and no flows left from earlier tests. */
static inline int nlt_open_flushed(struct nl **nl)
{
	int err = nl_open(nl);

	return err ? err : nlt_flush(*nl);
}

/* A teardown's last step: flush and close, unless setup never opened @nl. */
static inline void nlt_close_flushed(struct nl *nl)
{
	if (!nl)
		return;
	nlt_flush(nl);
	nl_close(nl);
}

/*
 * Request builders for what nl_flow_put() cannot express: the test
 * appends raw attributes after these and sends with nl_request().
 */
static inline struct nlmsghdr *nlt_req(struct nl *nl, char *buf, uint8_t cmd)
{
	return nl_msg_start(nl, buf, cmd, NLM_F_ACK);
}

/* @cmd with @f's attributes already in place. */
static inline struct nlmsghdr *nlt_req_flow(struct nl *nl, char *buf, uint8_t cmd,
					    const struct nl_flow *f)
{
	struct nlmsghdr *nlh = nlt_req(nl, buf, cmd);

	nl_flow_put(nlh, f);
	return nlh;
}

/*
 * An endpoint nest @type of raw attributes: @addr_type with @len bytes of
 * @addr unless @addr is NULL, then PORT unless @port is negative.
 */
static inline void nlt_put_raw_ep(struct nlmsghdr *nlh, int type, int addr_type,
				  const void *addr, size_t len, int port)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, (uint16_t)type);

	if (addr)
		mnl_attr_put(nlh, (uint16_t)addr_type, len, addr);
	if (port >= 0)
		mnl_attr_put_u16(nlh, RTPFWD_EP_PORT, (uint16_t)port);
	mnl_attr_nest_end(nlh, nest);
}

/* The well-formed endpoint nest @type of "ADDR:PORT" @text. */
static inline void nlt_put_ep(struct nlmsghdr *nlh, int type, const char *text)
{
	struct endpoint ep;

	if (endpoint_parse(&ep, text))
		abort();
	if (ep.family == AF_INET)
		nlt_put_raw_ep(nlh, type, RTPFWD_EP_IPV4, &ep.addr.v4, 4, ep.port);
	else
		nlt_put_raw_ep(nlh, type, RTPFWD_EP_IPV6, &ep.addr.v6, 16, ep.port);
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
