// SPDX-License-Identifier: GPL-2.0
/*
 * Tokens, numbers and addresses inside one SDP line. Every function works on
 * views with explicit lengths and never reads past them: the body is not
 * NUL-terminated.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "sdp_lex.h"

bool sdp_str_eq(struct sdp_str a, const char *lit)
{
	return a.len == strlen(lit) && !memcmp(a.p, lit, a.len);
}

bool sdp_str_caseeq(struct sdp_str a, const char *lit)
{
	return a.len == strlen(lit) && !strncasecmp(a.p, lit, a.len);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trailing blanks are common in the wild and carry no meaning. */
struct sdp_str sdp_str_trim_end(struct sdp_str s)
{
	while (s.len && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Splits at the first @sep; false (and @s whole in @head) if there is none. */
bool sdp_str_split(struct sdp_str s, char sep, struct sdp_str *head,
		   struct sdp_str *tail)
{
	const char *at = s.len ? memchr(s.p, sep, s.len) : NULL;

	if (!at) {
		*head = s;
		*tail = sdp_str_make(s.p + s.len, 0);
		return false;
	}
	*head = sdp_str_make(s.p, at - s.p);
	*tail = sdp_str_make(at + 1, s.len - (at - s.p) - 1);
	return true;
}

/*
 * Takes the next blank-separated token off @rest. SDP separates fields with
 * one SP; runs of blanks are accepted so that sloppy senders still parse,
 * and the rewriter copies the bytes between tokens as they were.
 */
bool sdp_token_next(struct sdp_str *rest, struct sdp_str *tok)
{
	size_t i = 0, start;

	while (i < rest->len && is_space(rest->p[i]))
		i++;
	start = i;
	while (i < rest->len && !is_space(rest->p[i]))
		i++;
	*tok = sdp_str_make(rest->p + start, i - start);
	*rest = sdp_str_make(rest->p + i, rest->len - i);
	return tok->len > 0;
}

/* RFC 8866 token-char. */
static bool is_token_char(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a ||
	       c == 0x2b || c == 0x2d || c == 0x2e ||
	       (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
	       (c >= 0x5e && c <= 0x7e);
}

bool sdp_token_is_plain(struct sdp_str tok)
{
	size_t i;

	if (!tok.len)
		return false;
	for (i = 0; i < tok.len; i++)
		if (!is_token_char(tok.p[i]))
			return false;
	return true;
}

bool sdp_str_is_digits(struct sdp_str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return s.len > 0;
}

/* Decimal digits only: no sign, no blanks, no base prefixes. */
bool sdp_parse_u64(struct sdp_str s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!s.len)
		return false;
	for (i = 0; i < s.len; i++) {
		unsigned int d = (unsigned char)s.p[i] - '0';

		if (d > 9 || d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool sdp_parse_port(struct sdp_str s, uint16_t *out)
{
	uint64_t v;

	if (!sdp_parse_u64(s, UINT16_MAX, &v))
		return false;
	*out = v;
	return true;
}

/*
 * Only numeric addresses: the relay must know where to send without a DNS
 * lookup, and an FQDN in c= is rare enough to refuse with a clear error.
 */
enum sdp_addr_status sdp_addr_parse(struct sdp_str nettype,
				    struct sdp_str addrtype,
				    struct sdp_str host, struct sdp_addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	int family;

	if (!sdp_str_eq(nettype, "IN"))
		return SDP_ADDR_BAD_NETTYPE;
	if (sdp_str_eq(addrtype, "IP4"))
		family = AF_INET;
	else if (sdp_str_eq(addrtype, "IP6"))
		family = AF_INET6;
	else
		return SDP_ADDR_BAD_ADDRTYPE;
	if (host.len >= sizeof(buf))
		return SDP_ADDR_BAD_ADDRESS;
	memcpy(buf, host.p, host.len);
	buf[host.len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(family, buf, family == AF_INET ?
		      (void *)&out->v4 : (void *)&out->v6) != 1)
		return SDP_ADDR_BAD_ADDRESS;
	out->family = family;
	return SDP_ADDR_OK;
}

bool sdp_addr_is_multicast(const struct sdp_addr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->v4.s_addr));
	return a->family == AF_INET6 && IN6_IS_ADDR_MULTICAST(&a->v6);
}

bool sdp_addr_is_unspecified(const struct sdp_addr *a)
{
	if (a->family == AF_INET)
		return a->v4.s_addr == htonl(INADDR_ANY);
	return a->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->v6);
}

bool sdp_addr_equal(const struct sdp_addr *a, const struct sdp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	if (a->family == AF_INET6)
		return IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
	return true;
}
