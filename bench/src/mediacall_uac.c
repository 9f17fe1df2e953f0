// SPDX-License-Identifier: GPL-2.0
/*
 * mediacall's calling side: sets the calls up through the proxy, pumps
 * their media once all are answered, measures the CPU over that window,
 * then hangs every call up. Requests are retransmitted every second until
 * answered (RFC 3261 Timer A without the doubling: the proxy is the only
 * hop and retransmissions only matter when a queue overflowed).
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

#define TICK_MS 10
#define SCAN 0.1		/* seconds between retransmission scans */
#define PACE_MS 5
#define RETRANSMIT 1.0		/* seconds between retransmissions */
#define TRIES 7
#define ANSWER_WAIT 32.0	/* after a provisional response (Timer B) */
#define DRAIN 2.0		/* the callee's packets still welcome after our last */
#define MSG_ROOM 4096

enum state { IDLE, INVITING, PROCEEDING, UP, FAILED, BYEING, ENDED };
enum phase { SETUP, PUMP, DRAINING, TEARDOWN, DONE };

struct call {
	enum state state;
	unsigned int tries;
	double due;		/* next retransmission, or when to give up */
	char *dialog;		/* after the 200: R-URI line "\0" To value "\0" Route lines */
};

#define MAX_CPUS 16

/* /proc/stat's "cpu" line (row 0) and "cpuN" lines (row N + 1). */
struct cpu {
	unsigned long long stat[MAX_CPUS + 1][8];	/* user nice system idle iowait irq softirq steal */
	int rows;
	unsigned long long pid[MC_MAX_PIDS];
	double at;
};

struct uac {
	struct mc *mc;
	struct call *c;
	enum phase phase;
	unsigned int next, inflight, up, failed, ended, bye_failed, per_stream;
	int fail_status;
	struct timer tick;
	double setup_start, pump_start, drain_start, drain_end, next_scan;
	bool sampled;
	struct cpu cpu[2];
	char local[ENDPOINT_STRLEN];
};

static struct uac uac;

static void cpu_sample(struct uac *u, struct cpu *c)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[256];
	int i;

	if (!f)
		bench_die("mediacall: cannot read /proc/stat");
	c->rows = 0;
	while (c->rows <= MAX_CPUS && fgets(line, sizeof(line), f)) {
		unsigned long long *v = c->stat[c->rows];
		const char *p = line + 3;

		while (*p >= '0' && *p <= '9')
			p++;
		if (strncmp(line, "cpu", 3) || sscanf(p, "%llu %llu %llu %llu %llu %llu %llu %llu",
						      &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
						      &v[6], &v[7]) != 8)
			break;
		c->rows++;
	}
	fclose(f);
	if (!c->rows)
		bench_die("mediacall: cannot parse /proc/stat");
	for (i = 0; i < u->mc->n_pids; i++) {
		char path[64], buf[1024], *p;
		unsigned long long utime = 0, stime = 0;
		ssize_t len = -1;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/stat", u->mc->pids[i]);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			len = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (len <= 0)
			bench_die("mediacall: cannot read %s", path);
		buf[len] = 0;
		/* Fields 14 and 15 (utime, stime) count from the one after "(comm)". */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				 &utime, &stime) != 2)
			bench_die("mediacall: cannot parse %s", path);
		c->pid[i] = utime + stime;
	}
	c->at = bench_now();
}

static void send_invite(struct uac *u, unsigned int i)
{
	char msg[MSG_ROOM], sdp[512];
	int len;

	mc_sdp(u->mc, sdp, sizeof(sdp), i);
	len = snprintf(msg, sizeof(msg),
		       "INVITE sip:mc%u@%s SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %s;branch=z9hG4bK-mc%u-1-%d;rport\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: <sip:caller@bench.invalid>;tag=f%u\r\n"
		       "To: <sip:mc%u@%s>\r\n"
		       "Call-ID: mc%u-%d@bench\r\n"
		       "CSeq: 1 INVITE\r\n"
		       "Contact: <sip:caller@%s>\r\n"
		       "Content-Type: application/sdp\r\n"
		       "Content-Length: %zu\r\n\r\n%s",
		       i, u->mc->domain, u->local, i, getpid(), i, i, u->mc->domain, i, getpid(),
		       u->local, strlen(sdp), sdp);
	mc_send(u->mc, &u->mc->proxy, u->mc->proxy_len, msg, len);
}

