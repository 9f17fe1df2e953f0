// SPDX-License-Identifier: GPL-2.0
/*
 * The asynchronous RFC 3263 resolver of resolve.h: c-ares on the event
 * loop (its sockets as loop descriptors, its timeouts as one loop timer),
 * a request state machine NAPTR -> SRV -> AAAA/A, the answer cache, and
 * one DNS query per (type, name) however many requests wait for it.
 */
#include <ares.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "resolve.h"
#include "resolve_answer.h"
#include "resolve_cache.h"
#include "resolve_msg.h"
#include "resolve_order.h"

#define DNS_CLASS_IN 1
#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_SRV 33
#define DNS_TYPE_NAPTR 35
/* EDNS0 payload size that avoids IP fragmentation (DNS flag day 2020). */
#define RESOLVE_EDNS_SIZE 1232
/* Lookups one request has in flight at once: AAAA and A of every hop. */
#define LOOKUPS_MAX (2 * RESOLVE_HOPS_MAX)

/* What one lookup learnt. */
enum result {
	RESULT_NONE = 1,	/* the name or data does not exist */
	RESULT_FOUND,		/* @abuf holds the answer */
	RESULT_FAILED,		/* no answer: try again later */
};

struct lookup;

/* One DNS query in flight and the lookups waiting for its answer. */
struct query {
	struct query *next;
	struct query *prev;
	struct resolver *r;
	unsigned int type;
	struct lookup *waiters;
	char name[RESOLVE_NAME_MAX + 1];
};

struct lookup {
	struct lookup *next;		/* in query->waiters */
	struct lookup *prev;
	struct resolve_req *req;
	struct query *query;		/* NULL once answered */
	unsigned int type;
	enum result result;
	unsigned char *abuf;
	size_t alen;
};

enum stage {
	STAGE_NAPTR = 1,
	STAGE_SRV,
	STAGE_ADDR,
};

struct resolve_req {
	struct resolve_req *next;	/* in resolver->reqs */
	struct resolve_req *prev;
	struct resolver *r;
	resolve_fn *fn;
	void *arg;
	struct resolve_plan plan;
	struct timer start;		/* the first step runs from the loop, never in resolve_start() */
	enum stage stage;
	unsigned int pending;		/* lookups unanswered, plus one while issuing */
	bool failed;			/* a lookup got no answer */
	struct resolve_service services[RESOLVE_NAPTR_MAX];
	size_t nservices;
	struct resolve_hop hops[RESOLVE_HOPS_MAX];
	size_t nhops;
	struct lookup lookups[LOOKUPS_MAX];
	size_t nlookups;
};

struct sock {
	struct loop_io io;
	struct sock *next;
	struct resolver *r;
};

struct resolver {
	struct loop *loop;
	ares_channel channel;
	struct timer timeouts;
	struct sock *socks;
	struct query *queries;
	unsigned int nqueries;
	struct resolve_req *reqs;
	struct resolve_cache *cache;
	struct resolve_rng rng;
	unsigned int transports;
	bool prefer_ipv4;
};

/* A bounded number of lines about failed lookups, whatever the DNS does. */
static struct log_ratelimit dns_errors = LOG_RATELIMIT_INIT(10000, 10);

static const char *type_name(unsigned int type)
{
	switch (type) {
	case DNS_TYPE_A:
		return "A";
	case DNS_TYPE_AAAA:
		return "AAAA";
	case DNS_TYPE_SRV:
		return "SRV";
	case DNS_TYPE_NAPTR:
		return "NAPTR";
	}
	return "?";
}

