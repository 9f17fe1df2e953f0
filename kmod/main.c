// SPDX-License-Identifier: GPL-2.0
/*
 * rtpfwd: in-kernel RTP/RTCP forwarding, programmed over generic netlink.
 * Module parameters, load and unload. Documentation/rtpfwd.rst describes the
 * whole module; the log lines printed here are API for tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "flow.h"
#include "hook.h"
#include "ingress.h"
#include "main.h"
#include "netlink.h"
#include "netns.h"
#include "rtp.h"
#include "table.h"

unsigned int rtpfwd_max_flows = 1048576;
module_param_named(max_flows, rtpfwd_max_flows, uint, 0444);
MODULE_PARM_DESC(max_flows, "Flows allowed in all network namespaces together (default 1048576)");

static char *hook = "prerouting";
module_param(hook, charp, 0444);
MODULE_PARM_DESC(hook, "Where packets are taken: prerouting (default, before conntrack), input (after the INPUT filter) or ingress (each device's netfilter ingress, before the IP layer)");

static const char *const hook_names[] = {
	[RTPFWD_HOOK_PREROUTING] = "prerouting",
	[RTPFWD_HOOK_INPUT] = "input",
	[RTPFWD_HOOK_INGRESS] = "ingress",
};
static enum rtpfwd_hook_at hook_at;

#ifdef DEBUG
static int run_selftests(void)
{
	unsigned int passed = 0;

	if (!rtpfwd_table_selftest(&passed) || !rtpfwd_rtp_selftest(&passed)) {
		pr_err("selftest: failed after %u passed\n", passed);
		return -EINVAL;
	}
	pr_info("selftest: %u passed\n", passed);
	return 0;
}
#else
static int run_selftests(void)
{
	return 0;
}
#endif

static int __init rtpfwd_init(void)
{
	int err;

	err = match_string(hook_names, ARRAY_SIZE(hook_names), hook);
	if (err < 0) {
		pr_err("hook=%s: must be prerouting, input or ingress\n", hook);
		return -EINVAL;
	}
	hook_at = err;
	err = run_selftests();
	if (err)
		return err;

	rtpfwd_hook_setup(hook_at);
	err = rtpfwd_flow_cache_init();
	if (err)
		return err;
	err = rtpfwd_netns_register();
	if (err)
		goto err_cache;
	if (hook_at == RTPFWD_HOOK_INGRESS) {
		err = rtpfwd_ingress_register();
		if (err)
			goto err_netns;
	}
	err = rtpfwd_nl_register();
	if (err)
		goto err_ingress;

	pr_info("loaded (hook=%s, max_flows=%u)\n", hook_names[hook_at],
		rtpfwd_max_flows);
	return 0;

err_ingress:
	if (hook_at == RTPFWD_HOOK_INGRESS)
		rtpfwd_ingress_unregister();
err_netns:
	rtpfwd_netns_unregister();
err_cache:
	rtpfwd_flow_cache_destroy();
	return err;
}

/*
 * Netlink first, so no handler or event races the teardown; then the
 * devices' ingress hooks; then every netns unhooks (waiting for packets in
 * flight, also those still in an ingress hook) and frees its flows; the
 * slab goes once their RCU frees have run.
 */
static void __exit rtpfwd_exit(void)
{
	rtpfwd_nl_unregister();
	if (hook_at == RTPFWD_HOOK_INGRESS)
		rtpfwd_ingress_unregister();
	rtpfwd_netns_unregister();
	rtpfwd_flow_cache_destroy();
	pr_info("unloaded\n");
}

module_init(rtpfwd_init);
module_exit(rtpfwd_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel RTP/RTCP forwarding for sipproxy");
MODULE_ALIAS_GENL_FAMILY(RTPFWD_FAMILY_NAME);
