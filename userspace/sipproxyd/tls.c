// SPDX-License-Identifier: GPL-2.0
/*
 * OpenSSL contexts for SIP over TLS (RFC 3261 26.3.1, RFC 5630): one for
 * the connections we accept, one for those we open. Both present the
 * [tls] certificate when there is one, both verify peers against ca_file
 * (or the system store) when verify_peer is set, and neither speaks below
 * TLS 1.2.
 */
#include <errno.h>
#include <openssl/err.h>
#include <stdio.h>

#include "tls.h"

static int ssl_error(char *err, size_t errlen, const char *what, const char *path)
{
	char buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	ERR_clear_error();
	snprintf(err, errlen, "tls: %s%s%s: %s", what, path ? " " : "", path ? path : "", buf);
	return -EINVAL;
}

static int setup(SSL_CTX *ctx, const struct config *cfg, bool server, char *err, size_t errlen)
{
	int mode = SSL_VERIFY_NONE;

	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* Writes resume from the queue, whose address moves as it grows. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (*cfg->tls_certificate &&
	    SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_certificate) != 1)
		return ssl_error(err, errlen, "cannot load certificate", cfg->tls_certificate);
	if (*cfg->tls_private_key &&
	    SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_private_key, SSL_FILETYPE_PEM) != 1)
		return ssl_error(err, errlen, "cannot load private key", cfg->tls_private_key);
	if (*cfg->tls_certificate && SSL_CTX_check_private_key(ctx) != 1)
		return ssl_error(err, errlen, "private key does not match", cfg->tls_certificate);
	if (*cfg->tls_ca_file) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->tls_ca_file, NULL) != 1)
			return ssl_error(err, errlen, "cannot load CA file", cfg->tls_ca_file);
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		return ssl_error(err, errlen, "cannot load the system CA store", NULL);
	}
	if (cfg->tls_verify_peer)
		mode = SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
	SSL_CTX_set_verify(ctx, mode, NULL);
	SSL_CTX_set_verify_depth(ctx, (int)cfg->tls_verify_depth);
	return 0;
}

/**
 * tls_contexts_new - the server and client contexts [tls] describes
 * @server: NULL when no TLS listener is configured
 * @client: always made, so sips: targets can be reached
 * @err: on failure, "tls: WHAT FILE: OpenSSL's reason"
 *
 * Return: 0 or a negative errno; nothing is left allocated on failure.
 */
int tls_contexts_new(const struct config *cfg, SSL_CTX **server, SSL_CTX **client,
		     char *err, size_t errlen)
{
	SSL_CTX *s = NULL, *c;
	int ret;

	if (cfg->listen_tls.n && (!*cfg->tls_certificate || !*cfg->tls_private_key)) {
		snprintf(err, errlen, "tls: [listen] tls needs [tls] certificate and private_key");
		return -EINVAL;
	}
	c = SSL_CTX_new(TLS_client_method());
	if (!c)
		return ssl_error(err, errlen, "cannot create a context", NULL);
	ret = setup(c, cfg, false, err, errlen);
	if (ret)
		goto err_client;
	if (cfg->listen_tls.n) {
		s = SSL_CTX_new(TLS_server_method());
		if (!s) {
			ret = ssl_error(err, errlen, "cannot create a context", NULL);
			goto err_client;
		}
		ret = setup(s, cfg, true, err, errlen);
		if (ret)
			goto err_server;
	}
	*server = s;
	*client = c;
	return 0;

err_server:
	SSL_CTX_free(s);
err_client:
	SSL_CTX_free(c);
	return ret;
}
