// SPDX-License-Identifier: GPL-2.0
/*
 * What a proxy writes about itself into a request: the received and rport
 * parameters of the sender's Via (RFC 3261 18.2.1, RFC 3581), its own Via
 * with a branch that also serves loop detection (16.3 step 4, 16.6 step
 * 8), and Record-Route entries, doubled when the request changes transport
 * or address family (RFC 5658).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proxy_via.h"

#define LOOP_HASH_HEX 16

static void hash_str(uint64_t *h, struct sip_str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		*h = (*h ^ (uint8_t)s.s[i]) * 1099511628211ull;
	/* A separator, so ("ab", "c") and ("a", "bc") differ. */
	*h = (*h ^ 0xff) * 1099511628211ull;
}

/*
 * What identifies a request on its way through us: the same request coming
 * back unchanged is a loop; a new Request-URI makes it a spiral. The top
 * Via is left out on purpose: a looped request always has another one.
 */
static uint64_t loop_hash(const struct sip_msg *msg)
{
	uint64_t h = 14695981039346656037ull;
	const struct sip_hdr *pr;
	char cseq[16];

	hash_str(&h, msg->ruri.raw);
	hash_str(&h, msg->from.tag);
	hash_str(&h, msg->to.tag);
	hash_str(&h, msg->call_id);
	snprintf(cseq, sizeof(cseq), "%u", msg->cseq.number);
	hash_str(&h, sip_str_make(cseq, strlen(cseq)));
	for (pr = sip_msg_hdr(msg, SIP_HDR_PROXY_REQUIRE); pr; pr = sip_msg_hdr_next(msg, pr))
		hash_str(&h, pr->value);
	return h;
}

/* z9hG4bK, 16 hex digits of loop hash, '.', 8 of salt, 8 of sequence. */
void proxy_branch_make(struct core *c, const struct sip_msg *msg, char out[TXN_BRANCH_MAX])
{
	snprintf(out, TXN_BRANCH_MAX, SIP_BRANCH_COOKIE "%016llx.%.8s%08llx",
		 (unsigned long long)loop_hash(msg), c->salt,
		 (unsigned long long)(++c->seq & 0xffffffffu));
}

/*
 * A stateless proxy's branch (16.11): the same for every retransmission of
 * the request, different for different requests: a hash of what the
 * upstream branch and the request identify.
 */
void proxy_branch_stateless(const struct sip_msg *msg, char out[TXN_BRANCH_MAX])
{
	uint64_t h = loop_hash(msg);

	hash_str(&h, msg->via.branch);
	hash_str(&h, msg->via.host);
	snprintf(out, TXN_BRANCH_MAX, SIP_BRANCH_COOKIE "%016llx.sl", (unsigned long long)h);
}

static bool via_is_ours(struct core *c, const struct sip_via *via)
{
	struct sip_uri uri = { .scheme = SIP_SCHEME_SIP, .host = via->host,
			       .host_type = via->host_type, .port = via->port };
	enum tp_proto proto;
	struct endpoint ep;

	if (!core_uri_endpoint(&uri, &ep))
		return false;
	if (via->port < 0)
		ep.port = tp_proto_parse(via->transport, &proto) ? tp_default_port(proto) : 5060;
	return transport_is_local(c->tp, &ep);
}

/* 16.3 step 4: one of our Vias carries the branch this very request would get. */
bool proxy_loop_detected(struct core *c, const struct sip_msg *msg)
{
	char expect[LOOP_HASH_HEX + 1];
	struct sip_via via;
	struct sip_iter it;

	snprintf(expect, sizeof(expect), "%016llx", (unsigned long long)loop_hash(msg));
	sip_iter_init(&it, msg, SIP_HDR_VIA);
	while (sip_iter_via(&it, &via) == 1) {
		size_t cookie = sizeof(SIP_BRANCH_COOKIE) - 1;

		if (via.branch.len < cookie + LOOP_HASH_HEX ||
		    memcmp(via.branch.s + cookie, expect, LOOP_HASH_HEX) || !via_is_ours(c, &via))
			continue;
		return true;
	}
	return false;
}

static bool host_is(struct sip_str host, const struct endpoint *ep)
{
	char text[INET6_ADDRSTRLEN];

	endpoint_format_addr(ep, text);
	return sip_str_caseeq_cstr(host, text);
}

