// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration reader on arbitrary bytes: it must accept or reject
 * with one "FILE:LINE: ..." line, never crash, leak or read out of bounds.
 * Accepted input must satisfy the rules the parser promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONFIG_ERR_MAX];
	struct config cfg;

	memset(err, 0, sizeof(err));
	if (config_parse(&cfg, "fuzz.conf", (const char *)data, size, err)) {
		if (strncmp(err, "fuzz.conf:", 10) || strchr(err, '\n') ||
		    strlen(err) >= sizeof(err))
			abort();
		return 0;
	}
	if (cfg.port_range.first % 2 || cfg.port_range.first >= cfg.port_range.last ||
	    cfg.t2_ms < cfg.t1_ms || cfg.min_expires > cfg.default_expires ||
	    cfg.default_expires > cfg.max_expires ||
	    cfg.listen_udp.n + cfg.listen_tcp.n + cfg.listen_tls.n == 0)
		abort();
	config_free(&cfg);
	return 0;
}
