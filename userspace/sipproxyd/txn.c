// SPDX-License-Identifier: GPL-2.0
/*
 * The transaction layer (RFC 3261 section 17 with RFC 6026). Server
 * transactions absorb retransmitted requests and regenerate their last
 * response; client transactions retransmit requests over UDP, absorb
 * retransmitted responses and acknowledge non-2xx finals to INVITE
 * hop by hop. Every timer is a struct timer on the caller's heap.
 *
 * A transaction is only ever freed from its own timer (armed with zero
 * delay when it ends at once), never inside a call that was given it, so
 * the user may act on any transaction from any callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/siphash.h"
#include "txn.h"
#include "txn_build.h"
#include "txn_key.h"
#include "txn_reply.h"

struct txn {
	struct txn_table *tab;
	struct txn *next;		/* hash chain */
	const char *key;
	bool server;
	bool invite;
	enum txn_state state;
	struct tp_addr peer;
	char *req;			/* server: as received; client: as sent */
	size_t req_len;
	char *last;			/* server: last response sent; client INVITE: our ACK */
	size_t last_len;
	int status;			/* last response status, 0 before any */
	struct timer retx;		/* A, E, G */
	struct timer end;		/* B, D, F, H, I, J, K, L, M; and the final free */
	uint64_t interval;
	void *user;
	const char *log_ctx;
};

struct txn_table {
	struct txn_config cfg;
	const struct txn_ops *ops;
	void *ctx;
	struct txn **buckets;
	size_t nbuckets;		/* a power of two */
	struct siphash_key key;		/* branches are chosen by peers */
	size_t count;
	struct txn_counts counts;
	struct sip_msg scratch;		/* reparsing a stored request */
};

static const char *const state_names[] = {
	[TXN_CALLING] = "calling",
	[TXN_TRYING] = "trying",
	[TXN_PROCEEDING] = "proceeding",
	[TXN_COMPLETED] = "completed",
	[TXN_CONFIRMED] = "confirmed",
	[TXN_ACCEPTED] = "accepted",
	[TXN_TERMINATED] = "terminated",
};

const char *txn_state_name(enum txn_state state)
{
	return state >= TXN_CALLING && state <= TXN_TERMINATED ? state_names[state] : "?";
}

static size_t bucket_of(const struct txn_table *tab, const char *key)
{
	return (size_t)siphash(&tab->key, key, strlen(key)) & (tab->nbuckets - 1);
}

static struct txn *lookup(struct txn_table *tab, const char *key)
{
	struct txn *t;

	for (t = tab->buckets[bucket_of(tab, key)]; t; t = t->next)
		if (t->state != TXN_TERMINATED && !strcmp(t->key, key))
			return t;
	return NULL;
}

static void unlink_txn(struct txn *t)
{
	struct txn **pp;

	for (pp = &t->tab->buckets[bucket_of(t->tab, t->key)]; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			return;
		}
}

static void arm(struct txn *t, struct timer *timer, uint64_t ms)
{
	t->tab->ops->timer_arm(t->tab->ctx, timer, ms);
}

static void disarm(struct txn *t, struct timer *timer)
{
	t->tab->ops->timer_cancel(t->tab->ctx, timer);
}

static void txn_free(struct txn *t)
{
	struct txn_table *tab = t->tab;

	tab->ops->terminated(tab->ctx, t);
	disarm(t, &t->retx);
	disarm(t, &t->end);
	unlink_txn(t);
	tab->count--;
	free(t->last);
	free(t);
}

/* End @t: it matches nothing from now on and is freed from the loop. */
static void terminate(struct txn *t)
{
	t->state = TXN_TERMINATED;
	disarm(t, &t->retx);
	arm(t, &t->end, 0);
}

static bool reliable(const struct txn *t)
{
	return tp_reliable(t->peer.proto);
}

static int send_to_peer(struct txn *t, const char *buf, size_t len)
{
	return t->tab->ops->send(t->tab->ctx, &t->peer, buf, len);
}

static int store(char **dst, size_t *dst_len, const char *buf, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	free(*dst);
	*dst = copy;
	*dst_len = len;
	return 0;
}

static void on_end(struct timer *timer, uint64_t now);
static void on_retx(struct timer *timer, uint64_t now);

