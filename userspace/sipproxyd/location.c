// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3261 section 10.3 steps 6-8 over an in-memory table. A REGISTER is
 * applied in four phases so that it changes everything or nothing:
 *
 *   check    every 400/423/500/403/503 decision, no side effects
 *   prepare  every allocation (new bindings, a new AOR, heap room)
 *   store    one transaction in the persistent store, if any
 *   commit   pointer swaps that cannot fail
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/siphash.h"
#include "location.h"
#include "location_heap.h"

struct aor;

struct binding {
	struct location_binding pub;
	struct location_heap_node node;
	struct aor *aor;
	size_t size;		/* bytes allocated, for accounting */
	char text[];		/* contact, call-id, path, instance; each NUL-ended */
};

struct aor {
	struct aor *next;	/* hash chain */
	uint32_t hash;
	uint16_t count, alloc;
	struct binding **bindings;	/* alloc slots, grown on demand */
	struct sip_str key;	/* points at text */
	char text[];
};

struct location {
	struct location_config cfg;
	struct location_store *store;
	struct aor **buckets;
	size_t nbuckets;
	size_t naors, nbindings;
	struct location_heap heap;
	size_t mem;		/* bytes the allocations below hand out */
	struct siphash_key key;	/* AORs come from the network */
};

enum action {
	ACTION_NONE = 0,
	ACTION_ADD,
	ACTION_UPDATE,
	ACTION_REMOVE,
};

/* What one Contact of a REGISTER does, worked out before anything changes. */
struct change {
	enum action action;
	const struct location_contact *contact;
	uint32_t expires;	/* seconds */
	struct binding *old;
	struct binding *new;
};

#define binding_of(n) ((struct binding *)((char *)(n) - offsetof(struct binding, node)))

static void *mem_alloc(struct location *loc, size_t size)
{
	void *p = calloc(1, size);

	if (p)
		loc->mem += size;
	return p;
}

static void mem_free(struct location *loc, void *p, size_t size)
{
	if (!p)
		return;
	loc->mem -= size;
	free(p);
}

void location_config_default(struct location_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->default_expires = LOCATION_DEFAULT_EXPIRES;
	cfg->min_expires = LOCATION_DEFAULT_MIN_EXPIRES;
	cfg->max_expires = LOCATION_DEFAULT_MAX_EXPIRES;
	cfg->max_contacts = LOCATION_DEFAULT_CONTACTS_PER_AOR;
	cfg->max_aors = LOCATION_DEFAULT_MAX_AORS;
}

/* @store may be NULL (memory only); it stays the caller's to close. */
int location_new(const struct location_config *cfg, struct location_store *store,
		 struct location **out)
{
	struct location *loc;

	if (!cfg->max_contacts || cfg->max_contacts > LOCATION_MAX_CONTACTS_LIMIT || !cfg->max_aors ||
	    !cfg->min_expires || cfg->min_expires > cfg->max_expires ||
	    cfg->default_expires < cfg->min_expires || cfg->default_expires > cfg->max_expires)
		return -EINVAL;
	loc = calloc(1, sizeof(*loc));
	if (!loc)
		return -ENOMEM;
	loc->cfg = *cfg;
	loc->store = store;
	if (siphash_key_random(&loc->key)) {
		free(loc);
		return -EIO;
	}
	*out = loc;
	return 0;
}

static void binding_free(struct location *loc, struct binding *b)
{
	mem_free(loc, b, b->size);
}

static void aor_free(struct location *loc, struct aor *aor)
{
	mem_free(loc, aor->bindings, aor->alloc * sizeof(*aor->bindings));
	mem_free(loc, aor, sizeof(*aor) + aor->key.len + 1);
}

void location_free(struct location *loc)
{
	struct aor *aor, *next;
	size_t i, j;

	if (!loc)
		return;
	for (i = 0; i < loc->nbuckets; i++) {
		for (aor = loc->buckets[i]; aor; aor = next) {
			next = aor->next;
			for (j = 0; j < aor->count; j++)
				binding_free(loc, aor->bindings[j]);
			aor_free(loc, aor);
		}
	}
	mem_free(loc, loc->buckets, loc->nbuckets * sizeof(*loc->buckets));
	location_heap_destroy(&loc->heap, &loc->mem);
	free(loc);
}

