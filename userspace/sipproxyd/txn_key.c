// SPDX-License-Identifier: GPL-2.0
/*
 * Transaction keys: the strings the table matches messages by. Server
 * keys follow 17.2.3 (branch, sent-by, method, with ACK matching its
 * INVITE), or the RFC 2543 fields for a branch without the magic cookie;
 * client keys follow 17.1.3 (our branch, CSeq method). A leading 's' or
 * 'c' keeps the two kinds apart when a request spirals back to us.
 */
#include <errno.h>
#include <stdio.h>

#include "txn_key.h"

static struct sip_str key_method(const struct sip_msg *msg, enum sip_method as_method)
{
	const char *name;

	if (as_method == SIP_METHOD_OTHER && msg->method_id != SIP_METHOD_ACK)
		return msg->method;
	name = sip_method_name(as_method == SIP_METHOD_OTHER ? SIP_METHOD_INVITE : as_method);
	return sip_str_make(name, strlen(name));
}

/**
 * txn_key_server - the key of the server transaction of the request @msg
 * @as_method: the method to match as (SIP_METHOD_OTHER: @msg's own)
 *
 * Return: 0, or -ENOSPC for fields too long to key on.
 */
int txn_key_server(const struct sip_msg *msg, enum sip_method as_method, char key[TXN_KEY_MAX])
{
	struct sip_str method = key_method(msg, as_method);
	int n;

	if (sip_via_branch_is_rfc3261(&msg->via))
		n = snprintf(key, TXN_KEY_MAX, "s3261|%.*s|%.*s:%d|%.*s",
			     SIP_STR_FMT(msg->via.branch), SIP_STR_FMT(msg->via.host),
			     msg->via.port, SIP_STR_FMT(method));
	else
		n = snprintf(key, TXN_KEY_MAX, "s2543|%.*s|%.*s|%u|%.*s|%.*s",
			     SIP_STR_FMT(msg->call_id), SIP_STR_FMT(msg->from.tag),
			     msg->cseq.number, SIP_STR_FMT(msg->via.raw), SIP_STR_FMT(method));
	return n < 0 || n >= TXN_KEY_MAX ? -ENOSPC : 0;
}

/* The key of our client transaction with @branch, for a response's CSeq @method. */
int txn_key_client(struct sip_str branch, struct sip_str method, char key[TXN_KEY_MAX])
{
	int n;

	if (!branch.len)
		return -EINVAL;
	n = snprintf(key, TXN_KEY_MAX, "c|%.*s|%.*s", SIP_STR_FMT(branch), SIP_STR_FMT(method));
	return n < 0 || n >= TXN_KEY_MAX ? -ENOSPC : 0;
}