/*
 * One allocation holds the transaction, its key, its log context
 * ("Call-ID/branch") and its request, all fixed for its life: a message
 * costs a malloc, not four.
 */
static struct txn *txn_alloc(struct txn_table *tab, const char *key, const struct sip_msg *msg,
			     struct sip_str branch, const char *buf, size_t len)
{
	size_t key_len = strlen(key);
	size_t ctx_len = msg->call_id.len + 1 + branch.len;
	struct txn *t = malloc(sizeof(*t) + key_len + 1 + ctx_len + 1 + len);
	char *p;
	size_t b;

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	p = (char *)(t + 1);
	t->key = memcpy(p, key, key_len + 1);
	p += key_len + 1;
	t->log_ctx = p;
	if (msg->call_id.len)
		memcpy(p, msg->call_id.s, msg->call_id.len);
	p[msg->call_id.len] = '/';
	if (branch.len)
		memcpy(p + msg->call_id.len + 1, branch.s, branch.len);
	p[ctx_len] = '\0';
	t->req = p + ctx_len + 1;
	if (len)
		memcpy(t->req, buf, len);
	t->req_len = len;
	t->tab = tab;
	timer_init(&t->retx, on_retx);
	timer_init(&t->end, on_end);
	b = bucket_of(tab, key);
	t->next = tab->buckets[b];
	tab->buckets[b] = t;
	tab->count++;
	tab->counts.created++;
	return t;
}

/* ---- server transactions (17.2) ---- */

/**
 * txn_server_match - the server transaction @msg belongs to (17.2.3)
 * @as_method: SIP_METHOD_INVITE to find the INVITE a CANCEL names;
 *             SIP_METHOD_OTHER to match by @msg's own method (ACK as INVITE)
 */
struct txn *txn_server_match(struct txn_table *tab, const struct sip_msg *msg,
			     enum sip_method as_method)
{
	char key[TXN_KEY_MAX];

	if (txn_key_server(msg, as_method, key))
		return NULL;
	return lookup(tab, key);
}

/**
 * txn_server_new - a server transaction for the request @msg from @src
 *
 * An INVITE transaction answers 100 Trying at once (17.2.1): the proxy
 * core may take longer than 200 ms (authentication, DNS).
 *
 * Return: 0, -EBUSY at max_transactions, -EINVAL for a request without a
 * usable key, -ENOMEM.
 */
int txn_server_new(struct txn_table *tab, const struct sip_msg *msg, const struct tp_addr *src,
		   struct txn **out)
{
	char key[TXN_KEY_MAX], trying[2048];
	size_t len;
	struct txn *t;

	if (tab->count >= tab->cfg.max_transactions) {
		tab->counts.refused++;
		return -EBUSY;
	}
	if (txn_key_server(msg, SIP_METHOD_OTHER, key))
		return -EINVAL;
	t = txn_alloc(tab, key, msg, msg->via.branch, msg->data.s, msg->data.len);
	if (!t)
		return -ENOMEM;
	t->server = true;
	t->invite = msg->method_id == SIP_METHOD_INVITE;
	t->peer = *src;
	t->state = t->invite ? TXN_PROCEEDING : TXN_TRYING;
	if (t->invite && !txn_reply_build(msg, src, 100, "Trying", SIP_STR_NONE, SIP_STR_NONE,
					  trying, sizeof(trying), &len) &&
	    !store(&t->last, &t->last_len, trying, len)) {
		t->status = 100;
		send_to_peer(t, trying, len);
	}
	*out = t;
	return 0;
}

static void resend_last(struct txn *t)
{
	if (!t->last)
		return;
	t->tab->counts.retransmissions++;
	send_to_peer(t, t->last, t->last_len);
}

/**
 * txn_server_retransmission - feed @t a request that matched it
 *
 * Return: true when the transaction absorbed it (a retransmission, or the
 * ACK of a non-2xx final); false for an ACK the user must route itself
 * (an RFC 2543 peer acknowledging a 2xx with the INVITE's branch).
 */
