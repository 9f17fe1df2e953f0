// SPDX-License-Identifier: GPL-2.0
/*
 * Media anchoring: the backend choice, calls and their branches, backend
 * events (idle calls, learned sources) and call teardown. The SDP path is
 * media_sdp.c, statistics logging media_stats.c, restart adoption
 * media_adopt.c.
 *
 * Log lines (API, tests match them; context is the Call-ID):
 *   "media: relay backend kernel" / "media: relay backend userspace"
 *   "media: port range exhausted (N pairs)"                    (media_sdp.c)
 *   "media: leg caller|callee stream N: packets=... branch=N end=REASON" (media_stats.c)
 *   "media: no media for N s, ending call"
 *   "media: leg caller|callee stream N rtp|rtcp: source learned ADDR:PORT"
 *   "media: call ended (REASON)"
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "media_priv.h"

const char *media_side_name(int side)
{
	return side == SDP_OA_CALLER ? "caller" : "callee";
}

static const char *component_name(int comp)
{
	return comp == MEDIA_RTP ? "rtp" : "rtcp";
}

static struct media_call **bucket(struct media *m, uint64_t handle)
{
	return &m->calls[handle % MEDIA_CALL_BUCKETS];
}

struct media_call *media_call_find(struct media *m, uint64_t handle)
{
	struct media_call *c;

	for (c = *bucket(m, handle); c; c = c->next)
		if (c->handle == handle)
			return c;
	return NULL;
}

/* The branch, stream and slot of flow @id in @call. */
bool media_flow_find(struct media_call *call, uint32_t id, struct media_branch **br,
		      unsigned int *i, int *from, int *comp)
{
	for (*br = call->branches; *br; *br = (*br)->next)
		for (*i = 0; *i < (*br)->st.n_stream; (*i)++)
			for (*from = 0; *from < 2; (*from)++)
				for (*comp = 0; *comp < 2; (*comp)++)
					if ((*br)->stream[*i].st.id[*from][*comp] == id)
						return true;
	return false;
}

/*
 * Symmetric RTP: a learn flow locked onto where a side really sends from
 * (its NAT's address); media towards that side goes there from now on.
 */
static void on_learned(struct media_call *call, const struct nl_flow *f)
{
	struct media *m = call->m;
	struct media_branch *br;
	struct media_stream_state *s;
	struct nl_flow change = { 0 };
	char ep[ENDPOINT_STRLEN];
	unsigned int i;
	int from, comp, ret;
	uint32_t back;

	if (!media_flow_find(call, f->id, &br, &i, &from, &comp) || !nl_flow_has(f, RTPFWD_A_SOURCE))
		return;
	log_msg(LOG_LEVEL_INFO, call->call_id, "media: leg %s stream %u %s: source learned %s",
		media_side_name(from), i, component_name(comp), endpoint_format(&f->source, ep));
	s = &br->stream[i].st;
	back = s->id[!from][comp];
	if (!back)
		return;
	change.id = back;
	change.peer = f->source;
	nl_flow_mark(&change, RTPFWD_A_PEER);
	ret = m->be->ops->set(m->be, &change);
	if (ret)
		log_msg(LOG_LEVEL_WARN, call->call_id, "media: flow %u: cannot follow learned source: %s %s",
			back, strerror(-ret), m->be->ops->errmsg(m->be));
}

/* Whether flow @id forwarded nothing for the media timeout. */
static bool silent(struct media_call *call, uint32_t id, uint64_t created_ms)
{
	struct media *m = call->m;
	uint64_t limit = (uint64_t)m->timeout_s * 1000;
	struct nl_flow f;

	if (m->be->ops->get(m->be, id, &f))
		return true;
	if (nl_stats_has(&f.stats, RTPFWD_STATS_LAST_MS))
		return f.stats.v[RTPFWD_STATS_LAST_MS] >= limit;
	return loop_now(m->loop) - created_ms >= limit;
}

static bool call_silent(struct media_call *call)
{
	struct media_branch *br;
	struct media_stream *s;
	unsigned int i;
	int from, comp;

	for (br = call->branches; br; br = br->next) {
		for (i = 0; i < br->st.n_stream; i++) {
			s = &br->stream[i];
			for (from = 0; from < 2; from++)
				for (comp = 0; comp < 2; comp++)
					if (s->st.id[from][comp] &&
					    !silent(call, s->st.id[from][comp], s->created_ms[from][comp]))
						return false;
		}
	}
	return true;
}

