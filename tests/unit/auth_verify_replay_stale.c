// SPDX-License-Identifier: GPL-2.0
/*
 * auth.c end to end under a virtual clock: challenge, answer as a client
 * would, and check every verdict: success per algorithm, replayed and
 * lower nonce-counts, stale nonces, forged nonces, unknown users that
 * look exactly like wrong passwords, and the field checks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "sipproxyd/auth.h"

#define S(lit) SIP_STR(lit)
#define REALM "example.com"
#define T0 1700000000

static const char users[] =
	"alice@" REALM ":plain:wonderland\n"
	"bob@" REALM ":md5:"
	/* H(bob:example.com:builder) */
	"37593d991414f52c30246c60c7798431\n";

struct client {
	char nonce[AUTH_NONCE_LEN + 1];
	char opaque[AUTH_OPAQUE_LEN + 1];
	char nc[9];
	char response[DIGEST_MAX_HEX];
	struct auth_digest d;
};

/* The quoted value of @name in a challenge header value. */
static void challenge_param(const char *value, const char *name, char *out, size_t size)
{
	char key[32];
	const char *p, *q;

	snprintf(key, sizeof(key), "%s=\"", name);
	p = strstr(value, key);
	out[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	q = strchr(p, '"');
	if (q && (size_t)(q - p) < size) {
		memcpy(out, p, (size_t)(q - p));
		out[q - p] = '\0';
	}
}

static void client_init(struct client *c, const struct auth_challenges *ch)
{
	memset(c, 0, sizeof(*c));
	challenge_param(ch->value[0], "nonce", c->nonce, sizeof(c->nonce));
	challenge_param(ch->value[0], "opaque", c->opaque, sizeof(c->opaque));
}

/* Fills c->d as a client answering with @password over nonce-count @nc. */
static void client_answer(struct client *c, const char *user, const char *password,
			  enum digest_algorithm algorithm, unsigned int nc, bool qop)
{
	struct sip_str u = sip_str_make(user, strlen(user));
	struct sip_str pw = sip_str_make(password, strlen(password));
	uint8_t ha1[DIGEST_MAX_LEN], resp[DIGEST_MAX_LEN];
	struct digest_input in = {
		.algorithm = algorithm,
		.nonce = sip_str_make(c->nonce, strlen(c->nonce)),
		.method = S("REGISTER"),
		.uri = S("sip:" REALM),
	};

	snprintf(c->nc, sizeof(c->nc), "%08x", nc);
	if (qop) {
		in.cnonce = S("0a4f113b");
		in.nc = sip_str_make(c->nc, 8);
		in.qop = S("auth");
	}
	digest_ha1(algorithm, u, S(REALM), pw, ha1);
	digest_response(&in, ha1, resp);
	digest_hex(resp, digest_len(algorithm), c->response);
	c->d = (struct auth_digest){
		.username = u,
		.realm = S(REALM),
		.nonce = in.nonce,
		.uri = in.uri,
		.response = sip_str_make(c->response, strlen(c->response)),
		.algorithm = sip_str_make(digest_algorithm_name(algorithm),
					  strlen(digest_algorithm_name(algorithm))),
		.cnonce = in.cnonce,
		.opaque = sip_str_make(c->opaque, strlen(c->opaque)),
		.qop = in.qop,
		.nc = in.nc,
	};
}

FIXTURE(auth)
{
	struct auth *auth;
	struct credentials *creds;
	struct auth_challenges ch;
	struct client c;
};

FIXTURE_VARIANT(auth)
{
	unsigned int algorithms;
	bool rfc2069;
};

FIXTURE_VARIANT_ADD(auth, defaults)
{
	.algorithms = DIGEST_SHA256 | DIGEST_MD5,
};

FIXTURE_VARIANT_ADD(auth, all_and_rfc2069)
{
	.algorithms = DIGEST_ALGORITHMS_ALL,
	.rfc2069 = true,
};

FIXTURE_SETUP(auth)
{
	struct auth_config cfg;
	char err[256];

	auth_config_default(&cfg, REALM);
	cfg.algorithms = variant->algorithms;
	cfg.allow_rfc2069 = variant->rfc2069;
	ASSERT_EQ(0, auth_new(&cfg, &self->auth));
	ASSERT_EQ(0, credentials_parse(users, sizeof(users) - 1, "users", &self->creds,
				       err, sizeof(err)));
	ASSERT_EQ(0, auth_challenge(self->auth, false, T0, &self->ch));
	client_init(&self->c, &self->ch);
	ASSERT_EQ((size_t)AUTH_NONCE_LEN, strlen(self->c.nonce));
	ASSERT_EQ((size_t)AUTH_OPAQUE_LEN, strlen(self->c.opaque));
}

FIXTURE_TEARDOWN(auth)
{
	auth_free(self->auth);
	credentials_free(self->creds);
}

static int verify(struct auth *auth, const struct credentials *creds,
		  const struct client *c, int64_t now)
{
	return (int)auth_verify(auth, creds, &c->d, S("REGISTER"), S("sip:" REALM), now);
}

TEST_F(auth, challenge_values_strongest_first)
{
	char expect[AUTH_CHALLENGE_MAX];
	const char *names[4];
	unsigned int n = 0, i;

	if (variant->algorithms & DIGEST_SHA256)
		names[n++] = "SHA-256";
	if (variant->algorithms & DIGEST_SHA256_SESS)
		names[n++] = "SHA-256-sess";
	if (variant->algorithms & DIGEST_MD5)
		names[n++] = "MD5";
	if (variant->algorithms & DIGEST_MD5_SESS)
		names[n++] = "MD5-sess";
	ASSERT_EQ(n, self->ch.count);
	for (i = 0; i < n; i++) {
		snprintf(expect, sizeof(expect),
			 "Digest realm=\"" REALM "\", nonce=\"%s\", opaque=\"%s\", "
			 "algorithm=%s, qop=\"auth\"", self->c.nonce, self->c.opaque, names[i]);
		EXPECT_STREQ(expect, self->ch.value[i]);
	}
}

TEST_F(auth, stale_flag_and_fresh_nonce_per_challenge)
{
	struct auth_challenges again;
	char nonce[AUTH_NONCE_LEN + 1];

	ASSERT_EQ(0, auth_challenge(self->auth, true, T0, &again));
	challenge_param(again.value[0], "nonce", nonce, sizeof(nonce));
	EXPECT_STRNE(self->c.nonce, nonce);
	EXPECT_NE(NULL, strstr(again.value[0], ", stale=true"));
	EXPECT_EQ(NULL, strstr(self->ch.value[0], "stale"));
}

TEST_F(auth, every_offered_algorithm_verifies)
{
	static const enum digest_algorithm all[] = {
		DIGEST_MD5, DIGEST_MD5_SESS, DIGEST_SHA256, DIGEST_SHA256_SESS,
	};
	unsigned int i, nc = 0;

	for (i = 0; i < 4; i++) {
		client_answer(&self->c, "alice", "wonderland", all[i], ++nc, true);
		EXPECT_EQ(variant->algorithms & all[i] ? AUTH_OK : AUTH_UNSUPPORTED,
			  verify(self->auth, self->creds, &self->c, T0 + 1));
	}
}

TEST_F(auth, nonce_count_must_increase)
{
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	ASSERT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
	EXPECT_EQ(AUTH_REPLAY, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 3, true);
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0 + 2));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 2, true);
	EXPECT_EQ(AUTH_REPLAY, verify(self->auth, self->creds, &self->c, T0 + 2));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 4, true);
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0 + 3));
}