/* ACK (CSeq 1) or BYE (CSeq 2) within the dialog the 200 set up. */
static void send_in_dialog(struct uac *u, unsigned int i, const char *method, int cseq)
{
	const char *ruri = u->c[i].dialog, *to = ruri + strlen(ruri) + 1;
	const char *route = to + strlen(to) + 1;
	char msg[MSG_ROOM];
	int len;

	len = snprintf(msg, sizeof(msg),
		       "%s %s SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %s;branch=z9hG4bK-mc%u-%s-%d;rport\r\n"
		       "%s"
		       "Max-Forwards: 70\r\n"
		       "From: <sip:caller@bench.invalid>;tag=f%u\r\n"
		       "To: %s\r\n"
		       "Call-ID: mc%u-%d@bench\r\n"
		       "CSeq: %d %s\r\n"
		       "Content-Length: 0\r\n\r\n",
		       method, ruri, u->local, i, method, getpid(), route, i, to, i, getpid(), cseq,
		       method);
	mc_send(u->mc, &u->mc->proxy, u->mc->proxy_len, msg, len);
}

/* The ACK of a failure response is part of the INVITE transaction: same branch, no Route. */
static void ack_failure(struct uac *u, unsigned int i, const struct sipmsg *m)
{
	char msg[MSG_ROOM];
	struct sipstr to;
	int len;

	if (!sipmsg_header(m, "To", 't', &to))
		return;
	len = snprintf(msg, sizeof(msg),
		       "ACK sip:mc%u@%s SIP/2.0\r\n"
		       "Via: SIP/2.0/UDP %s;branch=z9hG4bK-mc%u-1-%d;rport\r\n"
		       "Max-Forwards: 70\r\n"
		       "From: <sip:caller@bench.invalid>;tag=f%u\r\n"
		       "To: %.*s\r\n"
		       "Call-ID: mc%u-%d@bench\r\n"
		       "CSeq: 1 ACK\r\n"
		       "Content-Length: 0\r\n\r\n",
		       i, u->mc->domain, u->local, i, getpid(), i, (int)to.len, to.p, i, getpid());
	mc_send(u->mc, &u->mc->proxy, u->mc->proxy_len, msg, len);
}

static void call_failed(struct uac *u, unsigned int i, int status)
{
	u->c[i].state = FAILED;
	u->failed++;
	u->inflight--;
	if (!u->fail_status)
		u->fail_status = status;
}

static void answered(struct uac *u, unsigned int i, const struct sipmsg *m)
{
	struct sockaddr_in media;
	struct sipstr uri, to;
	char route[1024];
	size_t rlen;

	rlen = sipmsg_route_set(m, route, 0, sizeof(route));
	route[rlen] = 0;
	if (sipmsg_sdp_audio(m, &media) < 0 || !sipmsg_contact_uri(m, &uri) ||
	    !sipmsg_header(m, "To", 't', &to) || asprintf(&u->c[i].dialog, "%.*s%c%.*s%c%s",
							  (int)uri.len, uri.p, 0, (int)to.len,
							  to.p, 0, route) < 0) {
		/* Unusable answer: the call stays failed; its dialog lingers in the proxy. */
		u->c[i].dialog = NULL;
		call_failed(u, i, 200);
		return;
	}
	pump_stream(&u->mc->pump, i, &media, 2 * i, 2 * i + 1);
	u->c[i].state = UP;
	u->up++;
	u->inflight--;
}

