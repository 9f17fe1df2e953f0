// SPDX-License-Identifier: GPL-2.0
/*
 * SDP (RFC 8866) body parser: splits the body into lines, reads the session
 * and media lines that matter for anchoring, and resolves one summary per
 * m= line. Attributes are read by sdp_attr.c.
 *
 * Strict grammar, generous tokens: a line that is not "<letter>=<value>", a
 * repeated or misplaced line, or a value we interpret but cannot read is an
 * error; unknown line letters and attributes are kept byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "sdp_error.h"
#include "sdp_lex.h"
#include "sdp_parser.h"

static const char *const media_names[] = {
	[SDP_MEDIA_OTHER] = "other",
	[SDP_MEDIA_AUDIO] = "audio",
	[SDP_MEDIA_VIDEO] = "video",
	[SDP_MEDIA_TEXT] = "text",
	[SDP_MEDIA_IMAGE] = "image",
	[SDP_MEDIA_APPLICATION] = "application",
	[SDP_MEDIA_MESSAGE] = "message",
};

const char *sdp_media_type_name(enum sdp_media_type type)
{
	if ((unsigned int)type >= sizeof(media_names) / sizeof(media_names[0]))
		return "other";
	return media_names[type];
}

enum sdp_err sdp_parser_fail(struct sdp_parser *p, enum sdp_err code,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sdp_error_vset(p->err, code, p->line + 1,
		       p->m ? (int)p->m->s.index : -1, fmt, ap);
	va_end(ap);
	return code;
}

/* Records every line; checks the bytes that may never appear in one. */
static enum sdp_err split_lines(struct sdp_parser *p)
{
	struct sdp_session *s = p->s;
	const char *body = s->body;
	unsigned int first_blank = 0;
	size_t off = 0;

	while (off < s->len) {
		const char *lf = memchr(body + off, '\n', s->len - off);
		size_t end = lf ? (size_t)(lf - body) : s->len;
		struct sdp_line *l;

		if (s->n_lines == SDP_MAX_LINES)
			return sdp_error_set(p->err, SDP_E_LIMIT, 0, -1,
					     "more than %u lines", SDP_MAX_LINES);
		l = &s->line[s->n_lines++];
		*l = (struct sdp_line){ 0 };
		p->line = s->n_lines - 1;
		l->eol = lf ? 1 : 0;
		if (lf && end > off && body[end - 1] == '\r') {
			end--;
			l->eol = 2;
		}
		l->off = off;
		l->len = end - off;
		l->media = SDP_SESSION_LEVEL;
		if (memchr(body + off, '\0', l->len))
			return sdp_parser_fail(p, SDP_E_SYNTAX, "NUL byte");
		if (memchr(body + off, '\r', l->len))
			return sdp_parser_fail(p, SDP_E_SYNTAX,
					       "CR not followed by LF");
		/* Blank lines are tolerated only at the end, where some
		 * senders leave one; they are kept as they were. */
		if (!l->len && !first_blank)
			first_blank = s->n_lines;
		if (l->len && first_blank) {
			p->line = first_blank - 1;
			return sdp_parser_fail(p, SDP_E_SYNTAX,
					       "blank line before the end");
		}
		off = end + l->eol;
	}
	return SDP_OK;
}

static enum sdp_err parse_version(struct sdp_parser *p, struct sdp_str value)
{
	if (p->line)
		return sdp_parser_fail(p, SDP_E_STRUCTURE, "repeated v= line");
	if (!sdp_str_eq(value, "0"))
		return sdp_parser_fail(p, SDP_E_SYNTAX,
				       "unsupported SDP version (only v=0)");
	return SDP_OK;
}

static enum sdp_err session_only(struct sdp_parser *p, char type)
{
	if (p->m)
		return sdp_parser_fail(p, SDP_E_STRUCTURE,
				       "%c= line inside a media section", type);
	return SDP_OK;
}

/*
 * o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>.
 * The address may be an FQDN and any nettype is allowed: the rewriter
 * replaces addrtype and address and never needs to read them.
 */
