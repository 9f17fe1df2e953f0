/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_ROUTE_STATIC_H
#define SIPPROXY_ROUTE_STATIC_H

#include "config.h"
#include "sip_uri.h"

const char *route_static_lookup(const struct config *cfg, const struct sip_uri *ruri);

#endif