/**
 * proxy_via_received - the top Via of @msg as 18.2.1 and RFC 3581 want it
 * @out: "SIP/2.0/UDP host:port;...;received=A;rport=P" when @changed
 *
 * received goes in when the sent-by host is not the source address, or
 * rport was asked for; rport gets the source port when it was asked for.
 */
int proxy_via_received(const struct sip_msg *msg, const struct tp_addr *src, char *out,
		       size_t cap, bool *changed)
{
	const struct sip_via *via = &msg->via;
	char addr[INET6_ADDRSTRLEN];
	struct sip_str name, value;
	struct sip_scan sc;
	size_t used;
	int n;

	*changed = via->rport || !host_is(via->host, &src->peer);
	if (!*changed)
		return 0;
	endpoint_format_addr(&src->peer, addr);
	/* sent-protocol and sent-by as written, then the parameters but ours. */
	n = snprintf(out, cap, "%.*s",
		     via->params.len ? (int)(via->params.s - via->raw.s) : (int)via->raw.len,
		     via->raw.s);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	used = (size_t)n;
	sip_scan_init(&sc, via->params);
	while (sip_scan_sep(&sc, ';') && sip_scan_param(&sc, &name, &value)) {
		if (sip_str_caseeq_cstr(name, "received") || sip_str_caseeq_cstr(name, "rport"))
			continue;
		n = snprintf(out + used, cap - used, ";%.*s%s%.*s", SIP_STR_FMT(name),
			     sip_str_present(value) ? "=" : "",
			     sip_str_present(value) ? (int)value.len : 0,
			     sip_str_present(value) ? value.s : "");
		if (n < 0 || (size_t)n >= cap - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	n = snprintf(out + used, cap - used, ";received=%s", addr);
	if (n > 0 && (size_t)n < cap - used && via->rport)
		n += snprintf(out + used + n, cap - used - (size_t)n, ";rport=%u", src->peer.port);
	if (n < 0 || (size_t)n >= cap - used)
		return -ENOSPC;
	return 0;
}

static int sent_by(struct core *c, const struct tp_addr *dst, char text[ENDPOINT_STRLEN])
{
	struct endpoint ep;
	int err = transport_sent_by(c->tp, dst->proto, &dst->peer, &ep);

	if (err)
		return err;
	endpoint_format(&ep, text);
	return 0;
}

/* Our Via for a request to @dst: the listener of that transport and family. */
int proxy_via_ours(struct core *c, const struct tp_addr *dst, const char *branch, char *out,
		   size_t cap)
{
	char text[ENDPOINT_STRLEN];
	int err = sent_by(c, dst, text), n;

	if (err)
		return err;
	n = snprintf(out, cap, "SIP/2.0/%s %s;branch=%s;rport", tp_proto_name(dst->proto), text,
		     branch);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

static int rr_entry(const struct tp_addr *side, const char *text, bool r2, char *out,
		    size_t cap)
{
	int n = snprintf(out, cap, "<%s:%s%s;lr%s>", side->proto == TP_TLS ? "sips" : "sip", text,
			 side->proto == TP_TCP ? ";transport=tcp" : "", r2 ? ";r2=on" : "");

	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

/**
 * proxy_record_route - our Record-Route for a request from @in to @out
 * @buf: the entry the next hop sees (on top): the listener the request
 *       leaves from
 * @second: empty, or the entry the previous hop sees (the listener the
 *          route back to it leaves from), when the two sides differ in
 *          transport or address (RFC 5658 double record-routing)
 */
int proxy_record_route(struct core *c, const struct tp_addr *in, const struct tp_addr *out,
		       char *buf, size_t cap, char *second, size_t second_cap)
{
	char to_out[ENDPOINT_STRLEN], to_in[ENDPOINT_STRLEN];
	bool two;
	int err;

	second[0] = '\0';
	err = sent_by(c, out, to_out);
	if (!err)
		err = sent_by(c, in, to_in);
	if (err)
		return err;
	two = out->proto != in->proto || strcmp(to_out, to_in);
	err = rr_entry(out, to_out, two, buf, cap);
	if (!err && two)
		err = rr_entry(in, to_in, true, second, second_cap);
	return err;
}
