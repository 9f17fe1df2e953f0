// SPDX-License-Identifier: GPL-2.0
/*
 * Re-emits a parsed message with a proxy's edits (RFC 3261 16.6 and 16.7):
 * a Via on top or the top one gone, Route and Record-Route entries,
 * Max-Forwards one lower, a new Request-URI, a new body. Every byte not
 * edited is copied from the original, unknown fields included.
 */
#include <errno.h>

#include "sip_out.h"
#include "sip_rewrite.h"

/* Appends one edit of a known header type with its canonical name. */
int sip_rewrite_add(struct sip_rewrite *rw, enum sip_edit_op op, enum sip_hdr_type type,
		    struct sip_str value)
{
	if (rw->nedits == SIP_MAX_EDITS)
		return -ENOSPC;
	rw->edits[rw->nedits++] = (struct sip_edit){ .op = op, .type = type, .value = value };
	return 0;
}

static bool edit_matches(const struct sip_edit *e, const struct sip_hdr *h)
{
	if (e->type != SIP_HDR_OTHER)
		return h->type == e->type;
	return h->type == SIP_HDR_OTHER && sip_str_caseeq(h->name, e->name);
}

static struct sip_str edit_name(const struct sip_edit *e)
{
	const char *canonical = sip_hdr_name(e->type);

	if (sip_str_present(e->name))
		return e->name;
	return sip_str_make(canonical, strlen(canonical));
}

static bool removes_fields(enum sip_edit_op op)
{
	return op == SIP_EDIT_REPLACE || op == SIP_EDIT_REMOVE || op == SIP_EDIT_POP;
}

static bool touches(const struct sip_edit *e, enum sip_hdr_type type)
{
	return e->type == type;
}

/*
 * Rejects edits that could not be applied unambiguously: bad names or
 * values, two edits that each rewrite the same fields, edits of the fields
 * the rewrite itself maintains.
 */
static int check_edits(const struct sip_msg *msg, const struct sip_rewrite *rw)
{
	unsigned int i, j;

	if (rw->nedits > SIP_MAX_EDITS)
		return -EINVAL;
	if (sip_str_present(rw->ruri)) {
		struct sip_uri uri;

		if (!msg->request || sip_uri_parse(rw->ruri, &uri))
			return -EINVAL;
	}
	for (i = 0; i < rw->nedits; i++) {
		const struct sip_edit *e = &rw->edits[i];

		if (e->op < SIP_EDIT_PREPEND || e->op > SIP_EDIT_POP ||
		    e->type < SIP_HDR_OTHER || e->type >= SIP_HDR_COUNT)
			return -EINVAL;
		if ((e->type == SIP_HDR_OTHER || sip_str_present(e->name)) &&
		    !sip_str_is_token(e->name))
			return -EINVAL;
		if (e->op != SIP_EDIT_REMOVE && e->op != SIP_EDIT_POP &&
		    !sip_out_safe_value(e->value))
			return -EINVAL;
		if (e->op == SIP_EDIT_POP && e->type != SIP_HDR_VIA && e->type != SIP_HDR_ROUTE &&
		    e->type != SIP_HDR_RECORD_ROUTE && e->type != SIP_HDR_CONTACT)
			return -EINVAL;
		if ((rw->dec_max_forwards && touches(e, SIP_HDR_MAX_FORWARDS)) ||
		    (rw->set_body && touches(e, SIP_HDR_CONTENT_LENGTH)))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			const struct sip_edit *o = &rw->edits[j];

			if (removes_fields(e->op) && removes_fields(o->op) && o->type == e->type &&
			    (e->type != SIP_HDR_OTHER || sip_str_caseeq(o->name, e->name)))
				return -EINVAL;
		}
	}
	if (rw->dec_max_forwards && msg->max_forwards == 0)
		return -ERANGE;
	return 0;
}

/* The entries after the first one of a list field; absent when none remain. */
static int rest_after_pop(const struct sip_hdr *h, struct sip_str *rest)
{
	struct sip_addr addr;
	struct sip_via via;
	struct sip_scan sc;
	bool ok;

	sip_scan_init(&sc, h->value);
	ok = h->type == SIP_HDR_VIA ? sip_via_scan(&sc, &via) : sip_addr_scan(&sc, h->type, &addr);
	if (!ok)
		return -EINVAL;
	*rest = SIP_STR_NONE;
	if (sip_scan_eof(&sc))
		return 0;
	if (!sip_scan_sep(&sc, ','))
		return -EINVAL;
	*rest = sip_str_span(sc.p, sc.end);
	return 0;
}

struct emit {
	const struct sip_msg *msg;
	const struct sip_rewrite *rw;
	struct sip_out out;
	bool placed[SIP_MAX_EDITS];	/* new fields written so far */
};

static bool has_field(const struct sip_msg *msg, const struct sip_edit *e)
{
	unsigned int i;

	for (i = 0; i < msg->nhdrs; i++)
		if (edit_matches(e, &msg->hdrs[i]))
			return true;
	return false;
}

static bool is_first(const struct sip_msg *msg, const struct sip_edit *e, unsigned int idx)
{
	unsigned int i;

	for (i = 0; i < idx; i++)
		if (edit_matches(e, &msg->hdrs[i]))
			return false;
	return true;
}

static bool is_last(const struct sip_msg *msg, const struct sip_edit *e, unsigned int idx)
{
	unsigned int i;

	for (i = idx + 1; i < msg->nhdrs; i++)
		if (edit_matches(e, &msg->hdrs[i]))
			return false;
	return true;
}

