// SPDX-License-Identifier: GPL-2.0
/*
 * The a= lines that anchoring depends on: RTCP port and multiplexing
 * (RFC 3605, RFC 5761), direction (RFC 3264), payload clocks (a=rtpmap),
 * packet time, and ICE (RFC 8839), whose lines the rewriter drops. Other
 * attributes are counted and kept byte for byte.
 */
#include <string.h>

#include "sdp_lex.h"
#include "sdp_parser.h"

struct attr_desc;
typedef enum sdp_err (*attr_parse_fn)(struct sdp_parser *p,
				      const struct attr_desc *d,
				      struct sdp_str value);

struct attr_desc {
	const char *name;
	bool media_only;
	bool flag;		/* takes no value */
	bool ice;		/* dropped by the rewriter */
	enum sdp_dir dir;	/* for the direction attributes */
	attr_parse_fn parse;
};

static const char *const dir_names[] = {
	[SDP_DIR_UNSET] = "unset",
	[SDP_DIR_SENDRECV] = "sendrecv",
	[SDP_DIR_SENDONLY] = "sendonly",
	[SDP_DIR_RECVONLY] = "recvonly",
	[SDP_DIR_INACTIVE] = "inactive",
};

const char *sdp_dir_name(enum sdp_dir dir)
{
	if ((unsigned int)dir >= sizeof(dir_names) / sizeof(dir_names[0]))
		return "unset";
	return dir_names[dir];
}

static struct sdp_ice *level_ice(struct sdp_parser *p)
{
	return p->m ? &p->m->ice : &p->s->ice;
}

/* a=rtcp:<port> [<nettype> <addrtype> <address>] */
static enum sdp_err parse_rtcp(struct sdp_parser *p, const struct attr_desc *d,
			       struct sdp_str value)
{
	struct sdp_media *m = p->m;
	struct sdp_str port, nettype, addrtype, host, extra;
	enum sdp_err ret;

	if (m->has_rtcp)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "repeated a=rtcp");
	sdp_token_next(&value, &port);
	if (!sdp_parse_port(port, &m->rtcp_port) || !m->rtcp_port)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=rtcp: invalid port");
	m->rtcp_port_str = port;
	if (sdp_token_next(&value, &nettype)) {
		if (!sdp_token_next(&value, &addrtype) ||
		    !sdp_token_next(&value, &host) ||
		    sdp_token_next(&value, &extra))
			return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
					       "a=rtcp: address needs <nettype> <addrtype> <address>");
		ret = sdp_parser_conn(p, nettype, addrtype, host, "a=rtcp",
				      &m->rtcp);
		if (ret)
			return ret;
	}
	m->has_rtcp = true;
	m->rtcp_line = p->line;
	p->s->line[p->line].role = SDP_LINE_RTCP;
	return SDP_OK;
}

static enum sdp_err parse_rtcp_mux(struct sdp_parser *p,
				   const struct attr_desc *d,
				   struct sdp_str value)
{
	p->m->rtcp_mux = true;
	return SDP_OK;
}

static enum sdp_err parse_direction(struct sdp_parser *p,
				    const struct attr_desc *d,
				    struct sdp_str value)
{
	enum sdp_dir *dir = p->m ? &p->m->direction : &p->s->direction;

	if (*dir != SDP_DIR_UNSET)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "more than one direction attribute");
	*dir = d->dir;
	return SDP_OK;
}

/* a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>] */
static enum sdp_err parse_rtpmap(struct sdp_parser *p,
				 const struct attr_desc *d,
				 struct sdp_str value)
{
	struct sdp_media *m = p->m;
	struct sdp_str pt_str, enc, extra, name, rest, clock, params;
	uint64_t pt, rate, channels = 1;
	unsigned int i;

