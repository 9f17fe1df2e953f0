// SPDX-License-Identifier: GPL-2.0
/*
 * What a restarted sipproxyd keeps of a ringing call's INVITE copies
 * (dialog_store.h, table dialog_branch) and how it gets them back
 * (proxy_resume.c): the stub of a forwarded INVITE gives exactly the
 * CANCEL the original gives; branch rows survive reopening, a slot is
 * replaced in place, deleting a slot leaves the others, deleting the
 * call removes them all, unusable rows are skipped, a store of the
 * version before (no dialog_branch table) opens with its call and no
 * branch; a resumed INVITE client transaction sends nothing, ACKs its
 * 487 from the stub (again for a retransmission, passed up once), and an
 * abandoned one ends.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "sipproxyd/dialog_store.h"
#include "sipproxyd/txn.h"
#include "sipproxyd/txn_build.h"
#include "virtual_clock.h"

#define BIG 0xfedcba9876543210ULL

/* A copy of an INVITE as the proxy forwards it: our Via on top, a Route, a body. */
static const char invite[] =
	"INVITE sip:bob@10.0.2.2:5070 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.2.1:5060;branch=z9hG4bK-ours\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5080;branch=z9hG4bK-caller;rport=5080\r\n"
	"Route: <sip:10.0.2.9;lr>\r\n"
	"Record-Route: <sip:10.0.2.1;lr>\r\n"
	"Max-Forwards: 69\r\n"
	"From: <sip:alice@localhost>;tag=f1\r\n"
	"To: <sip:bob@localhost>\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 7 INVITE\r\n"
	"Contact: <sip:alice@10.0.1.2:5080>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n\r\n"
	"v=0\n";

static const char stub_want[] =
	"INVITE sip:bob@10.0.2.2:5070 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.2.1:5060;branch=z9hG4bK-ours\r\n"
	"Route: <sip:10.0.2.9;lr>\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@localhost>;tag=f1\r\n"
	"To: <sip:bob@localhost>\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 7 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static const char resp_487[] =
	"SIP/2.0 487 Request Terminated\r\n"
	"Via: SIP/2.0/UDP 10.0.2.1:5060;branch=z9hG4bK-ours\r\n"
	"Via: SIP/2.0/UDP 10.0.1.2:5080;branch=z9hG4bK-caller;rport=5080\r\n"
	"From: <sip:alice@localhost>;tag=f1\r\n"
	"To: <sip:bob@localhost>;tag=b7\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 7 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static const char ack_want[] =
	"ACK sip:bob@10.0.2.2:5070 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.2.1:5060;branch=z9hG4bK-ours\r\n"
	"Route: <sip:10.0.2.9;lr>\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@localhost>;tag=f1\r\n"
	"To: <sip:bob@localhost>;tag=b7\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 7 ACK\r\n"
	"Content-Length: 0\r\n\r\n";

static struct {
	char sent[4][1024];
	int nsent;
	int responses[4];
	int nresponses;
	int terminated;
} env;

static int v_send(void *ctx, const struct tp_addr *dst, const char *buf, size_t len)
{
	snprintf(env.sent[env.nsent++ % 4], sizeof(env.sent[0]), "%.*s", (int)len, buf);
	return 0;
}

static void v_response(void *ctx, struct txn *t, const struct sip_msg *msg)
{
	env.responses[env.nresponses++ % 4] = msg->status;
}

static void v_timeout(void *ctx, struct txn *t, bool transport_error)
{
}

static void v_terminated(void *ctx, struct txn *t)
{
	env.terminated++;
}

static const struct txn_ops ops = {
	VCLOCK_TXN_OPS,
	.send = v_send,
	.response = v_response,
	.timeout = v_timeout,
	.terminated = v_terminated,
};

FIXTURE(branch)
{
	char path[64];
	struct dialog_store *st;
	struct txn_table *tab;
	struct sip_msg msg;
	char stub[TXN_BUILD_MAX];
	size_t stub_len;
	struct dialog_branch rows[4];
	size_t n;
};