static enum sdp_err parse_origin(struct sdp_parser *p, struct sdp_str value)
{
	struct sdp_origin *o = &p->s->origin;
	struct sdp_str extra;
	enum sdp_err ret = session_only(p, 'o');

	if (ret)
		return ret;
	if (o->present)
		return sdp_parser_fail(p, SDP_E_STRUCTURE, "repeated o= line");
	if (!sdp_token_next(&value, &o->username) ||
	    !sdp_token_next(&value, &o->sess_id) ||
	    !sdp_token_next(&value, &o->version_str) ||
	    !sdp_token_next(&value, &o->nettype) ||
	    !sdp_token_next(&value, &o->addrtype) ||
	    !sdp_token_next(&value, &o->host) ||
	    sdp_token_next(&value, &extra))
		return sdp_parser_fail(p, SDP_E_ORIGIN,
				       "o= needs exactly 6 fields");
	if (!sdp_str_is_digits(o->sess_id))
		return sdp_parser_fail(p, SDP_E_ORIGIN,
				       "o= session id is not a number");
	if (!sdp_parse_u64(o->version_str, UINT64_MAX, &o->version))
		return sdp_parser_fail(p, SDP_E_ORIGIN,
				       "o= session version is not a 64-bit number");
	o->present = true;
	o->line = p->line;
	p->s->line[p->line].role = SDP_LINE_ORIGIN;
	return SDP_OK;
}

static enum sdp_err parse_name(struct sdp_parser *p, struct sdp_str value)
{
	enum sdp_err ret = session_only(p, 's');

	if (ret)
		return ret;
	if (p->s->has_name)
		return sdp_parser_fail(p, SDP_E_STRUCTURE, "repeated s= line");
	p->s->has_name = true;
	p->s->name = value;
	return SDP_OK;
}

/* RFC 8866 5.7: IP4 multicast needs /<ttl>[/<count>], IP6 takes [/<count>]. */
static enum sdp_err check_multicast(struct sdp_parser *p, int family,
				    bool has_suffix, struct sdp_str suffix,
				    const char *what)
{
	struct sdp_str first, count;
	bool has_count = sdp_str_split(suffix, '/', &first, &count);
	uint64_t v;
	bool ok;

	if (family == AF_INET)
		ok = has_suffix && sdp_parse_u64(first, 255, &v) &&
		     (!has_count || (sdp_parse_u64(count, 65535, &v) && v));
	else
		ok = !has_suffix || (!has_count &&
				     sdp_parse_u64(first, 65535, &v) && v);
	if (!ok)
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "%s: invalid multicast TTL or address count",
				       what);
	return sdp_parser_fail(p, SDP_E_MULTICAST,
			       "%s: multicast address cannot be anchored", what);
}

/**
 * sdp_parser_conn() - read "<nettype> <addrtype> <address>" of c= or a=rtcp
 * @p: parser, on the line holding the fields
 * @nettype, @addrtype, @host: the three fields
 * @what: the line's name for error messages ("c=", "a=rtcp")
 * @conn: filled on success
 *
 * Return: SDP_OK, or SDP_E_CONNECTION / SDP_E_MULTICAST with the error set.
 */
enum sdp_err sdp_parser_conn(struct sdp_parser *p, struct sdp_str nettype,
			     struct sdp_str addrtype, struct sdp_str host,
			     const char *what, struct sdp_conn *conn)
{
	struct sdp_str addr, suffix;
	bool has_suffix = sdp_str_split(host, '/', &addr, &suffix);

	switch (sdp_addr_parse(nettype, addrtype, addr, &conn->addr)) {
	case SDP_ADDR_OK:
		break;
	case SDP_ADDR_BAD_NETTYPE:
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "%s: unsupported network type (only IN)",
				       what);
	case SDP_ADDR_BAD_ADDRTYPE:
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "%s: unsupported address type (only IP4 and IP6)",
				       what);
	default:
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "%s: address is not a numeric %s address",
				       what, sdp_str_eq(addrtype, "IP4") ?
				       "IPv4" : "IPv6");
	}
	if (sdp_addr_is_multicast(&conn->addr))
		return check_multicast(p, conn->addr.family, has_suffix, suffix,
				       what);
	if (has_suffix)
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "%s: TTL or address count on a unicast address",
				       what);
	conn->present = true;
	conn->line = p->line;
	conn->addrtype = addrtype;
	conn->host = host;
	return SDP_OK;
}

