// SPDX-License-Identifier: GPL-2.0
/*
 * Requests the proxy itself sends inside a dialog it record-routed: the
 * BYEs that end a call whose media went silent (or whose SDP could not be
 * anchored) and the ACK of a 2xx we refuse. Each goes to one side as that
 * side's peer would send it (RFC 3261 12.2.1.1): Request-URI its Contact,
 * Route the part of the Record-Route set between us and it, From the
 * other side's address, To its own, and a CSeq above any it has seen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_calls.h"
#include "proxy_route.h"
#include "proxy_via.h"

void proxy_dialog_peer_clear(struct dialog_peer *p)
{
	free(p->addr);
	free(p->target);
	free(p->route);
	memset(p, 0, sizeof(*p));
}

static bool entry_is_us(struct core *c, struct sip_str entry)
{
	struct sip_scan sc;
	struct sip_addr addr;

	sip_scan_init(&sc, entry);
	return sip_addr_scan(&sc, SIP_HDR_RECORD_ROUTE, &addr) && core_uri_is_us(c, &addr.uri);
}

/* Entries [from, to) of @e joined by ", ", reversed when @reverse; NULL when none. */
static int join(char **out, const struct sip_str *e, size_t from, size_t to, bool reverse)
{
	char buf[DIALOG_VALUE_MAX];
	size_t used = 0, i, k;
	int n;

	*out = NULL;
	for (i = from; i < to; i++) {
		k = reverse ? to - 1 - (i - from) : i;
		n = snprintf(buf + used, sizeof(buf) - used, "%s%.*s", used ? ", " : "",
			     SIP_STR_FMT(e[k]));
		if (n < 0 || (size_t)n >= sizeof(buf) - used)
			return -E2BIG;
		used += (size_t)n;
	}
	return used ? dialog_set_str(out, sip_str_make(buf, used)) : 0;
}

/**
 * proxy_dialog_callee_view - the callee's side of a dialog, from its 2xx
 * @callee: filled: its To (tag included), Contact URI and the Route set
 *	    towards it (the Record-Route entries above ours, reversed)
 * @caller_route: the Route set towards the caller (the entries below ours)
 *
 * Return: 0; -EINVAL without a usable To tag or Contact; -E2BIG, -ENOMEM.
 * On failure nothing is left allocated.
 */
int proxy_dialog_callee_view(struct core *c, const struct sip_msg *resp,
			     struct dialog_peer *callee, char **caller_route)
{
	struct sip_str e[PROXY_MAX_ROUTES];
	size_t n = 0, first = 0, last = 0;
	struct sip_addr addr;
	struct sip_iter it;
	bool ours = false;
	int err;

	memset(callee, 0, sizeof(*callee));
	*caller_route = NULL;
	sip_iter_init(&it, resp, SIP_HDR_RECORD_ROUTE);
	while (sip_iter_addr(&it, &addr) == 1) {
		if (n == PROXY_MAX_ROUTES)
			return -E2BIG;
		if (entry_is_us(c, addr.raw)) {
			if (!ours)
				first = n;
			last = n;
			ours = true;
		}
		e[n++] = addr.raw;
	}
	sip_iter_init(&it, resp, SIP_HDR_CONTACT);
	if (!sip_str_present(resp->to.tag) || sip_iter_addr(&it, &addr) != 1)
		return -EINVAL;
	/* Without our entry the dialog does not pass us: every entry is the callee's. */
	if (!ours)
		first = last = n;
	err = dialog_set_str(&callee->addr, resp->to.raw);
	if (!err)
		err = dialog_set_str(&callee->target, addr.uri_text);
	if (!err)
		err = join(&callee->route, e, 0, first, true);
	if (!err && ours)
		err = join(caller_route, e, last + 1, n, false);
	if (err) {
		proxy_dialog_peer_clear(callee);
		free(*caller_route);
		*caller_route = NULL;
	}
	return err;
}

/* The request line through the empty line; 0 or -ENOSPC. */
static int build(char *out, size_t cap, size_t *len, const char *method,
		 const struct proxy_route_set *rs, const char *via, const char *call_id,
		 const struct dialog_peer *to, const struct dialog_peer *from, uint32_t cseq)
{
	char routes[DIALOG_VALUE_MAX];
	int n;

	if (rs->n && !proxy_route_join(rs, routes, sizeof(routes)))
		return -ENOSPC;
	n = snprintf(out, cap,
		     "%s %.*s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n%s%s%s"
		     "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n"
		     "Content-Length: 0\r\n\r\n",
		     method, SIP_STR_FMT(rs->ruri), via, rs->n ? "Route: " : "",
		     rs->n ? routes : "", rs->n ? "\r\n" : "", from->addr, to->addr, call_id, cseq,
		     method);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	*len = (size_t)n;
	return 0;
}

/**
 * proxy_dialog_send - send @method to the side @to of a dialog
 * @from: the other side (its address is the From)
 * @cseq: the CSeq number
 *
 * An ACK goes statelessly; anything else through a client transaction
 * without a user: its response matters to nobody.
 *
 * Return: 0 or a negative errno (the side is unreachable by an IP
 * literal, or the message did not fit or send).
 */
int proxy_dialog_send(struct proxy_calls *pc, const char *call_id, const struct dialog_peer *to,
		      const struct dialog_peer *from, const char *method, uint32_t cseq)
{
	struct core *c = pc->core;
	char branch[TXN_BRANCH_MAX], via[PROXY_HDR_MAX];
	struct proxy_route_set rs = { .ruri = sip_str_make(to->target, strlen(to->target)) };
	struct sip_uri hop;
	struct tp_addr dst;
	struct txn *t;
	size_t len;
	int err;

	if (to->route) {
		err = proxy_route_prepend(&rs, sip_str_make(to->route, strlen(to->route)));
		if (err)
			return err;
	}
	err = proxy_route_next_hop(c, &rs, &dst, &hop);
	if (err)
		return err == -EAGAIN ? -EHOSTUNREACH : err;
	snprintf(branch, sizeof(branch), SIP_BRANCH_COOKIE "%.8s.dlg%08llx", c->salt,
		 (unsigned long long)(++c->seq & 0xffffffffu));
	err = proxy_via_ours(c, &dst, branch, via, sizeof(via));
	if (!err)
		err = build(pc->out, sizeof(pc->out), &len, method, &rs, via, call_id, to, from,
			    cseq);
	if (err)
		return err;
	if (sip_msg_parse(&pc->msg, pc->out, len, SIP_DATAGRAM))
		return -EINVAL;
	if (pc->msg.method_id == SIP_METHOD_ACK)
		return core_send(c, &dst, pc->out, len);
	return txn_client_new(c->txns, &pc->msg, pc->out, len,
			      sip_str_make(branch, strlen(branch)), &dst, &t);
}