static uint32_t aor_hash(const struct location *loc, struct sip_str key)
{
	return (uint32_t)siphash(&loc->key, key.s, key.len);
}

static struct aor *aor_find(const struct location *loc, struct sip_str key)
{
	uint32_t hash;
	struct aor *aor;

	if (!loc->nbuckets)
		return NULL;
	hash = aor_hash(loc, key);
	for (aor = loc->buckets[hash & (loc->nbuckets - 1)]; aor; aor = aor->next)
		if (aor->hash == hash && sip_str_eq(aor->key, key))
			return aor;
	return NULL;
}

/* Keeps at most one AOR per bucket on average; the table never shrinks. */
static int buckets_reserve(struct location *loc, size_t naors)
{
	size_t n = loc->nbuckets ? loc->nbuckets : 64, i;
	struct aor **buckets, *aor, *next;

	if (naors <= loc->nbuckets)
		return 0;
	while (n < naors)
		n *= 2;
	buckets = mem_alloc(loc, n * sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < loc->nbuckets; i++) {
		for (aor = loc->buckets[i]; aor; aor = next) {
			next = aor->next;
			aor->next = buckets[aor->hash & (n - 1)];
			buckets[aor->hash & (n - 1)] = aor;
		}
	}
	mem_free(loc, loc->buckets, loc->nbuckets * sizeof(*loc->buckets));
	loc->buckets = buckets;
	loc->nbuckets = n;
	return 0;
}

static struct aor *aor_new(struct location *loc, struct sip_str key)
{
	struct aor *aor;

	aor = mem_alloc(loc, sizeof(*aor) + key.len + 1);
	if (!aor)
		return NULL;
	aor->hash = aor_hash(loc, key);
	memcpy(aor->text, key.s, key.len);
	aor->key = sip_str_make(aor->text, key.len);
	return aor;
}

/*
 * Room for @count bindings. Most AORs hold one phone, so slots grow from
 * one by doubling rather than being sized for max_contacts up front.
 */
static int aor_reserve(struct location *loc, struct aor *aor, size_t count)
{
	size_t alloc = aor->alloc ? aor->alloc : 1;
	struct binding **bindings;

	if (count <= aor->alloc)
		return 0;
	while (alloc < count)
		alloc *= 2;
	bindings = mem_alloc(loc, alloc * sizeof(*bindings));
	if (!bindings)
		return -ENOMEM;
	if (aor->count)
		memcpy(bindings, aor->bindings, aor->count * sizeof(*bindings));
	mem_free(loc, aor->bindings, aor->alloc * sizeof(*aor->bindings));
	aor->bindings = bindings;
	aor->alloc = (uint16_t)alloc;
	return 0;
}

static void aor_link(struct location *loc, struct aor *aor)
{
	struct aor **head = &loc->buckets[aor->hash & (loc->nbuckets - 1)];

	aor->next = *head;
	*head = aor;
	loc->naors++;
}

static void aor_unlink(struct location *loc, struct aor *aor)
{
	struct aor **p = &loc->buckets[aor->hash & (loc->nbuckets - 1)];

	while (*p != aor)
		p = &(*p)->next;
	*p = aor->next;
	loc->naors--;
}

/* Copies @s into @dst, NUL-ends it, and returns the view and the next free byte. */
static char *put_text(char *dst, struct sip_str s, struct sip_str *view)
{
	if (s.len)
		memcpy(dst, s.s, s.len);
	dst[s.len] = '\0';
	*view = sip_str_make(dst, s.len);
	return dst + s.len + 1;
}

static size_t path_len(const struct sip_str *path, size_t npath)
{
	size_t len = 0, i;

	for (i = 0; i < npath; i++)
		len += path[i].len + (i > 0);
	return len;
}

/* The record's fields into one allocation. */
static struct binding *binding_new(struct location *loc, const struct location_record *rec)
{
	size_t size = sizeof(struct binding) + rec->contact.len + rec->call_id.len +
		      rec->path.len + rec->instance.len + 4;
	struct binding *b;
	char *p;

