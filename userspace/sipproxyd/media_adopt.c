// SPDX-License-Identifier: GPL-2.0
/*
 * Restart: the kernel keeps forwarding while sipproxyd is down (its flows
 * are not owned by our socket). At start the stored branches are matched
 * to the kernel's flows by cookie (the call handle) and id; calls the core
 * still knows are rebuilt around their flows, their ports bound again; the
 * rest, and flows no stored call names (orphans), are deleted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "media_priv.h"

struct row {
	uint64_t handle;
	char *call_id;
	struct media_branch_state st;
	struct media_stream_state *stream;	/* st.n_stream */
};

struct kflow {
	uint32_t id;
	uint64_t cookie;
};

struct found {
	struct row *rows;
	size_t n_rows;
	struct kflow *flows;
	size_t n_flows;
	int err;
};

/* A blob media_save() wrote: the branch's state, then its streams'. */
static bool blob_valid(const void *blob, size_t len, struct media_branch_state *st)
{
	if (len < sizeof(*st))
		return false;
	memcpy(st, blob, sizeof(*st));
	return st->layout == MEDIA_STATE_LAYOUT && st->n_stream <= SDP_MAX_MEDIA &&
	       len == sizeof(*st) + st->n_stream * sizeof(struct media_stream_state);
}

static int on_row(void *data, uint64_t handle, uint32_t branch, const char *call_id,
		  const void *blob, size_t len)
{
	struct found *fd = data;
	struct media_branch_state st;
	struct row *grown, *r;

	if (!call_id || !blob_valid(blob, len, &st)) {
		log_warn("media: media_store: call %llx branch %u: state of another version, dropped",
			 (unsigned long long)handle, branch);
		return 0;
	}
	grown = realloc(fd->rows, (fd->n_rows + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	fd->rows = grown;
	r = &fd->rows[fd->n_rows];
	r->st = st;
	r->handle = handle;
	r->call_id = strdup(call_id);
	/* + 1: a branch of no stream still gets a pointer to free. */
	r->stream = malloc(len - sizeof(st) + 1);
	if (!r->call_id || !r->stream) {
		free(r->call_id);
		free(r->stream);
		return -ENOMEM;
	}
	memcpy(r->stream, (const char *)blob + sizeof(st), len - sizeof(st));
	fd->n_rows++;
	return 0;
}

/* Idempotent: an interrupted dump restarts and repeats flows. */
static int on_flow(void *data, const struct nl_flow *f)
{
	struct found *fd = data;
	struct kflow *grown;
	size_t i;

	for (i = 0; i < fd->n_flows; i++)
		if (fd->flows[i].id == f->id)
			return 0;
	grown = realloc(fd->flows, (fd->n_flows + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	fd->flows = grown;
	fd->flows[fd->n_flows].id = f->id;
	fd->flows[fd->n_flows].cookie = f->cookie;
	fd->n_flows++;
	return 0;
}

static bool flow_exists(const struct found *fd, uint32_t id, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < fd->n_flows; i++)
		if (fd->flows[i].id == id && fd->flows[i].cookie == cookie)
			return true;
	return false;
}

/* Rebinds the branch's ports and keeps the flows that still exist. */
static int rebuild_branch(struct media_call *call, const struct row *r,
			  const struct found *fd)
{
	struct media *m = call->m;
	struct media_branch *br = media_branch_new(call, r->st.id);
	unsigned int i;
	int side, comp, ret;

	if (!br)
		return -ENOMEM;
	ret = media_branch_grow(br, r->st.n_stream);
	if (ret)
		return ret;
	br->st = r->st;
	for (i = 0; i < br->st.n_stream; i++) {
		struct media_stream_state *s = &br->stream[i].st;

		*s = r->stream[i];
		for (side = 0; side < 2; side++) {
			for (comp = 0; comp < 2; comp++) {
				if (s->id[side][comp] && !flow_exists(fd, s->id[side][comp], call->handle))
					s->id[side][comp] = 0;
				br->stream[i].created_ms[side][comp] = loop_now(m->loop);
			}
			if (!s->port[side])
				continue;
			ret = portpool_claim(&m->pool, &call->relay, s->port[side],
					     &br->stream[i].pair[side]);
			if (ret)
				return ret;
		}
		/* Flows lost meanwhile (an operator's flush) are put back. */
		if (s->port[0] && s->port[1] && media_stream_sync(call, br, i))
			return -EIO;
	}
	if (br->st.won) {
		call->won = true;
		call->winner = br->st.id;
	}
	media_save(call, br);
	return 0;
}

static int rebuild_call(struct media *m, const struct found *fd, size_t first,
			media_adopt_fn *adopt, void *data)
{
	const struct row *r = &fd->rows[first];
	struct media_call *call;
	char ep[ENDPOINT_STRLEN];
	size_t j;
	int ret;

	ret = media_call_new(m, r->call_id, strlen(r->call_id), r->handle,
			     &r->st.relay, NULL, &call);
	if (ret)
		return ret;
	for (j = first; j < fd->n_rows; j++) {
		if (fd->rows[j].handle != r->handle)
			continue;
		ret = rebuild_branch(call, &fd->rows[j], fd);
		if (ret) {
			log_msg(LOG_LEVEL_WARN, call->call_id,
				"media: cannot adopt branch %u on %s: %s", fd->rows[j].st.id,
				endpoint_format(&r->st.relay, ep), strerror(-ret));
			media_call_end(call, "restart: not adoptable");
			return 0;
		}
	}
	call->owner = adopt(data, call, call->handle, call->call_id);
	if (!call->owner) {
		media_call_end(call, "restart: unknown to the proxy");
		return 0;
	}
	log_msg(LOG_LEVEL_NOTICE, call->call_id, "media: adopted after restart");
	return 1;
}

static bool handled_before(const struct found *fd, size_t k)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (fd->rows[j].handle == fd->rows[k].handle)
			return true;
	return false;
}

/* Deletes every kernel flow no adopted call holds. */
static void remove_orphans(struct media *m, const struct found *fd)
{
	struct media_branch *br;
	struct media_call *call;
	unsigned int i;
	int from, comp;
	size_t k;

	for (k = 0; k < fd->n_flows; k++) {
		call = media_call_find(m, fd->flows[k].cookie);
		if (call && media_flow_find(call, fd->flows[k].id, &br, &i, &from, &comp))
			continue;
		if (!m->be->ops->del(m->be, fd->flows[k].id))
			log_info("media: removed orphan flow %u (cookie %llx)", fd->flows[k].id,
				 (unsigned long long)fd->flows[k].cookie);
	}
}

static void found_free(struct found *fd)
{
	size_t k;

	for (k = 0; k < fd->n_rows; k++) {
		free(fd->rows[k].call_id);
		free(fd->rows[k].stream);
	}
	free(fd->rows);
	free(fd->flows);
}

int media_restart_adopt(struct media *m, media_adopt_fn *adopt, void *data)
{
	struct found fd = { 0 };
	int ret, adopted = 0;
	size_t k;

	if (!m->be->ops->dump)
		return m->store ? media_store_clear(m->store) : 0;
	if (m->store) {
		ret = media_store_load(m->store, on_row, &fd);
		if (ret)
			goto out;
		/* Rebuilt calls write their rows afresh. */
		ret = media_store_clear(m->store);
		if (ret)
			goto out;
	}
	ret = m->be->ops->dump(m->be, on_flow, &fd);
	if (ret) {
		log_error("media: cannot list rtpfwd flows: %s", strerror(-ret));
		goto out;
	}
	for (k = 0; k < fd.n_rows; k++) {
		if (handled_before(&fd, k))
			continue;
		ret = rebuild_call(m, &fd, k, adopt, data);
		if (ret < 0) {
			log_msg(LOG_LEVEL_WARN, fd.rows[k].call_id, "media: cannot adopt: %s",
				strerror(-ret));
			continue;
		}
		adopted += ret;
	}
	remove_orphans(m, &fd);
	ret = adopted;
	log_notice("media: adopted %d calls after restart", adopted);
out:
	found_free(&fd);
	return ret;
}
