// SPDX-License-Identifier: GPL-2.0
/*
 * What an empty [general] domains means: the host's own name and the
 * addresses of its interfaces, found when the daemon starts or reloads.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"

/* Append a lower-cased copy of @name unless already there. */
static int add_domain(struct config_strings *s, const char *name)
{
	char **grown, *copy;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcasecmp(s->v[i], name))
			return 0;
	if (s->n == CONFIG_LIST_MAX)
		return 0;	/* enough names to answer to */
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	for (i = 0; copy[i]; i++)
		copy[i] = (char)tolower((unsigned char)copy[i]);
	grown = realloc(s->v, (s->n + 1) * sizeof(*grown));
	if (!grown) {
		free(copy);
		return -ENOMEM;
	}
	grown[s->n++] = copy;
	s->v = grown;
	return 0;
}

static int add_names(struct config_strings *s)
{
	struct addrinfo hints = { .ai_flags = AI_CANONNAME }, *ai;
	char host[256];
	int ret;

	if (gethostname(host, sizeof(host)) < 0)
		return 0;
	host[sizeof(host) - 1] = '\0';
	ret = add_domain(s, host);
	/* The canonical name when the resolver knows one ("pbx" -> "pbx.example.com"). */
	if (!ret && getaddrinfo(host, NULL, &hints, &ai) == 0) {
		if (ai->ai_canonname)
			ret = add_domain(s, ai->ai_canonname);
		freeaddrinfo(ai);
	}
	return ret;
}

static int add_addresses(struct config_strings *s)
{
	struct ifaddrs *ifa, *i;
	char text[INET6_ADDRSTRLEN];
	int ret = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i && !ret; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, text,
				  sizeof(text));
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			/* Link-local addresses need a zone and never name a SIP domain. */
			if (IN6_IS_ADDR_LINKLOCAL(a))
				continue;
			inet_ntop(AF_INET6, a, text, sizeof(text));
		} else {
			continue;
		}
		ret = add_domain(s, text);
	}
	freeifaddrs(ifa);
	return ret;
}

/**
 * config_host_domains - fill an empty @cfg->domains with the host's own
 *
 * The host name, its canonical name if the resolver has one, and every
 * interface address but IPv6 link-local ones, at most CONFIG_LIST_MAX.
 * A @cfg with domains set is left alone.
 *
 * Return: 0 or -ENOMEM.
 */
int config_host_domains(struct config *cfg)
{
	int ret;

	if (cfg->domains.n)
		return 0;
	ret = add_names(&cfg->domains);
	if (!ret)
		ret = add_addresses(&cfg->domains);
	return ret;
}
