/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_SIP_REWRITE_H
#define SIPPROXY_SIP_REWRITE_H

#include <stdbool.h>

#include "sip_msg.h"

/* Header edits one rewrite may carry. */
#define SIP_MAX_EDITS 16

enum sip_edit_op {
	/* A new field before the first one of its type; at the top of the
	 * header section when there is none (Via, Record-Route, Route). */
	SIP_EDIT_PREPEND = 1,
	/* A new field after the last one of its type, or at the end. */
	SIP_EDIT_APPEND,
	/* The first field of the type gets the new value, the others go;
	 * appended when there is none. */
	SIP_EDIT_REPLACE,
	/* Every field of the type goes. */
	SIP_EDIT_REMOVE,
	/* The first entry of the first field goes, the field with it when it
	 * held only that one (top Via of a response, top Route). Via, Route,
	 * Record-Route and Contact only. */
	SIP_EDIT_POP,
};

/*
 * One header edit. type selects the fields; SIP_HDR_OTHER selects them by
 * name (any case). New fields are written as "name: value" with name, or
 * the canonical name of type when name is absent. value must not hold CR,
 * LF or NUL.
 */
struct sip_edit {
	enum sip_edit_op op;
	enum sip_hdr_type type;
	struct sip_str name;
	struct sip_str value;
};

/*
 * What to change when re-emitting a parsed message. Everything not named
 * here is copied byte for byte: the start line, every other field as
 * written (compact names, folds, unknown fields), their order and the body.
 * Zero-initialise, then set what you need.
 */
struct sip_rewrite {
	struct sip_str ruri;		/* new Request-URI; absent keeps it */
	bool dec_max_forwards;		/* one less, or 70 when absent (RFC 3261 16.6) */
	bool set_body;			/* body replaces the body, Content-Length follows */
	struct sip_str body;
	unsigned int nedits;
	struct sip_edit edits[SIP_MAX_EDITS];
};

int sip_rewrite_add(struct sip_rewrite *rw, enum sip_edit_op op, enum sip_hdr_type type,
		    struct sip_str value);
int sip_rewrite(const struct sip_msg *msg, const struct sip_rewrite *rw,
		char *out, size_t cap, size_t *len);

#endif
