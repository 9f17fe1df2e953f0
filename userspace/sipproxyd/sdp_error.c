// SPDX-License-Identifier: GPL-2.0
/*
 * Error messages name the body line and, inside a media section, the m= line
 * (both 1-based, as a person counts them): "line 9: m= line 2: invalid port".
 * They never echo body bytes, which are untrusted and may hold control
 * characters bound for a log.
 */
#include <stdio.h>

#include "sdp_error.h"

enum sdp_err sdp_error_vset(struct sdp_error *err, enum sdp_err code,
			    unsigned int line, int media, const char *fmt,
			    va_list ap)
{
	size_t off = 0;
	int n = 0;

	err->code = code;
	err->line = line;
	if (line)
		n = snprintf(err->msg, sizeof(err->msg), "line %u: ", line);
	if (n > 0)
		off = n;
	if (media >= 0 && off < sizeof(err->msg)) {
		n = snprintf(err->msg + off, sizeof(err->msg) - off,
			     "m= line %d: ", media + 1);
		if (n > 0)
			off += n;
	}
	if (off < sizeof(err->msg))
		vsnprintf(err->msg + off, sizeof(err->msg) - off, fmt, ap);
	return code;
}

enum sdp_err sdp_error_set(struct sdp_error *err, enum sdp_err code,
			   unsigned int line, int media, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sdp_error_vset(err, code, line, media, fmt, ap);
	va_end(ap);
	return code;
}
