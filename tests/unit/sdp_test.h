/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the SDP unit tests: a stream summary printed as one line, so
 * a test compares every field at once and a failure shows all of them.
 */
#ifndef SDP_TEST_H
#define SDP_TEST_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sipproxyd/sdp_session.h"

static inline const char *sdp_test_addr(const struct sdp_addr *a, char *buf,
					size_t size)
{
	if (a->family == AF_UNSPEC)
		snprintf(buf, size, "none");
	else
		inet_ntop(a->family, &a->v4, buf, size);
	return buf;
}

/*
 * "audio/rtp 6000/1 rtcp 6001 127.0.0.1 rtcp-addr 127.0.0.1 sendrecv
 * [mux] [rejected] [held] [unspecified] ptime 20000 fmts 1: 0/8000/1"
 */
static inline const char *sdp_test_stream(const struct sdp_stream *st,
					  char *buf, size_t size)
{
	static const char *const protos[] = { "other", "rtp", "udptl" };
	char addr[INET6_ADDRSTRLEN], raddr[INET6_ADDRSTRLEN];
	size_t off;
	unsigned int i;

	off = snprintf(buf, size,
		       "#%u %s/%s %u/%u rtcp %u %s rtcp-addr %s %s%s%s%s%s ptime %u fmts %u:",
		       st->index, sdp_media_type_name(st->type),
		       protos[st->proto], st->port, st->port_count,
		       st->rtcp_port,
		       sdp_test_addr(&st->addr, addr, sizeof(addr)),
		       sdp_test_addr(&st->rtcp_addr, raddr, sizeof(raddr)),
		       sdp_dir_name(st->direction),
		       st->rtcp_mux ? " mux" : "",
		       st->rejected ? " rejected" : "",
		       st->held ? " held" : "",
		       st->addr_unspecified ? " unspecified" : "",
		       st->ptime_us, st->n_fmt);
	for (i = 0; i < st->n_payload && off < size; i++)
		off += snprintf(buf + off, size - off, " %u/%u/%u",
				st->payload[i].pt, st->payload[i].clock_rate,
				st->payload[i].channels);
	return buf;
}

#endif