/* The c-ares timeout timer follows the nearest query deadline. */
static void timeouts_update(struct resolver *r)
{
	struct timeval tv;

	if (!ares_timeout(r->channel, NULL, &tv)) {
		loop_timer_cancel(r->loop, &r->timeouts);
		return;
	}
	loop_timer_arm(r->loop, &r->timeouts,
		       (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000);
}

static void on_timeouts(struct timer *timer, uint64_t now)
{
	struct resolver *r = container_of(timer, struct resolver, timeouts);

	ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	timeouts_update(r);
}

static void on_sock(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct sock *s = container_of(io, struct sock, io);
	struct resolver *r = s->r;
	int fd = io->fd;

	/* Errors are read: c-ares learns of them from recv(). @s may be freed inside. */
	ares_process_fd(r->channel, events & (EPOLLIN | EPOLLERR | EPOLLHUP) ? fd : ARES_SOCKET_BAD,
			events & EPOLLOUT ? fd : ARES_SOCKET_BAD);
	timeouts_update(r);
}

static struct sock **sock_find(struct resolver *r, int fd)
{
	struct sock **link;

	for (link = &r->socks; *link; link = &(*link)->next)
		if ((*link)->io.fd == fd)
			return link;
	return NULL;
}

static void sock_del(struct resolver *r, struct sock **link)
{
	struct sock *s = *link;

	*link = s->next;
	loop_io_del(r->loop, &s->io);
	free(s);
}

/*
 * c-ares opens, watches and closes its sockets through this. A socket we
 * fail to watch is not fatal: its queries time out and fail over.
 */
static void on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	uint32_t events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
	struct resolver *r = data;
	struct sock **link = sock_find(r, fd);
	struct sock *s;
	int err;

	if (!events) {
		if (link)
			sock_del(r, link);
		return;
	}
	if (link) {
		err = loop_io_mod(r->loop, &(*link)->io, events);
		goto out;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		err = -ENOMEM;
		goto out;
	}
	s->r = r;
	loop_io_init(&s->io, fd, on_sock);
	err = loop_io_add(r->loop, &s->io, events);
	if (err) {
		free(s);
		goto out;
	}
	s->next = r->socks;
	r->socks = s;
out:
	if (err)
		log_error("dns: cannot watch socket %d: %s", fd, strerror(-err));
}

static void waiter_unlink(struct lookup *lk)
{
	struct query *q = lk->query;

	if (lk->prev)
		lk->prev->next = lk->next;
	else
		q->waiters = lk->next;
	if (lk->next)
		lk->next->prev = lk->prev;
	lk->next = lk->prev = NULL;
	lk->query = NULL;
}

static void stage_done(struct resolve_req *req);

/* Store what @lk learnt; the last answer of a stage moves the request on. */
static void lookup_done(struct lookup *lk, enum result result, const unsigned char *abuf,
			size_t alen)
{
	struct resolve_req *req = lk->req;

	lk->result = result;
	if (result == RESULT_FOUND) {
		lk->abuf = malloc(alen);
		if (lk->abuf) {
			memcpy(lk->abuf, abuf, alen);
			lk->alen = alen;
		} else {
			lk->result = RESULT_FAILED;
		}
	}
	if (lk->result == RESULT_FAILED)
		req->failed = true;
	if (--req->pending == 0)
		stage_done(req);
}

static uint32_t ttl_clamp(uint32_t ttl, uint32_t max)
{
	return ttl < max ? ttl : max;
}

/*
 * What a c-ares answer means for the waiters, and what the cache keeps:
 * positive answers for their lowest TTL, negative ones for the SOA's
 * negative TTL (RFC 2308), failures not at all.
 */
static enum result classify(struct query *q, int status, const unsigned char *abuf, int alen)
{
	struct resolver *r = q->r;
	uint64_t now = loop_now(r->loop);
	struct resolve_msg msg;
	bool scanned = abuf && alen > 0 && !resolve_msg_scan(abuf, (size_t)alen, &msg);
	uint32_t ttl;

	if (scanned && msg.cnames > RESOLVE_CNAME_MAX) {
		log_ratelimited(&dns_errors, now, LOG_LEVEL_WARN, NULL,
				"dns: %s %s: more than %d CNAMEs", type_name(q->type), q->name,
				RESOLVE_CNAME_MAX);
		return RESULT_FAILED;
	}
	switch (status) {
	case ARES_SUCCESS:
		if (!scanned)
			return RESULT_FAILED;
		ttl = ttl_clamp(msg.ttl, RESOLVE_TTL_MAX);
		if (ttl)
			resolve_cache_put(r->cache, q->type, q->name, ARES_SUCCESS, abuf,
					  (size_t)alen, now + ttl * 1000ULL);
		return RESULT_FOUND;
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
		ttl = scanned && msg.negative_ttl != RESOLVE_MSG_NO_TTL ?
		      ttl_clamp(msg.negative_ttl, RESOLVE_NEGATIVE_TTL_MAX) :
		      RESOLVE_NEGATIVE_TTL_DEFAULT;
		if (ttl)
			resolve_cache_put(r->cache, q->type, q->name, status, NULL, 0,
					  now + ttl * 1000ULL);
		return RESULT_NONE;
	case ARES_EBADNAME:
		return RESULT_NONE;
	case ARES_EDESTRUCTION:
		return RESULT_FAILED;	/* resolve_free(): nobody is waiting */
	}
	log_ratelimited(&dns_errors, now, LOG_LEVEL_WARN, NULL, "dns: %s %s: %s",
			type_name(q->type), q->name, ares_strerror(status));
	return RESULT_FAILED;
}