	b = mem_alloc(loc, size);
	if (!b)
		return NULL;
	b->size = size;
	p = put_text(b->text, rec->contact, &b->pub.contact);
	p = put_text(p, rec->call_id, &b->pub.call_id);
	p = put_text(p, rec->path, &b->pub.path);
	put_text(p, rec->instance, &b->pub.instance);
	if (!rec->instance.s)
		b->pub.instance = SIP_STR_NONE;
	b->pub.received = rec->received;
	b->pub.transport = rec->transport;
	b->pub.expires = rec->expires;
	b->pub.cseq = rec->cseq;
	b->pub.reg_id = rec->reg_id;
	b->pub.q = rec->q;
	b->node.key = rec->expires;
	return b;
}

static void record_of(struct sip_str aor, const struct binding *b,
		      struct location_record *rec)
{
	*rec = (struct location_record){
		.aor = aor,
		.contact = b->pub.contact,
		.call_id = b->pub.call_id,
		.path = b->pub.path,
		.instance = b->pub.instance,
		.received = b->pub.received,
		.transport = b->pub.transport,
		.expires = b->pub.expires,
		.cseq = b->pub.cseq,
		.reg_id = b->pub.reg_id,
		.q = b->pub.q,
	};
}

static void aor_add_binding(struct location *loc, struct aor *aor, struct binding *b)
{
	b->aor = aor;
	aor->bindings[aor->count++] = b;
	location_heap_insert(&loc->heap, &b->node);
	loc->nbindings++;
}

static size_t slot_of(const struct aor *aor, const struct binding *b)
{
	size_t i;

	for (i = 0; aor->bindings[i] != b; i++)
		;
	return i;
}

static void aor_remove_binding(struct location *loc, struct aor *aor, struct binding *b)
{
	aor->bindings[slot_of(aor, b)] = aor->bindings[--aor->count];
	location_heap_remove(&loc->heap, &b->node);
	loc->nbindings--;
	binding_free(loc, b);
}

static void aor_replace_binding(struct location *loc, struct aor *aor, struct binding *old,
				struct binding *b)
{
	b->aor = aor;
	aor->bindings[slot_of(aor, old)] = b;
	location_heap_replace(&loc->heap, &old->node, &b->node);
	binding_free(loc, old);
}

static bool contact_equal(const struct location *loc, struct sip_str a, struct sip_str b)
{
	if (loc->cfg.contact_equal)
		return loc->cfg.contact_equal(a, b);
	return sip_str_eq(a, b);
}

/*
 * Which binding a Contact names: with +sip.instance and reg-id, the flow
 * (RFC 5626 section 6); otherwise the contact URI (RFC 3261 19.1.4).
 */
static bool names_binding(const struct location *loc, const struct location_contact *c,
			  const struct location_binding *b)
{
	if (c->instance.s && c->reg_id)
		return b->instance.s && b->reg_id == c->reg_id && sip_str_eq(b->instance, c->instance);
	return !(b->instance.s && b->reg_id) && contact_equal(loc, b->contact, c->uri);
}

static struct binding *aor_match(const struct location *loc, const struct aor *aor,
				 const struct location_contact *c)
{
	size_t i;

	for (i = 0; aor && i < aor->count; i++)
		if (names_binding(loc, c, &aor->bindings[i]->pub))
			return aor->bindings[i];
	return NULL;
}

static bool expires_ok(int64_t expires)
{
	return expires == -1 || (expires >= 0 && expires <= LOCATION_MAX_EXPIRES);
}

static bool text_ok(struct sip_str s, size_t max)
{
	return s.s && s.len && s.len <= max && !memchr(s.s, '\0', s.len);
}

static enum location_status check_contact(const struct location_contact *c)
{
	if (!text_ok(c->uri, LOCATION_MAX_URI_LEN) || !expires_ok(c->expires) ||
	    c->q < -1 || c->q > 1000)
		return LOCATION_INVALID;
	if (c->instance.s && !text_ok(c->instance, LOCATION_MAX_INSTANCE_LEN))
		return LOCATION_INVALID;
	return LOCATION_OK;
}

