// SPDX-License-Identifier: GPL-2.0
/*
 * The torture corpus in tests/fuzz/corpus/sip_msg (messages in the spirit
 * of RFC 4475, plus folding, NULs, limits): every file has an exact
 * expected outcome here, and every file is listed, so a corpus file
 * without an expectation fails the run.
 */
#include <dirent.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sip_test.h"
#include "sipproxyd/sip_msg.h"

static struct sip_msg msg;
static char buf[SIP_MAX_MSG_SIZE * 2];
static size_t len;

struct expect {
	const char *file;
	enum sip_err err;
	enum sip_hdr_type hdr;
	bool can_reply;
};

#define VALID(name) { .file = (name), .err = SIP_OK, .hdr = SIP_HDR_OTHER, .can_reply = false }

static const struct expect corpus[] = {
	/* valid */
	VALID("wsinv"), VALID("intmeth"), VALID("esc01"), VALID("escnull"),
	VALID("esc02"), VALID("lwsdisp"), VALID("longreq"), VALID("dblreq"),
	VALID("semiuri"), VALID("transports"), VALID("mpart01"),
	VALID("unreason"), VALID("noreason"), VALID("inv2543"),
	VALID("zeromf"), VALID("cparam01"), VALID("regaut01"),
	VALID("unksm2"), VALID("bext01"), VALID("badbranch"),
	VALID("bcast"), VALID("foldcseq"),
	/* Date is forwarded untouched: a proxy has no use for it (RFC 4475 3.1.2.12). */
	VALID("baddate"),
	/* 128 fields (the limit) and no Content-Length: found by fuzz_sip_msg. */
	VALID("header-limit-no-content-length"),
	/* invalid */
	{ "badinv01", SIP_ERR_BAD_HEADER, SIP_HDR_VIA, false },
	{ "clerr", SIP_ERR_BODY_TRUNCATED, SIP_HDR_CONTENT_LENGTH, true },
	{ "scalar02", SIP_ERR_BAD_HEADER, SIP_HDR_CONTENT_LENGTH, true },
	{ "ncl", SIP_ERR_BAD_HEADER, SIP_HDR_CONTENT_LENGTH, true },
	{ "scalarlg", SIP_ERR_BAD_HEADER, SIP_HDR_MAX_FORWARDS, true },
	{ "scalar1", SIP_ERR_BAD_HEADER, SIP_HDR_RETRY_AFTER, false },
	{ "quotbal", SIP_ERR_BAD_HEADER, SIP_HDR_TO, false },
	{ "ltgtruri", SIP_ERR_REQUEST_URI, SIP_HDR_OTHER, true },
	{ "lwsruri", SIP_ERR_START_LINE, SIP_HDR_OTHER, true },
	{ "lwsstart", SIP_ERR_START_LINE, SIP_HDR_OTHER, true },
	{ "trws", SIP_ERR_START_LINE, SIP_HDR_OTHER, true },
	{ "escruri", SIP_ERR_REQUEST_URI, SIP_HDR_OTHER, true },
	{ "regbadct", SIP_ERR_BAD_HEADER, SIP_HDR_CONTACT, true },
	{ "badaspec", SIP_ERR_BAD_HEADER, SIP_HDR_TO, false },
	{ "baddn", SIP_ERR_BAD_HEADER, SIP_HDR_FROM, false },
	{ "badvers", SIP_ERR_VERSION, SIP_HDR_OTHER, true },
	{ "mismatch01", SIP_ERR_CSEQ_METHOD, SIP_HDR_CSEQ, true },
	{ "mismatch02", SIP_ERR_CSEQ_METHOD, SIP_HDR_CSEQ, true },
	{ "bigcode", SIP_ERR_START_LINE, SIP_HDR_OTHER, false },
	{ "unkscm", SIP_ERR_URI_SCHEME, SIP_HDR_OTHER, true },
	{ "novelsc", SIP_ERR_URI_SCHEME, SIP_HDR_OTHER, true },
	{ "insuf", SIP_ERR_MISSING_HEADER, SIP_HDR_FROM, false },
	{ "multi01", SIP_ERR_DUPLICATE_HEADER, SIP_HDR_FROM, true },
	{ "mcl01", SIP_ERR_DUPLICATE_HEADER, SIP_HDR_CONTENT_LENGTH, true },
	{ "nulhdr", SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER, true },
	{ "barelf", SIP_ERR_HEADER_SYNTAX, SIP_HDR_OTHER, false },
	{ "hugehdr", SIP_ERR_LINE_TOO_LONG, SIP_HDR_OTHER, true },
	{ "toomanyhdrs", SIP_ERR_TOO_MANY_HEADERS, SIP_HDR_OTHER, true },
};

/* The corpus directory, found from this binary: build/tests/unit/NAME. */
static int corpus_dir(char *dir, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -1;
	exe[n] = '\0';
	return snprintf(dir, cap, "%s/../../../tests/fuzz/corpus/sip_msg", dirname(exe)) < (int)cap ? 0 : -1;
}

static int load(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 64];
	FILE *f;

	if (corpus_dir(dir, sizeof(dir)))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return 0;
}

static enum sip_err parse_file(const char *name)
{
	if (load(name))
		return (enum sip_err)-1;
	return sip_msg_parse(&msg, buf, len, SIP_DATAGRAM);
}

