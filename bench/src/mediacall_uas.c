// SPDX-License-Identifier: GPL-2.0
/*
 * mediacall's called side: answers every INVITE with 200 and its media
 * address (retransmitting the 200 every second until the ACK, RFC 3261
 * 13.3.1.4), pumps media on the confirmed calls once the caller writes
 * "go" into the FIFO, and ends when all of them got their BYE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mediacall.h"
#include "sipmsg.h"
#include "util.h"

#define PACE_MS 5
#define SCAN_MS 100
#define RETRANSMIT 1.0
#define TRIES 7
#define GRACE_MS 60000		/* after the pumping time, before giving up on BYEs */
#define MSG_ROOM 4096

enum state { IDLE, ANSWERED, CONFIRMED, ENDED };

struct call {
	enum state state;
	unsigned int tries;
	double due;
	char *ok;		/* the 200 until the ACK */
	size_t ok_len;
	struct sockaddr_storage proxy;
	socklen_t proxy_len;
};

struct uas {
	struct mc *mc;
	struct call *c;
	unsigned int confirmed, ended, per_stream;	/* ended: of the pumped calls */
	bool pumped;
	int go_fd;
	struct loop_io go_io;
	struct timer scan, give_up;
	double pump_start, pump_end;
	char local[ENDPOINT_STRLEN];
};

static struct uas uas;

static size_t common_headers(const struct sipmsg *m, char *out, size_t room)
{
	size_t len = snprintf(out, room, "SIP/2.0 200 OK\r\n");

	len = sipmsg_copy(m, "Via", 'v', out, len, room);
	len = sipmsg_copy(m, "Record-Route", 0, out, len, room);
	len = sipmsg_copy(m, "From", 'f', out, len, room);
	len = sipmsg_copy(m, "Call-ID", 'i', out, len, room);
	return sipmsg_copy(m, "CSeq", 0, out, len, room);
}

static void invite(struct uas *u, unsigned int i, const struct sipmsg *m,
		   const struct sockaddr_storage *from, socklen_t from_len)
{
	struct call *c = &u->c[i];
	char msg[MSG_ROOM], sdp[512];
	struct sockaddr_in media;
	struct sipstr to;
	size_t len;

	if (c->state != IDLE) {
		/* A retransmission: the 200 again while it is kept. */
		if (c->ok)
			mc_send(u->mc, &c->proxy, c->proxy_len, c->ok, c->ok_len);
		return;
	}
	if (sipmsg_sdp_audio(m, &media) < 0 || !sipmsg_header(m, "To", 't', &to))
		return;
	mc_sdp(u->mc, sdp, sizeof(sdp), i);
	len = common_headers(m, msg, sizeof(msg));
	len += snprintf(msg + len, sizeof(msg) - len,
			"To: %.*s;tag=t%u\r\n"
			"Contact: <sip:callee@%s>\r\n"
			"Content-Type: application/sdp\r\n"
			"Content-Length: %zu\r\n\r\n%s",
			(int)to.len, to.p, i, u->local, strlen(sdp), sdp);
	if (len >= sizeof(msg) || !(c->ok = malloc(len)))
		return;
	memcpy(c->ok, msg, len);
	c->ok_len = len;
	c->proxy = *from;
	c->proxy_len = from_len;
	c->state = ANSWERED;
	c->due = bench_now() + RETRANSMIT;
	pump_stream(&u->mc->pump, i, &media, 2 * i + 1, 2 * i);
	mc_send(u->mc, from, from_len, msg, len);
}

static void finish(struct uas *u)
{
	loop_timer_cancel(u->mc->loop, &u->give_up);
	loop_timer_cancel(u->mc->loop, &u->scan);
	loop_timer_cancel(u->mc->loop, &u->mc->pace);
	loop_stop(u->mc->loop);
}

static void call_ended(struct uas *u, unsigned int i)
{
	u->c[i].state = ENDED;
	free(u->c[i].ok);
	u->c[i].ok = NULL;
	if (!u->mc->pump.s[i].active)
		return;
	u->ended++;
	if (u->pumped && u->ended == u->mc->pump.n_active)
		finish(u);
}

static void bye(struct uas *u, unsigned int i, const struct sipmsg *m,
		const struct sockaddr_storage *from, socklen_t from_len)
{
	char msg[MSG_ROOM];
	struct sipstr to;
	size_t len;

	if (!sipmsg_header(m, "To", 't', &to))
		return;
	len = common_headers(m, msg, sizeof(msg));
	len += snprintf(msg + len, sizeof(msg) - len, "To: %.*s\r\nContent-Length: 0\r\n\r\n",
			(int)to.len, to.p);
	if (len < sizeof(msg))
		mc_send(u->mc, from, from_len, msg, len);
	if (u->c[i].state != ANSWERED && u->c[i].state != CONFIRMED)
		return;
	call_ended(u, i);
}

