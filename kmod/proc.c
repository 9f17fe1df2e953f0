// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/rtpfwd/flows and /proc/net/rtpfwd/stats, per netns. Their column
 * layouts are API: Documentation/rtpfwd.rst describes them, append only.
 */
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "flow.h"
#include "netns.h"
#include "proc.h"
#include "stats.h"

#define FLOWS_HEADER "id cookie local policy out peer flags packets bytes " \
		     "rtcp_packets drops last_ms ssrc lost jitter\n"

static void show_ep(struct seq_file *s, u8 family, const union rtpfwd_addr *a,
		    __be16 port)
{
	if (family == AF_INET)
		seq_printf(s, "%pI4:%u", &a->v4, ntohs(port));
	else
		seq_printf(s, "[%pI6c]:%u", &a->v6, ntohs(port));
}

static void show_policy(struct seq_file *s, u8 family,
			const struct rtpfwd_flow_cfg *cfg)
{
	switch (cfg->policy) {
	case RTPFWD_POLICY_STRICT:
		seq_puts(s, "strict:");
		break;
	case RTPFWD_POLICY_LEARN:
		seq_puts(s, "learn:");
		if (cfg->src_state & RTPFWD_SRC_EXPECT) {
			/* Unlocked, with a hint: "learn:expect:ADDR:PORT|*" */
			seq_puts(s, "expect:");
			if (cfg->src_state & RTPFWD_SRC_EXPECT_PORT)
				break;
			if (family == AF_INET)
				seq_printf(s, "%pI4:*", &cfg->source.addr.v4);
			else
				seq_printf(s, "[%pI6c]:*", &cfg->source.addr.v6);
			return;
		}
		if (cfg->src_state != RTPFWD_SRC_LOCKED) {
			seq_putc(s, '-');
			return;
		}
		break;
	default:
		seq_puts(s, "any");
		return;
	}
	show_ep(s, family, &cfg->source.addr, cfg->source.port);
}

static void show_flags(struct seq_file *s, u32 flags)
{
	static const char *const names[] = {
		"rtp", "rtcp", "owned", "idle-delete", "expect-only",
	};
	bool first = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(flags & BIT(i)))
			continue;
		seq_printf(s, "%s%s", first ? "" : ",", names[i]);
		first = false;
	}
	if (first)
		seq_putc(s, '-');
}

static int flows_show(struct seq_file *s, void *v)
{
	struct rtpfwd_flow *flow = v;
	struct rtpfwd_flow_view view;
	const struct rtpfwd_flow_cfg *cfg = &view.cfg;
	u8 family;
	struct rtpfwd_totals t;

	if (v == SEQ_START_TOKEN) {
		seq_puts(s, FLOWS_HEADER);
		return 0;
	}
	family = flow->key.family;
	rtpfwd_flow_view(flow, &view);
	rtpfwd_stats_sum(flow->stats, &t);

	seq_printf(s, "%u %llu ", flow->id, cfg->cookie);
	show_ep(s, family, &flow->key.addr, flow->key.port);
	seq_putc(s, ' ');
	show_policy(s, family, cfg);
	seq_putc(s, ' ');
	show_ep(s, family, &cfg->out.addr, cfg->out.port);
	seq_putc(s, ' ');
	show_ep(s, family, &cfg->peer.addr, cfg->peer.port);
	seq_putc(s, ' ');
	show_flags(s, cfg->flags);
	seq_printf(s, " %llu %llu %llu %llu ", t.packets, t.bytes,
		   t.rtcp_packets, rtpfwd_stats_drops(&t));
	if (view.first)
		seq_printf(s, "%u", jiffies_to_msecs((u32)jiffies - view.last));
	else
		seq_putc(s, '-');
	if (rtpfwd_rtp_active(&view.rtp))
		seq_printf(s, " %08x %d %u\n", view.rtp.ssrc,
			   rtpfwd_rtp_lost(&view.rtp),
			   rtpfwd_rtp_jitter(&view.rtp));
	else
		seq_puts(s, " - - -\n");
	return 0;
}

/*
 * The position is the id to continue from (0: the header), so a read that
 * resumes after flows came and went neither repeats nor skips survivors.
 */
static void *flows_find(struct seq_file *s, loff_t *pos)
{
	struct rtpfwd_net *rn = rtpfwd_net(seq_file_net(s));
	unsigned long id = *pos;
	struct rtpfwd_flow *flow;

	flow = xa_find(&rn->table.by_id, &id, U32_MAX, XA_PRESENT);
	*pos = flow ? id : (loff_t)U32_MAX + 1;
	return flow;
}

static void *flows_start(struct seq_file *s, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos > U32_MAX)
		return NULL;
	return flows_find(s, pos);
}

static void *flows_next(struct seq_file *s, void *v, loff_t *pos)
{
	*pos = v == SEQ_START_TOKEN ? 1 :
				      (loff_t)((struct rtpfwd_flow *)v)->id + 1;
	if (*pos > U32_MAX)
		return NULL;
	return flows_find(s, pos);
}

static void flows_stop(struct seq_file *s, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static const struct seq_operations flows_ops = {
	.start = flows_start,
	.next = flows_next,
	.stop = flows_stop,
	.show = flows_show,
};

static int stats_show(struct seq_file *s, void *v)
{
	struct rtpfwd_net *rn = rtpfwd_net(seq_file_single_net(s));
	struct rtpfwd_totals t;
	int i;

	rtpfwd_stats_sum_net(rn->stats, &t);
	seq_printf(s, "flows %u\n", READ_ONCE(rn->n_flows));
	seq_printf(s, "forwarded_packets %llu\n", t.packets);
	seq_printf(s, "forwarded_bytes %llu\n", t.bytes);
	seq_printf(s, "rtcp_packets %llu\n", t.rtcp_packets);
	seq_printf(s, "rtcp_bytes %llu\n", t.rtcp_bytes);
	for (i = 0; i < __RTPFWD_DROP_MAX; i++)
		seq_printf(s, "drop_%s %llu\n", rtpfwd_drop_names[i],
			   t.drops[i]);
	seq_printf(s, "misses %llu\n", t.misses);
	seq_printf(s, "copies %llu\n", t.copies);
	return 0;
}

/**
 * rtpfwd_proc_init - create /proc/net/rtpfwd/ in a netns
 * @net: the netns
 *
 * Context: process (pernet init).
 * Return: 0 or -ENOMEM.
 */
int rtpfwd_proc_init(struct net *net)
{
	struct proc_dir_entry *dir;

	dir = proc_net_mkdir(net, "rtpfwd", net->proc_net);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_net("flows", 0444, dir, &flows_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_net_single("stats", 0444, dir, stats_show, NULL)) {
		remove_proc_subtree("rtpfwd", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

/**
 * rtpfwd_proc_exit - remove /proc/net/rtpfwd/ from a netns
 * @net: the netns
 *
 * Context: process (pernet exit); waits for readers.
 */
void rtpfwd_proc_exit(struct net *net)
{
	remove_proc_subtree("rtpfwd", net->proc_net);
}