/*
 * FLOW_IDLE comes once per flow and silence; the call ends only when all
 * its flows are silent (RTCP counts: a held call still sends it).
 */
static void on_idle(struct media_call *call)
{
	struct media *m = call->m;

	if (call->ending || !call_silent(call))
		return;
	call->ending = true;
	log_msg(LOG_LEVEL_NOTICE, call->call_id, "media: no media for %u s, ending call",
		m->timeout_s);
	m->end(call->owner, call, "media timeout");
}

static void on_event(void *data, uint8_t cmd, const struct nl_flow *f)
{
	struct media *m = data;
	struct media_call *call;

	if (!nl_flow_has(f, RTPFWD_A_COOKIE))
		return;
	call = media_call_find(m, f->cookie);
	if (!call)
		return;
	if (cmd == RTPFWD_CMD_SOURCE_LEARNED)
		on_learned(call, f);
	else if (cmd == RTPFWD_CMD_FLOW_IDLE)
		on_idle(call);
}

static int open_backend(struct media *m, enum config_media_relay mode)
{
	int ret;

	if (mode != CONFIG_RELAY_USERSPACE) {
		ret = offload_open(&m->be, m->loop, on_event, m);
		if (!ret || mode == CONFIG_RELAY_KERNEL) {
			if (ret)
				log_error("media: media_relay = kernel, but rtpfwd is unusable: %s%s",
					  strerror(-ret), ret == -ENOENT ? " (module not loaded)" : "");
			return ret;
		}
		log_info("media: rtpfwd not usable (%s), relaying in userspace", strerror(-ret));
	}
	return media_relay_open(&m->be, m->loop, on_event, m);
}

int media_init(struct media **out, struct loop *loop, const struct config *cfg,
	       media_end_fn *end)
{
	struct media *m = calloc(1, sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	m->loop = loop;
	m->end = end;
	m->relay_addr = cfg->relay_address;
	m->policy = cfg->source_policy == CONFIG_SOURCE_STRICT ? RTPFWD_POLICY_STRICT :
								  RTPFWD_POLICY_LEARN;
	m->expect_only = cfg->source_policy == CONFIG_SOURCE_SDP_ADDRESS;
	m->timeout_s = (cfg->media_timeout_ms + 999) / 1000;
	ret = portpool_init(&m->pool, cfg->port_range.first, cfg->port_range.last);
	if (ret) {
		log_error("media: port_range %u-%u: %s", cfg->port_range.first,
			  cfg->port_range.last, strerror(-ret));
		goto err_free;
	}
	ret = open_backend(m, cfg->media_relay);
	if (ret)
		goto err_pool;
	if (cfg->registrar_database[0]) {
		ret = media_store_open(&m->store, cfg->registrar_database);
		if (ret) {
			log_error("media: media_store in %s: %s", cfg->registrar_database,
				  strerror(-ret));
			goto err_backend;
		}
	}
	log_notice("media: relay backend %s", m->be->ops->name);
	*out = m;
	return 0;

err_backend:
	m->be->ops->free(m->be);
err_pool:
	portpool_destroy(&m->pool);
err_free:
	free(m);
	return ret;
}

static void call_free(struct media_call *call)
{
	struct media_call **p;

	for (p = bucket(call->m, call->handle); *p; p = &(*p)->next) {
		if (*p == call) {
			*p = call->next;
			break;
		}
	}
	free(call->call_id);
	free(call);
}

/* Kernel flows and stored rows stay for the next start; sockets close. */
static void call_drop(struct media_call *call)
{
	struct media_branch *br;
	unsigned int i;

	while ((br = call->branches)) {
		call->branches = br->next;
		for (i = 0; i < br->st.n_stream; i++) {
			portpool_put(&call->m->pool, &br->stream[i].pair[0]);
			portpool_put(&call->m->pool, &br->stream[i].pair[1]);
		}
		free(br->stream);
		free(br);
	}
	call_free(call);
}

void media_free(struct media *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < MEDIA_CALL_BUCKETS; i++)
		while (m->calls[i])
			call_drop(m->calls[i]);
	m->be->ops->free(m->be);
	media_store_close(m->store);
	portpool_destroy(&m->pool);
	free(m);
}

