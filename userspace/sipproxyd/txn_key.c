// SPDX-License-Identifier: GPL-2.0
/*
 * Transaction keys: the strings the table matches messages by. Server
 * keys follow 17.2.3 (branch, sent-by, method, with ACK matching its
 * INVITE), or the RFC 2543 fields for a branch without the magic cookie;
 * client keys follow 17.1.3 (our branch, CSeq method). A leading 's' or
 * 'c' keeps the two kinds apart when a request spirals back to us.
 */
#include <errno.h>
#include <string.h>

#include "txn_key.h"

static struct sip_str key_method(const struct sip_msg *msg, enum sip_method as_method)
{
	const char *name;

	if (as_method == SIP_METHOD_OTHER && msg->method_id != SIP_METHOD_ACK)
		return msg->method;
	name = sip_method_name(as_method == SIP_METHOD_OTHER ? SIP_METHOD_INVITE : as_method);
	return sip_str_make(name, strlen(name));
}

/*
 * The key is built by hand rather than with snprintf(): every message
 * builds one or two, and formatting was a visible share of the CPU.
 */
struct key_buf {
	char *p;
	size_t left;		/* room before the NUL */
	bool full;
};

static void put(struct key_buf *b, struct sip_str v)
{
	size_t n = v.len;

	if (n > b->left) {
		n = b->left;
		b->full = true;
	}
	if (n)
		memcpy(b->p, v.s, n);
	b->p += n;
	b->left -= n;
}

static void put_char(struct key_buf *b, char c)
{
	put(b, sip_str_make(&c, 1));
}

static void put_int(struct key_buf *b, long long v)
{
	char digits[24], *d = digits + sizeof(digits);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--d = '-';
	put(b, sip_str_span(d, digits + sizeof(digits)));
}

static int finish(struct key_buf *b)
{
	*b->p = '\0';
	return b->full ? -ENOSPC : 0;
}

/**
 * txn_key_server - the key of the server transaction of the request @msg
 * @as_method: the method to match as (SIP_METHOD_OTHER: @msg's own)
 *
 * Return: 0, or -ENOSPC for fields too long to key on.
 */
int txn_key_server(const struct sip_msg *msg, enum sip_method as_method, char key[TXN_KEY_MAX])
{
	struct key_buf b = { .p = key, .left = TXN_KEY_MAX - 1 };
	struct sip_str method = key_method(msg, as_method);

	if (sip_via_branch_is_rfc3261(&msg->via)) {
		put(&b, SIP_STR("s3261|"));
		put(&b, msg->via.branch);
		put_char(&b, '|');
		put(&b, msg->via.host);
		put_char(&b, ':');
		put_int(&b, msg->via.port);
	} else {
		put(&b, SIP_STR("s2543|"));
		put(&b, msg->call_id);
		put_char(&b, '|');
		put(&b, msg->from.tag);
		put_char(&b, '|');
		put_int(&b, msg->cseq.number);
		put_char(&b, '|');
		put(&b, msg->via.raw);
	}
	put_char(&b, '|');
	put(&b, method);
	return finish(&b);
}

/* The key of our client transaction with @branch, for a response's CSeq @method. */
int txn_key_client(struct sip_str branch, struct sip_str method, char key[TXN_KEY_MAX])
{
	struct key_buf b = { .p = key, .left = TXN_KEY_MAX - 1 };

	if (!branch.len)
		return -EINVAL;
	put(&b, SIP_STR("c|"));
	put(&b, branch);
	put_char(&b, '|');
	put(&b, method);
	return finish(&b);
}
