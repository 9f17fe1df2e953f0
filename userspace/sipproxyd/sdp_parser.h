/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the line parsers of sdp_parse.c and sdp_attr.c. */
#ifndef SIPPROXYD_SDP_PARSER_H
#define SIPPROXYD_SDP_PARSER_H

#include "sdp_session.h"

struct sdp_parser {
	struct sdp_session *s;
	struct sdp_error *err;
	unsigned int line;	/* index of the line being read */
	struct sdp_media *m;	/* its media section; NULL at session level */
};

enum sdp_err sdp_parser_fail(struct sdp_parser *p, enum sdp_err code,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum sdp_err sdp_parser_conn(struct sdp_parser *p, struct sdp_str nettype,
			     struct sdp_str addrtype, struct sdp_str host,
			     const char *what, struct sdp_conn *conn);

enum sdp_err sdp_attr_parse(struct sdp_parser *p, struct sdp_str value);

uint32_t sdp_payload_static_clock(uint8_t pt, uint8_t *channels);

#endif