/* Everything about the request alone: sizes, ranges, the "*" rules. */
static enum location_status check_request(const struct location *loc,
					  const struct location_register *req)
{
	struct location_binding other;
	enum location_status status;
	size_t i, j;

	if (!text_ok(req->aor, LOCATION_MAX_AOR_LEN) ||
	    !text_ok(req->call_id, LOCATION_MAX_CALLID_LEN) || !expires_ok(req->expires) ||
	    req->npath > LOCATION_MAX_PATH || req->transport > LOCATION_TRANSPORT_MAX ||
	    path_len(req->path, req->npath) > LOCATION_MAX_PATH_LEN)
		return LOCATION_INVALID;
	for (i = 0; i < req->npath; i++)
		if (!text_ok(req->path[i], LOCATION_MAX_PATH_LEN))
			return LOCATION_INVALID;
	if (req->star) {
		if (req->ncontacts)
			return LOCATION_STAR_NOT_ALONE;
		return req->expires == 0 ? LOCATION_OK : LOCATION_STAR_EXPIRES;
	}
	if (req->ncontacts > LOCATION_MAX_REQUEST_CONTACTS)
		return LOCATION_TOO_MANY_CONTACTS;
	for (i = 0; i < req->ncontacts; i++) {
		status = check_contact(&req->contacts[i]);
		if (status)
			return status;
		other = (struct location_binding){
			.contact = req->contacts[i].uri,
			.instance = req->contacts[i].instance,
			.reg_id = req->contacts[i].reg_id,
		};
		for (j = 0; j < i; j++)
			if (names_binding(loc, &req->contacts[j], &other))
				return LOCATION_DUPLICATE_CONTACT;
	}
	return LOCATION_OK;
}

/* 10.3 step 7: the contact's expiry, else Expires, else the default. */
static enum location_status contact_expires(const struct location *loc,
					    const struct location_register *req,
					    const struct location_contact *c, uint32_t *secs)
{
	int64_t e = c->expires >= 0 ? c->expires :
		    req->expires >= 0 ? req->expires : loc->cfg.default_expires;

	if (e > 0 && e < loc->cfg.min_expires)
		return LOCATION_INTERVAL_TOO_BRIEF;
	*secs = e > loc->cfg.max_expires ? loc->cfg.max_expires : (uint32_t)e;
	return LOCATION_OK;
}

/* 10.3 steps 6-7: a request may change a binding only with a newer CSeq. */
static bool in_order(const struct location_register *req, const struct binding *b)
{
	return !sip_str_eq(req->call_id, b->pub.call_id) || req->cseq > b->pub.cseq;
}

static enum location_status plan(const struct location *loc, const struct aor *aor,
				 const struct location_register *req, struct change *changes)
{
	size_t count = aor ? aor->count : 0, adds = 0, i;
	enum location_status status;
	struct change *ch;

	for (i = 0; i < req->ncontacts; i++) {
		ch = &changes[i];
		ch->contact = &req->contacts[i];
		status = contact_expires(loc, req, ch->contact, &ch->expires);
		if (status)
			return status;
		ch->old = aor_match(loc, aor, ch->contact);
		if (ch->old && !in_order(req, ch->old))
			return LOCATION_OUT_OF_ORDER;
		if (ch->old)
			ch->action = ch->expires ? ACTION_UPDATE : ACTION_REMOVE;
		else
			ch->action = ch->expires ? ACTION_ADD : ACTION_NONE;
		adds += ch->action == ACTION_ADD;
		count -= ch->action == ACTION_REMOVE;
	}
	if (adds && count + adds > loc->cfg.max_contacts)
		return LOCATION_TOO_MANY_CONTACTS;
	if (adds && !aor && loc->naors >= loc->cfg.max_aors)
		return LOCATION_TOO_MANY_AORS;
	return LOCATION_OK;
}

static void free_prepared(struct location *loc, struct change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (changes[i].new)
			binding_free(loc, changes[i].new);
		changes[i].new = NULL;
	}
}

static char *join_path(const struct location_register *req, char *buf)
{
	char *p = buf;
	size_t i;

	for (i = 0; i < req->npath; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, req->path[i].s, req->path[i].len);
		p += req->path[i].len;
	}
	return buf;
}

