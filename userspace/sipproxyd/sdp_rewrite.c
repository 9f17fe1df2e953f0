// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the anchored SDP body line by line from the parsed session: lines
 * are copied, patched (only the tokens that name an address, port or
 * version are replaced; the bytes around them are copied) or dropped, and
 * a c= line is inserted where a stream needs one. See sdp_rewrite.h for
 * what changes and why.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sdp_error.h"
#include "sdp_lex.h"
#include "sdp_rewrite.h"

struct out {
	char *buf;
	size_t size;
	size_t len;		/* as if nothing were cut */
	unsigned int lines;
	unsigned int last_eol;	/* line ending bytes of the last line written */
};

static void put(struct out *o, const char *p, size_t n)
{
	if (o->len < o->size)
		memcpy(o->buf + o->len, p, n < o->size - o->len ?
		       n : o->size - o->len);
	o->len += n;
}

static const char *eol_text(unsigned int eol)
{
	return eol == 2 ? "\r\n" : eol == 1 ? "\n" : "";
}

static void put_eol(struct out *o, unsigned int eol)
{
	put(o, eol_text(eol), eol);
	o->lines++;
	o->last_eol = eol;
}

/* A token and the text that replaces it, for put_line(). */
struct patch {
	struct sdp_str at;	/* inside the line, in line order */
	const char *text;
};

/* Copies line @l, replacing each patched token. */
static void put_line(struct out *o, const struct sdp_session *s,
		     const struct sdp_line *l, const struct patch *patch,
		     unsigned int n)
{
	const char *p = s->body + l->off, *end = p + l->len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		put(o, p, patch[i].at.p - p);
		put(o, patch[i].text, strlen(patch[i].text));
		p = patch[i].at.p + patch[i].at.len;
	}
	put(o, p, end - p);
	put_eol(o, l->eol);
}

/* Text forms of the values put_line() writes. */
struct addr_text {
	const char *type;
	char host[INET6_ADDRSTRLEN];
};

static void addr_text(const struct sdp_addr *a, struct addr_text *t)
{
	t->type = a->family == AF_INET ? "IP4" : "IP6";
	inet_ntop(a->family, &a->v4, t->host, sizeof(t->host));
}

static void put_origin(struct out *o, const struct sdp_session *s,
		       const struct sdp_rewrite *rw)
{
	const struct sdp_origin *org = &s->origin;
	char version[24];
	struct addr_text t;

	snprintf(version, sizeof(version), "%" PRIu64, rw->version);
	addr_text(&rw->origin, &t);
	put_line(o, s, &s->line[org->line], (const struct patch[]){
		{ org->version_str, version },
		{ org->addrtype, t.type },
		{ org->host, t.host },
	}, 3);
}

/* A c= line; an unspecified address (RFC 2543 hold) stays as it is. */
static void put_conn(struct out *o, const struct sdp_session *s,
		     const struct sdp_conn *conn, const struct sdp_addr *to)
{
	const struct sdp_line *l = &s->line[conn->line];
	struct addr_text t;

	if (sdp_addr_is_unspecified(&conn->addr)) {
		put_line(o, s, l, NULL, 0);
		return;
	}
	addr_text(to, &t);
	put_line(o, s, l, (const struct patch[]){
		{ conn->addrtype, t.type },
		{ conn->host, t.host },
	}, 2);
}

static void put_media(struct out *o, const struct sdp_session *s,
		      const struct sdp_media *m, const struct sdp_relay *r)
{
	char port[8];

	snprintf(port, sizeof(port), "%u", r->port);
	put_line(o, s, &s->line[m->line], (const struct patch[]){
		{ m->port_str, port },
	}, 1);
}

static void put_rtcp(struct out *o, const struct sdp_session *s,
		     const struct sdp_media *m, const struct sdp_relay *r)
{
	bool keep_addr = !m->rtcp.present ||
			 sdp_addr_is_unspecified(&m->rtcp.addr);
	struct addr_text t;
	char port[8];

	snprintf(port, sizeof(port), "%u",
		 m->s.rtcp_mux ? r->port : r->port + 1);
	addr_text(&r->addr, &t);
	put_line(o, s, &s->line[m->rtcp_line], (const struct patch[]){
		{ m->rtcp_port_str, port },
		{ m->rtcp.addrtype, t.type },
		{ m->rtcp.host, t.host },
	}, keep_addr ? 1 : 3);
}

/*
 * A stream that inherits the session c= but is relayed on another address
 * than the origin needs a c= of its own. One held by an unspecified
 * session c= keeps inheriting it.
 */
static bool needs_own_conn(const struct sdp_session *s,
			   const struct sdp_rewrite *rw,
			   const struct sdp_media *m)
{
	return !m->s.rejected && !m->conn.present && s->conn.present &&
	       !sdp_addr_is_unspecified(&s->conn.addr) &&
	       !sdp_addr_equal(&rw->relay[m->s.index].addr, &rw->origin);
}

