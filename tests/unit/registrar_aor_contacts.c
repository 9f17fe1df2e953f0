// SPDX-License-Identifier: GPL-2.0
/*
 * The registrar's pure helpers: the address of record a REGISTER's To URI
 * names (RFC 3261 10.3 step 5: our domains only, the host compared without
 * case, the user part kept as written) and the Contact list of its 200
 * (10.3 step 8: every binding with its remaining expires, q below 1).
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "sipproxyd/registrar.h"

static struct core core;
static struct config cfg;
static char *domains[] = { "example.com", "[2001:db8::1]" };

static void setup(void)
{
	cfg.domains.v = domains;
	cfg.domains.n = 2;
	core.cfg = &cfg;
}

/* The AOR of @text, or the error. */
static int aor_of(const char *text, char aor[REGISTRAR_AOR_MAX])
{
	struct sip_uri uri;

	setup();
	if (sip_uri_parse(sip_str_make(text, strlen(text)), &uri))
		return -EBADMSG;
	return registrar_aor(&core, &uri, aor);
}

TEST(aor_lowers_the_host_and_keeps_the_user)
{
	char aor[REGISTRAR_AOR_MAX];

	ASSERT_EQ(0, aor_of("sip:Alice.Smith@EXAMPLE.Com:5070;transport=tcp?Subject=x", aor));
	ASSERT_STREQ("sip:Alice.Smith@example.com", aor);
}

TEST(aor_of_sips_is_the_sip_aor)
{
	char aor[REGISTRAR_AOR_MAX];

	ASSERT_EQ(0, aor_of("sips:bob@example.com", aor));
	ASSERT_STREQ("sip:bob@example.com", aor);
}

TEST(aor_refuses_other_domains_no_user_and_tel)
{
	char aor[REGISTRAR_AOR_MAX];

	ASSERT_EQ(-EINVAL, aor_of("sip:bob@example.org", aor));
	ASSERT_EQ(-EINVAL, aor_of("sip:example.com", aor));
	ASSERT_EQ(-EINVAL, aor_of("tel:+15551234567", aor));
	ASSERT_EQ(-EINVAL, aor_of("sip:bob@sub.example.com", aor));
}

/* "sip:" + user + "@" + host must fit LOCATION_MAX_AOR_LEN bytes. */
TEST(aor_length_limit_is_exact)
{
	char aor[REGISTRAR_AOR_MAX], text[400];
	size_t user = LOCATION_MAX_AOR_LEN - strlen("sip:@example.com");

	snprintf(text, sizeof(text), "sip:%0*d@example.com", (int)user, 0);
	ASSERT_EQ(0, aor_of(text, aor));
	ASSERT_EQ((size_t)LOCATION_MAX_AOR_LEN, strlen(aor));
	snprintf(text, sizeof(text), "sip:%0*d@example.com", (int)user + 1, 0);
	ASSERT_EQ(-ENAMETOOLONG, aor_of(text, aor));
}

static struct location_binding binding(const char *contact, int64_t expires, uint16_t q)
{
	struct location_binding b = { .expires = expires, .q = q };

	b.contact = sip_str_make(contact, strlen(contact));
	return b;
}

TEST(contacts_list_remaining_expires_and_q_below_one)
{
	struct location_binding a = binding("sip:a@192.0.2.1", 5000, 1000);
	struct location_binding b = binding("sip:b@192.0.2.2:5070;transport=tcp", 1460, 500);
	struct location_binding z = binding("sip:z@[2001:db8::9]", 1401, 0);
	const struct location_binding *v[] = { &a, &b, &z };
	static const char want[] =
		"Contact: <sip:a@192.0.2.1>;expires=3600\r\n"
		"Contact: <sip:b@192.0.2.2:5070;transport=tcp>;expires=60;q=0.500\r\n"
		"Contact: <sip:z@[2001:db8::9]>;expires=1;q=0.000\r\n";
	char out[512];

	ASSERT_EQ(sizeof(want) - 1, registrar_contacts(v, 3, 1400, out, sizeof(out)));
	ASSERT_STREQ(want, out);
}

TEST(contacts_of_nothing_is_empty)
{
	char out[8] = "junk";

	ASSERT_EQ((size_t)0, registrar_contacts(NULL, 0, 0, out, sizeof(out)));
	ASSERT_STREQ("", out);
}

/* One byte short of the whole list is no list: the caller answers 500. */
TEST(contacts_that_do_not_fit_are_refused)
{
	struct location_binding a = binding("sip:a@192.0.2.1", 100, 1000);
	struct location_binding b = binding("sip:b@192.0.2.2", 100, 250);
	const struct location_binding *v[] = { &a, &b };
	char out[256];
	size_t whole = registrar_contacts(v, 2, 0, out, sizeof(out));

	ASSERT_EQ(strlen("Contact: <sip:a@192.0.2.1>;expires=100\r\n"
			 "Contact: <sip:b@192.0.2.2>;expires=100;q=0.250\r\n"), whole);
	ASSERT_EQ(whole, registrar_contacts(v, 2, 0, out, whole + 1));
	ASSERT_EQ((size_t)0, registrar_contacts(v, 2, 0, out, whole));
	ASSERT_EQ((size_t)0, registrar_contacts(v, 2, 0, out, 10));
}

TEST_HARNESS_MAIN