static void query_unlink(struct query *q)
{
	struct resolver *r = q->r;

	if (q->prev)
		q->prev->next = q->next;
	else
		r->queries = q->next;
	if (q->next)
		q->next->prev = q->prev;
	r->nqueries--;
}

/*
 * c-ares is done with @arg's query. The query leaves the in-flight list
 * before anyone hears of it, so lookups started from a callback below
 * find the cache or a new query; waiters cancelled meanwhile are gone
 * from the list.
 */
static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	enum result result;
	struct lookup *lk;

	query_unlink(q);
	result = classify(q, status, abuf, alen);
	while ((lk = q->waiters)) {
		waiter_unlink(lk);
		lookup_done(lk, result, abuf, alen > 0 ? (size_t)alen : 0);
	}
	free(q);
}

static struct query *query_find(struct resolver *r, unsigned int type, const char *name)
{
	struct query *q;

	for (q = r->queries; q; q = q->next)
		if (q->type == type && !strcmp(q->name, name))
			return q;
	return NULL;
}

static struct query *query_start(struct resolver *r, unsigned int type, const char *name)
{
	struct query *q;

	if (r->nqueries == RESOLVE_QUERIES_MAX) {
		log_ratelimited(&dns_errors, loop_now(r->loop), LOG_LEVEL_WARN, NULL,
				"dns: %s %s: %d queries in flight already", type_name(type),
				name, RESOLVE_QUERIES_MAX);
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->r = r;
	q->type = type;
	strcpy(q->name, name);
	q->next = r->queries;
	if (q->next)
		q->next->prev = q;
	r->queries = q;
	r->nqueries++;
	return q;
}

/* Lower case: the cache and the in-flight list compare names exactly. */
static void name_lower(char *name)
{
	for (; *name; name++)
		*name = sip_lower(*name);
}

/*
 * Look (@type, @name) up for @req: from the cache, by joining a query in
 * flight, or with a new query. Any of them may answer before this returns;
 * the issuing reference in req->pending keeps the stage open meanwhile.
 */
static void lookup_start(struct resolve_req *req, unsigned int type, const char *name)
{
	struct lookup *lk = &req->lookups[req->nlookups++];
	struct resolver *r = req->r;
	struct resolve_cache_hit hit;
	char key[RESOLVE_NAME_MAX + 1];
	struct query *q;

	*lk = (struct lookup){ .req = req, .type = type };
	req->pending++;
	strcpy(key, name);
	name_lower(key);
	if (resolve_cache_get(r->cache, type, key, loop_now(r->loop), &hit)) {
		lookup_done(lk, hit.status == ARES_SUCCESS ? RESULT_FOUND : RESULT_NONE, hit.abuf,
			    hit.alen);
		return;
	}
	q = query_find(r, type, key);
	if (!q) {
		q = query_start(r, type, key);
		if (!q) {
			lookup_done(lk, RESULT_FAILED, NULL, 0);
			return;
		}
		lk->query = q;
		q->waiters = lk;
		ares_query(r->channel, q->name, DNS_CLASS_IN, (int)type, on_answer, q);
		timeouts_update(r);
		return;
	}
	lk->query = q;
	lk->next = q->waiters;
	if (lk->next)
		lk->next->prev = lk;
	q->waiters = lk;
}

static void lookups_clear(struct resolve_req *req)
{
	size_t i;

	for (i = 0; i < req->nlookups; i++) {
		if (req->lookups[i].query)
			waiter_unlink(&req->lookups[i]);
		free(req->lookups[i].abuf);
	}
	req->nlookups = 0;
}

static void req_free(struct resolve_req *req)
{
	struct resolver *r = req->r;

	loop_timer_cancel(r->loop, &req->start);
	lookups_clear(req);
	if (req->prev)
		req->prev->next = req->next;
	else
		r->reqs = req->next;
	if (req->next)
		req->next->prev = req->prev;
	free(req);
}

/* The request is over: its owner hears of it once, then it is gone. */
static void finish(struct resolve_req *req, enum resolve_status status,
		   struct resolve_targets *targets)
{
	resolve_fn *fn = req->fn;
	void *arg = req->arg;

