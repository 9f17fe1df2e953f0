// SPDX-License-Identifier: GPL-2.0
/*
 * Clock rates of the static RTP payload types (RFC 3551 tables 4 and 5),
 * for m= lines that list them without a=rtpmap, as SIPp and many phones do.
 */
#include "sdp_parser.h"

struct static_payload {
	uint32_t clock_rate;
	uint8_t channels;
};

static const struct static_payload static_payloads[35] = {
	[0] = { 8000, 1 },	/* PCMU */
	[3] = { 8000, 1 },	/* GSM */
	[4] = { 8000, 1 },	/* G723 */
	[5] = { 8000, 1 },	/* DVI4 */
	[6] = { 16000, 1 },	/* DVI4 */
	[7] = { 8000, 1 },	/* LPC */
	[8] = { 8000, 1 },	/* PCMA */
	[9] = { 8000, 1 },	/* G722: 8000 by RFC 3551's historical error */
	[10] = { 44100, 2 },	/* L16 stereo */
	[11] = { 44100, 1 },	/* L16 */
	[12] = { 8000, 1 },	/* QCELP */
	[13] = { 8000, 1 },	/* CN */
	[14] = { 90000, 1 },	/* MPA */
	[15] = { 8000, 1 },	/* G728 */
	[16] = { 11025, 1 },	/* DVI4 */
	[17] = { 22050, 1 },	/* DVI4 */
	[18] = { 8000, 1 },	/* G729 */
	[25] = { 90000, 1 },	/* CelB */
	[26] = { 90000, 1 },	/* JPEG */
	[28] = { 90000, 1 },	/* nv */
	[31] = { 90000, 1 },	/* H261 */
	[32] = { 90000, 1 },	/* MPV */
	[33] = { 90000, 1 },	/* MP2T */
	[34] = { 90000, 1 },	/* H263 */
};

/**
 * sdp_payload_static_clock() - clock of a static payload type
 * @pt: payload type, 0-127
 * @channels: set to the channel count (1 when unknown)
 *
 * Return: the clock rate in Hz, or 0 for a dynamic or unassigned type.
 */
uint32_t sdp_payload_static_clock(uint8_t pt, uint8_t *channels)
{
	const struct static_payload *sp;

	*channels = 1;
	if (pt >= sizeof(static_payloads) / sizeof(static_payloads[0]))
		return 0;
	sp = &static_payloads[pt];
	if (sp->channels)
		*channels = sp->channels;
	return sp->clock_rate;
}
