/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media anchoring: every call's RTP/RTCP goes through this host, in the
 * kernel (rtpfwd.ko) or in a userspace relay with the same semantics.
 *
 * The proxy core hands every SDP body of a call to media_sdp() and sends
 * on what it writes instead; the rest happens here. Each branch of a call
 * (one forked INVITE client transaction, later the dialog) owns two legs,
 * one facing the caller and one facing the callee; each leg holds one
 * relay port pair (even RTP, odd RTCP) per m= line, taken from
 * [media] port_range. Once a branch's offer/answer exchange completes,
 * every stream gets one flow per direction (and per RTCP port unless
 * rtcp-mux): packets from the caller arrive at the caller-facing leg and
 * leave from the callee-facing one, and the other way round.
 *
 * Threading: everything runs on the daemon's event loop; nothing here is
 * thread-safe. Nothing blocks except the netlink requests to the local
 * kernel.
 *
 * Life of a call, and which SIP event triggers each call:
 *
 *   initial INVITE arrives          media_call_new()
 *   each forked copy sent           media_sdp(call, branch, CALLER, OFFER, ...)
 *   1xx/2xx of a branch with SDP    media_sdp(call, branch, CALLEE, OTHER, ...)
 *   ACK/PRACK with SDP              media_sdp(call, branch, side, OTHER, ...)
 *   re-INVITE/UPDATE with SDP       media_sdp(call, branch, side, OFFER, ...)
 *   offer refused (4xx-6xx to a     media_offer_failed(call, branch)
 *   re-INVITE/UPDATE, 491)
 *   a branch fails or is CANCELled  media_branch_end(call, branch)
 *   a branch's 2xx is forwarded     media_branch_won(call, branch)
 *   BYE, CANCEL of the call, final  media_call_end(call, reason)
 *   failure of every branch
 *   daemon start                    media_init(), then media_restart_adopt()
 *   daemon stop                     media_free()
 *
 * Log lines are API (tests match them); see media.c.
 */
#ifndef SIPPROXYD_MEDIA_H
#define SIPPROXYD_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lib/endpoint.h"
#include "lib/evloop.h"
#include "sdp_oa.h"

struct media;
struct media_call;

enum media_backend {
	MEDIA_BACKEND_KERNEL,		/* flows in rtpfwd.ko */
	MEDIA_BACKEND_USERSPACE,	/* the relay in this process */
};

/* Retry-After (seconds) of a 503 when the port range is exhausted. */
#define MEDIA_RETRY_AFTER 30

#define MEDIA_ERR_LEN 160

/*
 * Why media_sdp() refused a body: @status is the SIP status the core
 * answers a request with (488, 491, 500, 503); @retry_after is 0 or the
 * Retry-After of a 503; @reason is one line for the log and the reason
 * phrase or a Warning header (it may quote the body's line number).
 */
struct media_err {
	int status;
	unsigned int retry_after;
	char reason[MEDIA_ERR_LEN];
};

/**
 * typedef media_end_fn - the media of a call went silent
 * @owner: what the core passed to media_call_new() or returned from its
 *	   adopt callback
 * @call: the call
 * @reason: a stable string for the log: "media timeout"
 *
 * Every flow of the call's established branch forwarded nothing for
 * [media] media_timeout (RTCP counts, so a held call that still sends
 * RTCP stays up). The core sends BYE to both sides and then calls
 * media_call_end(), from inside this callback or later; until it does the
 * call's flows stay and no further callback comes for it.
 */
typedef void media_end_fn(void *owner, struct media_call *call, const char *reason);

/**
 * typedef media_adopt_fn - a call found at start, left by a previous run
 * @data: media_restart_adopt()'s @data
 * @call: the call, with its flows still forwarding
 * @handle: the handle the previous run gave media_call_new()
 * @call_id: its Call-ID, NUL-terminated
 *
 * Return: the core's owner pointer for the call (passed to media_end_fn
 * later) to adopt it, or NULL when the core does not know the call: its
 * flows and ports are then removed and @call is gone when this returns.
 */
typedef void *media_adopt_fn(void *data, struct media_call *call,
			     uint64_t handle, const char *call_id);

/**
 * media_init() - start media anchoring
 * @out: set to the media layer on success
 * @loop: the daemon's loop; sockets (relay, netlink events) and timers
 *	  are registered on it
 * @cfg: [media] options and [registrar] database (media state lives in
 *	 its media_store table); read at init only: changing [media] needs
 *	 a restart. Not referenced afterwards.
 * @end: called when a call's media times out
 *
 * Chooses the backend from [media] media_relay: "kernel" fails when
 * rtpfwd.ko is not loaded; "auto" takes the kernel when it is, else the
 * userspace relay. Logs "media: relay backend kernel|userspace" (notice).
 *
 * Return: 0 or a negative errno (logged).
 */
int media_init(struct media **out, struct loop *loop, const struct config *cfg,
	       media_end_fn *end);

/**
 * media_free() - stop media anchoring at daemon exit
 * @m: the media layer, or NULL
 *
 * Calls still open are freed without logging; with the kernel backend
 * their flows and stored state stay, so the next start adopts them (a
 * daemon restart or upgrade drops no media). The userspace relay's media
 * stops with the process.
 */