FIXTURE_SETUP(branch)
{
	struct txn_config cfg = { .t1 = 500, .t2 = 4000, .t4 = 5000, .max_transactions = 4 };

	memset(&env, 0, sizeof(env));
	vclock_init(1000);
	ASSERT_EQ(0, txn_table_new(&cfg, &ops, NULL, &self->tab));
	strcpy(self->path, "/tmp/dialog_branch_XXXXXX");
	ASSERT_LE(0, mkstemp(self->path));
	ASSERT_EQ(0, dialog_store_open(&self->st, self->path));
	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&self->msg, invite, strlen(invite), SIP_DATAGRAM));
	ASSERT_EQ(0, txn_build_stub(&self->msg, self->stub, sizeof(self->stub), &self->stub_len));
}

FIXTURE_TEARDOWN(branch)
{
	dialog_branches_free(self->rows, &self->n);
	dialog_store_close(self->st);
	txn_table_free(self->tab);
	unlink(self->path);
}

static void row_of(struct _test_data_branch *self, struct dialog_branch *b, const char *id,
		   const char *peer)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->id, sizeof(b->id), "%s", id);
	b->proto = TP_UDP;
	endpoint_parse(&b->peer, peer);
	b->stub = self->stub;
	b->stub_len = self->stub_len;
}

TEST_F(branch, stub_cancels_as_the_invite_does)
{
	char a[TXN_BUILD_MAX], b[TXN_BUILD_MAX];
	size_t alen, blen;
	struct sip_msg stub;

	ASSERT_EQ(strlen(stub_want), self->stub_len);
	ASSERT_EQ(0, memcmp(stub_want, self->stub, self->stub_len));
	ASSERT_EQ(0, txn_build_cancel(&self->msg, a, sizeof(a), &alen));
	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&stub, self->stub, self->stub_len, SIP_DATAGRAM));
	ASSERT_EQ(0, txn_build_cancel(&stub, b, sizeof(b), &blen));
	ASSERT_EQ(alen, blen);
	EXPECT_EQ(0, memcmp(a, b, alen));
	EXPECT_EQ(0, strncmp(b, "CANCEL sip:bob@10.0.2.2:5070 SIP/2.0\r\n"
			     "Via: SIP/2.0/UDP 10.0.2.1:5060;branch=z9hG4bK-ours\r\n", 88));
}

TEST_F(branch, rows_survive_reopen_replace_and_delete)
{
	struct dialog_branch b;
	char peer[ENDPOINT_STRLEN];

	row_of(self, &b, "z9hG4bK-one", "10.0.2.2:5070");
	ASSERT_EQ(0, dialog_store_branch_put(self->st, BIG, 0, &b));
	row_of(self, &b, "z9hG4bK-old", "10.0.2.2:5072");
	ASSERT_EQ(0, dialog_store_branch_put(self->st, BIG, 1, &b));
	row_of(self, &b, "z9hG4bK-two", "[2001:db8::2]:5074");
	b.proto = TP_TCP;
	ASSERT_EQ(0, dialog_store_branch_put(self->st, BIG, 1, &b));
	row_of(self, &b, "z9hG4bK-other", "10.0.2.3:5070");
	ASSERT_EQ(0, dialog_store_branch_put(self->st, 5, 0, &b));
	dialog_store_close(self->st);
	ASSERT_EQ(0, dialog_store_open(&self->st, self->path));

	ASSERT_EQ(0, dialog_store_branches(self->st, BIG, self->rows, 4, &self->n));
	ASSERT_EQ(2U, self->n);
	EXPECT_STREQ("z9hG4bK-one", self->rows[0].id);
	EXPECT_EQ((enum tp_proto)TP_UDP, self->rows[0].proto);
	EXPECT_STREQ("10.0.2.2:5070", endpoint_format(&self->rows[0].peer, peer));
	EXPECT_STREQ("z9hG4bK-two", self->rows[1].id);
	EXPECT_EQ((enum tp_proto)TP_TCP, self->rows[1].proto);
	EXPECT_STREQ("[2001:db8::2]:5074", endpoint_format(&self->rows[1].peer, peer));
	ASSERT_EQ(self->stub_len, self->rows[1].stub_len);
	EXPECT_EQ(0, memcmp(self->stub, self->rows[1].stub, self->stub_len));
	dialog_branches_free(self->rows, &self->n);

	/* At most @max rows come back. */
	ASSERT_EQ(0, dialog_store_branches(self->st, BIG, self->rows, 1, &self->n));
	ASSERT_EQ(1U, self->n);
	EXPECT_STREQ("z9hG4bK-one", self->rows[0].id);
	dialog_branches_free(self->rows, &self->n);

	ASSERT_EQ(0, dialog_store_branch_del(self->st, BIG, 0));
	ASSERT_EQ(0, dialog_store_branches(self->st, BIG, self->rows, 4, &self->n));
	ASSERT_EQ(1U, self->n);
	EXPECT_STREQ("z9hG4bK-two", self->rows[0].id);
	dialog_branches_free(self->rows, &self->n);

	ASSERT_EQ(0, dialog_store_del(self->st, BIG));
	ASSERT_EQ(0, dialog_store_branches(self->st, BIG, self->rows, 4, &self->n));
	EXPECT_EQ(0U, self->n);
	ASSERT_EQ(0, dialog_store_branches(self->st, 5, self->rows, 4, &self->n));
	EXPECT_EQ(1U, self->n);
}