	if (!sdp_token_next(&value, &pt_str) || !sdp_token_next(&value, &enc) ||
	    sdp_token_next(&value, &extra))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=rtpmap needs <payload type> <encoding>/<clock rate>");
	if (!sdp_parse_u64(pt_str, 127, &pt))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=rtpmap: invalid payload type");
	if (!sdp_str_split(enc, '/', &name, &rest) || !sdp_token_is_plain(name))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=rtpmap: invalid encoding name");
	if (sdp_str_split(rest, '/', &clock, &params) &&
	    (!sdp_parse_u64(params, 255, &channels) || !channels))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=rtpmap: invalid channel count");
	if (!sdp_parse_u64(clock, UINT32_MAX, &rate) || !rate)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=rtpmap: invalid clock rate");

	/* A mapping for a type the m= line does not list changes nothing. */
	for (i = 0; i < m->s.n_payload; i++) {
		if (m->s.payload[i].pt != pt)
			continue;
		if (m->encoding[i].p)
			return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
					       "repeated a=rtpmap for payload type %u",
					       (unsigned int)pt);
		m->encoding[i] = name;
		m->s.payload[i].clock_rate = rate;
		m->s.payload[i].channels = channels;
	}
	return SDP_OK;
}

/* a=ptime:<milliseconds>[.<fraction>], kept in microseconds. */
static enum sdp_err parse_ptime(struct sdp_parser *p, const struct attr_desc *d,
				struct sdp_str value)
{
	struct sdp_str whole, frac;
	uint64_t ms, us, scale;
	size_t i;

	if (p->m->ptime_us)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "repeated a=ptime");
	if (sdp_str_split(value, '.', &whole, &frac) && !sdp_str_is_digits(frac))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=ptime: invalid value");
	if (!sdp_parse_u64(whole, 1000000, &ms))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=ptime: invalid value");
	/* Digits past the microsecond are ignored. */
	us = ms * 1000;
	for (i = 0, scale = 100; i < frac.len && scale; i++, scale /= 10)
		us += (frac.p[i] - '0') * scale;
	if (!us)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=ptime: invalid value");
	p->m->ptime_us = us;
	return SDP_OK;
}

/* RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/" */
static bool is_ice_chars(struct sdp_str s, size_t max)
{
	size_t i;

	if (!s.len || s.len > max)
		return false;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return false;
	}
	return true;
}

/*
 * a=candidate:<foundation> <component> <transport> <priority> <address>
 * <port> typ <type> [<name> <value>]... (RFC 8839 5.1). Checked so that a
 * malformed line is reported, then dropped by the rewriter with the rest of
 * ICE.
 */
static enum sdp_err parse_candidate(struct sdp_parser *p,
				    const struct attr_desc *d,
				    struct sdp_str value)
{
	struct sdp_str f[8], name, val;
	unsigned int i;
	uint64_t v;
	uint16_t port;

	for (i = 0; i < 8; i++)
		if (!sdp_token_next(&value, &f[i]))
			return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
					       "a=candidate: missing fields");
	if (!is_ice_chars(f[0], 32))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid foundation");
	if (!sdp_parse_u64(f[1], 256, &v) || !v)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid component id");
	if (!sdp_token_is_plain(f[2]))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid transport");
	if (!sdp_parse_u64(f[3], UINT32_MAX, &v))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid priority");
	if (!sdp_parse_port(f[5], &port))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid port");
	if (!sdp_str_eq(f[6], "typ") || !sdp_token_is_plain(f[7]))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=candidate: invalid candidate type");
	while (sdp_token_next(&value, &name))
		if (!sdp_token_next(&value, &val))
			return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
					       "a=candidate: extension without a value");
	p->m->ice.n_candidates++;
	return SDP_OK;
}

static enum sdp_err parse_end_of_candidates(struct sdp_parser *p,
					    const struct attr_desc *d,
					    struct sdp_str value)
{
	level_ice(p)->end_of_candidates = true;
	return SDP_OK;
}

