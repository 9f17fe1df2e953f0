// SPDX-License-Identifier: GPL-2.0
/*
 * The credentials file: one "user@realm:scheme:secret" per line, schemes
 * "plain" (the password itself), "md5" and "sha256" (H(A1) in hex), "#"
 * comments and blank lines. Errors name the file and line; the grammar is
 * in Documentation/credentials.5.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"

/* The largest file credentials_load() reads: every line at full length. */
#define MAX_FILE ((size_t)CREDENTIALS_MAX_USERS * 2 * (CREDENTIALS_MAX_LINE + 1))

struct credentials {
	struct credential *entries;
	size_t count, alloc;
	uint32_t *index;	/* open addressing: entry number + 1, 0 empty */
	size_t index_mask;
};

struct parser {
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (p->line)
		snprintf(p->err, p->errlen, "%s:%u: %s", p->name, p->line, what);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->name, what);
	return -EINVAL;
}

/* FNV-1a over user, a NUL, realm. */
static uint32_t key_hash(struct sip_str user, struct sip_str realm)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < user.len; i++)
		h = (h ^ (uint8_t)user.s[i]) * 16777619u;
	h *= 16777619u;
	for (i = 0; i < realm.len; i++)
		h = (h ^ (uint8_t)realm.s[i]) * 16777619u;
	return h;
}

static bool entry_is(const struct credential *c, struct sip_str user, struct sip_str realm)
{
	return strlen(c->user) == user.len && !memcmp(c->user, user.s, user.len) &&
	       strlen(c->realm) == realm.len && !memcmp(c->realm, realm.s, realm.len);
}

static struct credential *find(const struct credentials *creds, struct sip_str user,
			       struct sip_str realm)
{
	size_t i;

	if (!creds->index)
		return NULL;
	for (i = key_hash(user, realm) & creds->index_mask; creds->index[i];
	     i = (i + 1) & creds->index_mask) {
		struct credential *c = &creds->entries[creds->index[i] - 1];

		if (entry_is(c, user, realm))
			return c;
	}
	return NULL;
}

static void index_insert(struct credentials *creds, size_t entry)
{
	const struct credential *c = &creds->entries[entry];
	struct sip_str user = sip_str_make(c->user, strlen(c->user));
	struct sip_str realm = sip_str_make(c->realm, strlen(c->realm));
	size_t i;

	for (i = key_hash(user, realm) & creds->index_mask; creds->index[i];
	     i = (i + 1) & creds->index_mask)
		;
	creds->index[i] = (uint32_t)entry + 1;
}

/* Keeps the index at most half full, so probes stay short. */
static int index_grow(struct credentials *creds)
{
	size_t size = creds->index ? (creds->index_mask + 1) * 2 : 64;
	size_t i;

	free(creds->index);
	creds->index = calloc(size, sizeof(*creds->index));
	if (!creds->index)
		return -ENOMEM;
	creds->index_mask = size - 1;
	for (i = 0; i < creds->count; i++)
		index_insert(creds, i);
	return 0;
}

static struct credential *add_entry(struct credentials *creds, struct sip_str user,
				    struct sip_str realm)
{
	struct credential *c;
	char *names;

	if (creds->count == creds->alloc) {
		size_t alloc = creds->alloc ? creds->alloc * 2 : 16;

		c = realloc(creds->entries, alloc * sizeof(*c));
		if (!c)
			return NULL;
		creds->entries = c;
		creds->alloc = alloc;
	}
	if ((creds->count + 1) * 2 > (creds->index ? creds->index_mask + 1 : 0) &&
	    index_grow(creds))
		return NULL;
	names = malloc(user.len + realm.len + 2);
	if (!names)
		return NULL;
	memcpy(names, user.s, user.len);
	names[user.len] = '\0';
	memcpy(names + user.len + 1, realm.s, realm.len);
	names[user.len + 1 + realm.len] = '\0';

	c = &creds->entries[creds->count];
	memset(c, 0, sizeof(*c));
	c->user = names;
	c->realm = names + user.len + 1;
	index_insert(creds, creds->count++);
	return c;
}

void credentials_free(struct credentials *creds)
{
	size_t i;

	if (!creds)
		return;
	for (i = 0; i < creds->count; i++)
		free((char *)creds->entries[i].user);
	if (creds->entries)
		OPENSSL_cleanse(creds->entries, creds->alloc * sizeof(*creds->entries));
	free(creds->entries);
	free(creds->index);
	free(creds);
}

