// SPDX-License-Identifier: GPL-2.0
/*
 * The credentials(5) parser: every scheme, comments, CRLF, and for each
 * mistake the exact "FILE:LINE: what" message; limits; loading from disk,
 * and a failed reload leaving the caller's table alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/credentials.h"

#define S(lit) SIP_STR(lit)

static const char good[] =
	"# sipproxyd users\n"
	"\n"
	"   # indented comment\n"
	"alice@example.com:plain:wonderland\r\n"
	"carol@sip.example.org:md5:05d075f4d12207975978e6edefa8bbbd\n"
	"carol@sip.example.org:sha256:"
	"27046678DF070150CA1B7DC6F1504E0CAD194AB2949951D38FC68D22BD0A787C\n"
	"bob@home@example.com:plain:pw\n"
	"\t\n"
	"dave@example.com:plain:ends without newline";

static const char *hex(const uint8_t *b, size_t len)
{
	static char out[DIGEST_MAX_HEX];

	digest_hex(b, len, out);
	return out;
}

TEST(good_file)
{
	const struct credential *c;
	struct credentials *creds;
	uint8_t ha1[DIGEST_MAX_LEN];
	char err[256];

	ASSERT_EQ(0, credentials_parse(good, sizeof(good) - 1, "users", &creds, err, sizeof(err)));
	EXPECT_EQ(4U, credentials_count(creds));

	c = credentials_find(creds, S("alice"), S("example.com"));
	ASSERT_NE(NULL, c);
	EXPECT_EQ(DIGEST_MD5 | DIGEST_SHA256, (int)c->algorithms);
	/* A trailing CR is the line ending, not part of the password. */
	EXPECT_STREQ("93dfce8dfebfae8af4a726982429d23a", hex(c->ha1_md5, DIGEST_MD5_LEN));

	c = credentials_find(creds, S("carol"), S("sip.example.org"));
	ASSERT_NE(NULL, c);
	ASSERT_TRUE(credential_ha1(c, DIGEST_MD5_SESS, ha1));
	EXPECT_STREQ("05d075f4d12207975978e6edefa8bbbd", hex(ha1, DIGEST_MD5_LEN));
	ASSERT_TRUE(credential_ha1(c, DIGEST_SHA256, ha1));
	EXPECT_STREQ("27046678df070150ca1b7dc6f1504e0cad194ab2949951d38fc68d22bd0a787c",
		     hex(ha1, DIGEST_SHA256_LEN));

	/* The user name ends at the last '@'. */
	c = credentials_find(creds, S("bob@home"), S("example.com"));
	ASSERT_NE(NULL, c);
	EXPECT_STREQ("04a008b851364ebf2a0710ef6287bc903e7a8dbeaf7ad61b162c2e49faa44e1c",
		     hex(c->ha1_sha256, DIGEST_SHA256_LEN));

	EXPECT_NE(NULL, credentials_find(creds, S("dave"), S("example.com")));
	EXPECT_EQ(NULL, credentials_find(creds, S("Alice"), S("example.com")));
	EXPECT_EQ(NULL, credentials_find(creds, S("alice"), S("example.org")));
	EXPECT_EQ(NULL, credentials_find(creds, SIP_STR_NONE, S("example.com")));
	credentials_free(creds);
}

TEST(md5_only_user_has_no_sha256)
{
	static const char text[] = "u@r:md5:05d075f4d12207975978e6edefa8bbbd\n";
	struct credentials *creds;
	uint8_t ha1[DIGEST_MAX_LEN];
	char err[256];

	ASSERT_EQ(0, credentials_parse(text, sizeof(text) - 1, "f", &creds, err, sizeof(err)));
	EXPECT_TRUE(credential_ha1(credentials_find(creds, S("u"), S("r")), DIGEST_MD5, ha1));
	EXPECT_FALSE(credential_ha1(credentials_find(creds, S("u"), S("r")), DIGEST_SHA256, ha1));
	credentials_free(creds);
}

static const struct {
	const char *text;
	const char *error;
} bad[] = {
	{ "ok@r:plain:x\nnocolon\n", "users:2: expected user@realm:scheme:secret" },
	{ "alice:plain:x", "users:1: expected user@realm before the first ':'" },
	{ "alice@r:plain", "users:1: expected scheme:secret after user@realm" },
	{ "@r:plain:x", "users:1: empty user name" },
	{ "a@:plain:x", "users:1: empty realm" },
	{ "a b@r:plain:x", "users:1: user name holds a space, control character, ':', '\"' or '\\'" },
	{ "a\"@r:plain:x", "users:1: user name holds a space, control character, ':', '\"' or '\\'" },
	{ "a@r\\:plain:x", "users:1: realm holds a space, control character, ':', '@', '\"' or '\\'" },
	{ "a@r:plain:", "users:1: empty password" },
	{ "a@r:crypt:x", "users:1: unknown scheme 'crypt' (plain, md5 or sha256)" },
	{ "a@r:md5:05d075f4", "users:1: MD5 H(A1) must be 32 hex digits" },
	{ "a@r:sha256:05d075f4d12207975978e6edefa8bbbd", "users:1: SHA-256 H(A1) must be 64 hex digits" },
	{ "a@r:md5:05d075f4d12207975978e6edefa8bbbz", "users:1: MD5 H(A1) must be 32 hex digits" },
	{ "a@r:plain:x\n# c\na@r:plain:y", "users:3: duplicate secret for a@r" },
	{ "a@r:plain:x\na@r:md5:05d075f4d12207975978e6edefa8bbbd", "users:2: duplicate MD5 secret for a@r" },
	{ "a@r:md5:05d075f4d12207975978e6edefa8bbbd\na@r:plain:x", "users:2: duplicate secret for a@r" },
	{ "a@r:plain:x\0y", "users:1: NUL byte" },
};