/* c=<nettype> <addrtype> <address>, once per level. */
static enum sdp_err parse_connection(struct sdp_parser *p,
				     struct sdp_str value)
{
	struct sdp_conn *conn = p->m ? &p->m->conn : &p->s->conn;
	struct sdp_str nettype, addrtype, host, extra;
	enum sdp_err ret;

	if (conn->present)
		return sdp_parser_fail(p, SDP_E_STRUCTURE, "repeated c= line");
	if (!sdp_token_next(&value, &nettype) ||
	    !sdp_token_next(&value, &addrtype) ||
	    !sdp_token_next(&value, &host) ||
	    sdp_token_next(&value, &extra))
		return sdp_parser_fail(p, SDP_E_CONNECTION,
				       "c= needs exactly <nettype> <addrtype> <address>");
	ret = sdp_parser_conn(p, nettype, addrtype, host, "c=", conn);
	if (ret)
		return ret;
	p->s->line[p->line].role = SDP_LINE_CONN;
	return SDP_OK;
}

static enum sdp_media_type media_type(struct sdp_str name)
{
	unsigned int t;

	for (t = SDP_MEDIA_AUDIO; t < sizeof(media_names) / sizeof(media_names[0]); t++)
		if (sdp_str_eq(name, media_names[t]))
			return t;
	return SDP_MEDIA_OTHER;
}

/*
 * <proto> is token *("/" token). RTP anywhere but over TCP is RTP for us
 * (RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF); TCP/RTP/AVP is not something a
 * UDP relay can carry, so it counts as other.
 */
static bool classify_proto(struct sdp_str proto, enum sdp_proto *out)
{
	struct sdp_str part, rest = proto;
	bool rtp = false, tcp = false, first = true, more = true;

	while (more) {
		more = sdp_str_split(rest, '/', &part, &rest);
		if (!sdp_token_is_plain(part))
			return false;
		if (sdp_str_caseeq(part, "RTP"))
			rtp = true;
		if (first && sdp_str_caseeq(part, "TCP"))
			tcp = true;
		first = false;
	}
	if (rtp && !tcp)
		*out = SDP_PROTO_RTP;
	else if (sdp_str_caseeq(proto, "udptl") ||
		 sdp_str_caseeq(proto, "UDP/UDPTL"))
		*out = SDP_PROTO_UDPTL;
	else
		*out = SDP_PROTO_OTHER;
	return true;
}

/* RTP formats are payload types 0-127, each listed once. */
static enum sdp_err add_format(struct sdp_parser *p, struct sdp_str fmt)
{
	struct sdp_media *m = p->m;
	struct sdp_payload *pl;
	uint64_t pt;
	unsigned int i;

	if (m->s.n_fmt == SDP_MAX_FMTS)
		return sdp_parser_fail(p, SDP_E_LIMIT, "more than %u formats",
				       SDP_MAX_FMTS);
	if (!sdp_token_is_plain(fmt))
		return sdp_parser_fail(p, SDP_E_MEDIA, "invalid format");
	m->fmt[m->s.n_fmt++] = fmt;
	if (m->s.proto != SDP_PROTO_RTP)
		return SDP_OK;
	if (!sdp_parse_u64(fmt, 127, &pt))
		return sdp_parser_fail(p, SDP_E_MEDIA, "invalid RTP payload type");
	for (i = 0; i < m->s.n_payload; i++)
		if (m->s.payload[i].pt == pt)
			return sdp_parser_fail(p, SDP_E_MEDIA,
					       "payload type %u listed twice",
					       (unsigned int)pt);
	pl = &m->s.payload[m->s.n_payload++];
	pl->pt = pt;
	pl->clock_rate = sdp_payload_static_clock(pt, &pl->channels);
	return SDP_OK;
}

