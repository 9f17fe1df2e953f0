// SPDX-License-Identifier: GPL-2.0
/*
 * sipproxyd's runtime without SIP: the listener table (bind errors, reuse
 * across reloads, no leaked sockets) and a whole daemon in a child process
 * driven by signals, its log lines read back from a pipe.
 */
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/daemon.h"

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* A loopback port nothing uses right now, for @type sockets. */
static unsigned int free_port(int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, len) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		return 0;
	close(fd);
	return ntohs(sin.sin_port);
}

static int parse_config(struct config *cfg, const char *text)
{
	char err[CONFIG_ERR_MAX];

	return config_parse(cfg, "t.conf", text, strlen(text), err);
}

TEST(busy_port_is_a_clear_error_and_leaks_nothing)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t slen = sizeof(sin);
	char text[256], want[128], err[256];
	struct listeners l;
	struct config cfg;
	int busy, before;

	busy = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(busy, (struct sockaddr *)&sin, slen));
	ASSERT_EQ(0, getsockname(busy, (struct sockaddr *)&sin, &slen));
	/* The first entries bind fine and must be closed again. */
	snprintf(text, sizeof(text), "[listen]\ntcp = 127.0.0.1:%u\nudp = [::1]:%u, 127.0.0.1:%u\n",
		 free_port(SOCK_STREAM), ntohs(sin.sin_port), ntohs(sin.sin_port));
	ASSERT_EQ(0, parse_config(&cfg, text));
	before = open_fds();
	EXPECT_GT(0, listeners_open(&l, &cfg, NULL, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot listen on udp 127.0.0.1:%u: Address already in use",
		 ntohs(sin.sin_port));
	EXPECT_STREQ(want, err);
	EXPECT_EQ(before, open_fds());
	config_free(&cfg);
	close(busy);
}

