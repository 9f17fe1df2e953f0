/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPPROXY_DIALOG_H
#define SIPPROXY_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip_str.h"

/*
 * The calls the proxy anchors media for, from the initial INVITE to the
 * end of the dialog it creates: a bounded table found by Call-ID and tags
 * (in-dialog requests) or by the call's handle (the media layer's cookie).
 * Which side is which is the INVITE's: the caller is its From, the callee
 * its To. Each side's view of the dialog (its target, the Route set that
 * leads to it, the From/To it expects and the CSeq it last saw) is kept
 * so the proxy can end the call itself (media timeout). Nothing here
 * sends or parses SIP.
 */

/* Calls tracked at once: an INVITE over it is answered 503. */
#define DIALOG_MAX 10000
/* Early dialogs (a tagged 1xx of a forked branch) remembered per call. */
#define DIALOG_MAX_EARLY 16
/* The longest tag, and each stored header value, we keep. */
#define DIALOG_TAG_MAX 128
#define DIALOG_VALUE_MAX 2048

enum dialog_side {
	DIALOG_CALLER,		/* as enum sdp_oa_side */
	DIALOG_CALLEE,
};

enum dialog_state {
	DIALOG_EARLY,		/* INVITE forwarded, no 2xx yet */
	DIALOG_CONFIRMED,	/* a branch answered 2xx: it is the dialog */
};

/* What a request we send to one side carries; strings NUL-terminated. */
struct dialog_peer {
	char *addr;		/* its own From/To value, tag included */
	char *target;		/* its Contact URI: the Request-URI */
	char *route;		/* the Route set towards it, or NULL when empty */
	uint32_t cseq;		/* the highest CSeq of the requests it sent */
};

struct dialog_early {
	char tag[DIALOG_TAG_MAX];	/* the callee's To tag on that branch */
	uint32_t branch;
};

struct media_call;

struct dialog {
	struct dialog *next_id;		/* hash chains */
	struct dialog *next_handle;
	uint64_t handle;		/* random, non-zero; the media call's cookie */
	char *call_id;
	char caller_tag[DIALOG_TAG_MAX];
	char callee_tag[DIALOG_TAG_MAX];	/* empty until confirmed */
	enum dialog_state state;
	uint32_t winner;		/* the media branch that answered 2xx */
	uint32_t next_branch;		/* the next media branch id to hand out */
	struct dialog_early early[DIALOG_MAX_EARLY];
	size_t nearly;
	struct dialog_peer peer[2];	/* by enum dialog_side */
	struct media_call *media;	/* NULL once the media is freed */
	void *invite;			/* the initial INVITE's proxy context while it runs */
	void *user;			/* the table's user (the proxy) */
	bool ending;			/* BYE seen or sent: no new offer is anchored */
};

struct dialogs;

int dialogs_new(struct dialogs **out);
void dialogs_free(struct dialogs *tab);
size_t dialogs_count(const struct dialogs *tab);

int dialog_add(struct dialogs *tab, uint64_t handle, struct sip_str call_id,
	       struct sip_str caller_tag, struct dialog **out);
void dialog_del(struct dialogs *tab, struct dialog *d);
struct dialog *dialogs_next(const struct dialogs *tab, const struct dialog *d);
struct dialog *dialog_by_handle(const struct dialogs *tab, uint64_t handle);
struct dialog *dialog_find(const struct dialogs *tab, struct sip_str call_id,
			   struct sip_str from_tag, struct sip_str to_tag,
			   enum dialog_side *side);
struct dialog *dialog_find_initial(const struct dialogs *tab, struct sip_str call_id,
				   struct sip_str caller_tag);

int dialog_early_add(struct dialog *d, struct sip_str tag, uint32_t branch);
bool dialog_early_branch(const struct dialog *d, struct sip_str tag, uint32_t *branch);
int dialog_set_str(char **field, struct sip_str value);
bool dialog_tag_set(char dst[DIALOG_TAG_MAX], struct sip_str tag);

#endif
