// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sipmsg.h"

/* The line starting at @p (before @end): its length without CRLF; *next after it. */
static size_t line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', end - p);
	size_t len;

	if (!nl)
		nl = end;
	len = nl - p;
	if (len && p[len - 1] == '\r')
		len--;
	*next = nl < end ? nl + 1 : end;
	return len;
}

static struct sipstr trim(const char *p, size_t len)
{
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return (struct sipstr){ p, len };
}

/* Whether header line @l of @len bytes is @name or @compact; *value after the colon. */
static bool is_header(const char *l, size_t len, const char *name, char compact,
		      struct sipstr *value)
{
	const char *colon = memchr(l, ':', len);
	struct sipstr n;

	if (!colon)
		return false;
	n = trim(l, colon - l);
	if (!((n.len == strlen(name) && !strncasecmp(n.p, name, n.len)) ||
	      (compact && n.len == 1 && (n.p[0] | 0x20) == compact)))
		return false;
	*value = trim(colon + 1, len - (colon + 1 - l));
	return true;
}

int sipmsg_parse(struct sipmsg *m, const char *buf, size_t len)
{
	const char *end = buf + len, *p, *next;
	struct sipstr cseq;
	size_t l;

	memset(m, 0, sizeof(*m));
	l = line(buf, end, &p);
	if (l > 12 && !strncmp(buf, "SIP/2.0 ", 8)) {
		m->status = atoi(buf + 8);
	} else {
		const char *sp = memchr(buf, ' ', l);

		if (!sp)
			return -1;
		m->method = (struct sipstr){ buf, sp - buf };
	}
	m->headers.p = p;
	for (;;) {
		if (p >= end)
			return -1;
		l = line(p, end, &next);
		if (!l)
			break;
		p = next;
	}
	m->headers.len = p - m->headers.p;
	m->body = (struct sipstr){ next, end - next };
	if (m->status) {
		if (!sipmsg_header(m, "CSeq", 0, &cseq))
			return -1;
		/* "1 INVITE": the method after the number */
		while (cseq.len && *cseq.p != ' ') {
			cseq.p++;
			cseq.len--;
		}
		m->method = trim(cseq.p, cseq.len);
	}
	return 0;
}

bool sipmsg_header(const struct sipmsg *m, const char *name, char compact, struct sipstr *value)
{
	const char *p = m->headers.p, *end = p + m->headers.len, *next;

	for (; p < end; p = next) {
		size_t l = line(p, end, &next);

		if (is_header(p, l, name, compact, value))
			return true;
	}
	return false;
}

size_t sipmsg_copy(const struct sipmsg *m, const char *name, char compact, char *out, size_t len,
		   size_t room)
{
	const char *p = m->headers.p, *end = p + m->headers.len, *next;
	struct sipstr v;

	for (; p < end; p = next) {
		size_t l = line(p, end, &next);

		if (is_header(p, l, name, compact, &v) && len + l + 2 < room) {
			memcpy(out + len, p, l);
			memcpy(out + len + l, "\r\n", 2);
			len += l + 2;
		}
	}
	return len;
}

size_t sipmsg_route_set(const struct sipmsg *m, char *out, size_t len, size_t room)
{
	const char *p = m->headers.p, *end = p + m->headers.len, *next;
	struct sipstr entry[16];
	unsigned int n = 0;
	struct sipstr v;
	int i;

	/* Entries are split at commas outside <>, in order across all lines. */
	for (; p < end; p = next) {
		size_t l = line(p, end, &next), j, start = 0;
		int depth = 0;

		if (!is_header(p, l, "Record-Route", 0, &v))
			continue;
		for (j = 0; j <= v.len && n < 16; j++) {
			if (j == v.len || (v.p[j] == ',' && !depth)) {
				entry[n++] = trim(v.p + start, j - start);
				start = j + 1;
			} else if (v.p[j] == '<') {
				depth++;
			} else if (v.p[j] == '>') {
				depth--;
			}
		}
	}
	if (!n)
		return len;
	len += snprintf(out + len, room - len, "Route: ");
	for (i = n - 1; i >= 0 && len < room; i--)
		len += snprintf(out + len, room - len, "%.*s%s", (int)entry[i].len, entry[i].p,
				i ? ", " : "\r\n");
	return len < room ? len : room;
}

long sipmsg_call_number(const struct sipmsg *m)
{
	struct sipstr v;
	char *stop;
	long n;

	if (!sipmsg_header(m, "Call-ID", 'i', &v) || v.len < 3 || strncmp(v.p, "mc", 2))
		return -1;
	n = strtol(v.p + 2, &stop, 10);
	return stop > v.p + 2 && stop < v.p + v.len && *stop == '-' ? n : -1;
}

bool sipmsg_contact_uri(const struct sipmsg *m, struct sipstr *uri)
{
	const char *lt, *gt;

	if (!sipmsg_header(m, "Contact", 'm', uri))
		return false;
	lt = memchr(uri->p, '<', uri->len);
	gt = lt ? memchr(lt, '>', uri->p + uri->len - lt) : NULL;
	if (lt && gt)
		*uri = (struct sipstr){ lt + 1, gt - lt - 1 };
	return uri->len > 0;
}

int sipmsg_sdp_audio(const struct sipmsg *m, struct sockaddr_in *to)
{
	const char *p = m->body.p, *end = p + m->body.len, *next;
	char addr[INET_ADDRSTRLEN] = "";
	unsigned int port = 0;

	for (; p < end; p = next) {
		size_t l = line(p, end, &next);
		char text[128];

		if (l >= sizeof(text))
			continue;
		memcpy(text, p, l);
		text[l] = 0;
		/* The session-level c= unless a media-level one follows. */
		if (!port && sscanf(text, "c=IN IP4 %15s", addr) == 1)
			continue;
		if (!port && sscanf(text, "m=audio %u ", &port) == 1)
			continue;
		if (port && sscanf(text, "c=IN IP4 %15s", addr) == 1)
			break;
		if (port && !strncmp(text, "m=", 2))
			break;
	}
	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons(port);
	if (!port || port > 65535 || inet_pton(AF_INET, addr, &to->sin_addr) != 1)
		return -1;
	return 0;
}
