/* SPDX-License-Identifier: GPL-2.0 */
/* What the media_*.c files share; the API is media.h. */
#ifndef SIPPROXYD_MEDIA_PRIV_H
#define SIPPROXYD_MEDIA_PRIV_H

#include "media.h"
#include "media_backend.h"
#include "media_flow.h"
#include "media_store.h"
#include "portpool.h"

/* Hash chains of calls; calls are bounded by DIALOG_MAX in the proxy. */
#define MEDIA_CALL_BUCKETS 4096

/* Counters of one leg's flows that were already deleted. */
struct media_totals {
	uint64_t packets, bytes, rtcp_packets, rtcp_bytes;
	uint64_t drops[__RTPFWD_DROP_MAX];
	int64_t lost;
	uint32_t jitter;
	bool rtp_seen;
};

/* What survives a restart of one stream (stored as part of a blob). */
struct media_stream_state {
	uint16_t port[2];		/* [side]: relay RTP port that side sends to; 0: none */
	uint16_t sent_port[2];		/* [to side]: relay port last announced */
	uint32_t clock_rate;
	struct nl_flow want[2][2];	/* [from][component]: as last built */
	uint32_t id[2][2];		/* installed flow ids; 0: none */
	struct media_totals done[2];	/* [from side] */
};

/*
 * What survives a restart of one branch; a plain-value blob in the store,
 * followed there by its n_stream struct media_stream_state.
 */
struct media_branch_state {
	uint32_t layout;		/* MEDIA_STATE_LAYOUT */
	uint32_t id;
	bool won;			/* media_branch_won() named it */
	struct endpoint relay;		/* the call's relay address */
	struct sdp_oa oa;
	uint32_t n_stream;		/* <= SDP_MAX_MEDIA */
};

#define MEDIA_STATE_LAYOUT (0x6d000000U | \
			    (uint32_t)(sizeof(struct media_branch_state) & 0xfff) << 12 | \
			    (uint32_t)(sizeof(struct media_stream_state) & 0xfff))

/* One stream (m= line) of a branch. */
struct media_stream {
	struct media_stream_state st;
	struct portpair pair[2];	/* [side] */
	uint64_t created_ms[2][2];	/* [from][component] */
};

/*
 * Streams are allocated for the most m= lines a body of the branch had
 * (st.n_stream), not for SDP_MAX_MEDIA: an audio call pays for one.
 */
struct media_branch {
	struct media_branch *next;
	struct media_branch_state st;
	struct media_stream *stream;	/* st.n_stream of them */
};

struct media_call {
	struct media_call *next;	/* hash chain in struct media */
	struct media *m;
	uint64_t handle;
	char *call_id;
	struct endpoint relay;		/* address; port unused */
	void *owner;
	struct media_branch *branches;
	bool won;
	uint32_t winner;
	bool ending;			/* media_end_fn was called */
};

struct media {
	struct loop *loop;
	struct media_fwd *be;
	struct portpool pool;
	struct endpoint relay_addr;	/* AF_UNSPEC: the call's */
	uint8_t policy;
	bool expect_only;		/* learn only at the SDP address (EXPECT_ONLY) */
	uint32_t timeout_s;
	media_end_fn *end;
	/* By handle, which is random: backend events name calls by it (the cookie). */
	struct media_call *calls[MEDIA_CALL_BUCKETS];
	struct media_store *store;	/* NULL: nothing survives a restart */
};

struct media_branch *media_branch_find(struct media_call *call, uint32_t id);
struct media_branch *media_branch_new(struct media_call *call, uint32_t id);
int media_branch_grow(struct media_branch *br, unsigned int n);
bool media_flow_find(struct media_call *call, uint32_t id, struct media_branch **br,
		     unsigned int *i, int *from, int *comp);
struct media_call *media_call_find(struct media *m, uint64_t handle);
void media_branch_free(struct media_call *call, struct media_branch *br, const char *end,
		       bool all);
int media_stream_sync(struct media_call *call, struct media_branch *br, unsigned int i);
void media_flow_retire(struct media_call *call, struct media_branch *br,
		       unsigned int i, int from, int comp);
void media_save(struct media_call *call, struct media_branch *br);
void media_log_leg(const struct media_call *call, uint32_t branch, unsigned int i, int from,
		   const struct media_totals *t, const char *end);
void media_totals_add(struct media_totals *t, const struct nl_flow *f);
const char *media_side_name(int side);

#endif
