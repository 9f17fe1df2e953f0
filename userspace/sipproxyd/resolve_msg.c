// SPDX-License-Identifier: GPL-2.0
/*
 * A bounds-checked walk over a DNS message (RFC 1035 4.1) collecting TTLs.
 * Names are skipped, never followed: a compression pointer ends a name, so
 * hostile pointer loops cost nothing here.
 */
#include <errno.h>
#include <stdbool.h>

#include "resolve_msg.h"

#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SOA 6

struct cursor {
	const unsigned char *p;
	const unsigned char *end;
};

static int take(struct cursor *c, size_t n, const unsigned char **at)
{
	if ((size_t)(c->end - c->p) < n)
		return -EBADMSG;
	*at = c->p;
	c->p += n;
	return 0;
}

static int u16(struct cursor *c, unsigned int *v)
{
	const unsigned char *b;

	if (take(c, 2, &b))
		return -EBADMSG;
	*v = (unsigned int)b[0] << 8 | b[1];
	return 0;
}

static int u32(struct cursor *c, uint32_t *v)
{
	const unsigned char *b;

	if (take(c, 4, &b))
		return -EBADMSG;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

/* Labels up to the root label or a compression pointer (RFC 1035 4.1.4). */
static int skip_name(struct cursor *c)
{
	const unsigned char *b;

	for (;;) {
		if (take(c, 1, &b))
			return -EBADMSG;
		if (*b == 0)
			return 0;
		if ((*b & 0xc0) == 0xc0)
			return take(c, 1, &b);
		if (*b & 0xc0)
			return -EBADMSG;	/* the reserved label types */
		if (take(c, *b, &b))
			return -EBADMSG;
	}
}

static uint32_t min_ttl(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* RFC 2308 5: the negative TTL is the lower of the SOA's own TTL and its MINIMUM. */
static int soa_negative_ttl(struct cursor rdata, uint32_t ttl, uint32_t *out)
{
	uint32_t v[5];
	int i;

	if (skip_name(&rdata) || skip_name(&rdata))
		return -EBADMSG;
	for (i = 0; i < 5; i++)
		if (u32(&rdata, &v[i]))
			return -EBADMSG;
	*out = min_ttl(*out, min_ttl(ttl, v[4]));
	return 0;
}

static int scan_record(struct cursor *c, struct resolve_msg *msg, bool answer)
{
	unsigned int type, class, rdlength;
	const unsigned char *rdata;
	uint32_t ttl;

	if (skip_name(c) || u16(c, &type) || u16(c, &class) || u32(c, &ttl) ||
	    u16(c, &rdlength) || take(c, rdlength, &rdata))
		return -EBADMSG;
	/* RFC 2181 8: a TTL with the top bit set counts as 0. */
	if (ttl & 0x80000000U)
		ttl = 0;
	if (answer) {
		msg->ttl = min_ttl(msg->ttl, ttl);
		if (type == DNS_TYPE_CNAME)
			msg->cnames++;
		else if (type == msg->qtype)
			msg->answers++;
		return 0;
	}
	if (type != DNS_TYPE_SOA)
		return 0;
	return soa_negative_ttl((struct cursor){ rdata, rdata + rdlength }, ttl, &msg->negative_ttl);
}

/**
 * resolve_msg_scan - read the header, answer and authority sections of @buf
 *
 * Return: 0, or -EBADMSG when @buf is not a whole DNS message with one
 * question (the additional section is not read).
 */
int resolve_msg_scan(const unsigned char *buf, size_t len, struct resolve_msg *msg)
{
	struct cursor c = { buf, buf + len };
	unsigned int id, flags, qd, an, ns, ar, qclass, i;
	int err;

	*msg = (struct resolve_msg){ .ttl = RESOLVE_MSG_NO_TTL, .negative_ttl = RESOLVE_MSG_NO_TTL };
	if (u16(&c, &id) || u16(&c, &flags) || u16(&c, &qd) || u16(&c, &an) || u16(&c, &ns) ||
	    u16(&c, &ar))
		return -EBADMSG;
	if (qd != 1 || skip_name(&c) || u16(&c, &msg->qtype) || u16(&c, &qclass))
		return -EBADMSG;
	msg->rcode = flags & 0xf;
	for (i = 0; i < an + ns; i++) {
		err = scan_record(&c, msg, i < an);
		if (err)
			return err;
	}
	return 0;
}