TEST_F(auth, forged_attempt_does_not_burn_the_count)
{
	client_answer(&self->c, "alice", "guess", DIGEST_SHA256, 9, true);
	ASSERT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, expired_nonce_is_stale_only_with_the_right_password)
{
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0 + 300));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 2, true);
	EXPECT_EQ(AUTH_STALE, verify(self->auth, self->creds, &self->c, T0 + 301));
	client_answer(&self->c, "alice", "wrong", DIGEST_SHA256, 3, true);
	EXPECT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0 + 301));
}

TEST_F(auth, unknown_user_looks_like_wrong_password)
{
	client_answer(&self->c, "mallory", "wonderland", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "alice", "wonderland!", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0));
	/* bob has only an MD5 H(A1): SHA-256 cannot succeed, and says no more. */
	client_answer(&self->c, "bob", "builder", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "bob", "builder", DIGEST_MD5, 1, true);
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, response_hex_case_and_length)
{
	size_t i;

	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	for (i = 0; self->c.response[i]; i++)
		if (self->c.response[i] >= 'a' && self->c.response[i] <= 'f')
			self->c.response[i] = (char)(self->c.response[i] - 'a' + 'A');
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 2, true);
	self->c.d.response.len--;
	EXPECT_EQ(AUTH_FAILED, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, nonce_and_opaque_must_be_ours)
{
	struct auth_challenges other_ch;
	struct auth_config cfg;
	struct auth *other;

	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	self->c.nonce[10] = self->c.nonce[10] == 'A' ? 'B' : 'A';
	EXPECT_EQ(AUTH_BAD_NONCE, verify(self->auth, self->creds, &self->c, T0));

	client_init(&self->c, &self->ch);
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	self->c.opaque[0] = self->c.opaque[0] == 'A' ? 'B' : 'A';
	EXPECT_EQ(AUTH_BAD_NONCE, verify(self->auth, self->creds, &self->c, T0));
	/* Leaving opaque out is tolerated: it carries no security. */
	self->c.d.opaque = SIP_STR_NONE;
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));

	/* Another instance (another key) for the same realm. */
	auth_config_default(&cfg, REALM);
	ASSERT_EQ(0, auth_new(&cfg, &other));
	ASSERT_EQ(0, auth_challenge(other, false, T0, &other_ch));
	client_init(&self->c, &other_ch);
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	self->c.d.opaque = SIP_STR_NONE;
	EXPECT_EQ(AUTH_BAD_NONCE, verify(self->auth, self->creds, &self->c, T0));
	auth_free(other);

	client_init(&self->c, &self->ch);
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	self->c.d.nonce.len--;
	EXPECT_EQ(AUTH_BAD_NONCE, verify(self->auth, self->creds, &self->c, T0));
	self->c.d.nonce = S("");
	EXPECT_EQ(AUTH_BAD_NONCE, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, field_checks)
{
	struct auth_digest saved;

	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, true);
	saved = self->c.d;

	self->c.d.username = SIP_STR_NONE;
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.response = SIP_STR_NONE;
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.realm = S("example.org");
	EXPECT_EQ(AUTH_WRONG_REALM, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.algorithm = S("SHA-512-256");
	EXPECT_EQ(AUTH_UNSUPPORTED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.qop = S("auth-int");
	EXPECT_EQ(AUTH_UNSUPPORTED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.nc = S("1");
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d.nc = S("00000000");
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d.nc = S("0000000g");
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.cnonce = S("");
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	self->c.d.uri = S("sip:example.com;transport=tcp");
	EXPECT_EQ(AUTH_URI_MISMATCH, verify(self->auth, self->creds, &self->c, T0));
	self->c.d = saved;
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, absent_algorithm_means_md5)
{
	client_answer(&self->c, "alice", "wonderland", DIGEST_MD5, 1, true);
	self->c.d.algorithm = SIP_STR_NONE;
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
}

TEST_F(auth, rfc2069_only_when_enabled_and_once_per_nonce)
{
	client_answer(&self->c, "alice", "wonderland", DIGEST_MD5, 1, false);
	if (!variant->rfc2069) {
		EXPECT_EQ(AUTH_UNSUPPORTED, verify(self->auth, self->creds, &self->c, T0));
		return;
	}
	EXPECT_EQ(AUTH_OK, verify(self->auth, self->creds, &self->c, T0));
	EXPECT_EQ(AUTH_STALE, verify(self->auth, self->creds, &self->c, T0));
	client_answer(&self->c, "alice", "wonderland", DIGEST_SHA256, 1, false);
	EXPECT_EQ(AUTH_UNSUPPORTED, verify(self->auth, self->creds, &self->c, T0));
	/* Without qop, cnonce and nc have no place. */
	client_answer(&self->c, "alice", "wonderland", DIGEST_MD5, 1, false);
	self->c.d.nc = S("00000001");
	EXPECT_EQ(AUTH_MALFORMED, verify(self->auth, self->creds, &self->c, T0));
}

/* With two slots, nonce 3 takes nonce 1's slot: nonce 1 can only be stale. */
TEST(forgotten_nonce_is_stale)
{
	struct auth_challenges ch1, ch2, ch3;
	struct credentials *creds;
	struct auth_config cfg;
	struct client c1, c3;
	struct auth *auth;
	char err[256];

	auth_config_default(&cfg, REALM);
	cfg.nc_slots = 2;
	ASSERT_EQ(0, auth_new(&cfg, &auth));
	ASSERT_EQ(0, credentials_parse(users, sizeof(users) - 1, "users", &creds,
				       err, sizeof(err)));
	ASSERT_EQ(0, auth_challenge(auth, false, T0, &ch1));
	ASSERT_EQ(0, auth_challenge(auth, false, T0, &ch2));
	ASSERT_EQ(0, auth_challenge(auth, false, T0, &ch3));
	client_init(&c1, &ch1);
	client_init(&c3, &ch3);
	client_answer(&c3, "alice", "wonderland", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_OK, verify(auth, creds, &c3, T0));
	client_answer(&c1, "alice", "wonderland", DIGEST_SHA256, 1, true);
	EXPECT_EQ(AUTH_STALE, verify(auth, creds, &c1, T0));
	/* Nonce 3 keeps counting. */
	client_answer(&c3, "alice", "wonderland", DIGEST_SHA256, 2, true);
	EXPECT_EQ(AUTH_OK, verify(auth, creds, &c3, T0));
	auth_free(auth);
	credentials_free(creds);
}

TEST(config_rejects_bad_realms_and_sizes)
{
	struct auth_config cfg;
	struct auth *auth;

	auth_config_default(&cfg, "bad\"realm");
	EXPECT_EQ(-EINVAL, auth_new(&cfg, &auth));
	auth_config_default(&cfg, "");
	EXPECT_EQ(-EINVAL, auth_new(&cfg, &auth));
	auth_config_default(&cfg, REALM);
	cfg.nc_slots = 1000;
	EXPECT_EQ(-EINVAL, auth_new(&cfg, &auth));
	auth_config_default(&cfg, REALM);
	cfg.algorithms = 0;
	EXPECT_EQ(-EINVAL, auth_new(&cfg, &auth));
	auth_config_default(&cfg, REALM);
	cfg.nonce_lifetime = 0;
	EXPECT_EQ(-EINVAL, auth_new(&cfg, &auth));
}

TEST_HARNESS_MAIN
