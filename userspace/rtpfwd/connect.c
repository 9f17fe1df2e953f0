// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's side of the netlink client: open it, and turn every failure
 * into the one line on stderr that rtpfwd(8) promises.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "connect.h"

/**
 * connect_open - open the rtpfwd netlink socket, or say why not
 * @nl: the socket, for nl_close()
 *
 * Return: 0, or -1 after printing the reason.
 */
int connect_open(struct nl **nl)
{
	int ret = nl_open(nl);

	if (ret == -ENOENT)
		fprintf(stderr, "rtpfwd: kernel module not loaded\n");
	else if (ret)
		fprintf(stderr, "rtpfwd: netlink: %s\n", strerror(-ret));
	return ret ? -1 : 0;
}

/**
 * connect_error - print why a request failed, in the kernel's words if any
 * @nl: the socket the request went over
 * @what: the command, e.g. "flow add"
 * @err: the negative errno
 *
 * Return: 1, the exit status.
 */
int connect_error(const struct nl *nl, const char *what, int err)
{
	const char *msg = nl_errmsg(nl);

	if (*msg)
		fprintf(stderr, "rtpfwd: %s: %s (%s)\n", what, msg, strerror(-err));
	else
		fprintf(stderr, "rtpfwd: %s: %s\n", what, strerror(-err));
	return 1;
}

void connect_parse_error(const char *err)
{
	fprintf(stderr, "rtpfwd: %s\n", err);
}