static int prepare(struct location *loc, struct aor *aor, const struct location_register *req,
		   int64_t now, struct change *changes, size_t n)
{
	char path[LOCATION_MAX_PATH_LEN];
	struct location_record rec = {
		.aor = req->aor,
		.call_id = req->call_id,
		.path = sip_str_make(join_path(req, path), path_len(req->path, req->npath)),
		.received = req->received,
		.transport = req->transport,
		.cseq = req->cseq,
	};
	size_t adds = 0, i;
	struct change *ch;

	for (i = 0; i < n; i++) {
		ch = &changes[i];
		if (ch->action != ACTION_ADD && ch->action != ACTION_UPDATE)
			continue;
		rec.contact = ch->contact->uri;
		rec.instance = ch->contact->instance;
		rec.reg_id = ch->contact->reg_id;
		rec.q = (uint16_t)(ch->contact->q < 0 ? 1000 : ch->contact->q);
		rec.expires = now + ch->expires;
		ch->new = binding_new(loc, &rec);
		if (!ch->new)
			goto err_free;
		adds += ch->action == ACTION_ADD;
	}
	if (location_heap_reserve(&loc->heap, adds, &loc->mem) ||
	    aor_reserve(loc, aor, aor->count + adds))
		goto err_free;
	return 0;

err_free:
	free_prepared(loc, changes, n);
	return -ENOMEM;
}

/* One transaction for the whole request (10.3 step 8). */
static int store_write(struct location *loc, struct sip_str aor, struct change *changes,
		       size_t n)
{
	const struct location_store_ops *ops;
	struct location_record rec;
	struct change *ch;
	int err = 0;
	size_t i;

	if (!loc->store)
		return 0;
	ops = loc->store->ops;
	err = ops->begin(loc->store);
	if (err)
		return err;
	for (i = 0; i < n && !err; i++) {
		ch = &changes[i];
		/* A flow re-registered from a new contact URI leaves its old row. */
		if (ch->action == ACTION_REMOVE ||
		    (ch->action == ACTION_UPDATE &&
		     !sip_str_eq(ch->old->pub.contact, ch->new->pub.contact)))
			err = ops->remove(loc->store, aor, ch->old->pub.contact);
		if (!err && ch->new) {
			record_of(aor, ch->new, &rec);
			err = ops->upsert(loc->store, &rec);
		}
	}
	if (!err)
		err = ops->commit(loc->store);
	if (err)
		ops->rollback(loc->store);
	return err;
}

static void commit(struct location *loc, struct aor *aor, struct change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (changes[i].action) {
		case ACTION_ADD:
			aor_add_binding(loc, aor, changes[i].new);
			break;
		case ACTION_UPDATE:
			aor_replace_binding(loc, aor, changes[i].old, changes[i].new);
			break;
		case ACTION_REMOVE:
			aor_remove_binding(loc, aor, changes[i].old);
			break;
		case ACTION_NONE:
			break;
		}
	}
}

static void aor_drop_if_empty(struct location *loc, struct aor *aor)
{
	if (aor->count)
		return;
	aor_unlink(loc, aor);
	aor_free(loc, aor);
}

/* 10.3 step 6: "Contact: *" with "Expires: 0" removes every binding. */
static enum location_status unregister_all(struct location *loc, struct aor *aor,
					   const struct location_register *req)
{
	size_t i;

	if (!aor)
		return LOCATION_OK;
	for (i = 0; i < aor->count; i++)
		if (!in_order(req, aor->bindings[i]))
			return LOCATION_OUT_OF_ORDER;
	if (loc->store) {
		const struct location_store_ops *ops = loc->store->ops;
		int err = ops->begin(loc->store);

		if (!err)
			err = ops->remove_aor(loc->store, aor->key);
		if (!err)
			err = ops->commit(loc->store);
		if (err) {
			ops->rollback(loc->store);
			return LOCATION_STORE_FAILED;
		}
	}
	while (aor->count)
		aor_remove_binding(loc, aor, aor->bindings[0]);
	aor_drop_if_empty(loc, aor);
	return LOCATION_OK;
}

/*
 * Applies a REGISTER's Contact set to its AOR at time @now: all of it, or
 * nothing and a status saying why. Afterwards location_lookup() gives the
 * bindings for the 200 OK.
 */
