/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_TLS_H
#define SIPPROXY_TLS_H

#include <openssl/ssl.h>

#include "config.h"

int tls_contexts_new(const struct config *cfg, SSL_CTX **server, SSL_CTX **client,
		     char *err, size_t errlen);

#endif