/* Printable ASCII but space, and none of @reject. */
static bool name_ok(struct sip_str s, const char *reject)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (s.s[i] <= ' ' || s.s[i] > '~' || strchr(reject, s.s[i]))
			return false;
	return true;
}

static int check_identity(struct parser *p, struct sip_str user, struct sip_str realm)
{
	if (!user.len)
		return fail(p, "empty user name");
	if (user.len > CREDENTIALS_MAX_USER)
		return fail(p, "user name longer than %d bytes", CREDENTIALS_MAX_USER);
	/* The user name is quoted in the header and precedes ':' in H(A1). */
	if (!name_ok(user, ":\"\\"))
		return fail(p, "user name holds a space, control character, ':', '\"' or '\\'");
	if (!realm.len)
		return fail(p, "empty realm");
	if (realm.len > CREDENTIALS_MAX_REALM)
		return fail(p, "realm longer than %d bytes", CREDENTIALS_MAX_REALM);
	if (!name_ok(realm, ":@\"\\"))
		return fail(p, "realm holds a space, control character, ':', '@', '\"' or '\\'");
	return 0;
}

static int set_ha1(struct parser *p, struct credential *c, enum digest_algorithm algorithm,
		   struct sip_str hex)
{
	uint8_t *ha1 = algorithm == DIGEST_MD5 ? c->ha1_md5 : c->ha1_sha256;
	size_t len = digest_len(algorithm);

	if (c->algorithms & algorithm)
		return fail(p, "duplicate %s secret for %s@%s",
			    digest_algorithm_name(algorithm), c->user, c->realm);
	if (!digest_unhex(hex, ha1, len))
		return fail(p, "%s H(A1) must be %zu hex digits",
			    digest_algorithm_name(algorithm), 2 * len);
	c->algorithms |= algorithm;
	return 0;
}

static int set_plain(struct parser *p, struct credential *c, struct sip_str password)
{
	struct sip_str user = sip_str_make(c->user, strlen(c->user));
	struct sip_str realm = sip_str_make(c->realm, strlen(c->realm));
	uint8_t ha1[DIGEST_MAX_LEN];

	if (c->algorithms)
		return fail(p, "duplicate secret for %s@%s", c->user, c->realm);
	if (!password.len)
		return fail(p, "empty password");
	if (digest_ha1(DIGEST_MD5, user, realm, password, ha1))
		return fail(p, "cannot hash the password");
	memcpy(c->ha1_md5, ha1, DIGEST_MD5_LEN);
	if (digest_ha1(DIGEST_SHA256, user, realm, password, ha1))
		return fail(p, "cannot hash the password");
	memcpy(c->ha1_sha256, ha1, DIGEST_SHA256_LEN);
	OPENSSL_cleanse(ha1, sizeof(ha1));
	c->algorithms = DIGEST_MD5 | DIGEST_SHA256;
	return 0;
}

/* "user@realm:scheme:secret"; the user ends at the last '@' before the first ':'. */
static int parse_entry(struct parser *p, struct credentials *creds, struct sip_str line)
{
	const char *end = line.s + line.len, *colon, *at, *colon2;
	struct sip_str user, realm, scheme, secret;
	struct credential *c;
	int err;

	colon = memchr(line.s, ':', line.len);
	if (!colon)
		return fail(p, "expected user@realm:scheme:secret");
	at = memrchr(line.s, '@', (size_t)(colon - line.s));
	if (!at)
		return fail(p, "expected user@realm before the first ':'");
	colon2 = memchr(colon + 1, ':', (size_t)(end - colon - 1));
	if (!colon2)
		return fail(p, "expected scheme:secret after user@realm");
	user = sip_str_span(line.s, at);
	realm = sip_str_span(at + 1, colon);
	scheme = sip_str_span(colon + 1, colon2);
	secret = sip_str_span(colon2 + 1, end);
	err = check_identity(p, user, realm);
	if (err)
		return err;

	c = find(creds, user, realm);
	if (!c) {
		if (creds->count == CREDENTIALS_MAX_USERS)
			return fail(p, "more than %d users", CREDENTIALS_MAX_USERS);
		c = add_entry(creds, user, realm);
		if (!c)
			return -ENOMEM;
	}
	if (sip_str_eq(scheme, SIP_STR("plain")))
		return set_plain(p, c, secret);
	if (sip_str_eq(scheme, SIP_STR("md5")))
		return set_ha1(p, c, DIGEST_MD5, secret);
	if (sip_str_eq(scheme, SIP_STR("sha256")))
		return set_ha1(p, c, DIGEST_SHA256, secret);
	return fail(p, "unknown scheme '%.*s' (plain, md5 or sha256)",
		    (int)(scheme.len > 16 ? 16 : scheme.len), scheme.s);
}