bool txn_server_retransmission(struct txn *t, const struct sip_msg *msg)
{
	t->tab->counts.absorbed++;
	if (msg->method_id != SIP_METHOD_ACK) {
		if (t->state != TXN_TRYING && t->state != TXN_ACCEPTED)
			resend_last(t);
		return true;
	}
	if (!t->invite)
		return true;
	switch (t->state) {
	case TXN_COMPLETED:
		t->state = TXN_CONFIRMED;
		disarm(t, &t->retx);
		arm(t, &t->end, reliable(t) ? 0 : t->tab->cfg.t4);	/* Timer I */
		return true;
	case TXN_ACCEPTED:
		t->tab->counts.absorbed--;
		return false;
	default:
		return true;
	}
}

/**
 * txn_server_respond - send a response through @t
 * @buf: the whole response, with @status
 *
 * Return: 0, -EALREADY when @t already sent a final response that this one
 * may not follow (only 2xx may follow a 2xx to INVITE), or the send error.
 */
int txn_server_respond(struct txn *t, int status, const char *buf, size_t len)
{
	struct txn_config *cfg = &t->tab->cfg;
	int err;

	if (t->state == TXN_COMPLETED || t->state == TXN_CONFIRMED ||
	    t->state == TXN_TERMINATED || (t->state == TXN_ACCEPTED && status / 100 != 2))
		return -EALREADY;
	err = store(&t->last, &t->last_len, buf, len);
	if (err)
		return err;
	t->status = status;
	err = send_to_peer(t, buf, len);
	if (status < 200) {
		t->state = TXN_PROCEEDING;
		return err;
	}
	if (!t->invite) {
		t->state = TXN_COMPLETED;
		arm(t, &t->end, reliable(t) ? 0 : 64 * cfg->t1);	/* Timer J */
		return err;
	}
	if (status < 300) {
		if (t->state != TXN_ACCEPTED)
			arm(t, &t->end, 64 * cfg->t1);			/* Timer L */
		t->state = TXN_ACCEPTED;
		return err;
	}
	t->state = TXN_COMPLETED;
	if (!reliable(t)) {
		t->interval = cfg->t1;
		arm(t, &t->retx, t->interval);				/* Timer G */
	}
	arm(t, &t->end, 64 * cfg->t1);					/* Timer H */
	return err;
}

/* ---- client transactions (17.1) ---- */

/* A client transaction to @dst for @req in @buf, in no state yet. */
static int client_alloc(struct txn_table *tab, const struct sip_msg *req, const char *buf,
			size_t len, struct sip_str branch, const struct tp_addr *dst,
			struct txn **out)
{
	char key[TXN_KEY_MAX];
	struct txn *t;

	if (tab->count >= tab->cfg.max_transactions) {
		tab->counts.refused++;
		return -EBUSY;
	}
	if (txn_key_client(branch, req->cseq.method, key))
		return -EINVAL;
	if (lookup(tab, key))
		return -EEXIST;
	t = txn_alloc(tab, key, req, branch, buf, len);
	if (!t)
		return -ENOMEM;
	t->invite = req->method_id == SIP_METHOD_INVITE;
	t->peer = *dst;
	*out = t;
	return 0;
}

/**
 * txn_client_new - send the request @buf (parsed as @req) to @dst
 * @branch: the branch of the Via we put on top of @buf
 *
 * Return: 0, -EBUSY at max_transactions, -EEXIST for a branch in use,
 * -ENOMEM, or the error sending failed with (no transaction is left).
 */
int txn_client_new(struct txn_table *tab, const struct sip_msg *req, const char *buf, size_t len,
		   struct sip_str branch, const struct tp_addr *dst, struct txn **out)
{
	struct txn *t;
	int err;

	err = client_alloc(tab, req, buf, len, branch, dst, &t);
	if (err)
		return err;
	t->state = t->invite ? TXN_CALLING : TXN_TRYING;
	err = send_to_peer(t, buf, len);
	if (err) {
		t->state = TXN_TERMINATED;
		txn_free(t);
		return err;
	}
	if (!reliable(t)) {
		t->interval = tab->cfg.t1;
		arm(t, &t->retx, t->interval);		/* Timer A or E */
	}
	arm(t, &t->end, 64 * tab->cfg.t1);		/* Timer B or F */
	*out = t;
	return 0;
}

