// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the offer/answer state of a dialog. The input is a
 * sequence of bodies separated by NUL bytes (which no valid body holds);
 * the first byte of each says who sends it and how:
 *   bit 0: caller (0) or callee (1); bit 1: carried by INVITE/UPDATE;
 *   bit 2: abandon the outstanding offer first; bit 3: our relay moved.
 * After each body the state and its outputs must stay consistent, and the
 * o= versions we would send must never go down.
 */
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/sdp_oa.h"

#define ALL_CHANGES (SDP_CHANGE_ADDED | SDP_CHANGE_REMOVED | \
		     SDP_CHANGE_ADDRESS | SDP_CHANGE_HOLD | \
		     SDP_CHANGE_RESUME | SDP_CHANGE_FORMAT)

static struct sdp_session session;

static void check_delta(const struct sdp_oa_delta *d, enum sdp_oa_role role)
{
	unsigned int i, k;

	if (role != SDP_OA_ANSWER) {
		if (d->n)
			abort();
		return;
	}
	if (d->n != session.n_media)
		abort();
	for (i = 0; i < d->n; i++) {
		for (k = 0; k < 2; k++) {
			unsigned int c = d->change[i][k];

			if (c & ~ALL_CHANGES)
				abort();
			if ((c & (SDP_CHANGE_ADDED | SDP_CHANGE_REMOVED)) &&
			    (c & (c - 1)))
				abort();
			if ((c & SDP_CHANGE_HOLD) && (c & SDP_CHANGE_RESUME))
				abort();
		}
		if ((d->change[i][0] ^ d->change[i][1]) &
		    (SDP_CHANGE_ADDED | SDP_CHANGE_REMOVED))
			abort();
	}
}

static void check_state(const struct sdp_oa *oa)
{
	if (oa->negotiated[0].present != oa->negotiated[1].present ||
	    oa->negotiated[0].n != oa->negotiated[1].n)
		abort();
	if (oa->offer_pending && oa->negotiated[0].present &&
	    oa->offer.n < oa->negotiated[0].n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size;
	uint64_t last[2] = { 0, 0 };
	bool sent[2] = { false, false };
	struct sdp_oa oa;

	sdp_oa_init(&oa);
	while (data < end) {
		const uint8_t *nul = memchr(data, '\0', end - data);
		const uint8_t *stop = nul ? nul : end;
		unsigned int ctl = *data;
		enum sdp_oa_side from = ctl & 1;
		struct sdp_oa_delta delta;
		struct sdp_error err;
		enum sdp_oa_role role;
		uint64_t version;

		if (ctl & 4)
			sdp_oa_abandon(&oa);
		if (!sdp_session_parse(&session, (const char *)data + 1,
				       stop - data - 1, &err)) {
			if (sdp_oa_receive(&oa, from, ctl & 2 ? SDP_OA_MSG_OFFER :
					   SDP_OA_MSG_OTHER, &session, &role,
					   &delta, &err)) {
				if (err.code != SDP_E_OFFER_ANSWER || !err.msg[0])
					abort();
			} else {
				check_delta(&delta, role);
			}
			check_state(&oa);
			if (sdp_oa_next_version(&oa, !from, session.origin.version,
						ctl & 8, &version)) {
				if (sent[!from] && (version < last[!from] ||
				    ((ctl & 8) && version == last[!from])))
					abort();
				last[!from] = version;
				sent[!from] = true;
			}
		}
		data = nul ? nul + 1 : end;
	}
	return 0;
}