static void response(struct uac *u, const struct sipmsg *m)
{
	long i = sipmsg_call_number(m);
	struct call *c;

	if (i < 0 || i >= u->mc->n)
		return;
	c = &u->c[i];
	if (m->method.len == 6 && !memcmp(m->method.p, "INVITE", 6)) {
		if (m->status < 200) {
			if (c->state == INVITING) {
				c->state = PROCEEDING;
				c->due = bench_now() + ANSWER_WAIT;
			}
		} else if (m->status < 300) {
			if (c->state == INVITING || c->state == PROCEEDING)
				answered(u, i, m);
			/* Every 200, retransmissions too, gets its ACK. */
			if (c->dialog)
				send_in_dialog(u, i, "ACK", 1);
		} else {
			if (c->state == INVITING || c->state == PROCEEDING)
				call_failed(u, i, m->status);
			ack_failure(u, i, m);
		}
	} else if (m->method.len == 3 && !memcmp(m->method.p, "BYE", 3) && m->status >= 200 &&
		   c->state == BYEING) {
		c->state = ENDED;
		u->ended++;
		u->inflight--;
		if (m->status >= 300)
			u->bye_failed++;
	}
}

static void sip_readable(struct loop *loop, struct loop_io *io, uint32_t events)
{
	char buf[8192];
	ssize_t len;

	while ((len = recv(uac.mc->sip_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct sipmsg m;

		if (!sipmsg_parse(&m, buf, len) && m.status)
			response(&uac, &m);
	}
}

static void retransmit(struct uac *u, double now)
{
	unsigned int i;

	for (i = 0; i < u->mc->n; i++) {
		struct call *c = &u->c[i];

		if ((c->state != INVITING && c->state != PROCEEDING && c->state != BYEING) ||
		    now < c->due)
			continue;
		if (c->state == PROCEEDING) {
			/* No CANCEL: a failed step is over anyway, the next runs on a fresh proxy. */
			call_failed(u, i, 408);
		} else if (++c->tries > TRIES) {
			if (c->state == INVITING) {
				call_failed(u, i, 408);
			} else {
				c->state = ENDED;
				u->ended++;
				u->bye_failed++;
				u->inflight--;
			}
		} else {
			c->due = now + RETRANSMIT;
			if (c->state == INVITING)
				send_invite(u, i);
			else
				send_in_dialog(u, i, "BYE", 2);
		}
	}
}

static void start_pumping(struct uac *u, double now)
{
	/* Non-blocking: a callee that is gone fails the run instead of hanging it (ENXIO). */
	int fd = open(u->mc->go, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	double start = now + 0.1;
	char go[64];
	int len;

	/* The callee starts from the same instant (one clock in one machine). */
	u->per_stream = u->mc->seconds * RTP_PPS;
	len = snprintf(go, sizeof(go), "go %.6f %u\n", start, u->per_stream);
	if (fd < 0 || write(fd, go, len) != len)
		bench_die("mediacall: %s: %s", u->mc->go, strerror(errno));
	close(fd);
	pump_start(&u->mc->pump, start, u->per_stream);
	u->pump_start = now;
	u->phase = PUMP;
	loop_timer_arm(u->mc->loop, &u->mc->pace, PACE_MS);
}

static bool all_received(const struct uac *u)
{
	unsigned int i;

	for (i = 0; i < u->mc->n; i++)
		if (u->mc->pump.s[i].active && u->mc->pump.s[i].received < u->per_stream)
			return false;
	return true;
}

static void pace(struct timer *t, uint64_t now_ms)
{
	struct uac *u = &uac;
	double now = bench_now();

	if (now < u->mc->pump.start) {
		loop_timer_arm(u->mc->loop, t, PACE_MS);
		return;
	}
	if (!u->sampled) {
		cpu_sample(u, &u->cpu[0]);
		u->sampled = true;
	}
	if (!pump_send(&u->mc->pump, now)) {
		loop_timer_arm(u->mc->loop, t, PACE_MS);
		return;
	}
	cpu_sample(u, &u->cpu[1]);
	u->drain_start = now;
	u->phase = DRAINING;
}

static void tick(struct timer *t, uint64_t now_ms)
{
	struct uac *u = &uac;
	double now = bench_now();

	if (now >= u->next_scan) {
		retransmit(u, now);
		u->next_scan = now + SCAN;
	}
	switch (u->phase) {
	case SETUP:
		while (u->inflight < u->mc->window && u->next < u->mc->n) {
			struct call *c = &u->c[u->next];

			c->state = INVITING;
			c->due = now + RETRANSMIT;
			send_invite(u, u->next++);
			u->inflight++;
		}
		if (u->up + u->failed == u->mc->n)
			start_pumping(u, now);
		break;
	case PUMP:
		break;
	case DRAINING:
		if (now - u->drain_start < DRAIN && !all_received(u))
			break;
		u->drain_end = now;
		u->phase = TEARDOWN;
		u->next = 0;
		u->inflight = 0;
		/* fall through */
	case TEARDOWN:
		while (u->inflight < u->mc->window && u->next < u->mc->n) {
			struct call *c = &u->c[u->next];

			if (c->state == UP) {
				c->state = BYEING;
				c->tries = 0;
				c->due = now + RETRANSMIT;
				send_in_dialog(u, u->next, "BYE", 2);
				u->inflight++;
			}
			u->next++;
		}
		if (u->next == u->mc->n && u->ended == u->up) {
			u->phase = DONE;
			loop_stop(u->mc->loop);
			return;
		}
		break;
	case DONE:
		return;
	}
	loop_timer_arm(u->mc->loop, t, TICK_MS);
}

static void report(const struct uac *u)
{
	const struct cpu *a = &u->cpu[0], *b = &u->cpu[1];
	static const char *const names[8] = { "user", "nice", "system", "idle", "iowait", "irq",
					      "softirq", "steal" };
	int i, r;

	printf("uac calls=%u up=%u failed=%u fail_status=%d bye_failed=%u setup_seconds=%.2f "
	       "pump_seconds=%.3f drain_seconds=%.2f stray=%llu full=%llu\n",
	       u->mc->n, u->up, u->failed, u->fail_status, u->bye_failed,
	       u->pump_start - u->setup_start, u->drain_start - u->mc->pump.start,
	       u->drain_end - u->drain_start, (unsigned long long)u->mc->pump.stray,
	       (unsigned long long)u->mc->pump.full);
	for (r = 0; r < a->rows && r < b->rows; r++) {
		if (r)
			printf("cpu%d", r - 1);
		else
			printf("cpu");
		printf(" seconds=%.3f", b->at - a->at);
		for (i = 0; i < 8; i++)
			printf(" %s=%llu", names[i], b->stat[r][i] - a->stat[r][i]);
		printf("\n");
	}
	for (i = 0; i < u->mc->n_pids; i++)
		printf("pid %d ticks=%llu\n", u->mc->pids[i], b->pid[i] - a->pid[i]);
	mc_report_calls(u->mc);
}

int uac_run(struct mc *mc)
{
	unsigned int i;

	uac.mc = mc;
	/* Its own CPU time last: the caller's share of the generator's cost. */
	if (mc->n_pids == MC_MAX_PIDS)
		return -1;
	mc->pids[mc->n_pids++] = getpid();
	uac.c = calloc(mc->n, sizeof(*uac.c));
	if (!uac.c)
		return -1;
	endpoint_format(&mc->sip_local, uac.local);
	loop_io_init(&mc->sip_io, mc->sip_fd, sip_readable);
	if (loop_io_add(mc->loop, &mc->sip_io, EPOLLIN) < 0)
		goto free_calls;
	timer_init(&uac.tick, tick);
	timer_init(&mc->pace, pace);
	uac.setup_start = bench_now();
	loop_timer_arm(mc->loop, &uac.tick, 0);
	if (loop_run(mc->loop) < 0)
		goto free_calls;
	if (uac.phase == DONE)
		report(&uac);
	mc->status = uac.failed || uac.bye_failed || uac.phase != DONE;
	for (i = 0; i < mc->n; i++)
		free(uac.c[i].dialog);
	free(uac.c);
	return 0;

free_calls:
	free(uac.c);
	return -1;
}