static bool blank_or_comment(struct sip_str line)
{
	size_t i;

	for (i = 0; i < line.len; i++) {
		if (line.s[i] == '#')
			return true;
		if (line.s[i] != ' ' && line.s[i] != '\t')
			return false;
	}
	return true;
}

/*
 * Parses @len bytes of @text (no NUL needed); @name is the file name for
 * messages. On success *out is a new table; on failure err says why as
 * "NAME:LINE: what" and nothing is allocated.
 */
int credentials_parse(const char *text, size_t len, const char *name,
		      struct credentials **out, char *err, size_t errlen)
{
	struct parser p = { .name = name, .err = err, .errlen = errlen };
	const char *pos = text, *end = text + len, *nl;
	struct credentials *creds;
	struct sip_str line;
	int ret = 0;

	creds = calloc(1, sizeof(*creds));
	if (!creds) {
		fail(&p, "out of memory");
		return -ENOMEM;
	}
	while (pos < end) {
		p.line++;
		nl = memchr(pos, '\n', (size_t)(end - pos));
		line = sip_str_span(pos, nl ? nl : end);
		pos = nl ? nl + 1 : end;
		if (line.len && line.s[line.len - 1] == '\r')
			line.len--;
		if (line.len > CREDENTIALS_MAX_LINE) {
			ret = fail(&p, "line longer than %d bytes", CREDENTIALS_MAX_LINE);
			goto err_free;
		}
		if (memchr(line.s, '\0', line.len)) {
			ret = fail(&p, "NUL byte");
			goto err_free;
		}
		if (blank_or_comment(line))
			continue;
		ret = parse_entry(&p, creds, line);
		if (ret)
			goto err_free;
	}
	*out = creds;
	return 0;

err_free:
	if (ret == -ENOMEM)
		fail(&p, "out of memory");
	credentials_free(creds);
	return ret;
}

static int read_file(const char *path, char **buf, size_t *len, struct parser *p)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		fail(p, "%s", strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		fail(p, "%s", strerror(-ret));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE) {
		ret = fail(p, "%s", S_ISREG(st.st_mode) ? "file too large" : "not a regular file");
		goto err_close;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		fail(p, "out of memory");
		ret = -ENOMEM;
		goto err_close;
	}
	/* Reads at most the size fstat saw: a file growing meanwhile is cut there. */
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;
			fail(p, "%s", n ? strerror(-ret) : "file shrank while read");
			goto err_free;
		}
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return 0;

err_free:
	OPENSSL_cleanse(*buf, got);
	free(*buf);
err_close:
	close(fd);
	return ret;
}

int credentials_load(const char *path, struct credentials **out, char *err, size_t errlen)
{
	struct parser p = { .name = path, .err = err, .errlen = errlen };
	size_t len = 0;
	char *buf = NULL;
	int ret;

	ret = read_file(path, &buf, &len, &p);
	if (ret)
		return ret;
	ret = credentials_parse(buf, len, path, out, err, errlen);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return ret;
}

size_t credentials_count(const struct credentials *creds)
{
	return creds->count;
}

const struct credential *credentials_find(const struct credentials *creds,
					  struct sip_str user, struct sip_str realm)
{
	if (!user.s || !realm.s)
		return NULL;
	return find(creds, user, realm);
}

/* H(A1) for @algorithm's hash (the -sess variants use the same one). */
bool credential_ha1(const struct credential *cred, enum digest_algorithm algorithm,
		    uint8_t ha1[DIGEST_MAX_LEN])
{
	if (algorithm == DIGEST_MD5 || algorithm == DIGEST_MD5_SESS) {
		if (!(cred->algorithms & DIGEST_MD5))
			return false;
		memcpy(ha1, cred->ha1_md5, DIGEST_MD5_LEN);
		return true;
	}
	if (!(cred->algorithms & DIGEST_SHA256))
		return false;
	memcpy(ha1, cred->ha1_sha256, DIGEST_SHA256_LEN);
	return true;
}