/**
 * txn_client_resume - an INVITE client transaction a previous run started
 * @req: @buf parsed: the INVITE's stub (txn_build_stub())
 * @branch: the branch of the Via on top of @buf
 *
 * The INVITE went out and rang before a restart: the transaction starts
 * in Proceeding, sends nothing and runs no timer (the proxy's Timer C
 * bounds it); its final response is acknowledged from @buf.
 *
 * Return: 0, -EBUSY at max_transactions, -EINVAL when @req is no INVITE,
 * -EEXIST for a branch in use, -ENOMEM.
 */
int txn_client_resume(struct txn_table *tab, const struct sip_msg *req, const char *buf,
		      size_t len, struct sip_str branch, const struct tp_addr *dst,
		      struct txn **out)
{
	struct txn *t;
	int err;

	if (req->method_id != SIP_METHOD_INVITE)
		return -EINVAL;
	err = client_alloc(tab, req, buf, len, branch, dst, &t);
	if (err)
		return err;
	t->state = TXN_PROCEEDING;
	*out = t;
	return 0;
}

/* 17.1.1.3: the ACK of a non-2xx final, kept for the final's retransmissions. */
static int build_ack(struct txn *t, const struct sip_msg *resp)
{
	char buf[TXN_BUILD_MAX];
	size_t len;

	if (sip_msg_parse(&t->tab->scratch, t->req, t->req_len, SIP_DATAGRAM) ||
	    txn_build_ack(&t->tab->scratch, resp, buf, sizeof(buf), &len))
		return -EINVAL;
	return store(&t->last, &t->last_len, buf, len);
}

static void pass_up(struct txn *t, const struct sip_msg *msg)
{
	if (t->user)
		t->tab->ops->response(t->tab->ctx, t, msg);
}

static void invite_client_receive(struct txn *t, const struct sip_msg *msg)
{
	int cls = msg->status / 100;

	switch (t->state) {
	case TXN_CALLING:
	case TXN_PROCEEDING:
		if (cls == 1) {
			t->state = TXN_PROCEEDING;
			disarm(t, &t->retx);
			disarm(t, &t->end);
			break;
		}
		disarm(t, &t->retx);
		if (cls == 2) {
			t->state = TXN_ACCEPTED;
			arm(t, &t->end, 64 * t->tab->cfg.t1);		/* Timer M */
			break;
		}
		t->state = TXN_COMPLETED;
		if (!build_ack(t, msg))
			send_to_peer(t, t->last, t->last_len);
		arm(t, &t->end, reliable(t) ? 0 : 32000 > 64 * t->tab->cfg.t1 ?
				32000 : 64 * t->tab->cfg.t1);		/* Timer D */
		break;
	case TXN_ACCEPTED:
		if (cls == 2)
			break;
		return;
	case TXN_COMPLETED:
		if (cls >= 3) {
			t->tab->counts.absorbed++;
			resend_last(t);
		}
		return;
	default:
		return;
	}
	t->status = msg->status;
	pass_up(t, msg);
}

static void non_invite_client_receive(struct txn *t, const struct sip_msg *msg)
{
	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING) {
		t->tab->counts.absorbed++;
		return;
	}
	if (msg->status < 200) {
		t->state = TXN_PROCEEDING;
	} else {
		t->state = TXN_COMPLETED;
		disarm(t, &t->retx);
		arm(t, &t->end, reliable(t) ? 0 : t->tab->cfg.t4);	/* Timer K */
	}
	t->status = msg->status;
	pass_up(t, msg);
}

/**
 * txn_client_receive - feed a response to the client transaction it matches (17.1.3)
 *
 * Return: false when no transaction matches: the caller forwards it
 * statelessly (a 2xx retransmission after Timer M, a stray).
 */
bool txn_client_receive(struct txn_table *tab, const struct sip_msg *msg)
{
	char key[TXN_KEY_MAX];
	struct txn *t;

	if (txn_key_client(msg->via.branch, msg->cseq.method, key))
		return false;
	t = lookup(tab, key);
	if (!t)
		return false;
	if (t->invite)
		invite_client_receive(t, msg);
	else
		non_invite_client_receive(t, msg);
	return true;
}

/*
 * A request the proxy forwarded statelessly (16.11): @t ends unanswered
 * now, so a retransmission is forwarded again instead of absorbed.
 */
void txn_server_drop(struct txn *t)
{
	t->user = NULL;
	terminate(t);
}