static void request(struct uas *u, const struct sipmsg *m, const struct sockaddr_storage *from,
		    socklen_t from_len)
{
	long i = sipmsg_call_number(m);
	struct call *c;

	if (i < 0 || i >= u->mc->n)
		return;
	c = &u->c[i];
	if (m->method.len == 6 && !memcmp(m->method.p, "INVITE", 6)) {
		invite(u, i, m, from, from_len);
	} else if (m->method.len == 3 && !memcmp(m->method.p, "ACK", 3)) {
		if (c->state == ANSWERED) {
			c->state = CONFIRMED;
			u->confirmed++;
			free(c->ok);
			c->ok = NULL;
		}
	} else if (m->method.len == 3 && !memcmp(m->method.p, "BYE", 3)) {
		bye(u, i, m, from, from_len);
	}
}

static void sip_readable(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	char buf[8192];
	ssize_t len;

	while ((len = recvfrom(uas.mc->sip_fd, buf, sizeof(buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &from_len)) > 0) {
		struct sipmsg m;

		if (!sipmsg_parse(&m, buf, len) && !m.status)
			request(&uas, &m, &from, from_len);
		from_len = sizeof(from);
	}
}

static void scan(struct timer *t, uint64_t now_ms)
{
	double now = bench_now();
	unsigned int i;

	for (i = 0; i < uas.mc->n; i++) {
		struct call *c = &uas.c[i];

		if (c->state != ANSWERED || now < c->due)
			continue;
		if (++c->tries > TRIES) {
			/* Never acknowledged: the call failed. */
			call_ended(&uas, i);
			continue;
		}
		c->due = now + RETRANSMIT;
		mc_send(uas.mc, &c->proxy, c->proxy_len, c->ok, c->ok_len);
	}
	loop_timer_arm(uas.mc->loop, t, SCAN_MS);
}

static void pace(struct timer *t, uint64_t now_ms)
{
	double now = bench_now();

	if (!pump_send(&uas.mc->pump, now)) {
		loop_timer_arm(uas.mc->loop, t, PACE_MS);
		return;
	}
	uas.pump_end = now;
	uas.pumped = true;
	if (uas.ended == uas.mc->pump.n_active)
		finish(&uas);
}

static void give_up(struct timer *t, uint64_t now_ms)
{
	fprintf(stderr, "mediacall: uas: %u of %u pumped calls got no BYE\n",
		uas.mc->pump.n_active - uas.ended, uas.mc->pump.n_active);
	finish(&uas);
}

static void go_readable(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct uas *u = &uas;
	char buf[128];
	ssize_t len = read(u->go_fd, buf, sizeof(buf) - 1);
	unsigned int i;

	loop_io_del(loop, io);
	if (len <= 0 || (buf[len] = 0, sscanf(buf, "go %lf %u", &u->pump_start,
					       &u->per_stream) != 2)) {
		fprintf(stderr, "mediacall: uas: no go from the caller\n");
		finish(u);
		return;
	}
	/* Answered calls too: the caller has its 200, our ACK may still be on its way. */
	for (i = 0; i < u->mc->n; i++)
		u->mc->pump.s[i].active = u->c[i].state == ANSWERED || u->c[i].state == CONFIRMED;
	pump_start(&u->mc->pump, u->pump_start, u->per_stream);
	loop_timer_arm(loop, &u->mc->pace, 0);
	loop_timer_arm(loop, &u->give_up, (uint64_t)u->mc->seconds * 1000 + GRACE_MS);
}

int uas_run(struct mc *mc)
{
	unsigned int i;

	uas.mc = mc;
	uas.c = calloc(mc->n, sizeof(*uas.c));
	if (!uas.c)
		return -1;
	/* Non-blocking: the caller opens its end only when it is ready. */
	uas.go_fd = open(mc->go, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (uas.go_fd < 0)
		goto free_calls;
	endpoint_format(&mc->sip_local, uas.local);
	loop_io_init(&mc->sip_io, mc->sip_fd, sip_readable);
	loop_io_init(&uas.go_io, uas.go_fd, go_readable);
	if (loop_io_add(mc->loop, &mc->sip_io, EPOLLIN) < 0 ||
	    loop_io_add(mc->loop, &uas.go_io, EPOLLIN) < 0)
		goto close_go;
	timer_init(&uas.scan, scan);
	timer_init(&uas.give_up, give_up);
	timer_init(&mc->pace, pace);
	loop_timer_arm(mc->loop, &uas.scan, SCAN_MS);
	if (loop_run(mc->loop) < 0)
		goto close_go;
	printf("uas confirmed=%u ended=%u pump_seconds=%.3f stray=%llu full=%llu\n", uas.confirmed,
	       uas.ended, uas.pumped ? uas.pump_end - uas.pump_start : 0, (unsigned long long)mc->pump.stray,
	       (unsigned long long)mc->pump.full);
	mc_report_calls(mc);
	mc->status = !uas.pumped || uas.ended != mc->pump.n_active;
	for (i = 0; i < mc->n; i++)
		free(uas.c[i].ok);
	close(uas.go_fd);
	free(uas.c);
	return 0;

close_go:
	close(uas.go_fd);
free_calls:
	free(uas.c);
	return -1;
}