enum media_backend media_backend(const struct media *m)
{
	return m->be->ops->dump ? MEDIA_BACKEND_KERNEL : MEDIA_BACKEND_USERSPACE;
}

int media_call_new(struct media *m, const char *call_id, size_t call_id_len,
		   uint64_t handle, const struct endpoint *local, void *owner,
		   struct media_call **out)
{
	const struct endpoint *addr = m->relay_addr.family ? &m->relay_addr : local;
	struct media_call *call;

	if (!handle || media_call_find(m, handle) ||
	    (addr->family != AF_INET && addr->family != AF_INET6))
		return -EINVAL;
	call = calloc(1, sizeof(*call));
	if (!call)
		return -ENOMEM;
	call->call_id = strndup(call_id, call_id_len);
	if (!call->call_id) {
		free(call);
		return -ENOMEM;
	}
	call->m = m;
	call->handle = handle;
	call->relay = *addr;
	call->relay.port = 0;
	call->owner = owner;
	call->next = *bucket(m, handle);
	*bucket(m, handle) = call;
	*out = call;
	return 0;
}

struct media_branch *media_branch_find(struct media_call *call, uint32_t id)
{
	struct media_branch *br;

	for (br = call->branches; br; br = br->next)
		if (br->st.id == id)
			return br;
	return NULL;
}

/* Whether leg @from of stream @st forwarded through a flow, now or before. */
static bool leg_had_flows(const struct media_stream_state *st, int from)
{
	return st->id[from][MEDIA_RTP] || st->id[from][MEDIA_RTCP] || st->done[from].packets ||
	       st->done[from].rtcp_packets;
}

/*
 * Deletes the branch's flows, logging the counters of each leg with a
 * relay port when the call ends (@all), else of each leg that had flows
 * (early media of a branch that failed or lost): @end says why.
 */
void media_branch_free(struct media_call *call, struct media_branch *br, const char *end,
		       bool all)
{
	struct media_branch **p;
	unsigned int i;
	int from, comp;
	bool had;

	for (i = 0; i < br->st.n_stream; i++) {
		for (from = 0; from < 2; from++) {
			had = leg_had_flows(&br->stream[i].st, from);
			for (comp = 0; comp < 2; comp++)
				media_flow_retire(call, br, i, from, comp);
			if (br->stream[i].st.port[from] && (all || had))
				media_log_leg(call, br->st.id, i, from, &br->stream[i].st.done[from],
					      end);
		}
		portpool_put(&call->m->pool, &br->stream[i].pair[0]);
		portpool_put(&call->m->pool, &br->stream[i].pair[1]);
	}
	for (p = &call->branches; *p; p = &(*p)->next) {
		if (*p == br) {
			*p = br->next;
			break;
		}
	}
	if (call->m->store)
		media_store_del(call->m->store, call->handle, &br->st.id);
	free(br->stream);
	free(br);
}

void media_offer_failed(struct media_call *call, uint32_t branch)
{
	struct media_branch *br = media_branch_find(call, branch);

	if (br)
		sdp_oa_abandon(&br->st.oa);
}

void media_branch_end(struct media_call *call, uint32_t branch)
{
	struct media_branch *br = media_branch_find(call, branch);

	if (br)
		media_branch_free(call, br, "failed", false);
}

void media_branch_won(struct media_call *call, uint32_t branch)
{
	struct media_branch *br = call->branches, *next;

	call->won = true;
	call->winner = branch;
	for (; br; br = next) {
		next = br->next;
		if (br->st.id != branch) {
			media_branch_free(call, br, "lost", false);
			continue;
		}
		br->st.won = true;
		media_save(call, br);
	}
}

void media_call_end(struct media_call *call, const char *reason)
{
	if (!call)
		return;
	while (call->branches)
		media_branch_free(call, call->branches, reason, true);
	if (call->m->store)
		media_store_del(call->m->store, call->handle, NULL);
	log_msg(LOG_LEVEL_INFO, call->call_id, "media: call ended (%s)", reason);
	call_free(call);
}