	req_free(req);
	fn(arg, status, targets);
}

static void finish_empty(struct resolve_req *req)
{
	finish(req, req->failed ? RESOLVE_TEMPORARY : RESOLVE_NOT_FOUND, NULL);
}

static void stage_begin(struct resolve_req *req, enum stage stage)
{
	size_t i;

	lookups_clear(req);
	req->stage = stage;
	req->pending = 1;
	switch (stage) {
	case STAGE_NAPTR:
		lookup_start(req, DNS_TYPE_NAPTR, req->plan.name);
		break;
	case STAGE_SRV:
		for (i = 0; i < req->nservices; i++)
			lookup_start(req, DNS_TYPE_SRV, req->services[i].name);
		break;
	case STAGE_ADDR:
		for (i = 0; i < req->nhops; i++) {
			lookup_start(req, DNS_TYPE_AAAA, req->hops[i].name);
			lookup_start(req, DNS_TYPE_A, req->hops[i].name);
		}
		break;
	}
	if (--req->pending == 0)
		stage_done(req);
}

/* No SRV record at all: the host itself on the default port (4.2). */
static void hops_fallback(struct resolve_req *req)
{
	const struct resolve_plan *plan = &req->plan;
	struct resolve_hop *hop = &req->hops[0];

	hop->transport = plan->transport ? plan->transport :
			 resolve_default_transport(plan, req->r->transports);
	hop->port = plan->port >= 0 ? (uint16_t)plan->port : resolve_default_port(hop->transport);
	strcpy(hop->name, plan->name);
	req->nhops = 1;
}

static void naptr_done(struct resolve_req *req)
{
	struct lookup *lk = &req->lookups[0];

	req->nservices = resolve_answer_services(lk->abuf, lk->alen, &req->plan,
						 req->r->transports, req->services,
						 RESOLVE_NAPTR_MAX);
	if (!req->nservices)
		req->nservices = resolve_services_default(&req->plan, req->r->transports,
							  req->services, RESOLVE_NAPTR_MAX);
	if (!req->nservices) {
		hops_fallback(req);
		stage_begin(req, STAGE_ADDR);
		return;
	}
	stage_begin(req, STAGE_SRV);
}

static void srv_done(struct resolve_req *req)
{
	size_t i, records = 0;

	req->nhops = 0;
	for (i = 0; i < req->nlookups; i++) {
		size_t hops;

		records += resolve_answer_hops(req->lookups[i].abuf, req->lookups[i].alen,
					       req->services[i].transport, &req->r->rng,
					       &req->hops[req->nhops], RESOLVE_HOPS_MAX - req->nhops,
					       &hops);
		req->nhops += hops;
	}
	if (!records)
		hops_fallback(req);
	if (!req->nhops) {
		finish_empty(req);
		return;
	}
	stage_begin(req, STAGE_ADDR);
}

static void addr_done(struct resolve_req *req)
{
	struct resolve_targets *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t) {
		req->failed = true;
		finish_empty(req);
		return;
	}
	for (i = 0; i < req->nhops; i++) {
		const struct lookup *a6 = &req->lookups[2 * i], *a4 = &req->lookups[2 * i + 1];

		if (!resolve_answer_targets(t, &req->hops[i], a6->abuf, a6->alen, a4->abuf,
					    a4->alen, req->r->prefer_ipv4))
			break;
	}
	if (!t->n) {
		free(t);
		finish_empty(req);
		return;
	}
	finish(req, RESOLVE_OK, t);
}

static void stage_done(struct resolve_req *req)
{
	switch (req->stage) {
	case STAGE_NAPTR:
		naptr_done(req);
		break;
	case STAGE_SRV:
		srv_done(req);
		break;
	case STAGE_ADDR:
		addr_done(req);
		break;
	}
}

static void on_start(struct timer *timer, uint64_t now)
{
	struct resolve_req *req = container_of(timer, struct resolve_req, start);
	const struct resolve_plan *plan = &req->plan;
	struct resolve_targets *t;

	if (plan->numeric) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			finish(req, RESOLVE_TEMPORARY, NULL);
			return;
		}
		t->v[0] = (struct resolve_target){ .transport = plan->transport, .addr = plan->addr };
		t->n = 1;
		finish(req, RESOLVE_OK, t);
	} else if (plan->port >= 0) {
		hops_fallback(req);
		stage_begin(req, STAGE_ADDR);
	} else if (plan->transport) {
		req->nservices = resolve_services_default(plan, req->r->transports, req->services,
							  RESOLVE_NAPTR_MAX);
		if (req->nservices) {
			stage_begin(req, STAGE_SRV);
		} else {
			hops_fallback(req);
			stage_begin(req, STAGE_ADDR);
		}
	} else {
		stage_begin(req, STAGE_NAPTR);
	}
}