void media_free(struct media *m);

enum media_backend media_backend(const struct media *m);

/**
 * media_restart_adopt() - take over the calls a previous run left
 * @m: the media layer, right after media_init() and before any call
 * @adopt: asked about every stored call whose flows still exist
 * @data: passed to @adopt
 *
 * Dumps the kernel's flows, matches them by cookie (the call handle) to
 * the stored calls, re-reserves their ports and asks @adopt about each.
 * Flows of calls that are not adopted, or not stored at all (orphans),
 * are deleted; so are stored calls without flows. With the userspace
 * backend there is nothing to adopt: the stored state is cleared.
 *
 * Return: how many calls were adopted, or a negative errno.
 */
int media_restart_adopt(struct media *m, media_adopt_fn *adopt, void *data);

/**
 * media_call_new() - start anchoring a call (initial INVITE received)
 * @m: the media layer
 * @call_id: the Call-ID, for logs and the store; copied
 * @call_id_len: its length
 * @handle: the core's unique, non-zero id of the call; it is the cookie of
 *	    every kernel flow, so it must also differ from those of calls a
 *	    previous run left (a random 64-bit value does)
 * @local: the address the INVITE arrived on, used as the relay address
 *	   when [media] relay_address is empty; the port is ignored
 * @owner: the core's call, given back to media_end_fn
 * @call: set to the call, owned by @m until media_call_end()
 *
 * Allocates no port yet: media_sdp() does when a body needs one.
 *
 * Return: 0, -EINVAL (bad handle or address, handle in use), -ENOMEM.
 */
int media_call_new(struct media *m, const char *call_id, size_t call_id_len,
		   uint64_t handle, const struct endpoint *local, void *owner,
		   struct media_call **call);

/**
 * media_sdp() - anchor one SDP body of a call
 * @call: the call
 * @branch: the core's id of the branch (its client transaction's index in
 *	    the fork set, say); a new id starts a branch. After
 *	    media_branch_won() pass the winner's id for every body.
 * @from: the side that sent the body
 * @msg: SDP_OA_MSG_OFFER for INVITE and UPDATE requests, else
 *	 SDP_OA_MSG_OTHER (responses, ACK, PRACK)
 * @body: the body as received; not kept
 * @len: its length
 * @out: where the body to forward is written (the core owns it)
 * @size: bytes at @out; SDP_MAX_BODY is always enough
 * @err: filled when the body is refused
 *
 * Offers reserve relay ports for new streams (the caller's offer reserves
 * the callee-facing leg's ports, which the rewritten body announces, and
 * the caller-facing leg's, which the answer will). Answers install or
 * update the flows before the rewritten answer leaves, so media the
 * answerer sends at once is not lost; hold, resume, a port or codec
 * change update the flows atomically (FLOW_SET).
 *
 * Return: the length written at @out, or -1 with @err filled: 488 for a
 * body that cannot be parsed or anchored (multicast, port counts, ICE-only
 * peers), 491 for an offer while another is outstanding (glare), 503 with
 * Retry-After when the port range is exhausted, 500 when the kernel or the
 * system fails. A refused offer leaves the branch as it was. For a body in
 * a response or ACK there is nothing to answer: the core treats it as a
 * failure of that branch or dialog (CANCEL or BYE).
 */
long media_sdp(struct media_call *call, uint32_t branch, enum sdp_oa_side from,
	       enum sdp_oa_msg msg, const char *body, size_t len, char *out,
	       size_t size, struct media_err *err);

/**
 * media_offer_failed() - the outstanding offer of a branch got no answer
 * @call: the call
 * @branch: its branch
 *
 * For a re-INVITE or UPDATE answered with an error (or 491), and for a
 * CANCELled re-INVITE: the negotiated media stays as it was.
 */
void media_offer_failed(struct media_call *call, uint32_t branch);

/**
 * media_branch_end() - a branch is gone before being answered
 * @call: the call
 * @branch: its branch; an unknown id is ignored
 *
 * Final failure response, CANCEL or a timeout of that branch: its flows
 * and ports are freed at once, and each leg that had flows (early media)
 * logs its counters as at call end, with end=failed. The call stays
 * (other branches may win).
 */
void media_branch_end(struct media_call *call, uint32_t branch);

/**
 * media_branch_won() - a branch answered 2xx: it becomes the dialog
 * @call: the call
 * @branch: the winner
 *
 * Every other branch's flows and ports (early media of losing forks) are
 * freed at once, each leg that had flows logging its counters with
 * end=lost. Call it when the 2xx is forwarded, after media_sdp() of its
 * body.
 */
void media_branch_won(struct media_call *call, uint32_t branch);

/**
 * media_call_end() - the call is over: free its media
 * @call: the call, freed on return; NULL is ignored
 * @reason: why, for the log ("bye", "cancel", "failed", "media timeout")
 *
 * Logs one line per leg and stream with what that leg received: packets,
 * bytes, lost, jitter and drops by reason (from the kernel's or the
 * relay's counters), its branch and end=@reason, then deletes the flows,
 * releases the ports and removes the stored state.
 */
void media_call_end(struct media_call *call, const char *reason);

#endif