TEST(each_mistake_named_with_its_line)
{
	struct credentials *creds = (struct credentials *)&creds;
	char err[256];
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = strlen(bad[i].text);
		if (strstr(bad[i].error, "NUL"))
			len += 2;
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, credentials_parse(bad[i].text, len, "users", &creds,
						     err, sizeof(err)));
		EXPECT_STREQ(bad[i].error, err);
		/* Failure leaves *out alone: a reload keeps the old table. */
		EXPECT_EQ((struct credentials *)&creds, creds);
	}
}

TEST(limits)
{
	char line[CREDENTIALS_MAX_LINE + 2], user[CREDENTIALS_MAX_USER + 2];
	struct credentials *creds;
	char err[256];
	size_t n, i, last = 0;
	char *big;

	/* A line of exactly the limit is fine; one byte more is not. */
	n = (size_t)snprintf(line, sizeof(line), "a@r:plain:");
	memset(line + n, 'p', CREDENTIALS_MAX_LINE - n);
	ASSERT_EQ(0, credentials_parse(line, CREDENTIALS_MAX_LINE, "f", &creds, err, sizeof(err)));
	credentials_free(creds);
	line[CREDENTIALS_MAX_LINE] = 'p';
	EXPECT_EQ(-EINVAL, credentials_parse(line, CREDENTIALS_MAX_LINE + 1, "f", &creds,
					     err, sizeof(err)));
	EXPECT_STREQ("f:1: line longer than 1024 bytes", err);

	memset(user, 'u', sizeof(user));
	memcpy(user + CREDENTIALS_MAX_USER + 1, "@", 1);
	n = (size_t)snprintf(line, sizeof(line), "%.*s@r:plain:x", CREDENTIALS_MAX_USER + 1, user);
	EXPECT_EQ(-EINVAL, credentials_parse(line, n, "f", &creds, err, sizeof(err)));
	EXPECT_STREQ("f:1: user name longer than 128 bytes", err);

	/* One user more than allowed; md5 lines, so no hashing. */
	big = malloc((CREDENTIALS_MAX_USERS + 1) * 64);
	ASSERT_NE(NULL, big);
	for (n = 0, i = 0; i <= CREDENTIALS_MAX_USERS; i++) {
		last = n;
		n += (size_t)sprintf(big + n, "u%zu@r:md5:05d075f4d12207975978e6edefa8bbbd\n", i);
	}
	ASSERT_EQ(0, credentials_parse(big, last, "f", &creds, err, sizeof(err)));
	EXPECT_EQ((size_t)CREDENTIALS_MAX_USERS, credentials_count(creds));
	EXPECT_NE(NULL, credentials_find(creds, S("u99999"), S("r")));
	credentials_free(creds);
	EXPECT_EQ(-EINVAL, credentials_parse(big, n, "f", &creds, err, sizeof(err)));
	EXPECT_STREQ("f:100001: more than 100000 users", err);
	free(big);
}

TEST(load_from_disk)
{
	char path[] = "/tmp/credentials.XXXXXX", expect[128];
	struct credentials *creds;
	char err[256];
	int fd;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ((ssize_t)sizeof(good) - 1, write(fd, good, sizeof(good) - 1));
	close(fd);
	ASSERT_EQ(0, credentials_load(path, &creds, err, sizeof(err)));
	EXPECT_EQ(4U, credentials_count(creds));
	credentials_free(creds);

	fd = open(path, O_WRONLY | O_APPEND);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(8, write(fd, "\nbroken\n", 8));
	close(fd);
	EXPECT_EQ(-EINVAL, credentials_load(path, &creds, err, sizeof(err)));
	snprintf(expect, sizeof(expect), "%s:10: expected user@realm:scheme:secret", path);
	EXPECT_STREQ(expect, err);
	unlink(path);

	EXPECT_EQ(-ENOENT, credentials_load(path, &creds, err, sizeof(err)));
	snprintf(expect, sizeof(expect), "%s: No such file or directory", path);
	EXPECT_STREQ(expect, err);
	EXPECT_EQ(-EINVAL, credentials_load("/tmp", &creds, err, sizeof(err)));
	EXPECT_STREQ("/tmp: not a regular file", err);
}

TEST_HARNESS_MAIN