/**
 * resolve_start - resolve @uri to targets, reporting to @fn(@arg, ...)
 * @uri: a sip: or sips: URI; only read during the call
 * @out: the handle, for resolve_cancel()
 *
 * @fn runs exactly once, from the event loop (never from inside this
 * call, numeric hosts and cached answers included: they are reported
 * through a zero-delay timer), unless resolve_cancel() comes first. The
 * handle is invalid once @fn runs.
 *
 * Return: 0; -EINVAL for a URI without a usable host or port;
 * -EPROTONOSUPPORT for a transport we cannot send on (see resolve.h);
 * -ENOMEM. No callback follows an error.
 */
int resolve_start(struct resolver *r, const struct sip_uri *uri, resolve_fn *fn, void *arg,
		  struct resolve_req **out)
{
	struct resolve_req *req;
	int err;

	req = calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	err = resolve_plan(uri, r->transports, &req->plan);
	if (err) {
		free(req);
		return err;
	}
	req->r = r;
	req->fn = fn;
	req->arg = arg;
	timer_init(&req->start, on_start);
	loop_timer_arm(r->loop, &req->start, 0);
	req->next = r->reqs;
	if (req->next)
		req->next->prev = req;
	r->reqs = req;
	*out = req;
	return 0;
}

/**
 * resolve_cancel - forget @req without calling it back
 *
 * For a transaction that dies first. Its DNS queries go on for the
 * cache's sake and for other requests waiting on the same names.
 */
void resolve_cancel(struct resolve_req *req)
{
	req_free(req);
}

void resolve_targets_free(struct resolve_targets *t)
{
	free(t);
}

static uint64_t random_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	return (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

static int channel_init(struct resolver *r, const struct resolve_config *cfg)
{
	struct ares_options opts = {
		.flags = ARES_FLAG_EDNS,
		.ednspsz = RESOLVE_EDNS_SIZE,
		.sock_state_cb = on_sock_state,
		.sock_state_cb_data = r,
		.timeout = (int)cfg->timeout_ms,
		.tries = (int)cfg->tries,
	};
	int mask = ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_STATE_CB;
	int status;

	if (cfg->timeout_ms)
		mask |= ARES_OPT_TIMEOUTMS;
	if (cfg->tries)
		mask |= ARES_OPT_TRIES;
	status = ares_init_options(&r->channel, &opts, mask);
	if (status != ARES_SUCCESS) {
		log_error("dns: cannot start c-ares: %s", ares_strerror(status));
		return status == ARES_ENOMEM ? -ENOMEM : -EIO;
	}
	if (cfg->servers) {
		status = ares_set_servers_ports_csv(r->channel, cfg->servers);
		if (status != ARES_SUCCESS) {
			log_error("dns: servers '%s': %s", cfg->servers, ares_strerror(status));
			ares_destroy(r->channel);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * resolve_new - a resolver on @loop
 *
 * Return: 0; -EINVAL for a bad @cfg->servers; -EIO when c-ares cannot
 * start (its reason is logged); -ENOMEM.
 */
int resolve_new(struct loop *loop, const struct resolve_config *cfg, struct resolver **out)
{
	struct resolver *r;
	int err = -ENOMEM;

	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
		return -EIO;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto err_library;
	r->loop = loop;
	r->transports = cfg->transports ? cfg->transports : RESOLVE_T_ALL;
	r->prefer_ipv4 = cfg->prefer_ipv4;
	resolve_rng_seed(&r->rng, cfg->seed ? cfg->seed : random_seed());
	timer_init(&r->timeouts, on_timeouts);
	err = resolve_cache_new(&r->cache);
	if (err)
		goto err_free;
	err = channel_init(r, cfg);
	if (err)
		goto err_cache;
	*out = r;
	return 0;

err_cache:
	resolve_cache_free(r->cache);
err_free:
	free(r);
err_library:
	ares_library_cleanup();
	return err;
}

/**
 * resolve_free - stop @r; requests still pending are cancelled silently
 */
void resolve_free(struct resolver *r)
{
	if (!r)
		return;
	while (r->reqs)
		req_free(r->reqs);
	/* Calls on_answer() for each query still in flight, now without waiters. */
	ares_destroy(r->channel);
	while (r->socks)
		sock_del(r, &r->socks);
	loop_timer_cancel(r->loop, &r->timeouts);
	resolve_cache_free(r->cache);
	free(r);
	ares_library_cleanup();
}
