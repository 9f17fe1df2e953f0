/* SPDX-License-Identifier: GPL-2.0 */
/* Endpoints to and from socket addresses, for the relay's sockets. */
#ifndef SIPPROXYD_MEDIA_NET_H
#define SIPPROXYD_MEDIA_NET_H

#include <sys/socket.h>

#include "lib/endpoint.h"

socklen_t media_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss);
void media_endpoint(const struct sockaddr_storage *ss, struct endpoint *ep);

#endif
