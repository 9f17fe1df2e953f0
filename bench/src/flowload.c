// SPDX-License-Identifier: GPL-2.0
/*
 * flowload: installs N rtpfwd flows in netlink batches and reports the rate
 * and the kernel memory they took. Flow i: local LADDR:LPORT+i, out
 * OADDR:OPORT+i, peer PEER, source policy any, flag rtp.
 *   flowload -n N -l LADDR:LPORT -o OADDR:OPORT -p ADDR:PORT [-m MANY]
 * MANY flows go in each FLOW_NEW_MANY request (default 256); -m 0 sends
 * one FLOW_NEW per flow instead, as many per sendmsg() as fit 32 KiB.
 * Prints "installed=N per_request=M seconds=S per_second=R
 * slab_bytes_per_flow=B percpu_bytes_per_flow=P flow_object=O
 * flows_per_slab=F".
 *
 * Memory is measured after a settle on both sides: a second for the
 * rhashtable's deferred resize and the RCU frees of its old table, then
 * every slab cache shrunk, so the pages that freed objects (netlink
 * messages above all) leave behind do not count as the flows'.
 */
#include <errno.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/endpoint.h"
#include "lib/nl.h"
#include "lib/nl_flow.h"
#include "util.h"

struct load {
	struct nl_flow base;
	size_t failed;
};

static int build_flow(struct nlmsghdr *req, size_t index, void *data)
{
	struct load *load = data;
	struct nl_flow flow = load->base;

	flow.local.port += index;
	flow.out.port += index;
	nl_flow_put(req, &flow);
	return 0;
}

static void flow_failed(size_t index, int err, const char *msg, void *data)
{
	struct load *load = data;

	if (!load->failed++)
		fprintf(stderr, "flowload: flow %zu: %s (%s)\n", index, *msg ? msg : "refused",
			strerror(-err));
}

/* A /proc/meminfo line in bytes: "Slab:" or "Percpu:". */
static long long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kb = atoll(line + strlen(key));
	fclose(f);
	return kb * 1024;
}

/* Writes "1" to every /sys/kernel/slab/CACHE/shrink, after a second's wait. */
static void settle(void)
{
	DIR *dir = opendir("/sys/kernel/slab");
	struct dirent *d;
	char path[512];
	FILE *f;

	sleep(1);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", d->d_name);
		f = fopen(path, "w");
		if (f) {
			fputs("1", f);
			fclose(f);
		}
	}
	closedir(dir);
}

/* A number from /sys/kernel/slab/rtpfwd_flow/NAME, or -1. */
static long flow_slab(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/rtpfwd_flow/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int on_ids(const struct nlmsghdr *nlh, void *data)
{
	uint32_t ids[RTPFWD_MANY_MAX];
	size_t *got = data;
	long n = nl_flow_parse_ids(nlh, ids, RTPFWD_MANY_MAX);

	if (n < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	*got = (size_t)n;
	return MNL_CB_OK;
}

/* FLOW_NEW_MANY requests of @many flows each; returns how many were made. */
static size_t install_many(struct nl *nl, struct load *load, size_t n, size_t many)
{
	struct nl_flow *flows = calloc(many, sizeof(*flows));
	char *buf = malloc(NL_BUFSIZE + many * NL_MANY_FLOW_SIZE);
	struct nlmsghdr *req;
	size_t done = 0, k, got;
	int ret;

	if (!flows || !buf)
		bench_die("flowload: out of memory");
	while (done < n) {
		k = n - done < many ? n - done : many;
		req = nl_msg_start(nl, buf, RTPFWD_CMD_FLOW_NEW_MANY, NLM_F_ACK);
		for (got = 0; got < k; got++) {
			flows[got] = load->base;
			flows[got].local.port += done + got;
			flows[got].out.port += done + got;
		}
		nl_flow_put_many(req, flows, k);
		got = 0;
		ret = nl_request(nl, req, on_ids, &got);
		if (ret < 0 || got != k) {
			flow_failed(done, ret, nl_errmsg(nl), load);
			break;
		}
		done += k;
	}
	free(buf);
	free(flows);
	return done;
}

static struct endpoint endpoint_or_die(const char *text)
{
	struct endpoint ep;

	if (!text || endpoint_parse(&ep, text) < 0)
		bench_die("flowload: invalid endpoint \"%s\"", text ? text : "");
	return ep;
}

int main(int argc, char **argv)
{
	const struct nl_batch_ops ops = { .build = build_flow, .error = flow_failed };
	const char *l = NULL, *o = NULL, *p = NULL;
	struct load load = { 0 };
	long long slab, percpu;
	unsigned long n = 1, many = 256;
	double start, secs;
	struct nl *nl;
	long done;
	int opt;

	while ((opt = getopt(argc, argv, "n:l:o:p:m:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'm': many = strtoul(optarg, NULL, 10); break;
		case 'l': l = optarg; break;
		case 'o': o = optarg; break;
		case 'p': p = optarg; break;
		default: bench_die("usage: flowload -n N -l ADDR:PORT -o ADDR:PORT -p ADDR:PORT [-m MANY]");
		}
	}
	load.base.local = endpoint_or_die(l);
	load.base.out = endpoint_or_die(o);
	load.base.peer = endpoint_or_die(p);
	if (!n || load.base.local.port + n - 1 > 65535 || load.base.out.port + n - 1 > 65535)
		bench_die("flowload: N must be >= 1 and keep ports <= 65535");
	if (many > RTPFWD_MANY_MAX)
		bench_die("flowload: MANY must be <= %d", RTPFWD_MANY_MAX);
	load.base.flags = RTPFWD_F_RTP;
	nl_flow_mark(&load.base, RTPFWD_A_LOCAL);
	nl_flow_mark(&load.base, RTPFWD_A_OUT);
	nl_flow_mark(&load.base, RTPFWD_A_PEER);
	nl_flow_mark(&load.base, RTPFWD_A_FLAGS);

	if (nl_open(&nl) < 0)
		bench_die("flowload: rtpfwd: kernel module not loaded");
	settle();
	slab = meminfo("Slab:");
	percpu = meminfo("Percpu:");
	start = bench_now();
	if (many)
		done = (long)install_many(nl, &load, n, many);
	else
		done = nl_batch(nl, RTPFWD_CMD_FLOW_NEW, n, &ops, &load);
	secs = bench_now() - start;
	if (done < 0 || load.failed)
		bench_die("flowload: %zu of %lu flows refused", load.failed, n);
	settle();
	printf("installed=%lu per_request=%lu seconds=%.3f per_second=%.0f slab_bytes_per_flow=%.0f "
	       "percpu_bytes_per_flow=%.0f flow_object=%ld flows_per_slab=%ld\n", n, many ? many : 1,
	       secs, n / secs,
	       (double)(meminfo("Slab:") - slab) / n, (double)(meminfo("Percpu:") - percpu) / n,
	       flow_slab("object_size"), flow_slab("objs_per_slab"));
	nl_close(nl);
	return 0;
}