TEST(every_file_has_its_outcome)
{
	size_t i;

	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		const struct expect *e = &corpus[i];

		ASSERT_EQ(0, load(e->file)) TH_LOG("cannot read %s", e->file);
		ASSERT_ENUM(e->err, sip_msg_parse(&msg, buf, len, SIP_DATAGRAM))
			TH_LOG("%s", e->file);
		ASSERT_ENUM(e->hdr, msg.err_hdr) TH_LOG("%s", e->file);
		ASSERT_EQ(e->can_reply, msg.can_reply) TH_LOG("%s", e->file);
	}
}

TEST(no_file_without_outcome)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t files = 0;
	DIR *d;

	ASSERT_EQ(0, corpus_dir(dir, sizeof(dir)));
	d = opendir(dir);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		size_t i;
		bool known = false;

		if (de->d_name[0] == '.')
			continue;
		files++;
		for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
			known |= !strcmp(corpus[i].file, de->d_name);
		EXPECT_TRUE(known) TH_LOG("%s has no expected outcome", de->d_name);
	}
	closedir(d);
	ASSERT_EQ(sizeof(corpus) / sizeof(corpus[0]), files);
}

TEST(wsinv_fields)
{
	struct sip_iter it;
	struct sip_addr a;

	ASSERT_ENUM(SIP_OK, parse_file("wsinv"));
	ASSERT_EQ(9u, msg.cseq.number);
	ASSERT_ENUM(SIP_METHOD_INVITE, msg.cseq.method_id);
	ASSERT_EQ(68, msg.max_forwards);
	ASSERT_VIEW(msg.to.tag, "1918181833n");
	ASSERT_VIEW(msg.from.tag, "98asjd8");
	ASSERT_VIEW(msg.from.display, "\"J Rosenberg \\\\\\\"\"");
	ASSERT_EQ(3u, msg.nvia);
	ASSERT_VIEW(msg.via.host, "192.0.2.2");
	ASSERT_VIEW(msg.via.branch, "390skdjuw");
	ASSERT_FALSE(sip_via_branch_is_rfc3261(&msg.via));
	ASSERT_VIEW(msg.ruri.params, ";unknownparam");
	sip_iter_init(&it, &msg, SIP_HDR_CONTACT);
	ASSERT_EQ(1, sip_iter_addr(&it, &a));
	ASSERT_VIEW(a.q, "0.33");
	ASSERT_EQ(msg.content_length, (int64_t)msg.body.len);
	ASSERT_VIEW(sip_msg_hdr(&msg, SIP_HDR_SUBJECT)->value, "");
}

TEST(intmeth_esc_semiuri_fields)
{
	ASSERT_ENUM(SIP_OK, parse_file("intmeth"));
	ASSERT_ENUM(SIP_METHOD_OTHER, msg.method_id);
	ASSERT_VIEW(msg.method, "!interesting-Method0123456789_*+`.%indeed'~");
	ASSERT_VIEW(msg.from.tag, "_token~1'+`*%!-.");
	ASSERT_VIEW(msg.from.display, "token1~` token2'+_ token3*%!.-");
	ASSERT_EQ(255, msg.max_forwards);
	ASSERT_NE(NULL, sip_msg_hdr_by_name(&msg, "extensionHeader-!.%*+_`'~"));

	ASSERT_ENUM(SIP_OK, parse_file("esc02"));
	ASSERT_VIEW(msg.method, "RE%47IST%45R");
	/* "C%6Fntact" is a name of its own, not an escaped Contact. */
	ASSERT_EQ(2u, msg.ncontact);
	ASSERT_NE(NULL, sip_msg_hdr_by_name(&msg, "c%6fntact"));

	ASSERT_ENUM(SIP_OK, parse_file("semiuri"));
	ASSERT_VIEW(msg.ruri.user, "user;par=u%40example.net");
	ASSERT_VIEW(msg.ruri.host, "example.com");

	ASSERT_ENUM(SIP_OK, parse_file("escnull"));
	ASSERT_EQ(2u, msg.ncontact);
	ASSERT_VIEW(msg.to.uri.user, "null-%00-null");

	ASSERT_ENUM(SIP_OK, parse_file("lwsdisp"));
	ASSERT_VIEW(msg.from.display, "caller");
}

TEST(framing_cases)
{
	ASSERT_ENUM(SIP_OK, parse_file("dblreq"));
	ASSERT_ENUM(SIP_METHOD_REGISTER, msg.method_id);
	ASSERT_EQ(0u, msg.body.len);
	ASSERT_GT(len, msg.data.len);

	ASSERT_ENUM(SIP_OK, parse_file("mpart01"));
	ASSERT_VIEW(msg.content_type.subtype, "mixed");
	ASSERT_VIEW(msg.content_type.params, ";boundary=boundary42");
	ASSERT_EQ(len, msg.data.len);

	ASSERT_ENUM(SIP_OK, parse_file("noreason"));
	ASSERT_EQ(100, msg.status);
	ASSERT_EQ(0u, msg.reason.len);

	ASSERT_ENUM(SIP_OK, parse_file("longreq"));
	ASSERT_EQ(33u, msg.nvia);

	ASSERT_ENUM(SIP_OK, parse_file("transports"));
	ASSERT_EQ(5u, msg.nvia);

	ASSERT_ENUM(SIP_OK, parse_file("zeromf"));
	ASSERT_EQ(0, msg.max_forwards);
}

TEST_HARNESS_MAIN
