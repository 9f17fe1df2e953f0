/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RTPFWD_CONNECT_H
#define RTPFWD_CONNECT_H

#include "lib/nl.h"

int connect_open(struct nl **nl);
int connect_error(const struct nl *nl, const char *what, int err);
void connect_parse_error(const char *err);

#endif
