// SPDX-License-Identifier: GPL-2.0
/*
 * A DNS answer off the wire, as anything: the TTL scan, then the same
 * bytes read as NAPTR, SRV, AAAA and A answers through c-ares into SRV
 * names, hops and targets. Whatever comes out stays within its bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sipproxyd/resolve_answer.h"
#include "sipproxyd/resolve_msg.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static bool name_ok(const char *name)
{
	size_t n = strnlen(name, RESOLVE_NAME_MAX + 1);

	return n > 0 && n <= RESOLVE_NAME_MAX && name[n - 1] != '.';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolve_service services[RESOLVE_NAPTR_MAX];
	struct resolve_hop hops[RESOLVE_HOPS_MAX];
	struct resolve_targets t = { 0 };
	struct resolve_plan plan = { .name = "example.com", .port = -1 };
	struct resolve_rng rng;
	struct resolve_msg msg;
	size_t i, n, nhops;

	if (!resolve_msg_scan(data, size, &msg))
		CHECK(msg.answers + msg.cnames <= size / 11);

	n = resolve_answer_services(data, size, &plan, RESOLVE_T_ALL, services, RESOLVE_NAPTR_MAX);
	CHECK(n <= RESOLVE_NAPTR_MAX);
	for (i = 0; i < n; i++)
		CHECK(name_ok(services[i].name) && services[i].transport >= RESOLVE_UDP &&
		      services[i].transport <= RESOLVE_TLS);

	resolve_rng_seed(&rng, size);
	resolve_answer_hops(data, size, RESOLVE_TCP, &rng, hops, RESOLVE_HOPS_MAX, &nhops);
	CHECK(nhops <= RESOLVE_HOPS_MAX);
	for (i = 0; i < nhops; i++)
		CHECK(name_ok(hops[i].name) && hops[i].port > 0 && hops[i].transport == RESOLVE_TCP);

	hops[0] = (struct resolve_hop){ .transport = RESOLVE_UDP, .port = 5060, .name = "h" };
	resolve_answer_targets(&t, &hops[0], data, size, data, size, false);
	CHECK(t.n <= RESOLVE_TARGETS_MAX && t.next == 0);
	for (i = 0; i < t.n; i++)
		CHECK(t.v[i].addr.port == 5060 &&
		      (t.v[i].addr.family == AF_INET || t.v[i].addr.family == AF_INET6));
	return 0;
}
