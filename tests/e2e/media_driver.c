// SPDX-License-Identifier: GPL-2.0
/*
 * media_driver: sipproxyd's media layer (media.h) without SIP, for the
 * media_*.sh tests. Reads [media] and [registrar] database from CONFIG,
 * then one command per line on stdin:
 *
 *   adopt                           media_restart_adopt(), adopting every call
 *   call HANDLE                     media_call_new(), Call-ID "call-HANDLE"
 *   sdp BRANCH caller|callee offer|other FILE
 *                                   media_sdp(); prints the body to forward
 *                                   between "ok body LEN" and a line "."
 *   won BRANCH | lost BRANCH | failed BRANCH
 *                                   media_branch_won/_end/media_offer_failed()
 *   end REASON                      media_call_end()
 *   quit                            media_free() (kernel flows stay) and exit
 *
 * Every command answers one line "ok ..." or "error STATUS RETRY REASON";
 * a media timeout prints "timeout CALL-ID" and ends the call. Logs go to
 * stderr. Handles are decimal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "sipproxyd/config.h"
#include "sipproxyd/media.h"

struct driver {
	struct loop *loop;
	struct media *media;
	struct media_call *call;
	struct loop_io in;
	char line[4096];
	size_t len;
};

static void on_end(void *owner, struct media_call *call, const char *reason)
{
	struct driver *d = owner;

	printf("timeout %s\n", reason);
	fflush(stdout);
	media_call_end(call, reason);
	d->call = NULL;
}

static void *on_adopt(void *data, struct media_call *call, uint64_t handle,
		      const char *call_id)
{
	struct driver *d = data;

	d->call = call;
	printf("adopting %" PRIu64 " %s\n", handle, call_id);
	return d;
}

static int read_file(const char *path, char *buf, size_t size, size_t *len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	*len = fread(buf, 1, size, f);
	fclose(f);
	return 0;
}

static void cmd_sdp(struct driver *d, char *args)
{
	static char body[SDP_MAX_BODY], out[SDP_MAX_BODY];
	char side[16], kind[16], path[1024];
	struct media_err err;
	unsigned int branch;
	size_t len = 0;
	long n;

	if (!d->call || sscanf(args, "%u %15s %15s %1023s", &branch, side, kind, path) != 4 ||
	    read_file(path, body, sizeof(body), &len)) {
		printf("error 0 0 bad sdp command\n");
		return;
	}
	n = media_sdp(d->call, branch, strcmp(side, "caller") ? SDP_OA_CALLEE : SDP_OA_CALLER,
		      strcmp(kind, "offer") ? SDP_OA_MSG_OTHER : SDP_OA_MSG_OFFER, body, len,
		      out, sizeof(out), &err);
	if (n < 0) {
		printf("error %d %u %s\n", err.status, err.retry_after, err.reason);
		return;
	}
	printf("ok body %ld\n%.*s\n.\n", n, (int)n, out);
}

static void command(struct driver *d, char *line)
{
	char *args = strchr(line, ' ');
	uint64_t handle;
	struct endpoint none = { 0 };
	int ret;

	if (args)
		*args++ = '\0';
	else
		args = line + strlen(line);
	if (!strcmp(line, "adopt")) {
		printf("ok adopted %d\n", media_restart_adopt(d->media, on_adopt, d));
	} else if (!strcmp(line, "call")) {
		char id[64];

		handle = strtoull(args, NULL, 10);
		snprintf(id, sizeof(id), "call-%" PRIu64, handle);
		ret = media_call_new(d->media, id, strlen(id), handle, &none, d, &d->call);
		if (ret)
			printf("error 0 0 %s\n", strerror(-ret));
		else
			printf("ok\n");
	} else if (!strcmp(line, "sdp")) {
		cmd_sdp(d, args);
	} else if (d->call && !strcmp(line, "won")) {
		media_branch_won(d->call, (uint32_t)atoi(args));
		printf("ok\n");
	} else if (d->call && !strcmp(line, "lost")) {
		media_branch_end(d->call, (uint32_t)atoi(args));
		printf("ok\n");
	} else if (d->call && !strcmp(line, "failed")) {
		media_offer_failed(d->call, (uint32_t)atoi(args));
		printf("ok\n");
	} else if (d->call && !strcmp(line, "end")) {
		media_call_end(d->call, args);
		d->call = NULL;
		printf("ok\n");
	} else if (!strcmp(line, "quit")) {
		loop_stop(d->loop);
		printf("ok\n");
	} else {
		printf("error 0 0 unknown command '%s'\n", line);
	}
	fflush(stdout);
}

static void on_input(struct loop *loop, struct loop_io *io, uint32_t events)
{
	struct driver *d = container_of(io, struct driver, in);
	ssize_t n = read(io->fd, d->line + d->len, sizeof(d->line) - 1 - d->len);
	char *nl;

	if (n <= 0) {
		loop_stop(loop);
		return;
	}
	d->len += (size_t)n;
	while ((nl = memchr(d->line, '\n', d->len))) {
		*nl = '\0';
		command(d, d->line);
		d->len -= (size_t)(nl + 1 - d->line);
		memmove(d->line, nl + 1, d->len);
	}
	if (d->len == sizeof(d->line) - 1)
		d->len = 0;
}

int main(int argc, char **argv)
{
	struct driver d = { 0 };
	char err[CONFIG_ERR_MAX];
	struct config cfg;
	int ret = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: media_driver CONFIG < commands\n");
		return 1;
	}
	log_init("media_driver");
	log_set_level(LOG_LEVEL_DEBUG);
	if (config_defaults(&cfg) || config_load(&cfg, argv[1], err)) {
		fprintf(stderr, "media_driver: %s\n", err);
		return 1;
	}
	if (loop_new(&d.loop))
		goto out_cfg;
	if (media_init(&d.media, d.loop, &cfg, on_end))
		goto out_loop;
	loop_io_init(&d.in, STDIN_FILENO, on_input);
	if (loop_io_add(d.loop, &d.in, EPOLLIN))
		goto out_media;
	ret = loop_run(d.loop) ? 1 : 0;
	loop_io_del(d.loop, &d.in);
out_media:
	media_free(d.media);
out_loop:
	loop_free(d.loop);
out_cfg:
	config_free(&cfg);
	return ret;
}