/* Rows another writer left that do not parse: skipped, the good one kept. */
TEST_F(branch, unusable_rows_skipped)
{
	static const char *const bad[] = {
		"INSERT INTO dialog_branch VALUES (9, 0, 'z9hG4bK-a', 'sctp', '10.0.2.2:5070', 'x')",
		"INSERT INTO dialog_branch VALUES (9, 1, 'z9hG4bK-b', 'udp', '10.0.2.2', 'x')",
		"INSERT INTO dialog_branch VALUES (9, 2, 'z9hG4bK-c', 'udp', '10.0.2.2:5070', '')",
	};
	struct dialog_branch b;
	sqlite3 *db;
	size_t i;

	row_of(self, &b, "z9hG4bK-good", "10.0.2.2:5070");
	ASSERT_EQ(0, dialog_store_branch_put(self->st, 9, 3, &b));
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, bad[i], NULL, NULL, NULL));
	sqlite3_close(db);
	ASSERT_EQ(0, dialog_store_branches(self->st, 9, self->rows, 4, &self->n));
	ASSERT_EQ(1U, self->n);
	EXPECT_STREQ("z9hG4bK-good", self->rows[0].id);
}

/* The version before had table dialog_state alone: its call loads, with no branch. */
TEST_F(branch, store_of_the_version_before)
{
	struct dialogs *tab;
	struct dialog *d;
	sqlite3 *db;

	dialog_store_close(self->st);
	unlink(self->path);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(self->path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db,
		"CREATE TABLE dialog_state (handle INTEGER PRIMARY KEY,"
		" call_id TEXT NOT NULL, caller_tag TEXT NOT NULL, callee_tag TEXT NOT NULL,"
		" winner INTEGER NOT NULL,"
		" caller_addr TEXT, caller_target TEXT, caller_route TEXT, caller_cseq INTEGER,"
		" callee_addr TEXT, callee_target TEXT, callee_route TEXT, callee_cseq INTEGER,"
		" state INTEGER NOT NULL, next_branch INTEGER NOT NULL, early BLOB);"
		"INSERT INTO dialog_state VALUES (77, 'call-1', 'f1', '', 0,"
		" '<sip:alice@localhost>;tag=f1', 'sip:alice@10.0.1.2:5080', NULL, 7,"
		" NULL, NULL, NULL, 0, 0, 2, NULL)", NULL, NULL, NULL));
	sqlite3_close(db);
	ASSERT_EQ(0, dialog_store_open(&self->st, self->path));
	ASSERT_EQ(0, dialogs_new(&tab));
	ASSERT_EQ(0, dialog_store_load(self->st, tab));
	d = dialog_by_handle(tab, 77);
	ASSERT_NE(NULL, d);
	EXPECT_EQ((enum dialog_state)DIALOG_EARLY, d->state);
	EXPECT_EQ(7U, d->peer[DIALOG_CALLER].cseq);
	dialogs_free(tab);
	ASSERT_EQ(0, dialog_store_branches(self->st, 77, self->rows, 4, &self->n));
	EXPECT_EQ(0U, self->n);
}