static enum sdp_err parse_ice_credential(struct sdp_parser *p,
					 const struct attr_desc *d,
					 struct sdp_str value)
{
	struct sdp_ice *ice = level_ice(p);
	struct sdp_str *cred = d->name[4] == 'u' ? &ice->ufrag : &ice->pwd;

	if (cred->p)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "repeated a=%s",
				       d->name);
	if (!is_ice_chars(value, 256))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=%s: invalid value",
				       d->name);
	*cred = value;
	return SDP_OK;
}

static enum sdp_err parse_ice_options(struct sdp_parser *p,
				      const struct attr_desc *d,
				      struct sdp_str value)
{
	struct sdp_str rest = value, tok;

	while (sdp_token_next(&rest, &tok))
		if (!sdp_token_is_plain(tok))
			return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
					       "a=ice-options: invalid option");
	level_ice(p)->options = value;
	return SDP_OK;
}

static enum sdp_err parse_nothing(struct sdp_parser *p,
				  const struct attr_desc *d,
				  struct sdp_str value)
{
	return SDP_OK;
}

static const struct attr_desc attrs[] = {
	{ "rtcp", .media_only = true, .parse = parse_rtcp },
	{ "rtcp-mux", .media_only = true, .flag = true, .parse = parse_rtcp_mux },
	{ "sendrecv", .flag = true, .dir = SDP_DIR_SENDRECV, .parse = parse_direction },
	{ "sendonly", .flag = true, .dir = SDP_DIR_SENDONLY, .parse = parse_direction },
	{ "recvonly", .flag = true, .dir = SDP_DIR_RECVONLY, .parse = parse_direction },
	{ "inactive", .flag = true, .dir = SDP_DIR_INACTIVE, .parse = parse_direction },
	{ "rtpmap", .media_only = true, .parse = parse_rtpmap },
	{ "ptime", .media_only = true, .parse = parse_ptime },
	{ "candidate", .media_only = true, .ice = true, .parse = parse_candidate },
	{ "remote-candidates", .media_only = true, .ice = true, .parse = parse_nothing },
	{ "end-of-candidates", .flag = true, .ice = true, .parse = parse_end_of_candidates },
	{ "ice-ufrag", .ice = true, .parse = parse_ice_credential },
	{ "ice-pwd", .ice = true, .parse = parse_ice_credential },
	{ "ice-options", .ice = true, .parse = parse_ice_options },
};

static const struct attr_desc *find_attr(struct sdp_str name)
{
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (sdp_str_eq(name, attrs[i].name))
			return &attrs[i];
	return NULL;
}

/* Every other ice-* attribute (ice-lite, ice-mismatch, ice-pacing...) goes too. */
static bool is_ice_name(struct sdp_str name)
{
	return name.len > 4 && !memcmp(name.p, "ice-", 4);
}

/**
 * sdp_attr_parse() - read one a= line
 * @p: parser, on the a= line
 * @value: the text after "a=", without trailing blanks
 *
 * Return: SDP_OK, or an error code with @p's error set.
 */
enum sdp_err sdp_attr_parse(struct sdp_parser *p, struct sdp_str value)
{
	struct sdp_str name, arg;
	bool has_arg = sdp_str_split(value, ':', &name, &arg);
	const struct attr_desc *d;

	if (!sdp_token_is_plain(name))
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "invalid attribute name");
	d = find_attr(name);
	if (d ? d->ice : is_ice_name(name))
		p->s->line[p->line].role = SDP_LINE_ICE;
	if (!d)
		return SDP_OK;
	if (d->media_only && !p->m)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE,
				       "a=%s is only valid in a media section",
				       d->name);
	if (d->flag && has_arg)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=%s takes no value",
				       d->name);
	if (!d->flag && !arg.len)
		return sdp_parser_fail(p, SDP_E_ATTRIBUTE, "a=%s needs a value",
				       d->name);
	return d->parse(p, d, arg);
}