/* m=<media> <port>[/<count>] <proto> <fmt> ... opens a media section. */
static enum sdp_err parse_media(struct sdp_parser *p, struct sdp_str value)
{
	struct sdp_session *s = p->s;
	struct sdp_str port, count, fmt;
	struct sdp_media *m;
	uint64_t v;
	enum sdp_err ret;

	if (s->n_media == SDP_MAX_MEDIA) {
		p->m = NULL;
		return sdp_parser_fail(p, SDP_E_LIMIT, "more than %u m= lines",
				       SDP_MAX_MEDIA);
	}
	m = &s->media[s->n_media];
	memset(m, 0, sizeof(*m));
	m->s.index = s->n_media++;
	m->line = p->line;
	m->first_attr_line = p->line + 1;
	p->m = m;
	s->line[p->line].media = m->s.index;
	s->line[p->line].role = SDP_LINE_MEDIA;

	if (!sdp_token_next(&value, &m->media) ||
	    !sdp_token_next(&value, &m->port_str) ||
	    !sdp_token_next(&value, &m->proto))
		return sdp_parser_fail(p, SDP_E_MEDIA,
				       "m= needs <media> <port> <proto> <format>...");
	if (!sdp_token_is_plain(m->media))
		return sdp_parser_fail(p, SDP_E_MEDIA, "invalid media type");
	m->s.type = media_type(m->media);
	m->s.port_count = 1;
	if (sdp_str_split(m->port_str, '/', &port, &count)) {
		if (!sdp_parse_u64(count, UINT16_MAX, &v) || !v)
			return sdp_parser_fail(p, SDP_E_MEDIA, "invalid port count");
		m->s.port_count = v;
	}
	if (!sdp_parse_port(port, &m->s.port))
		return sdp_parser_fail(p, SDP_E_MEDIA, "invalid port");
	m->port_str = port;
	if (!classify_proto(m->proto, &m->s.proto))
		return sdp_parser_fail(p, SDP_E_MEDIA, "invalid transport protocol");
	while (sdp_token_next(&value, &fmt)) {
		ret = add_format(p, fmt);
		if (ret)
			return ret;
	}
	if (!m->s.n_fmt)
		return sdp_parser_fail(p, SDP_E_MEDIA, "no formats");
	return SDP_OK;
}

static enum sdp_err parse_attribute(struct sdp_parser *p, struct sdp_str value)
{
	if (p->s->n_attrs == SDP_MAX_ATTRS)
		return sdp_parser_fail(p, SDP_E_LIMIT, "more than %u attributes",
				       SDP_MAX_ATTRS);
	p->s->n_attrs++;
	return sdp_attr_parse(p, value);
}

static enum sdp_err parse_line(struct sdp_parser *p)
{
	struct sdp_line *l = &p->s->line[p->line];
	const char *text = p->s->body + l->off;
	struct sdp_str value;

	if (!l->len)
		return SDP_OK;
	if (l->len < 2 || text[1] != '=' || text[0] < 'a' || text[0] > 'z')
		return sdp_parser_fail(p, SDP_E_SYNTAX,
				       "not a \"<letter>=<value>\" line");
	l->type = text[0];
	l->media = p->m ? p->m->s.index : SDP_SESSION_LEVEL;
	if (!p->line && l->type != 'v')
		return sdp_parser_fail(p, SDP_E_STRUCTURE,
				       "body does not start with v=");
	value = sdp_str_trim_end(sdp_str_make(text + 2, l->len - 2));

	switch (l->type) {
	case 'v':
		return parse_version(p, value);
	case 'o':
		return parse_origin(p, value);
	case 's':
		return parse_name(p, value);
	case 'c':
		return parse_connection(p, value);
	case 'm':
		return parse_media(p, value);
	case 'a':
		return parse_attribute(p, value);
	case 'i':
		/* RFC 8866 orders m=, i=, c=: an inserted c= goes after i=. */
		if (p->m && p->m->first_attr_line == p->line)
			p->m->first_attr_line++;
		return SDP_OK;
	case 'u': case 'e': case 'p': case 't': case 'r': case 'z':
		return session_only(p, l->type);
	default:
		/* b=, k= and letters we do not know are kept as they are. */
		return SDP_OK;
	}
}