TEST_F(branch, resumed_invite_acks_its_487_from_the_stub)
{
	struct tp_addr dst = { .proto = TP_UDP, .lfd = -1 };
	struct sip_str id = sip_str_make("z9hG4bK-ours", 12);
	struct sip_msg stub, resp;
	struct txn *t, *again;

	ASSERT_EQ(0, endpoint_parse(&dst.peer, "10.0.2.2:5070"));
	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&stub, self->stub, self->stub_len, SIP_DATAGRAM));
	ASSERT_EQ(0, txn_client_resume(self->tab, &stub, self->stub, self->stub_len, id, &dst, &t));
	EXPECT_EQ(-EEXIST, txn_client_resume(self->tab, &stub, self->stub, self->stub_len, id,
					     &dst, &again));
	EXPECT_EQ((enum txn_state)TXN_PROCEEDING, txn_state(t));
	EXPECT_EQ(0, env.nsent);
	txn_set_user(t, self);

	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&resp, resp_487, strlen(resp_487), SIP_DATAGRAM));
	ASSERT_TRUE(txn_client_receive(self->tab, &resp));
	ASSERT_EQ(1, env.nsent);
	EXPECT_STREQ(ack_want, env.sent[0]);
	ASSERT_EQ(1, env.nresponses);
	EXPECT_EQ(487, env.responses[0]);
	EXPECT_EQ((enum txn_state)TXN_COMPLETED, txn_state(t));

	/* A retransmitted 487 gets the ACK again and is not passed up. */
	ASSERT_TRUE(txn_client_receive(self->tab, &resp));
	ASSERT_EQ(2, env.nsent);
	EXPECT_STREQ(ack_want, env.sent[1]);
	EXPECT_EQ(1, env.nresponses);
	vclock_run_until(1000 + 32000);
	EXPECT_EQ(1, env.terminated);
}

/* Only an INVITE resumes; one abandoned while Proceeding ends at once. */
TEST_F(branch, resume_rules_and_abandon)
{
	struct tp_addr dst = { .proto = TP_UDP, .lfd = -1 };
	struct sip_str id = sip_str_make("z9hG4bK-ours", 12);
	char cancel[TXN_BUILD_MAX];
	struct sip_msg stub, c;
	size_t len;
	struct txn *t;

	ASSERT_EQ(0, endpoint_parse(&dst.peer, "10.0.2.2:5070"));
	ASSERT_EQ(0, txn_build_cancel(&self->msg, cancel, sizeof(cancel), &len));
	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&c, cancel, len, SIP_DATAGRAM));
	EXPECT_EQ(-EINVAL, txn_client_resume(self->tab, &c, cancel, len, id, &dst, &t));
	ASSERT_EQ((enum sip_err)SIP_OK, sip_msg_parse(&stub, self->stub, self->stub_len, SIP_DATAGRAM));
	ASSERT_EQ(0, txn_client_resume(self->tab, &stub, self->stub, self->stub_len, id, &dst, &t));
	txn_client_abandon(t);
	EXPECT_EQ((enum txn_state)TXN_TERMINATED, txn_state(t));
	vclock_run_until(1001);
	EXPECT_EQ(1, env.terminated);
	EXPECT_EQ(0U, txn_count(self->tab));
	EXPECT_EQ(0, env.nsent);
}

TEST_HARNESS_MAIN