static void put_new(struct emit *em, unsigned int k)
{
	const struct sip_edit *e = &em->rw->edits[k];

	sip_out_field(&em->out, edit_name(e), e->value);
	em->placed[k] = true;
}

/* Fields whose type has none yet: PREPEND goes on top of the section. */
static void emit_top(struct emit *em)
{
	unsigned int k;

	for (k = 0; k < em->rw->nedits; k++)
		if (em->rw->edits[k].op == SIP_EDIT_PREPEND && !has_field(em->msg, &em->rw->edits[k]))
			put_new(em, k);
}

/* The fields the rewrite maintains itself: Max-Forwards and Content-Length. */
static bool emit_maintained(struct emit *em, const struct sip_hdr *h)
{
	const struct sip_rewrite *rw = em->rw;

	if (rw->dec_max_forwards && h->type == SIP_HDR_MAX_FORWARDS) {
		sip_out_cstr(&em->out, "Max-Forwards: ");
		sip_out_uint(&em->out, (uint64_t)(em->msg->max_forwards - 1));
		sip_out_put(&em->out, "\r\n", 2);
		return true;
	}
	if (rw->set_body && h->type == SIP_HDR_CONTENT_LENGTH) {
		sip_out_cstr(&em->out, "Content-Length: ");
		sip_out_uint(&em->out, rw->body.len);
		sip_out_put(&em->out, "\r\n", 2);
		return true;
	}
	return false;
}

/* One original field with the edits that apply to it; the original line when none does. */
static int emit_field(struct emit *em, unsigned int idx)
{
	const struct sip_hdr *h = &em->msg->hdrs[idx];
	bool keep = true;
	unsigned int k;
	int err;

	for (k = 0; k < em->rw->nedits; k++) {
		const struct sip_edit *e = &em->rw->edits[k];
		struct sip_str rest;

		if (!edit_matches(e, h))
			continue;
		if (e->op == SIP_EDIT_PREPEND && is_first(em->msg, e, idx))
			put_new(em, k);
		if (!removes_fields(e->op))
			continue;
		/* POP takes the first entry of the first field: later fields stay whole. */
		if (e->op == SIP_EDIT_POP && !is_first(em->msg, e, idx))
			continue;
		keep = false;
		if (!is_first(em->msg, e, idx) || e->op == SIP_EDIT_REMOVE)
			continue;
		if (e->op == SIP_EDIT_REPLACE) {
			sip_out_field(&em->out, h->name, e->value);
			em->placed[k] = true;
			continue;
		}
		err = rest_after_pop(h, &rest);
		if (err)
			return err;
		if (sip_str_present(rest))
			sip_out_field(&em->out, h->name, rest);
	}
	if (keep && !emit_maintained(em, h))
		sip_out_str(&em->out, h->line);
	for (k = 0; k < em->rw->nedits; k++)
		if (em->rw->edits[k].op == SIP_EDIT_APPEND && edit_matches(&em->rw->edits[k], h) &&
		    is_last(em->msg, &em->rw->edits[k], idx))
			put_new(em, k);
	return 0;
}

/* New fields that found no place, and maintained fields that were absent. */
static void emit_bottom(struct emit *em)
{
	const struct sip_msg *msg = em->msg;
	unsigned int k;

	for (k = 0; k < em->rw->nedits; k++)
		if (!em->placed[k] && (em->rw->edits[k].op == SIP_EDIT_APPEND ||
				       em->rw->edits[k].op == SIP_EDIT_REPLACE))
			put_new(em, k);
	if (em->rw->dec_max_forwards && !msg->first[SIP_HDR_MAX_FORWARDS])
		sip_out_cstr(&em->out, "Max-Forwards: 70\r\n");
	if (em->rw->set_body && !msg->first[SIP_HDR_CONTENT_LENGTH]) {
		sip_out_cstr(&em->out, "Content-Length: ");
		sip_out_uint(&em->out, em->rw->body.len);
		sip_out_put(&em->out, "\r\n", 2);
	}
}

static void emit_start_line(struct emit *em)
{
	const struct sip_msg *msg = em->msg;

	if (!sip_str_present(em->rw->ruri)) {
		sip_out_str(&em->out, msg->start_line);
	} else {
		sip_out_str(&em->out, msg->method);
		sip_out_put(&em->out, " ", 1);
		sip_out_str(&em->out, em->rw->ruri);
		sip_out_put(&em->out, " ", 1);
		sip_out_str(&em->out, msg->version);
	}
	sip_out_put(&em->out, "\r\n", 2);
}

/*
 * Writes msg with the edits of rw into out (cap bytes, not overlapping the
 * message). msg must have parsed without error. Returns 0 with *len set,
 * -ENOSPC when it does not fit, -EINVAL for edits that cannot apply and
 * -ERANGE for dec_max_forwards at Max-Forwards 0 (answer 483 instead).
 */
int sip_rewrite(const struct sip_msg *msg, const struct sip_rewrite *rw,
		char *out, size_t cap, size_t *len)
{
	struct emit em = { .msg = msg, .rw = rw };
	unsigned int i;
	int err;

	if (msg->err != SIP_OK)
		return -EINVAL;
	err = check_edits(msg, rw);
	if (err)
		return err;
	sip_out_init(&em.out, out, cap);
	emit_start_line(&em);
	emit_top(&em);
	for (i = 0; i < msg->nhdrs; i++) {
		err = emit_field(&em, i);
		if (err)
			return err;
	}
	emit_bottom(&em);
	sip_out_put(&em.out, "\r\n", 2);
	sip_out_str(&em.out, rw->set_body ? rw->body : msg->body);
	if (em.out.overflow)
		return -ENOSPC;
	*len = em.out.len;
	return 0;
}
