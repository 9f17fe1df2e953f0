// SPDX-License-Identifier: GPL-2.0
/*
 * One SDP body through the media layer: parse, account in the branch's
 * offer/answer state, reserve relay ports for an offer's new streams,
 * rewrite towards the receiving side, and once an answer completes the
 * exchange bring the flows in line with what was negotiated.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "media_priv.h"
#include "sdp_lex.h"
#include "sdp_rewrite.h"

static long fail(struct media_err *err, int status, unsigned int retry_after,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static long fail(struct media_err *err, int status, unsigned int retry_after,
		 const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	err->retry_after = retry_after;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* A new branch of @call, with no stream yet; NULL without memory. */
struct media_branch *media_branch_new(struct media_call *call, uint32_t id)
{
	struct media_branch *br = calloc(1, sizeof(*br));

	if (!br)
		return NULL;
	br->st.layout = MEDIA_STATE_LAYOUT;
	br->st.id = id;
	br->st.relay = call->relay;
	sdp_oa_init(&br->st.oa);
	br->next = call->branches;
	call->branches = br;
	return br;
}

/**
 * media_branch_grow() - make room for @n streams in @br
 * @br: the branch
 * @n: m= lines of a body, at most SDP_MAX_MEDIA
 *
 * The new streams have no port, socket or flow. Streams never go away
 * while the branch lives (RFC 3264 8: m= lines are only disabled).
 *
 * Return: 0, or -ENOMEM with @br unchanged.
 */
