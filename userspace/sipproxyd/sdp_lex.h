/* SPDX-License-Identifier: GPL-2.0 */
/* Tokens, numbers and addresses inside one SDP line; internal to sdp_*.c. */
#ifndef SIPPROXYD_SDP_LEX_H
#define SIPPROXYD_SDP_LEX_H

#include "sdp_session.h"

static inline struct sdp_str sdp_str_make(const char *p, size_t len)
{
	return (struct sdp_str){ .p = p, .len = len };
}

bool sdp_str_eq(struct sdp_str a, const char *lit);
bool sdp_str_caseeq(struct sdp_str a, const char *lit);
struct sdp_str sdp_str_trim_end(struct sdp_str s);
bool sdp_str_split(struct sdp_str s, char sep, struct sdp_str *head,
		   struct sdp_str *tail);

bool sdp_str_is_digits(struct sdp_str s);

bool sdp_token_next(struct sdp_str *rest, struct sdp_str *tok);
bool sdp_token_is_plain(struct sdp_str tok);

bool sdp_parse_u64(struct sdp_str s, uint64_t max, uint64_t *out);
bool sdp_parse_port(struct sdp_str s, uint16_t *out);

enum sdp_addr_status {
	SDP_ADDR_OK,
	SDP_ADDR_BAD_NETTYPE,
	SDP_ADDR_BAD_ADDRTYPE,
	SDP_ADDR_BAD_ADDRESS,	/* not a numeric address of the stated type */
};

enum sdp_addr_status sdp_addr_parse(struct sdp_str nettype,
				    struct sdp_str addrtype,
				    struct sdp_str host, struct sdp_addr *out);
bool sdp_addr_is_multicast(const struct sdp_addr *a);
bool sdp_addr_is_unspecified(const struct sdp_addr *a);
bool sdp_addr_equal(const struct sdp_addr *a, const struct sdp_addr *b);

#endif
