// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the flow table, included by table.c under DEBUG and run at
 * module load: many IPv4 and IPv6 keys inserted, found, refused twice,
 * deleted, and not found afterwards.
 */
#include <linux/slab.h>

#define SELFTEST_FLOWS 4096

static void selftest_key(struct rtpfwd_key *key, unsigned int i)
{
	memset(key, 0, sizeof(*key));
	key->port = htons(1024 + i / 2);
	if (i % 2) {
		key->family = AF_INET6;
		key->addr.v6.s6_addr32[0] = htonl(0x20010db8);
		key->addr.v6.s6_addr32[3] = htonl(i);
	} else {
		key->family = AF_INET;
		key->addr.v4 = htonl(0x0a000000 | i);
	}
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		pr_err("rtpfwd: selftest: table: %s failed (i=%u)\n",	\
		       #cond, i);					\
		goto out;						\
	}								\
} while (0)

/**
 * rtpfwd_table_selftest - check the flow table
 * @passed: incremented for every passed check group
 *
 * Context: module init.
 * Return: whether every check passed.
 */
bool rtpfwd_table_selftest(unsigned int *passed)
{
	struct rtpfwd_flow *flows, *flow, dup;
	struct rtpfwd_table t;
	struct rtpfwd_key key;
	unsigned int i = 0, n = 0;
	unsigned long id;
	bool ok = false;

	flows = kvcalloc(SELFTEST_FLOWS, sizeof(*flows), GFP_KERNEL);
	if (!flows)
		return false;
	if (rtpfwd_table_init(&t))
		goto out_free;

	for (; n < SELFTEST_FLOWS; n++) {
		selftest_key(&flows[n].key, n);
		i = n;
		CHECK(!rtpfwd_table_insert(&t, &flows[n]));
		CHECK(flows[n].id == n + 1);
	}
	++*passed;

	rcu_read_lock();
	for (i = 0; i < SELFTEST_FLOWS; i++) {
		selftest_key(&key, i);
		if (rtpfwd_table_lookup(&t, &key) != &flows[i] ||
		    rtpfwd_table_find(&t, i + 1) != &flows[i])
			break;
	}
	rcu_read_unlock();
	CHECK(i == SELFTEST_FLOWS);
	++*passed;

	/* Same port and address bits in the other family: a different key. */
	selftest_key(&key, 0);
	key.family = AF_INET6;
	rcu_read_lock();
	CHECK(!rtpfwd_table_lookup(&t, &key));
	rcu_read_unlock();
	++*passed;

	memset(&dup, 0, sizeof(dup));
	selftest_key(&dup.key, 7);
	CHECK(rtpfwd_table_insert(&t, &dup) == -EEXIST);
	CHECK(!rtpfwd_table_find(&t, dup.id));
	++*passed;

	for (i = 0; i < SELFTEST_FLOWS; i += 2)
		rtpfwd_table_remove(&t, &flows[i]);
	rcu_read_lock();
	for (i = 0; i < SELFTEST_FLOWS; i++) {
		selftest_key(&key, i);
		if (!rtpfwd_table_lookup(&t, &key) != !(i % 2))
			break;
	}
	rcu_read_unlock();
	CHECK(i == SELFTEST_FLOWS);
	++*passed;

	/* Ids are not reused right away. */
	selftest_key(&dup.key, 0);
	CHECK(!rtpfwd_table_insert(&t, &dup));
	CHECK(dup.id == SELFTEST_FLOWS + 2);
	rtpfwd_table_remove(&t, &dup);
	++*passed;
	ok = true;
out:
	xa_for_each(&t.by_id, id, flow)
		rtpfwd_table_remove(&t, flow);
	rtpfwd_table_destroy(&t);
out_free:
	kvfree(flows);
	return ok;
}
#undef CHECK