/*
 * The user is done with @t: it runs to its end but reports nothing more;
 * an INVITE that rang (Proceeding) ends now.
 */
void txn_client_abandon(struct txn *t)
{
	t->user = NULL;
	/* Proceeding runs no timer: nothing else would ever end it. */
	if (!t->server && t->invite && t->state == TXN_PROCEEDING)
		terminate(t);
}

static void on_retx(struct timer *timer, uint64_t now)
{
	struct txn *t = container_of(timer, struct txn, retx);
	struct txn_config *cfg = &t->tab->cfg;

	t->tab->counts.retransmissions++;
	if (t->server) {
		/* Timer G: the final response again. */
		send_to_peer(t, t->last, t->last_len);
		t->interval = 2 * t->interval < cfg->t2 ? 2 * t->interval : cfg->t2;
	} else {
		/* Timer A doubles without bound; Timer E up to T2, T2 once proceeding. */
		send_to_peer(t, t->req, t->req_len);
		if (t->invite)
			t->interval *= 2;
		else if (t->state == TXN_PROCEEDING)
			t->interval = cfg->t2;
		else
			t->interval = 2 * t->interval < cfg->t2 ? 2 * t->interval : cfg->t2;
	}
	arm(t, &t->retx, t->interval);
}

static void on_end(struct timer *timer, uint64_t now)
{
	struct txn *t = container_of(timer, struct txn, end);

	if (t->state == TXN_TERMINATED) {
		txn_free(t);
		return;
	}
	/* Timers B and F: no final response came. */
	if (!t->server && (t->state == TXN_CALLING || t->state == TXN_TRYING ||
			   (!t->invite && t->state == TXN_PROCEEDING))) {
		t->tab->counts.timeouts++;
		if (t->user)
			t->tab->ops->timeout(t->tab->ctx, t, false);
	}
	/* Timer H: no ACK came. */
	if (t->server && t->invite && t->state == TXN_COMPLETED)
		t->tab->counts.timeouts++;
	terminate(t);
}

/* ---- the table ---- */

int txn_table_new(const struct txn_config *cfg, const struct txn_ops *ops, void *ctx,
		  struct txn_table **out)
{
	struct txn_table *tab = calloc(1, sizeof(*tab));
	size_t n = 256;

	if (!tab)
		return -ENOMEM;
	if (siphash_key_random(&tab->key)) {
		free(tab);
		return -EIO;
	}
	while (n < cfg->max_transactions && n < (1u << 20))
		n *= 2;
	tab->buckets = calloc(n, sizeof(*tab->buckets));
	if (!tab->buckets) {
		free(tab);
		return -ENOMEM;
	}
	tab->nbuckets = n;
	tab->cfg = *cfg;
	tab->ops = ops;
	tab->ctx = ctx;
	*out = tab;
	return 0;
}

/* Frees every transaction without telling anyone but ops->terminated. */
void txn_table_free(struct txn_table *tab)
{
	size_t b;

	if (!tab)
		return;
	for (b = 0; b < tab->nbuckets; b++)
		while (tab->buckets[b])
			txn_free(tab->buckets[b]);
	free(tab->buckets);
	free(tab);
}

/* The bucket count stays: it only bounds chain lengths. */
void txn_table_set_config(struct txn_table *tab, const struct txn_config *cfg)
{
	tab->cfg = *cfg;
}

size_t txn_count(const struct txn_table *tab)
{
	return tab->count;
}

const struct txn_counts *txn_counts(const struct txn_table *tab)
{
	return &tab->counts;
}

enum txn_state txn_state(const struct txn *t)
{
	return t->state;
}

bool txn_is_invite(const struct txn *t)
{
	return t->invite;
}

bool txn_is_server(const struct txn *t)
{
	return t->server;
}

const struct tp_addr *txn_peer(const struct txn *t)
{
	return &t->peer;
}

const char *txn_request(const struct txn *t, size_t *len)
{
	*len = t->req_len;
	return t->req;
}

int txn_last_status(const struct txn *t)
{
	return t->status;
}

void txn_set_user(struct txn *t, void *user)
{
	t->user = user;
}

void *txn_user(const struct txn *t)
{
	return t->user;
}

const char *txn_log_context(const struct txn *t)
{
	return t->log_ctx;
}
