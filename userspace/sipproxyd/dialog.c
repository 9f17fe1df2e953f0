// SPDX-License-Identifier: GPL-2.0
/*
 * The dialog table: two fixed arrays of hash chains, one keyed by Call-ID
 * (in-dialog requests carry it and both tags), one by handle (the media
 * layer names calls by it). Bounded by DIALOG_MAX, so a flood of INVITEs
 * costs at most that many entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "lib/siphash.h"

#define BUCKETS 4096

struct dialogs {
	size_t n;
	struct siphash_key key;	/* Call-IDs are chosen by peers */
	struct dialog *by_id[BUCKETS];
	struct dialog *by_handle[BUCKETS];
};

static size_t id_bucket(const struct dialogs *tab, struct sip_str call_id)
{
	return (size_t)(siphash(&tab->key, call_id.s, call_id.len) % BUCKETS);
}

/* Handles are random: their low bits spread well. */
static size_t handle_bucket(uint64_t handle)
{
	return (size_t)(handle % BUCKETS);
}

int dialogs_new(struct dialogs **out)
{
	struct dialogs *tab = calloc(1, sizeof(*tab));
	int ret;

	if (!tab)
		return -ENOMEM;
	ret = siphash_key_random(&tab->key);
	if (ret) {
		free(tab);
		return ret;
	}
	*out = tab;
	return 0;
}

static void dialog_free(struct dialog *d)
{
	int side;

	for (side = DIALOG_CALLER; side <= DIALOG_CALLEE; side++) {
		free(d->peer[side].addr);
		free(d->peer[side].target);
		free(d->peer[side].route);
	}
	free(d->call_id);
	free(d);
}

/* Frees the entries only: their media belongs to the media layer. */
void dialogs_free(struct dialogs *tab)
{
	struct dialog *d;
	size_t i;

	if (!tab)
		return;
	for (i = 0; i < BUCKETS; i++) {
		while ((d = tab->by_id[i])) {
			tab->by_id[i] = d->next_id;
			dialog_free(d);
		}
	}
	free(tab);
}

size_t dialogs_count(const struct dialogs *tab)
{
	return tab->n;
}

static bool str_is(const char *s, struct sip_str v)
{
	return sip_str_present(v) && strlen(s) == v.len && !memcmp(s, v.s, v.len);
}

/* A tag fits when present, non-empty and shorter than DIALOG_TAG_MAX. */
bool dialog_tag_set(char dst[DIALOG_TAG_MAX], struct sip_str tag)
{
	if (!sip_str_present(tag) || !tag.len || tag.len >= DIALOG_TAG_MAX ||
	    memchr(tag.s, '\0', tag.len))
		return false;
	memcpy(dst, tag.s, tag.len);
	dst[tag.len] = '\0';
	return true;
}

/* Replace *@field by a NUL-terminated copy of @value (absent: NULL). */
int dialog_set_str(char **field, struct sip_str value)
{
	char *copy = NULL;

	if (sip_str_present(value)) {
		if (value.len >= DIALOG_VALUE_MAX || memchr(value.s, '\0', value.len))
			return -EINVAL;
		copy = strndup(value.s, value.len);
		if (!copy)
			return -ENOMEM;
	}
	free(*field);
	*field = copy;
	return 0;
}

/**
 * dialog_add - track a new call (initial INVITE)
 * @handle: random, non-zero
 *
 * Return: 0; -ENOSPC at DIALOG_MAX; -EEXIST for a handle in use; -EINVAL
 * for an unusable Call-ID or tag; -ENOMEM.
 */
int dialog_add(struct dialogs *tab, uint64_t handle, struct sip_str call_id,
	       struct sip_str caller_tag, struct dialog **out)
{
	struct dialog *d;
	size_t b;

	if (tab->n >= DIALOG_MAX)
		return -ENOSPC;
	if (!handle || dialog_by_handle(tab, handle))
		return -EEXIST;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (!dialog_tag_set(d->caller_tag, caller_tag) || dialog_set_str(&d->call_id, call_id) ||
	    !d->call_id) {
		dialog_free(d);
		return -EINVAL;
	}
	d->handle = handle;
	d->state = DIALOG_EARLY;
	b = id_bucket(tab, call_id);
	d->next_id = tab->by_id[b];
	tab->by_id[b] = d;
	b = handle_bucket(handle);
	d->next_handle = tab->by_handle[b];
	tab->by_handle[b] = d;
	tab->n++;
	*out = d;
	return 0;
}

