// SPDX-License-Identifier: GPL-2.0
/* An empty [general] domains becomes the host's own names and addresses. */
#include <ctype.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sipproxyd/config.h"

static bool listed(const struct config_strings *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	return false;
}

TEST(empty_means_host_name_and_addresses)
{
	char host[256];
	struct config cfg;
	size_t i, j;

	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	for (i = 0; host[i]; i++)
		host[i] = (char)tolower((unsigned char)host[i]);
	ASSERT_EQ(0, config_defaults(&cfg));
	ASSERT_EQ(0, config_host_domains(&cfg));
	EXPECT_TRUE(listed(&cfg.domains, host));
	EXPECT_TRUE(listed(&cfg.domains, "127.0.0.1"));
	for (i = 0; i < cfg.domains.n; i++) {
		EXPECT_NE(0, strncmp(cfg.domains.v[i], "fe80:", 5));
		for (j = 0; j < i; j++)
			EXPECT_STRNE(cfg.domains.v[i], cfg.domains.v[j]);
	}
	config_free(&cfg);
}

TEST(configured_domains_are_kept)
{
	static const char text[] = "[general]\ndomains = example.com\n";
	char err[CONFIG_ERR_MAX];
	struct config cfg;

	ASSERT_EQ(0, config_parse(&cfg, "t.conf", text, sizeof(text) - 1, err));
	ASSERT_EQ(0, config_host_domains(&cfg));
	ASSERT_EQ(1U, cfg.domains.n);
	EXPECT_STREQ("example.com", cfg.domains.v[0]);
	config_free(&cfg);
}

TEST_HARNESS_MAIN
