/* SPDX-License-Identifier: GPL-2.0 */
/* Filling struct sdp_error; internal to sdp_*.c. */
#ifndef SIPPROXYD_SDP_ERROR_H
#define SIPPROXYD_SDP_ERROR_H

#include <stdarg.h>

#include "sdp_session.h"

enum sdp_err sdp_error_vset(struct sdp_error *err, enum sdp_err code,
			    unsigned int line, int media, const char *fmt,
			    va_list ap) __attribute__((format(printf, 5, 0)));
enum sdp_err sdp_error_set(struct sdp_error *err, enum sdp_err code,
			   unsigned int line, int media, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