/* Unlink and free @d; its media must already be ended or handed over. */
void dialog_del(struct dialogs *tab, struct dialog *d)
{
	struct dialog **p;

	for (p = &tab->by_id[id_bucket(tab, sip_str_make(d->call_id, strlen(d->call_id)))]; *p;
	     p = &(*p)->next_id) {
		if (*p == d) {
			*p = d->next_id;
			break;
		}
	}
	for (p = &tab->by_handle[handle_bucket(d->handle)]; *p; p = &(*p)->next_handle) {
		if (*p == d) {
			*p = d->next_handle;
			break;
		}
	}
	tab->n--;
	dialog_free(d);
}

/* Iterate: @d NULL gives the first entry; NULL after the last. */
struct dialog *dialogs_next(const struct dialogs *tab, const struct dialog *d)
{
	size_t b = 0;

	if (d) {
		if (d->next_handle)
			return d->next_handle;
		b = handle_bucket(d->handle) + 1;
	}
	for (; b < BUCKETS; b++)
		if (tab->by_handle[b])
			return tab->by_handle[b];
	return NULL;
}

struct dialog *dialog_by_handle(const struct dialogs *tab, uint64_t handle)
{
	struct dialog *d;

	for (d = tab->by_handle[handle_bucket(handle)]; d; d = d->next_handle)
		if (d->handle == handle)
			return d;
	return NULL;
}

/* Whether @tag names the callee of @d: the dialog's, or one early branch's. */
static bool callee_tag_is(const struct dialog *d, struct sip_str tag)
{
	uint32_t unused;

	if (d->state == DIALOG_CONFIRMED)
		return str_is(d->callee_tag, tag);
	return dialog_early_branch(d, tag, &unused);
}

/**
 * dialog_find - the dialog of an in-dialog request
 * @side: set to the side that sent it: the caller when its From tag is the
 *	  caller's, the callee when its To tag is
 *
 * Return: the dialog, or NULL when no tracked call has both tags.
 */
struct dialog *dialog_find(const struct dialogs *tab, struct sip_str call_id,
			   struct sip_str from_tag, struct sip_str to_tag,
			   enum dialog_side *side)
{
	struct dialog *d;

	for (d = tab->by_id[id_bucket(tab, call_id)]; d; d = d->next_id) {
		if (!str_is(d->call_id, call_id))
			continue;
		if (str_is(d->caller_tag, from_tag) && callee_tag_is(d, to_tag)) {
			*side = DIALOG_CALLER;
			return d;
		}
		if (str_is(d->caller_tag, to_tag) && callee_tag_is(d, from_tag)) {
			*side = DIALOG_CALLEE;
			return d;
		}
	}
	return NULL;
}

/* The call an initial INVITE started (a spiral brings it back to us). */
struct dialog *dialog_find_initial(const struct dialogs *tab, struct sip_str call_id,
				   struct sip_str caller_tag)
{
	struct dialog *d;

	for (d = tab->by_id[id_bucket(tab, call_id)]; d; d = d->next_id)
		if (str_is(d->call_id, call_id) && str_is(d->caller_tag, caller_tag))
			return d;
	return NULL;
}

/**
 * dialog_early_add - a branch's 1xx created an early dialog with @tag
 *
 * Return: 0 (also when known already); -ENOSPC past DIALOG_MAX_EARLY, or
 * -EINVAL for an unusable tag: requests inside that early dialog are then
 * not matched to it.
 */
int dialog_early_add(struct dialog *d, struct sip_str tag, uint32_t branch)
{
	uint32_t known;

	if (dialog_early_branch(d, tag, &known))
		return 0;
	if (d->nearly == DIALOG_MAX_EARLY)
		return -ENOSPC;
	if (!dialog_tag_set(d->early[d->nearly].tag, tag))
		return -EINVAL;
	d->early[d->nearly++].branch = branch;
	return 0;
}

bool dialog_early_branch(const struct dialog *d, struct sip_str tag, uint32_t *branch)
{
	size_t i;

	for (i = 0; i < d->nearly; i++) {
		if (str_is(d->early[i].tag, tag)) {
			*branch = d->early[i].branch;
			return true;
		}
	}
	return false;
}