enum location_status location_register(struct location *loc,
				       const struct location_register *req, int64_t now)
{
	struct change changes[LOCATION_MAX_REQUEST_CONTACTS] = { 0 };
	enum location_status status;
	struct aor *aor, *fresh = NULL;
	size_t n = req->ncontacts;

	status = check_request(loc, req);
	if (status)
		return status;
	aor = aor_find(loc, req->aor);
	if (req->star)
		return unregister_all(loc, aor, req);
	status = plan(loc, aor, req, changes);
	if (status)
		return status;

	if (!aor) {
		if (buckets_reserve(loc, loc->naors + 1))
			return LOCATION_NO_MEMORY;
		fresh = aor_new(loc, req->aor);
		if (!fresh)
			return LOCATION_NO_MEMORY;
	}
	if (prepare(loc, aor ? aor : fresh, req, now, changes, n)) {
		status = LOCATION_NO_MEMORY;
		goto err_aor;
	}
	if (store_write(loc, req->aor, changes, n)) {
		status = LOCATION_STORE_FAILED;
		goto err_prepared;
	}
	if (fresh) {
		aor = fresh;
		aor_link(loc, aor);
	}
	commit(loc, aor, changes, n);
	aor_drop_if_empty(loc, aor);
	return LOCATION_OK;

err_prepared:
	free_prepared(loc, changes, n);
err_aor:
	if (fresh)
		aor_free(loc, fresh);
	return status;
}

static bool ranks_before(const struct location_binding *a, const struct location_binding *b)
{
	if (a->q != b->q)
		return a->q > b->q;
	return a->expires > b->expires;
}

/*
 * The unexpired bindings of @aor, highest q first (ties: the one that
 * expires last first), at most @max of them. Returns how many.
 */
size_t location_lookup(const struct location *loc, struct sip_str aor, int64_t now,
		       const struct location_binding **out, size_t max)
{
	const struct aor *a = aor_find(loc, aor);
	const struct location_binding *b;
	size_t n = 0, i, j;

	if (!max)
		return 0;
	for (i = 0; a && i < a->count; i++) {
		b = &a->bindings[i]->pub;
		if (b->expires <= now)
			continue;
		/* Insertion sort keeping the best @max: the worst falls off the end. */
		if (n < max) {
			j = n++;
		} else {
			if (!ranks_before(b, out[max - 1]))
				continue;
			j = max - 1;
		}
		for (; j > 0 && ranks_before(b, out[j - 1]); j--)
			out[j] = out[j - 1];
		out[j] = b;
	}
	return n;
}

/* When location_expire() next has work: INT64_MAX if never. */
int64_t location_next_expiry(const struct location *loc)
{
	const struct location_heap_node *min = location_heap_min(&loc->heap);

	return min ? min->key : INT64_MAX;
}

/*
 * Removes every binding with expires <= @now and returns how many. The
 * store is told in one transaction; if it fails, memory is cleaned anyway
 * and load() skips the leftover rows, which have expired by then.
 */
size_t location_expire(struct location *loc, int64_t now)
{
	const struct location_store_ops *ops = loc->store ? loc->store->ops : NULL;
	struct location_heap_node *min;
	struct binding *b;
	struct aor *aor;
	bool stored = ops && !ops->begin(loc->store);
	size_t n = 0;

	while ((min = location_heap_min(&loc->heap)) && min->key <= now) {
		b = binding_of(min);
		aor = b->aor;
		if (stored && ops->remove(loc->store, aor->key, b->pub.contact)) {
			ops->rollback(loc->store);
			stored = false;
		}
		aor_remove_binding(loc, aor, b);
		aor_drop_if_empty(loc, aor);
		n++;
	}
	if (stored && ops->commit(loc->store))
		ops->rollback(loc->store);
	return n;
}

static bool record_ok(const struct location_record *rec)
{
	return text_ok(rec->aor, LOCATION_MAX_AOR_LEN) &&
	       text_ok(rec->contact, LOCATION_MAX_URI_LEN) &&
	       text_ok(rec->call_id, LOCATION_MAX_CALLID_LEN) &&
	       rec->path.s && rec->path.len <= LOCATION_MAX_PATH_LEN &&
	       (!rec->instance.s || text_ok(rec->instance, LOCATION_MAX_INSTANCE_LEN)) &&
	       rec->q <= 1000 && rec->transport <= LOCATION_TRANSPORT_MAX;
}

