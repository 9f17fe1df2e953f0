// SPDX-License-Identifier: GPL-2.0
/*
 * mediacall: concurrent G.711 calls through sipproxyd, one side per process
 * (see mediacall.h). IPv4 only.
 *   mediacall uac -l SIP -m MEDIA -p PROXY -d DOMAIN -n CALLS -t SECONDS -g FIFO
 *                 [-w WINDOW] [-W PID,...]
 *   mediacall uas -l SIP -m MEDIA -n CALLS -g FIFO
 * SIP, MEDIA and PROXY are ADDR:PORT. Exits 0 when every call was set up,
 * pumped and ended, 1 otherwise (the report is printed either way).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mediacall.h"
#include "util.h"

#define RX_MS 5

void mc_send(struct mc *mc, const struct sockaddr_storage *to, socklen_t len, const char *msg,
	     size_t msg_len)
{
	/* A lost request or response is retransmitted like any UA's would be. */
	if (sendto(mc->sip_fd, msg, msg_len, 0, (const struct sockaddr *)to, len) < 0 &&
	    errno != EAGAIN && errno != ENOBUFS)
		bench_die("mediacall: sendto: %s", strerror(errno));
}

void mc_sdp(const struct mc *mc, char *out, size_t room, unsigned int call)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &mc->media_local.addr.v4, addr, sizeof(addr));
	snprintf(out, room,
		 "v=0\r\no=- %u 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
		 "m=audio %u RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n",
		 call, addr, addr, mc->media_local.port);
}

void mc_report_calls(const struct mc *mc)
{
	unsigned int i;

	for (i = 0; i < mc->n; i++) {
		const struct rtp_stream *s = &mc->pump.s[i];

		if (s->active)
			printf("call %u %llu %llu\n", i, (unsigned long long)s->sent,
			       (unsigned long long)s->received);
	}
}

/*
 * The media socket is read on a clock, not on readiness: a wakeup per
 * arriving packet would cost the ends more than the packet, and the ends
 * share the VM with the gateway they measure. The 4 MiB receive queue holds
 * far more than arrives in RX_MS.
 */
static void rx_tick(struct timer *t, uint64_t now_ms)
{
	struct mc *mc = container_of(t, struct mc, rx);

	pump_receive(&mc->pump);
	loop_timer_arm(mc->loop, t, RX_MS);
}

static int udp_socket(const struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(ep, &ss);

	return bench_udp_socket(&ss, len);
}

static void parse_pids(struct mc *mc, char *list)
{
	char *tok, *save;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (mc->n_pids == MC_MAX_PIDS - 1)
			bench_die("mediacall: at most %d pids", MC_MAX_PIDS - 1);
		mc->pids[mc->n_pids++] = atoi(tok);
	}
}

int main(int argc, char **argv)
{
	static struct mc mc = { .window = 32, .seconds = 5 };
	const char *role = argc > 1 ? argv[1] : "";
	const char *sip = NULL, *media = NULL, *proxy = NULL;
	int opt, media_fd;

	optind = 2;
	while ((opt = getopt(argc, argv, "l:m:p:d:n:t:g:w:W:")) != -1) {
		switch (opt) {
		case 'l': sip = optarg; break;
		case 'm': media = optarg; break;
		case 'p': proxy = optarg; break;
		case 'd': mc.domain = optarg; break;
		case 'n': mc.n = strtoul(optarg, NULL, 10); break;
		case 't': mc.seconds = strtoul(optarg, NULL, 10); break;
		case 'g': mc.go = optarg; break;
		case 'w': mc.window = strtoul(optarg, NULL, 10); break;
		case 'W': parse_pids(&mc, optarg); break;
		default: bench_die("usage: mediacall uac|uas -l SIP -m MEDIA -n CALLS -g FIFO "
				   "[-p PROXY -d DOMAIN -t SECONDS -w WINDOW -W PID,...]");
		}
	}
	if ((strcmp(role, "uac") && strcmp(role, "uas")) || !sip || !media || !mc.go || !mc.n ||
	    mc.n > 30000 || !mc.window || !mc.seconds)
		bench_die("mediacall: need uac|uas, -l, -m, -g and 1 <= -n <= 30000");
	if (!strcmp(role, "uac") && (!proxy || !mc.domain))
		bench_die("mediacall: the uac needs -p PROXY and -d DOMAIN");
	if (endpoint_parse(&mc.sip_local, sip) < 0 || endpoint_parse(&mc.media_local, media) < 0 ||
	    mc.sip_local.family != AF_INET || mc.media_local.family != AF_INET)
		bench_die("mediacall: -l and -m must be IPv4 ADDR:PORT");
	if (proxy)
		mc.proxy_len = bench_sockaddr(proxy, &mc.proxy);

	mc.sip_fd = udp_socket(&mc.sip_local);
	media_fd = udp_socket(&mc.media_local);
	if (loop_new(&mc.loop) < 0 || pump_init(&mc.pump, media_fd, mc.n) < 0)
		bench_die("mediacall: out of memory");
	timer_init(&mc.rx, rx_tick);
	loop_timer_arm(mc.loop, &mc.rx, RX_MS);

	if (!strcmp(role, "uac") ? uac_run(&mc) : uas_run(&mc))
		bench_die("mediacall: %s: cannot start: %s", role, strerror(errno));
	fflush(stdout);
	pump_free(&mc.pump);
	loop_free(mc.loop);
	close(media_fd);
	close(mc.sip_fd);
	return mc.status;
}