TEST(reload_keeps_unchanged_sockets)
{
	unsigned int p1 = free_port(SOCK_DGRAM), p2 = free_port(SOCK_STREAM);
	struct config a, b;
	struct listeners la, lb;
	char text[256], err[256];
	int kept, dropped;

	snprintf(text, sizeof(text), "[listen]\nudp = 127.0.0.1:%u\ntcp = 127.0.0.1:%u\n", p1, p2);
	ASSERT_EQ(0, parse_config(&a, text));
	ASSERT_EQ(0, listeners_open(&la, &a, NULL, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(2U, la.n);
	EXPECT_EQ(LISTEN_UDP, (int)la.v[0].proto);
	EXPECT_EQ(LISTEN_TCP, (int)la.v[1].proto);
	kept = la.v[0].fd;
	dropped = la.v[1].fd;

	snprintf(text, sizeof(text), "[listen]\nudp = 127.0.0.1:%u, [::1]:%u\ntcp =\n", p1, p1);
	ASSERT_EQ(0, parse_config(&b, text));
	ASSERT_EQ(0, listeners_open(&lb, &b, &la, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(2U, lb.n);
	EXPECT_EQ(kept, lb.v[0].fd);
	listeners_close(&la, &lb);
	EXPECT_EQ(0, fcntl(kept, F_GETFD) < 0);
	EXPECT_EQ(-1, fcntl(dropped, F_GETFD));
	listeners_close(&lb, NULL);
	EXPECT_EQ(-1, fcntl(kept, F_GETFD));
	config_free(&a);
	config_free(&b);
}

TEST(ipv4_and_ipv6_wildcards_share_a_port)
{
	unsigned int port = free_port(SOCK_DGRAM);
	struct listeners l;
	struct config cfg;
	char text[256], err[256];

	snprintf(text, sizeof(text), "[listen]\nudp = 0.0.0.0:%u, [::]:%u\ntcp =\n", port, port);
	ASSERT_EQ(0, parse_config(&cfg, text));
	ASSERT_EQ(0, listeners_open(&l, &cfg, NULL, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(2U, l.n);
	listeners_close(&l, NULL);
	config_free(&cfg);
}

/* One line from @fd within 5 s, without its newline; "" on timeout or EOF. */
static const char *read_line(int fd)
{
	static char line[LOG_LINE_MAX];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;

	while (n < sizeof(line) - 1 && poll(&pfd, 1, 5000) == 1 && read(fd, &line[n], 1) == 1) {
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	return line;
}

FIXTURE(daemon) {
	char dir[32];
	char conf[64];
	char pid_file[64];
	int out;
	pid_t pid;
	char prefix[32];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

FIXTURE_SETUP(daemon)
{
	char text[256];

	strcpy(self->dir, "/tmp/daemon_lifecycle.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->conf, sizeof(self->conf), "%s/sipproxyd.conf", self->dir);
	snprintf(self->pid_file, sizeof(self->pid_file), "%s/sipproxyd.pid", self->dir);
	snprintf(text, sizeof(text),
		 "[general]\npid_file = %s\n[registrar]\ndatabase =\n[media]\nmedia_relay = userspace\n"
		 "[listen]\nudp = 127.0.0.1:%u\ntcp = 127.0.0.1:%u\n",
		 self->pid_file, free_port(SOCK_DGRAM), free_port(SOCK_STREAM));
	write_file(self->conf, text);
	self->pid = -1;
}

FIXTURE_TEARDOWN(daemon)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
	}
	unlink(self->conf);
	unlink(self->pid_file);
	rmdir(self->dir);
}

/* Run daemon_run() in a child whose stderr is self->out. */
static void spawn(struct _test_data_daemon *self)
{
	struct daemon_opts opts = { .config_path = self->conf, .foreground = true };
	int pipefd[2];

	if (pipe(pipefd))
		return;
	self->pid = fork();
	if (self->pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		_exit(daemon_run(&opts));
	}
	close(pipefd[1]);
	self->out = pipefd[0];
	snprintf(self->prefix, sizeof(self->prefix), "sipproxyd[%d]: ", (int)self->pid);
}

static int wait_exit(struct _test_data_daemon *self)
{
	int status;

	if (waitpid(self->pid, &status, 0) != self->pid)
		return -1;
	self->pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The next line, with the "sipproxyd[PID]: " prefix checked and cut. */
static const char *next_log(struct _test_data_daemon *self)
{
	const char *line = read_line(self->out);
	size_t n = strlen(self->prefix);

	return strncmp(line, self->prefix, n) ? line : line + n;
}

TEST_F(daemon, start_reload_stop)
{
	char pid_text[32] = "", want[256];
	FILE *f;

	spawn(self);
	ASSERT_LT(0, self->pid);
	/* In proxy mode the media layer starts first and says which relay it uses. */
	ASSERT_STREQ("notice: media: relay backend userspace", next_log(self));
	ASSERT_STREQ("notice: started (mode proxy, 2 listeners)", next_log(self));

	f = fopen(self->pid_file, "r");
	ASSERT_NE(NULL, f);
	EXPECT_NE(NULL, fgets(pid_text, sizeof(pid_text), f));
	fclose(f);
	EXPECT_EQ(self->pid, atoi(pid_text));

	write_file(self->conf, "[general]\nmode = redirect\n[listen]\nudp = 127.0.0.1:x\n");
	ASSERT_EQ(0, kill(self->pid, SIGHUP));
	snprintf(want, sizeof(want), "error: %s:4: udp: '127.0.0.1:x' is not ADDRESS:PORT or "
		 "[IPV6]:PORT; keeping the current configuration", self->conf);
	EXPECT_STREQ(want, next_log(self));

	snprintf(want, sizeof(want), "[general]\nmode = redirect\npid_file = %s\n"
		 "[listen]\nudp = 127.0.0.1:%u\ntcp =\n", self->pid_file, free_port(SOCK_DGRAM));
	write_file(self->conf, want);
	ASSERT_EQ(0, kill(self->pid, SIGHUP));
	EXPECT_STREQ("notice: reloaded (mode redirect, 1 listeners)", next_log(self));

	ASSERT_EQ(0, kill(self->pid, SIGTERM));
	EXPECT_STREQ("notice: stopping on Terminated", next_log(self));
	EXPECT_STREQ("notice: stopped", next_log(self));
	EXPECT_EQ(0, wait_exit(self));
	EXPECT_EQ(-1, access(self->pid_file, F_OK));
	close(self->out);
}

TEST_F(daemon, second_instance_refuses_to_start)
{
	char want[256];
	pid_t first;
	int first_out;

	spawn(self);
	/* In proxy mode the media layer starts first and says which relay it uses. */
	ASSERT_STREQ("notice: media: relay backend userspace", next_log(self));
	ASSERT_STREQ("notice: started (mode proxy, 2 listeners)", next_log(self));
	first = self->pid;
	first_out = self->out;

	/* Same pid file, other ports: the pid file lock is what stops it. */
	snprintf(want, sizeof(want), "[general]\npid_file = %s\n[registrar]\ndatabase =\n[listen]\nudp = 127.0.0.1:%u\ntcp =\n",
		 self->pid_file, free_port(SOCK_DGRAM));
	write_file(self->conf, want);
	spawn(self);
	snprintf(want, sizeof(want), "sipproxyd: %s: already running (pid %d)", self->pid_file,
		 (int)first);
	EXPECT_STREQ(want, read_line(self->out));
	EXPECT_EQ(1, wait_exit(self));
	close(self->out);

	self->pid = first;
	self->out = first_out;
	snprintf(self->prefix, sizeof(self->prefix), "sipproxyd[%d]: ", (int)first);
	ASSERT_EQ(0, kill(self->pid, SIGINT));
	EXPECT_STREQ("notice: stopping on Interrupt", next_log(self));
	EXPECT_STREQ("notice: stopped", next_log(self));
	EXPECT_EQ(0, wait_exit(self));
	close(self->out);
}

TEST_F(daemon, check_config_exit_codes)
{
	char want[256];
	int pipefd[2], saved;

	EXPECT_EQ(0, daemon_check_config(self->conf));
	write_file(self->conf, "[limits]\nmax_transactions = 0\n");
	ASSERT_EQ(0, pipe(pipefd));
	saved = dup(STDERR_FILENO);
	dup2(pipefd[1], STDERR_FILENO);
	EXPECT_EQ(1, daemon_check_config(self->conf));
	EXPECT_EQ(1, daemon_check_config("/nonexistent.conf"));
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(pipefd[1]);
	snprintf(want, sizeof(want),
		 "sipproxyd: %s:2: max_transactions: 0 is out of range (1..1000000)", self->conf);
	EXPECT_STREQ(want, read_line(pipefd[0]));
	EXPECT_STREQ("sipproxyd: /nonexistent.conf: No such file or directory", read_line(pipefd[0]));
	close(pipefd[0]);
}

TEST_HARNESS_MAIN