int media_branch_grow(struct media_branch *br, unsigned int n)
{
	struct media_stream *grown;
	unsigned int i;
	int side;

	if (n <= br->st.n_stream)
		return 0;
	grown = realloc(br->stream, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	memset(grown + br->st.n_stream, 0, (n - br->st.n_stream) * sizeof(*grown));
	for (i = br->st.n_stream; i < n; i++)
		for (side = 0; side < 2; side++)
			grown[i].pair[side].fd[0] = grown[i].pair[side].fd[1] = -1;
	br->stream = grown;
	br->st.n_stream = n;
	return 0;
}

static struct media_branch *branch_get(struct media_call *call, uint32_t id)
{
	struct media_branch *br = media_branch_find(call, id);

	if (br || call->won)
		return br;
	return media_branch_new(call, id);
}

/* Releases the pairs reserved by a failed offer (set in @fresh). */
static void unreserve(struct media_call *call, struct media_branch *br,
		      const bool fresh[SDP_MAX_MEDIA][2])
{
	unsigned int i;
	int side;

	for (i = 0; i < br->st.n_stream; i++)
		for (side = 0; side < 2; side++)
			if (fresh[i][side]) {
				portpool_put(&call->m->pool, &br->stream[i].pair[side]);
				br->stream[i].st.port[side] = 0;
			}
}

/* Both legs of every stream the offer does not reject get a pair. */
static int reserve(struct media_call *call, struct media_branch *br,
		   const struct sdp_session *s, bool fresh[SDP_MAX_MEDIA][2])
{
	struct media *m = call->m;
	unsigned int i;
	int side, ret;

	for (i = 0; i < s->n_media; i++) {
		if (s->media[i].s.rejected)
			continue;
		for (side = 0; side < 2; side++) {
			struct media_stream *ms = &br->stream[i];

			if (ms->st.port[side])
				continue;
			ret = portpool_get(&m->pool, &call->relay, &ms->pair[side]);
			if (ret)
				return ret;
			ms->st.port[side] = ms->pair[side].port;
			fresh[i][side] = true;
		}
	}
	return 0;
}

static uint32_t clock_of(const struct sdp_stream *s)
{
	unsigned int i;

	for (i = 0; i < s->n_payload; i++)
		if (s->payload[i].clock_rate)
			return s->payload[i].clock_rate;
	return 0;
}

/* The o= version and relays for the body going to side @to. */
static bool rewrite_plan(struct media_call *call, struct media_branch *br,
			 const struct sdp_session *s, int to, struct sdp_rewrite *rw)
{
	bool changed = false;
	unsigned int i;

	memset(rw, 0, sizeof(*rw));
	rw->origin.family = call->relay.family;
	if (call->relay.family == AF_INET)
		rw->origin.v4 = call->relay.addr.v4;
	else
		rw->origin.v6 = call->relay.addr.v6;
	for (i = 0; i < s->n_media; i++) {
		rw->relay[i].addr = rw->origin;
		rw->relay[i].port = br->stream[i].st.port[to];
		if (br->stream[i].st.sent_port[to] != rw->relay[i].port)
			changed = true;
	}
	return sdp_oa_next_version(&br->st.oa, (enum sdp_oa_side)to, s->origin.version,
				   changed, &rw->version);
}

/*
 * The relay carries UDP datagrams: RTP (not over TCP), UDPTL, and any
 * other transport over UDP. A TCP or SCTP stream the body does not reject
 * cannot be anchored, and the body is refused whole rather than have its
 * media bypass the relay.
 */
static int unrelayable(const struct sdp_session *s)
{
	struct sdp_str first, rest;
	unsigned int i;

	for (i = 0; i < s->n_media; i++) {
		if (s->media[i].s.rejected || s->media[i].s.proto != SDP_PROTO_OTHER)
			continue;
		sdp_str_split(s->media[i].proto, '/', &first, &rest);
		if (!sdp_str_caseeq(first, "UDP"))
			return (int)i;
	}
	return -1;
}

static long classify_error(struct media_err *err, enum sdp_oa_msg msg,
			   const struct sdp_oa *oa, const struct sdp_error *serr)
{
	if (msg == SDP_OA_MSG_OFFER && oa->offer_pending)
		return fail(err, 491, 0, "offer while another is outstanding");
	return fail(err, 488, 0, "%s", serr->msg);
}

static long reserve_or_fail(struct media_call *call, struct media_branch *br,
			    const struct sdp_session *s, bool fresh[SDP_MAX_MEDIA][2],
			    struct media_err *err)
{
	struct media *m = call->m;
	int ret = reserve(call, br, s, fresh);

	if (!ret)
		return 0;
	unreserve(call, br, fresh);
	sdp_oa_abandon(&br->st.oa);
	if (ret == -ENOSPC) {
		log_msg(LOG_LEVEL_WARN, call->call_id, "media: port range exhausted (%u pairs)",
			m->pool.pairs);
		return fail(err, 503, MEDIA_RETRY_AFTER, "no relay ports left");
	}
	log_msg(LOG_LEVEL_ERROR, call->call_id, "media: cannot reserve relay ports: %s",
		strerror(-ret));
	return fail(err, 500, 0, "cannot reserve relay ports");
}

static int streams_sync(struct media_call *call, struct media_branch *br,
			unsigned int first, unsigned int n);

static long sync_all(struct media_call *call, struct media_branch *br,
		     const struct sdp_session *answer, const struct sdp_oa_delta *delta,
		     struct media_err *err)
{
	unsigned int i;
	long ret = 0;
	int sync;

	for (i = 0; i < delta->n; i++)
		br->stream[i].st.clock_rate = clock_of(&answer->media[i].s);
	sync = streams_sync(call, br, 0, delta->n);
	/* Out of flows (max_flows) is a full gateway, as out of ports is. */
	if (sync == -ENOSPC)
		ret = fail(err, 503, MEDIA_RETRY_AFTER, "no relay flows left");
	else if (sync)
		ret = fail(err, 500, 0, "cannot program the relay");
	media_save(call, br);
	return ret;
}

long media_sdp(struct media_call *call, uint32_t branch, enum sdp_oa_side from,
	       enum sdp_oa_msg msg, const char *body, size_t len, char *out,
	       size_t size, struct media_err *err)
{
	bool fresh[SDP_MAX_MEDIA][2] = { { false } };
	struct media_branch *br = branch_get(call, branch);
	int to = from == SDP_OA_CALLER ? SDP_OA_CALLEE : SDP_OA_CALLER;
	struct sdp_session *s;
	struct sdp_oa_delta delta;
	struct sdp_error serr;
	struct sdp_rewrite rw;
	enum sdp_oa_role role;
	size_t written;
	long ret;
	unsigned int i;
	int bad;

	memset(err, 0, sizeof(*err));
	if (!br)
		return fail(err, 500, 0, call->won ? "body for a branch that lost" : "out of memory");
	s = malloc(sizeof(*s));
	if (!s)
		return fail(err, 500, 0, "out of memory");
	if (sdp_session_parse(s, body, len, &serr)) {
		ret = fail(err, 488, 0, "%s", serr.msg);
		goto out_free;
	}
	bad = unrelayable(s);
	if (bad >= 0) {
		ret = fail(err, 488, 0, "m= line %d: transport %.*s cannot be relayed", bad + 1,
			   (int)s->media[bad].proto.len, s->media[bad].proto.p);
		goto out_free;
	}
	if (media_branch_grow(br, s->n_media)) {
		ret = fail(err, 500, 0, "out of memory");
		goto out_free;
	}
	if (sdp_oa_receive(&br->st.oa, from, msg, s, &role, &delta, &serr)) {
		ret = classify_error(err, msg, &br->st.oa, &serr);
		goto out_free;
	}
	if (role == SDP_OA_OFFER) {
		ret = reserve_or_fail(call, br, s, fresh, err);
		if (ret)
			goto out_free;
	}
	if (!rewrite_plan(call, br, s, to, &rw)) {
		ret = fail(err, 488, 0, "o= version cannot grow");
		goto out_undo;
	}
	if (sdp_rewrite_body(s, &rw, out, size, &written, &serr)) {
		ret = fail(err, serr.code == SDP_E_NOSPACE ? 500 : 488, 0, "%s", serr.msg);
		goto out_undo;
	}
	for (i = 0; i < s->n_media; i++)
		br->stream[i].st.sent_port[to] = rw.relay[i].port;
	ret = (long)written;
	/* Flows before the answer leaves: media the answerer sends at once is relayed. */
	if (role == SDP_OA_ANSWER && sync_all(call, br, s, &delta, err))
		ret = -1;
	/* An answer reaching a restarted daemon finds the offer and its ports. */
	if (role == SDP_OA_OFFER)
		media_save(call, br);
	goto out_free;

out_undo:
	if (role == SDP_OA_OFFER) {
		unreserve(call, br, fresh);
		sdp_oa_abandon(&br->st.oa);
	}
out_free:
	free(s);
	return ret;
}

static void remember(struct media_branch *br, unsigned int i, int from, int comp,
		     uint32_t id, uint64_t now)
{
	br->stream[i].st.id[from][comp] = id;
	br->stream[i].created_ms[from][comp] = now;
}

/**
 * media_flow_retire() - delete one installed flow, keeping its counters
 * @call: the call
 * @br: its branch
 * @i: the stream
 * @from: the flow's sending side
 * @comp: MEDIA_RTP or MEDIA_RTCP
 */
void media_flow_retire(struct media_call *call, struct media_branch *br,
		       unsigned int i, int from, int comp)
{
	struct media_fwd *be = call->m->be;
	uint32_t id = br->stream[i].st.id[from][comp];
	struct nl_flow f;
	int ret;

	if (!id)
		return;
	if (!be->ops->get(be, id, &f))
		media_totals_add(&br->stream[i].st.done[from], &f);
	ret = be->ops->del(be, id);
	if (ret && ret != -ENOENT)
		log_msg(LOG_LEVEL_ERROR, call->call_id, "media: flow %u: cannot delete: %s %s",
			id, strerror(-ret), be->ops->errmsg(be));
	br->stream[i].st.id[from][comp] = 0;
}

static int fd_of(const struct media_branch *br, unsigned int i, int side, int comp)
{
	return br->stream[i].pair[side].fd[comp];
}

static int install(struct media_call *call, struct media_branch *br, unsigned int i,
		   int from, int comp, const struct nl_flow *want)
{
	struct media_fwd *be = call->m->be;
	struct media_stream_state *st = &br->stream[i].st;
	struct nl_flow change;
	uint32_t mask, id = st->id[from][comp];

	if (!want->attrs) {
		media_flow_retire(call, br, i, from, comp);
		return 0;
	}
	/* Not added by add_new(): it failed, and said why. */
	if (!id)
		return 0;
	mask = media_flow_diff(&st->want[from][comp], want);
	if (!mask)
		return 0;
	change = *want;
	change.attrs = mask;
	change.id = id;
	return be->ops->set(be, &change);
}

/* The flows stream @i wants now: none while a side has no relay port. */
static void build(struct media_call *call, struct media_branch *br, unsigned int i,
		  struct media_flow_set *set)
{
	struct media *m = call->m;
	struct media_stream_state *st = &br->stream[i].st;
	struct media_flow_spec spec = { 0 };
	int from;

	memset(set, 0, sizeof(*set));
	if (!st->port[0] || !st->port[1])
		return;
	spec.cookie = call->handle;
	for (from = 0; from < 2; from++) {
		spec.relay[from] = call->relay;
		spec.relay[from].port = st->port[from];
		spec.side[from] = &br->st.oa.negotiated[from].stream[i];
	}
	spec.policy = m->policy;
	spec.expect_only = m->expect_only;
	spec.timeout_s = m->timeout_s;
	spec.clock_rate = st->clock_rate;
	media_flow_build(&spec, set);
}

/*
 * The wanted flows of streams [first, first + n) that are not installed
 * yet go in with one media_fwd_add(): all of them or none, so a failed
 * change leaves no half-relayed call behind.
 */
static int add_new(struct media_call *call, struct media_branch *br, unsigned int first,
		   unsigned int n, const struct media_flow_set *sets)
{
	struct media_fwd *be = call->m->be;
	struct media_fwd_new nf[MEDIA_FWD_NEW_MAX];
	unsigned int where[MEDIA_FWD_NEW_MAX];	/* 4 * stream + 2 * from + comp */
	const struct nl_flow *want;
	unsigned int j, i, k = 0;
	int from, comp, ret;
	uint64_t now;

	for (j = 0; j < 4 * n; j++) {
		i = first + j / 4;
		from = j / 2 % 2;
		comp = j % 2;
		want = &sets[j / 4].flow[from][comp];
		if (!want->attrs || br->stream[i].st.id[from][comp])
			continue;
		nf[k] = (struct media_fwd_new){ .flow = want, .in_fd = fd_of(br, i, from, comp),
						.out_fd = fd_of(br, i, !from, comp),
						.first = !br->stream[i].created_ms[from][comp] };
		where[k++] = j;
	}
	if (!k)
		return 0;
	ret = media_fwd_add(be, nf, k);
	if (ret) {
		log_msg(LOG_LEVEL_ERROR, call->call_id, "media: cannot add %u flows: %s %s", k,
			strerror(-ret), be->ops->errmsg(be));
		return ret;
	}
	now = loop_now(call->m->loop);
	for (j = 0; j < k; j++)
		remember(br, first + where[j] / 4, where[j] / 2 % 2, where[j] % 2, nf[j].id, now);
	return 0;
}

/*
 * Brings the flows of streams [first, first + n) in line with the
 * negotiation: new flows added in one go (add_new()), changed ones set
 * atomically (FLOW_SET: hold, resume, a moved port, a new clock),
 * unwanted ones deleted. Returns 0, or the first backend error (logged;
 * the other changes still run).
 */
static int streams_sync(struct media_call *call, struct media_branch *br,
			unsigned int first, unsigned int n)
{
	struct media *m = call->m;
	struct media_flow_set *sets = calloc(n, sizeof(*sets));
	const struct nl_flow *want;
	unsigned int i, j;
	int from, comp, ret, worst;

	if (!sets)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		build(call, br, first + i, &sets[i]);
	worst = add_new(call, br, first, n, sets);
	for (j = 0; j < 4 * n; j++) {
		i = first + j / 4;
		from = j / 2 % 2;
		comp = j % 2;
		want = &sets[j / 4].flow[from][comp];
		ret = install(call, br, i, from, comp, want);
		if (ret) {
			log_msg(LOG_LEVEL_ERROR, call->call_id,
				"media: stream %u: cannot program flow from %s: %s %s", i,
				media_side_name(from), strerror(-ret), m->be->ops->errmsg(m->be));
			worst = worst ? worst : ret;
			continue;
		}
		br->stream[i].st.want[from][comp] = *want;
	}
	free(sets);
	return worst;
}

/**
 * media_stream_sync() - bring stream @i's flows in line with the negotiation
 * @call: the call
 * @br: the branch whose exchange just completed
 * @i: the stream
 *
 * Return: 0, or the first backend error (logged; the others still run).
 */
int media_stream_sync(struct media_call *call, struct media_branch *br, unsigned int i)
{
	return streams_sync(call, br, i, 1);
}

/*
 * Keeps the branch's state for a restart; only kernel flows outlive us.
 * The blob is the branch's state, then its streams'.
 */
void media_save(struct media_call *call, struct media_branch *br)
{
	struct media *m = call->m;
	struct media_stream_state *streams;
	size_t len = sizeof(br->st) + br->st.n_stream * sizeof(*streams);
	unsigned int i;
	void *blob;
	int ret = -ENOMEM;

	if (!m->store || media_backend(m) != MEDIA_BACKEND_KERNEL)
		return;
	blob = malloc(len);
	if (blob) {
		memcpy(blob, &br->st, sizeof(br->st));
		streams = (struct media_stream_state *)((char *)blob + sizeof(br->st));
		for (i = 0; i < br->st.n_stream; i++)
			streams[i] = br->stream[i].st;
		ret = media_store_put(m->store, call->handle, br->st.id, call->call_id, blob, len);
		free(blob);
	}
	if (ret)
		log_msg(LOG_LEVEL_WARN, call->call_id,
			"media: cannot store media state, a restart will drop this call's media: %s",
			strerror(-ret));
}
