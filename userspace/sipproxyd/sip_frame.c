// SPDX-License-Identifier: GPL-2.0
/*
 * Message boundaries on a stream transport (RFC 3261 18.3): the header
 * section ends at the first empty line and Content-Length, mandatory
 * there, says how much body follows.
 */
#include <string.h>

#include "sip_frame.h"

/*
 * Where the empty line ending the header section ends, or NULL; the
 * search starts at @from, three bytes before which nothing can start.
 */
static const char *headers_end(const char *buf, size_t from, size_t avail)
{
	const char *p = buf + (from > 3 ? from - 3 : 0), *end = buf + avail;

	while (end - p >= 4) {
		p = memchr(p, '\r', (size_t)(end - p - 3));
		if (!p)
			return NULL;
		if (!memcmp(p, "\r\n\r\n", 4))
			return p + 4;
		p++;
	}
	return NULL;
}

/*
 * The Content-Length of a header section, by name alone: the full check
 * is sip_msg_parse()'s job once the message is complete.
 */
static enum sip_err content_length(const char *p, const char *end, uint64_t *cl)
{
	bool found = false;

	while (p < end) {
		const char *eol = p;
		struct sip_str name, value;
		struct sip_scan sc;

		/* A field runs to the CRLF not followed by a fold. */
		while (eol + 2 < end && !(eol[0] == '\r' && eol[1] == '\n' && !sip_is_wsp(eol[2])))
			eol++;
		sip_scan_init(&sc, sip_str_span(p, eol));
		p = eol + 2;
		if (!sip_scan_token(&sc, &name))
			continue;
		while (sip_scan_char(&sc, ' ') || sip_scan_char(&sc, '\t'))
			;
		if (!sip_scan_char(&sc, ':') || sip_hdr_lookup(name) != SIP_HDR_CONTENT_LENGTH)
			continue;
		if (found)
			return SIP_ERR_DUPLICATE_HEADER;
		found = true;
		sip_scan_sws(&sc);
		value = sip_str_span(sc.p, sc.end);
		while (value.len && sip_is_wsp(value.s[value.len - 1]))
			value.len--;
		if (!sip_str_to_uint(value, SIP_MAX_MSG_SIZE, cl))
			return SIP_ERR_BAD_HEADER;
	}
	return found ? SIP_OK : SIP_ERR_MISSING_HEADER;
}

/*
 * Measures the first message in buf[0..avail), picking up where @f left
 * off (@buf holds what it held then, and more). Leading CRLFs are
 * reported on their own as keepalive, once they are four (a ping) or
 * something follows them. A message above SIP_MAX_MSG_SIZE,
 * or without a usable Content-Length, is an error: a stream cannot
 * resynchronise.
 */
enum sip_frame_status sip_frame_resume(struct sip_framer *f, const char *buf, size_t avail,
				       size_t *len, enum sip_err *err)
{
	size_t limit = avail < SIP_MAX_MSG_SIZE ? avail : SIP_MAX_MSG_SIZE;
	const char *body;
	uint64_t cl, total;
	size_t crlf = 0;

	if (f->total) {
		*len = f->total;
		goto measured;
	}
	while (!f->scanned && crlf + 2 <= avail && buf[crlf] == '\r' && buf[crlf + 1] == '\n')
		crlf += 2;
	*len = 0;
	/* A ping may arrive in pieces: CRLFs up to the end wait for the rest. */
	if (crlf && crlf < 4 && (crlf == avail || (crlf + 1 == avail && buf[crlf] == '\r')))
		return SIP_FRAME_MORE;
	if (crlf) {
		*len = crlf;
		return SIP_FRAME_KEEPALIVE;
	}
	if (avail && buf[0] == '\r' && avail < 2)
		return SIP_FRAME_MORE;
	body = headers_end(buf, f->scanned, limit);
	if (!body) {
		f->scanned = limit;
		if (avail < SIP_MAX_MSG_SIZE)
			return SIP_FRAME_MORE;
		*err = SIP_ERR_TOO_LARGE;
		goto error;
	}
	*err = content_length(buf, body - 2, &cl);
	if (*err)
		goto error;
	total = (uint64_t)(body - buf) + cl;
	if (total > SIP_MAX_MSG_SIZE) {
		*err = SIP_ERR_TOO_LARGE;
		goto error;
	}
	f->total = *len = (size_t)total;
measured:
	if (avail < *len)
		return SIP_FRAME_MORE;
	*f = (struct sip_framer){ 0 };
	return SIP_FRAME_MESSAGE;

error:
	*f = (struct sip_framer){ 0 };
	return SIP_FRAME_ERROR;
}

/* sip_frame_resume() from scratch: for a buffer seen once. */
enum sip_frame_status sip_frame(const char *buf, size_t avail, size_t *len, enum sip_err *err)
{
	struct sip_framer f = { 0 };

	return sip_frame_resume(&f, buf, avail, len, err);
}