static bool is_hold_direction(enum sdp_dir dir)
{
	return dir == SDP_DIR_SENDONLY || dir == SDP_DIR_INACTIVE;
}

/* Fills the summary of @m from its own lines and the session level. */
static enum sdp_err resolve_stream(struct sdp_parser *p, struct sdp_media *m)
{
	const struct sdp_session *s = p->s;
	const struct sdp_conn *conn = m->conn.present ? &m->conn : &s->conn;
	struct sdp_stream *st = &m->s;

	st->rejected = !st->port;
	st->rtcp_mux = m->rtcp_mux;
	st->ptime_us = m->ptime_us;
	st->direction = m->direction != SDP_DIR_UNSET ? m->direction :
			s->direction != SDP_DIR_UNSET ? s->direction :
			SDP_DIR_SENDRECV;
	if (!conn->present && !st->rejected)
		return sdp_error_set(p->err, SDP_E_CONNECTION, m->line + 1,
				     st->index,
				     "no c= line at session or media level");
	if (conn->present)
		st->addr = conn->addr;
	st->addr_unspecified = conn->present &&
			       sdp_addr_is_unspecified(&conn->addr);
	st->held = is_hold_direction(st->direction) || st->addr_unspecified;
	/* Muxed RTCP shares the RTP address and port whatever a=rtcp says. */
	st->rtcp_addr = m->rtcp.present && !st->rtcp_mux ? m->rtcp.addr :
			st->addr;
	if (st->rejected)
		st->rtcp_port = 0;
	else if (st->rtcp_mux)
		st->rtcp_port = st->port;
	else if (m->has_rtcp)
		st->rtcp_port = m->rtcp_port;
	else if (st->port < UINT16_MAX)
		st->rtcp_port = st->port + 1;
	return SDP_OK;
}

static enum sdp_err finish(struct sdp_parser *p)
{
	struct sdp_session *s = p->s;
	unsigned int i;
	enum sdp_err ret;

	if (!s->origin.present)
		return sdp_error_set(p->err, SDP_E_STRUCTURE, 0, -1, "no o= line");
	if (!s->has_name)
		return sdp_error_set(p->err, SDP_E_STRUCTURE, 0, -1, "no s= line");
	for (i = 0; i < s->n_media; i++) {
		ret = resolve_stream(p, &s->media[i]);
		if (ret)
			return ret;
	}
	return SDP_OK;
}

enum sdp_err sdp_session_parse(struct sdp_session *s, const char *body,
			       size_t len, struct sdp_error *err)
{
	struct sdp_parser p = { .s = s, .err = err };
	enum sdp_err ret;

	/*
	 * Only what is read before it is written is cleared: lines and m=
	 * entries are cleared as they are appended. The whole struct is
	 * about 40 KiB, and clearing it cost more than parsing the body.
	 */
	memset(s, 0, offsetof(struct sdp_session, line));
	memset(&s->n_attrs, 0, offsetof(struct sdp_session, media) -
			       offsetof(struct sdp_session, n_attrs));
	memset(err, 0, sizeof(*err));
	s->body = body;
	s->len = len;
	if (!len)
		return sdp_error_set(err, SDP_E_STRUCTURE, 0, -1, "empty body");
	if (len > SDP_MAX_BODY)
		return sdp_error_set(err, SDP_E_LIMIT, 0, -1,
				     "body of %zu bytes exceeds %u", len,
				     SDP_MAX_BODY);
	ret = split_lines(&p);
	if (ret)
		return ret;
	for (p.line = 0; p.line < s->n_lines; p.line++) {
		ret = parse_line(&p);
		if (ret)
			return ret;
	}
	return finish(&p);
}
