// SPDX-License-Identifier: GPL-2.0
/*
 * sipproxyd's lifecycle: read the configuration, bind the listeners, take
 * the pid file, detach, run the event loop, and on SIGHUP re-read the file
 * (an invalid one changes nothing), on SIGTERM/SIGINT stop. Fatal startup
 * errors go to stderr as "sipproxyd: ..." and exit 1; once running, all
 * output goes through the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core.h"
#include "daemon.h"
#include "proxy_calls.h"

static const char *const proto_names[] = {
	[LISTEN_UDP] = "udp",
	[LISTEN_TCP] = "tcp",
	[LISTEN_TLS] = "tls",
};

static const char *const mode_names[] = {
	[CONFIG_MODE_PROXY] = "proxy",
	[CONFIG_MODE_REDIRECT] = "redirect",
};

const char *listen_proto_name(enum listen_proto proto)
{
	return proto_names[proto];
}

/* Print "sipproxyd: MESSAGE" on stderr, for failures before the loop runs. */
__attribute__((format(printf, 1, 2)))
static void startup_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sipproxyd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A bound (and for TCP/TLS listening) socket for @l, or -errno. */
static int open_socket(const struct listener *l)
{
	int type = l->proto == LISTEN_UDP ? SOCK_DGRAM : SOCK_STREAM;
	struct sockaddr_storage ss;
	socklen_t sslen = endpoint_to_sockaddr(&l->ep, &ss);
	int one = 1, fd, err;

	fd = socket(l->ep.family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* [::]:P must not also take 0.0.0.0:P, which may be listed apart. */
	if (l->ep.family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		goto err_close;
	/* A restart must not wait for old connections' TIME_WAIT. */
	if (type == SOCK_STREAM &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto err_close;
	if (bind(fd, (struct sockaddr *)&ss, sslen) < 0)
		goto err_close;
	if (type == SOCK_STREAM && listen(fd, LISTEN_BACKLOG) < 0)
		goto err_close;
	return fd;

err_close:
	err = -errno;
	close(fd);
	return err;
}

static const struct listener *find_listener(const struct listeners *in,
					    enum listen_proto proto, const struct endpoint *ep)
{
	size_t i;

	for (i = 0; in && i < in->n; i++)
		if (in->v[i].proto == proto && endpoint_equal(&in->v[i].ep, ep))
			return &in->v[i];
	return NULL;
}

/**
 * listeners_close - close what @l holds, except descriptors also in @keep
 * @keep: a table sharing some of @l's sockets, or NULL
 */
void listeners_close(struct listeners *l, const struct listeners *keep)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!find_listener(keep, l->v[i].proto, &l->v[i].ep))
			close(l->v[i].fd);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/**
 * listeners_open - the listener table [listen] of @cfg asks for
 * @out: filled on success
 * @reuse: sockets already open (a running table on reload), or NULL;
 *         entries of @cfg found there share their descriptor
 * @err: on failure, "cannot listen on PROTO ADDR:PORT: REASON"
 *
 * On failure, every socket this call opened is closed again.
 *
 * Return: 0 or a negative errno.
 */
int listeners_open(struct listeners *out, const struct config *cfg,
		   const struct listeners *reuse, char *err, size_t len)
{
	const struct config_endpoints *lists[] = {
		[LISTEN_UDP] = &cfg->listen_udp,
		[LISTEN_TCP] = &cfg->listen_tcp,
		[LISTEN_TLS] = &cfg->listen_tls,
	};
	struct listeners l = { 0 };
	size_t total = 0, i;
	int proto;

	for (proto = LISTEN_UDP; proto <= LISTEN_TLS; proto++)
		total += lists[proto]->n;
	l.v = calloc(total ? total : 1, sizeof(*l.v));
	if (!l.v) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	for (proto = LISTEN_UDP; proto <= LISTEN_TLS; proto++) {
		for (i = 0; i < lists[proto]->n; i++) {
			struct listener *new = &l.v[l.n];
			const struct listener *old;
			char text[ENDPOINT_STRLEN];

			new->proto = (enum listen_proto)proto;
			new->ep = lists[proto]->v[i];
			old = find_listener(reuse, new->proto, &new->ep);
			new->fd = old ? old->fd : open_socket(new);
			if (new->fd < 0) {
				snprintf(err, len, "cannot listen on %s %s: %s", proto_names[proto],
					 endpoint_format(&new->ep, text), strerror(-new->fd));
				listeners_close(&l, reuse);
				return -EADDRNOTAVAIL;
			}
			l.n++;
		}
	}
	*out = l;
	return 0;
}

/*
 * Load @path into @cfg (a missing optional file means the defaults) and
 * give an empty domain list its meaning, the host's own names.
 */
static int load_config(struct config *cfg, const char *path, bool optional,
		       char err[CONFIG_ERR_MAX])
{
	if (optional && access(path, F_OK) < 0 && errno == ENOENT) {
		if (config_defaults(cfg))
			goto err_nomem;
	} else if (config_load(cfg, path, err)) {
		return -1;
	}
	if (config_host_domains(cfg)) {
		config_free(cfg);
		goto err_nomem;
	}
	return 0;

err_nomem:
	snprintf(err, CONFIG_ERR_MAX, "out of memory");
	return -1;
}

/* "a, b, c" for the log, cut to fit @size. */
static const char *join_domains(const struct config_strings *s, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", s->v[i]);
	return buf;
}

/**
 * daemon_check_config - sipproxyd --check-config
 * @path: the file to check; NULL: CONFIG_DEFAULT_PATH
 *
 * Return: the exit code: 0 valid, 1 not (the reason on stderr).
 */
int daemon_check_config(const char *path)
{
	char err[CONFIG_ERR_MAX];
	struct config cfg;

	if (config_load(&cfg, path ? path : CONFIG_DEFAULT_PATH, err)) {
		startup_error("%s", err);
		return 1;
	}
	config_free(&cfg);
	return 0;
}

static void apply_logging(const struct daemon *d)
{
	enum config_log_target target = d->cfg.log_target;

	if (target == CONFIG_LOG_AUTO)
		target = d->foreground ? CONFIG_LOG_STDERR : CONFIG_LOG_SYSLOG;
	if (target == CONFIG_LOG_SYSLOG)
		log_to_syslog();
	else
		log_to_stream(stderr);
	log_set_level(d->cfg.log_level);
}

/*
 * Take the pid file's lock, so a second instance fails here rather than
 * on a busy port; the pid is written once the process has detached.
 */
static int pid_file_lock(struct daemon *d)
{
	char old[32] = "";
	ssize_t n;

	if (!*d->cfg.pid_file)
		return 0;
	d->pid_path = strdup(d->cfg.pid_file);
	if (!d->pid_path) {
		startup_error("out of memory");
		return -1;
	}
	d->pid_fd = open(d->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->pid_fd < 0) {
		startup_error("%s: %s", d->pid_path, strerror(errno));
		return -1;
	}
	if (flock(d->pid_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		n = pread(d->pid_fd, old, sizeof(old) - 1, 0);
		old[n > 0 ? n : 0] = '\0';
		old[strcspn(old, "\n")] = '\0';
		startup_error("%s: already running (pid %s)", d->pid_path, old);
	} else {
		startup_error("%s: %s", d->pid_path, strerror(errno));
	}
	return -1;
}

static int pid_file_write(struct daemon *d)
{
	char text[32];
	int n;

	if (d->pid_fd < 0)
		return 0;
	n = snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if (ftruncate(d->pid_fd, 0) < 0 || pwrite(d->pid_fd, text, (size_t)n, 0) != n) {
		startup_error("%s: %s", d->pid_path, strerror(errno));
		return -1;
	}
	return 0;
}

static void pid_file_release(struct daemon *d)
{
	if (d->pid_fd < 0)
		return;
	/* Still ours while we hold the lock: remove before letting go. */
	unlink(d->pid_path);
	close(d->pid_fd);
	d->pid_fd = -1;
}

static void reload(struct daemon *d)
{
	char err[CONFIG_ERR_MAX], domains[LOG_LINE_MAX];
	struct listeners listeners;
	struct config cfg;

	if (load_config(&cfg, d->config_path, d->config_optional, err)) {
		log_error("%s; keeping the current configuration", err);
		return;
	}
	if (listeners_open(&listeners, &cfg, &d->listeners, err, sizeof(err))) {
		log_error("%s; keeping the current configuration", err);
		config_free(&cfg);
		return;
	}
	if (core_reload(d->core, &cfg, &listeners, err, sizeof(err))) {
		log_error("%s; keeping the current configuration", err);
		listeners_close(&listeners, &d->listeners);
		config_free(&cfg);
		return;
	}
	if (strcmp(cfg.pid_file, d->cfg.pid_file))
		log_warn("pid_file changes take effect at the next start");
	listeners_close(&d->listeners, &listeners);
	d->listeners = listeners;
	config_free(&d->cfg);
	d->cfg = cfg;
	apply_logging(d);
	log_notice("reloaded (mode %s, %zu listeners)", mode_names[d->cfg.mode], d->listeners.n);
	log_info("serving %s", join_domains(&d->cfg.domains, domains, sizeof(domains)));
}

static void on_signal(struct loop *loop, int signo, void *data)
{
	struct daemon *d = data;

	if (signo == SIGHUP) {
		reload(d);
		return;
	}
	if (signo == SIGUSR1) {
		core_log_stats(d->core);
		return;
	}
	log_notice("stopping on %s", strsignal(signo));
	loop_stop(loop);
}

static int watch_signals(struct daemon *d)
{
	static const int signals[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	size_t i;
	int ret;

	/* Write errors on closed connections arrive as EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		ret = loop_signal(d->loop, signals[i], on_signal, d);
		if (ret) {
			log_error("cannot watch %s: %s", strsignal(signals[i]), strerror(-ret));
			return -1;
		}
	}
	return 0;
}

/* Everything up to "started"; output still goes to stderr. */
static int start(struct daemon *d)
{
	char err[CONFIG_ERR_MAX];
	int ret;

	if (load_config(&d->cfg, d->config_path, d->config_optional, err)) {
		startup_error("%s", err);
		return -1;
	}
	ret = loop_new(&d->loop);
	if (ret) {
		startup_error("cannot create the event loop: %s", strerror(-ret));
		return -1;
	}
	if (listeners_open(&d->listeners, &d->cfg, NULL, err, sizeof(err))) {
		startup_error("%s", err);
		return -1;
	}
	if (core_new(d->loop, &d->cfg, &d->listeners, &d->core, err, sizeof(err))) {
		startup_error("%s", err);
		return -1;
	}
	if (pid_file_lock(d))
		return -1;
	if (!d->foreground && daemon(0, 0) < 0) {
		startup_error("cannot detach: %s", strerror(errno));
		return -1;
	}
	if (pid_file_write(d))
		return -1;
	apply_logging(d);
	/* After detaching: the process that adopts the previous run's calls keeps them. */
	if (d->cfg.mode == CONFIG_MODE_PROXY) {
		ret = proxy_calls_new(d->core, d->loop, &d->cfg, &d->calls);
		if (ret) {
			startup_error("cannot start media anchoring: %s", strerror(-ret));
			return -1;
		}
	}
	return watch_signals(d);
}

static void stop(struct daemon *d)
{
	/* The core's transactions first: their contexts name calls. */
	core_free(d->core);
	proxy_calls_free(d->calls);
	pid_file_release(d);
	free(d->pid_path);
	listeners_close(&d->listeners, NULL);
	loop_free(d->loop);
	config_free(&d->cfg);
}

/**
 * daemon_run - sipproxyd without --check-config
 *
 * Return: the exit code: 0 after a clean stop, 1 when startup failed.
 */
int daemon_run(const struct daemon_opts *opts)
{
	const char *path = opts->config_path ? opts->config_path : CONFIG_DEFAULT_PATH;
	/* Detaching changes to "/": keep reloads reading the same file. */
	char *abs_path = realpath(path, NULL);
	char domains[LOG_LINE_MAX];
	struct daemon d = {
		.config_path = abs_path ? abs_path : path,
		.config_optional = !opts->config_path,
		.foreground = opts->foreground,
		.pid_fd = -1,
	};
	int ret;

	log_init("sipproxyd");
	if (start(&d)) {
		stop(&d);
		free(abs_path);
		return 1;
	}
	log_notice("started (mode %s, %zu listeners)", mode_names[d.cfg.mode], d.listeners.n);
	log_info("serving %s", join_domains(&d.cfg.domains, domains, sizeof(domains)));
	ret = loop_run(d.loop);
	if (ret)
		log_error("event loop failed: %s", strerror(-ret));
	log_notice("stopped");
	core_log_stats(d.core);
	stop(&d);
	free(abs_path);
	return ret ? 1 : 0;
}

void daemon_usage(FILE *out)
{
	fprintf(out,
		"Usage: sipproxyd [-c FILE] [-f] [--check-config]\n"
		"       sipproxyd -V | -h\n"
		"\n"
		"  -c, --config FILE   read FILE (default " CONFIG_DEFAULT_PATH
		", built-in defaults if absent)\n"
		"  -f, --foreground    stay attached to the terminal, log to stderr\n"
		"      --check-config  validate the configuration and exit 0 or 1\n"
		"  -V, --version       print the version and exit\n"
		"  -h, --help          print this help and exit\n");
}
