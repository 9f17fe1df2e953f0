/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mediacall: N G.711 calls through a SIP proxy that anchors their media,
 * as two processes, one per side, each in its own namespace:
 *
 *   uac: INVITEs mc0..mcN-1 (at most WINDOW unanswered at a time), ACKs the
 *        200s, then writes "go START PACKETS" into the FIFO, pumps PACKETS
 *        per call to the relay port of each answer, waits for the callee's
 *        packets (2 s at most after its own last), and BYEs every call.
 *   uas: answers each INVITE with 200 and its own media address, reads the
 *        FIFO and from START pumps PACKETS per answered call to the relay
 *        port of its offer, and ends when every call got its BYE.
 *
 * Both print "call NUMBER SENT RECEIVED" for every call they pumped; the uac
 * also samples /proc/stat, the given pids and itself over its pumping
 * window ("pid PID ticks=N" lines, its own last).
 */
#ifndef BENCH_MEDIACALL_H
#define BENCH_MEDIACALL_H

#include <stdio.h>
#include <sys/socket.h>

#include "lib/endpoint.h"
#include "lib/evloop.h"
#include "rtppump.h"

#define MC_MAX_PIDS 4

struct mc {
	struct loop *loop;
	unsigned int n;			/* calls */
	unsigned int window;		/* uac: unanswered INVITEs or BYEs at once */
	unsigned int seconds;		/* uac: pumping time */
	const char *domain;		/* uac: callee domain the proxy routes */
	const char *go;			/* the FIFO between the two sides */
	struct endpoint sip_local, media_local;
	struct sockaddr_storage proxy;	/* uac: where requests go */
	socklen_t proxy_len;
	int pids[MC_MAX_PIDS], n_pids;	/* uac: processes whose CPU time is sampled, itself last */
	int sip_fd;
	struct loop_io sip_io;
	struct pump pump;
	struct timer pace, rx;
	int status;
};

int uac_run(struct mc *mc);
int uas_run(struct mc *mc);

/* Shared by both sides. */
void mc_send(struct mc *mc, const struct sockaddr_storage *to, socklen_t len, const char *msg,
	     size_t msg_len);
void mc_sdp(const struct mc *mc, char *out, size_t room, unsigned int call);
void mc_report_calls(const struct mc *mc);

#endif