/* The inserted c= takes the line ending of the line before it. */
static void put_own_conn(struct out *o, unsigned int body_eol,
			 const struct sdp_addr *a)
{
	unsigned int eol = o->last_eol;
	struct addr_text t;

	if (!eol)
		put(o, eol_text(body_eol), body_eol);
	addr_text(a, &t);
	put(o, "c=IN ", 5);
	put(o, t.type, strlen(t.type));
	put(o, " ", 1);
	put(o, t.host, strlen(t.host));
	put_eol(o, eol);
}

static void put_any(struct out *o, const struct sdp_session *s,
		    const struct sdp_rewrite *rw, const struct sdp_line *l)
{
	const struct sdp_media *m = l->media == SDP_SESSION_LEVEL ? NULL :
				    &s->media[l->media];
	const struct sdp_relay *r = m ? &rw->relay[m->s.index] : NULL;

	if (m && m->s.rejected) {
		put_line(o, s, l, NULL, 0);
		return;
	}
	switch (l->role) {
	case SDP_LINE_ORIGIN:
		put_origin(o, s, rw);
		break;
	case SDP_LINE_CONN:
		if (m)
			put_conn(o, s, &m->conn, &r->addr);
		else
			put_conn(o, s, &s->conn, &rw->origin);
		break;
	case SDP_LINE_MEDIA:
		put_media(o, s, m, r);
		break;
	case SDP_LINE_RTCP:
		put_rtcp(o, s, m, r);
		break;
	case SDP_LINE_ICE:
		break;
	default:
		put_line(o, s, l, NULL, 0);
		break;
	}
}

static bool is_unicast(const struct sdp_addr *a)
{
	return (a->family == AF_INET || a->family == AF_INET6) &&
	       !sdp_addr_is_unspecified(a) && !sdp_addr_is_multicast(a);
}

static enum sdp_err check_relays(const struct sdp_session *s,
				 const struct sdp_rewrite *rw,
				 struct sdp_error *err)
{
	unsigned int i;

	if (!is_unicast(&rw->origin))
		return sdp_error_set(err, SDP_E_RELAY, 0, -1,
				     "origin is not a unicast IPv4 or IPv6 address");
	for (i = 0; i < s->n_media; i++) {
		const struct sdp_media *m = &s->media[i];
		const struct sdp_relay *r = &rw->relay[i];
		unsigned int line = m->line + 1;

		if (m->s.rejected)
			continue;
		if (m->s.port_count > 1)
			return sdp_error_set(err, SDP_E_RELAY, line, i,
					     "port count %u cannot be anchored",
					     m->s.port_count);
		if (!is_unicast(&r->addr))
			return sdp_error_set(err, SDP_E_RELAY, line, i,
					     "relay is not a unicast IPv4 or IPv6 address");
		if (!r->port)
			return sdp_error_set(err, SDP_E_RELAY, line, i,
					     "no relay port");
		if (!m->s.rtcp_mux && r->port == UINT16_MAX)
			return sdp_error_set(err, SDP_E_RELAY, line, i,
					     "relay port 65535 leaves no RTCP port");
	}
	return SDP_OK;
}

static unsigned int first_eol(const struct sdp_session *s)
{
	unsigned int i;

	for (i = 0; i < s->n_lines; i++)
		if (s->line[i].eol)
			return s->line[i].eol;
	return 2;
}

enum sdp_err sdp_rewrite_body(const struct sdp_session *s,
			      const struct sdp_rewrite *rw, char *buf,
			      size_t size, size_t *len, struct sdp_error *err)
{
	struct out o = { .buf = buf, .size = size };
	unsigned int body_eol = first_eol(s), i, next = 0;
	enum sdp_err ret;

	memset(err, 0, sizeof(*err));
	ret = check_relays(s, rw, err);
	if (ret)
		return ret;
	for (i = 0; i <= s->n_lines; i++) {
		/* Insertion points run in body order, one per stream at most;
		 * the last may be past the last line. */
		for (; next < s->n_media && s->media[next].first_attr_line <= i; next++)
			if (needs_own_conn(s, rw, &s->media[next]))
				put_own_conn(&o, body_eol,
					     &rw->relay[next].addr);
		if (i < s->n_lines)
			put_any(&o, s, rw, &s->line[i]);
	}
	if (o.len > SDP_MAX_BODY)
		return sdp_error_set(err, SDP_E_LIMIT, 0, -1,
				     "rewritten body of %zu bytes exceeds %u",
				     o.len, SDP_MAX_BODY);
	if (o.lines > SDP_MAX_LINES)
		return sdp_error_set(err, SDP_E_LIMIT, 0, -1,
				     "rewritten body has more than %u lines",
				     SDP_MAX_LINES);
	if (o.len > size)
		return sdp_error_set(err, SDP_E_NOSPACE, 0, -1,
				     "rewritten body needs %zu bytes, buffer has %zu",
				     o.len, size);
	*len = o.len;
	return SDP_OK;
}