struct load_state {
	struct location *loc;
	size_t skipped;
};

/* One stored binding back into memory, within today's limits. */
static int load_one(void *arg, const struct location_record *rec)
{
	struct load_state *st = arg;
	struct location *loc = st->loc;
	struct location_contact c = { .uri = rec->contact, .instance = rec->instance,
				      .reg_id = rec->reg_id };
	struct aor *aor;
	struct binding *b;

	aor = aor_find(loc, rec->aor);
	if (!record_ok(rec) || aor_match(loc, aor, &c) ||
	    (aor && aor->count >= loc->cfg.max_contacts) ||
	    (!aor && loc->naors >= loc->cfg.max_aors)) {
		st->skipped++;
		return 0;
	}
	if (location_heap_reserve(&loc->heap, 1, &loc->mem))
		return -ENOMEM;
	if (!aor) {
		if (buckets_reserve(loc, loc->naors + 1))
			return -ENOMEM;
		aor = aor_new(loc, rec->aor);
		if (!aor)
			return -ENOMEM;
		aor_link(loc, aor);
	}
	b = aor_reserve(loc, aor, aor->count + 1) ? NULL : binding_new(loc, rec);
	if (!b) {
		aor_drop_if_empty(loc, aor);
		return -ENOMEM;
	}
	aor_add_binding(loc, aor, b);
	return 0;
}

/*
 * Startup: reads every unexpired binding from the store. Records that are
 * malformed, duplicated or beyond the configured limits are skipped and
 * counted in @skipped. Returns 0 or the store's negative errno.
 */
int location_load(struct location *loc, int64_t now, size_t *skipped)
{
	struct load_state st = { .loc = loc };
	int err;

	if (!loc->store)
		return 0;
	err = loc->store->ops->load(loc->store, now, load_one, &st);
	if (skipped)
		*skipped = st.skipped;
	return err;
}

size_t location_aor_count(const struct location *loc)
{
	return loc->naors;
}

size_t location_binding_count(const struct location *loc)
{
	return loc->nbindings;
}

/* Bytes held for bindings, AORs, the hash table and the heap. */
size_t location_memory(const struct location *loc)
{
	return loc->mem;
}

uint32_t location_min_expires(const struct location *loc)
{
	return loc->cfg.min_expires;
}

int location_status_code(enum location_status status, const char **reason)
{
	static const struct {
		int code;
		const char *reason;
	} map[] = {
		[LOCATION_OK] = { 200, "OK" },
		[LOCATION_INTERVAL_TOO_BRIEF] = { 423, "Interval Too Brief" },
		[LOCATION_OUT_OF_ORDER] = { 500, "Server Internal Error" },
		[LOCATION_STAR_NOT_ALONE] = { 400, "Bad Request" },
		[LOCATION_STAR_EXPIRES] = { 400, "Bad Request" },
		[LOCATION_DUPLICATE_CONTACT] = { 400, "Bad Request" },
		[LOCATION_INVALID] = { 400, "Bad Request" },
		[LOCATION_TOO_MANY_CONTACTS] = { 403, "Forbidden" },
		[LOCATION_TOO_MANY_AORS] = { 503, "Service Unavailable" },
		[LOCATION_NO_MEMORY] = { 500, "Server Internal Error" },
		[LOCATION_STORE_FAILED] = { 500, "Server Internal Error" },
	};

	if ((size_t)status >= sizeof(map) / sizeof(map[0])) {
		*reason = "Server Internal Error";
		return 500;
	}
	*reason = map[status].reason;
	return map[status].code;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), RFC 3261 25.1. */
bool location_parse_q(struct sip_str text, int *q)
{
	int value, scale = 100;
	size_t i;

	if (!text.s || !text.len || (text.s[0] != '0' && text.s[0] != '1'))
		return false;
	value = (text.s[0] - '0') * 1000;
	if (text.len == 1) {
		*q = value;
		return true;
	}
	if (text.s[1] != '.' || text.len > 5)
		return false;
	for (i = 2; i < text.len; i++, scale /= 10) {
		if (text.s[i] < '0' || text.s[i] > '9')
			return false;
		value += (text.s[i] - '0') * scale;
	}
	if (value > 1000)
		return false;
	*q = value;
	return true;
}
