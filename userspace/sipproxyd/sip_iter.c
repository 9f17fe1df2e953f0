// SPDX-License-Identifier: GPL-2.0
/*
 * Access to a parsed message's header fields: by type through the index,
 * by name, and entry by entry across comma-separated lists.
 */
#include <errno.h>

#include "sip_msg.h"

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *msg, enum sip_hdr_type type)
{
	return msg->first[type] ? &msg->hdrs[msg->first[type] - 1] : NULL;
}

const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *msg, const struct sip_hdr *hdr)
{
	return hdr->next ? &msg->hdrs[hdr->next - 1] : NULL;
}

/* The first field called name, in full or compact form, any case. */
const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *msg, const char *name)
{
	struct sip_str n = sip_str_make(name, strlen(name));
	enum sip_hdr_type type = sip_hdr_lookup(n);
	unsigned int i;

	if (type != SIP_HDR_OTHER)
		return sip_msg_hdr(msg, type);
	for (i = 0; i < msg->nhdrs; i++)
		if (msg->hdrs[i].type == SIP_HDR_OTHER && sip_str_caseeq(msg->hdrs[i].name, n))
			return &msg->hdrs[i];
	return NULL;
}

void sip_iter_init(struct sip_iter *it, const struct sip_msg *msg, enum sip_hdr_type type)
{
	*it = (struct sip_iter){ .msg = msg, .hdr = sip_msg_hdr(msg, type) };
}

/*
 * Puts the cursor on the next entry: after a COMMA inside the current
 * field, else at the start of the next field. An entry that is not
 * followed by a comma or the end of its field is an error.
 */
static int advance(struct sip_iter *it)
{
	if (it->in_field) {
		if (!sip_scan_eof(&it->sc))
			return sip_scan_sep(&it->sc, ',') ? 1 : -EINVAL;
		it->hdr = sip_msg_hdr_next(it->msg, it->hdr);
		it->in_field = false;
	}
	if (!it->hdr)
		return 0;
	sip_scan_init(&it->sc, it->hdr->value);
	it->in_field = true;
	return 1;
}

int sip_iter_via(struct sip_iter *it, struct sip_via *via)
{
	int ret = advance(it);

	if (ret <= 0)
		return ret;
	return sip_via_scan(&it->sc, via) ? 1 : -EINVAL;
}

/* Contact, Route, Record-Route and the other address lists. */
int sip_iter_addr(struct sip_iter *it, struct sip_addr *addr)
{
	int ret = advance(it);

	if (ret <= 0)
		return ret;
	return sip_addr_scan(&it->sc, it->hdr->type, addr) ? 1 : -EINVAL;
}

/* Require, Proxy-Require, Supported, Unsupported, Allow: lists of tokens. */
int sip_iter_token(struct sip_iter *it, struct sip_str *token)
{
	for (;;) {
		int ret = advance(it);

		if (ret <= 0)
			return ret;
		/* Supported alone may be empty (RFC 3261 25.1). */
		if (it->hdr->type == SIP_HDR_SUPPORTED && !it->hdr->value.len)
			continue;
		return sip_scan_token(&it->sc, token) ? 1 : -EINVAL;
	}
}
