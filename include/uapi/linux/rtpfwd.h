/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * rtpfwd: in-kernel RTP/RTCP forwarding, controlled over generic netlink.
 *
 * Every attribute is documented in Documentation/netlink/specs/rtpfwd.yaml.
 * The kernel validates strictly: unknown attributes, wrong lengths and
 * unknown flag bits are rejected with an extack message. Userspace parsers
 * must skip attribute types they do not know, for forward compatibility.
 */
#ifndef _UAPI_LINUX_RTPFWD_H
#define _UAPI_LINUX_RTPFWD_H

#define RTPFWD_FAMILY_NAME	"rtpfwd"
#define RTPFWD_FAMILY_VERSION	1
#define RTPFWD_MCGRP_EVENTS	"events"

enum rtpfwd_cmd {
	RTPFWD_CMD_UNSPEC,
	RTPFWD_CMD_FLOW_NEW,		/* do: create; replies with the flow */
	RTPFWD_CMD_FLOW_SET,		/* do: change by id, atomically */
	RTPFWD_CMD_FLOW_DEL,		/* do: by id or by local endpoint */
	RTPFWD_CMD_FLOW_GET,		/* do: by id or local; dump: all */
	RTPFWD_CMD_FLUSH,		/* do: all flows, or those with COOKIE */
	RTPFWD_CMD_STATS_GET,		/* do: per-netns global counters */
	RTPFWD_CMD_FLOW_IDLE,		/* event: flow saw no packet for TIMEOUT */
	RTPFWD_CMD_SOURCE_LEARNED,	/* event: a learn flow locked its source */
	RTPFWD_CMD_FLOW_DELETED,	/* event: flow gone, with DELETE_REASON */
	RTPFWD_CMD_FLOW_NEW_MANY,	/* do: create many flows, all or none; replies with their ids */

	__RTPFWD_CMD_MAX,
	RTPFWD_CMD_MAX = __RTPFWD_CMD_MAX - 1
};

/* Top-level attributes of every command and event. */
enum rtpfwd_a {
	RTPFWD_A_UNSPEC,
	RTPFWD_A_PAD,
	RTPFWD_A_ID,		/* u32: kernel-chosen flow id, never 0 */
	RTPFWD_A_COOKIE,	/* u64: chosen by the flow's creator */
	RTPFWD_A_LOCAL,		/* nest rtpfwd_ep: address:port packets arrive at */
	RTPFWD_A_OUT,		/* nest rtpfwd_ep: source written into forwarded packets */
	RTPFWD_A_PEER,		/* nest rtpfwd_ep: destination written into them */
	RTPFWD_A_POLICY,	/* u8 enum rtpfwd_policy */
	RTPFWD_A_SOURCE,	/* nest rtpfwd_ep: strict source; in replies also the learned one */
	RTPFWD_A_FLAGS,		/* u32 mask of enum rtpfwd_flag */
	RTPFWD_A_PT_MASK,	/* binary, 16 bytes: bit N of byte N/8 allows payload type N */
	RTPFWD_A_TIMEOUT,	/* u32 seconds without packets before FLOW_IDLE; 0 = never */
	RTPFWD_A_TOS,		/* u8: DS field written into forwarded packets (ECN bits 0) */
	RTPFWD_A_CLOCK_RATE,	/* u32 Hz of the RTP clock, for jitter; default 8000 */
	RTPFWD_A_STATS,		/* nest rtpfwd_stats: read-only counters */
	RTPFWD_A_DELETE_REASON,	/* u8 enum rtpfwd_delete_reason, in FLOW_DELETED */
	RTPFWD_A_LEARNED,	/* flag: in replies, the learn policy has locked SOURCE */
	RTPFWD_A_EXPECT,	/* nest rtpfwd_ep, PORT optional: learn hint (the SDP address) */

	__RTPFWD_A_MAX,
	RTPFWD_A_MAX = __RTPFWD_A_MAX - 1
};

/* Attributes of FLOW_NEW_MANY (its own set: it takes none of the above). */
enum rtpfwd_many_a {
	RTPFWD_MANY_A_UNSPEC,
	RTPFWD_MANY_A_FLOWS,	/* nest array, 1..RTPFWD_MANY_MAX elements: each FLOW_NEW's attributes */
	RTPFWD_MANY_A_IDS,	/* binary: in the reply, the new flows' u32 ids in element order */

	__RTPFWD_MANY_A_MAX,
	RTPFWD_MANY_A_MAX = __RTPFWD_MANY_A_MAX - 1
};

/* Flows per FLOW_NEW_MANY: 256 of the largest fit the 64 KiB a nest can hold. */
#define RTPFWD_MANY_MAX		256

/* An endpoint: exactly one of IPV4 and IPV6, and PORT. */
enum rtpfwd_ep {
	RTPFWD_EP_UNSPEC,
	RTPFWD_EP_IPV4,		/* be32 */
	RTPFWD_EP_IPV6,		/* binary, 16 bytes, network order */
	RTPFWD_EP_PORT,		/* u16, host order, 1..65535 */

	__RTPFWD_EP_MAX,
	RTPFWD_EP_MAX = __RTPFWD_EP_MAX - 1
};

enum rtpfwd_policy {
	RTPFWD_POLICY_ANY,	/* forward packets from any source */
	RTPFWD_POLICY_LEARN,	/* lock onto the first source passing RTP probation */
	RTPFWD_POLICY_STRICT,	/* forward only packets from SOURCE */

	__RTPFWD_POLICY_MAX,
	RTPFWD_POLICY_MAX = __RTPFWD_POLICY_MAX - 1
};

enum rtpfwd_flag {
	RTPFWD_F_RTP		= 1U << 0, /* parse RTP: stats, PT filter, RFC 5761 RTCP */
	RTPFWD_F_RTCP		= 1U << 1, /* every packet of this flow is RTCP */
	RTPFWD_F_OWNED		= 1U << 2, /* deleted when the creating socket closes */
	RTPFWD_F_IDLE_DELETE	= 1U << 3, /* delete the flow when it goes idle */
	RTPFWD_F_EXPECT_ONLY	= 1U << 4, /* learn: never lock a source outside EXPECT */

	RTPFWD_F_ALL		= (1U << 5) - 1
};

enum rtpfwd_delete_reason {
	RTPFWD_DEL_UNSPEC,
	RTPFWD_DEL_REQUEST,	/* FLOW_DEL */
	RTPFWD_DEL_FLUSH,	/* FLUSH */
	RTPFWD_DEL_IDLE,	/* idle timeout with RTPFWD_F_IDLE_DELETE */
	RTPFWD_DEL_OWNER,	/* the owning netlink socket closed */

	__RTPFWD_DEL_MAX,
	RTPFWD_DEL_MAX = __RTPFWD_DEL_MAX - 1
};

/* Why a packet addressed to a flow was not forwarded. */
enum rtpfwd_drop {
	RTPFWD_DROP_SOURCE,	/* source failed the strict or learned policy */
	RTPFWD_DROP_PROBATION,	/* learn policy: source not yet locked */
	RTPFWD_DROP_PAYLOAD_TYPE, /* RTP payload type not in PT_MASK */
	RTPFWD_DROP_MALFORMED,	/* RTP flag set but not an RTP/RTCP packet */
	RTPFWD_DROP_NO_ROUTE,	/* no route to the peer */
	RTPFWD_DROP_NOMEM,	/* headers could not be made writable */
	RTPFWD_DROP_XMIT,	/* the output path refused the packet */

	__RTPFWD_DROP_MAX
};

/* Counters, in FLOW replies (per flow) and STATS_GET replies (per netns). */
enum rtpfwd_stats {
	RTPFWD_STATS_UNSPEC,
	RTPFWD_STATS_PAD,
	RTPFWD_STATS_PACKETS,		/* u64: forwarded RTP or other packets */
	RTPFWD_STATS_BYTES,		/* u64: their UDP payload bytes */
	RTPFWD_STATS_RTCP_PACKETS,	/* u64: forwarded RTCP packets */
	RTPFWD_STATS_RTCP_BYTES,	/* u64: their UDP payload bytes */
	RTPFWD_STATS_DROP_SOURCE,	/* u64 each: drops by enum rtpfwd_drop */
	RTPFWD_STATS_DROP_PROBATION,
	RTPFWD_STATS_DROP_PAYLOAD_TYPE,
	RTPFWD_STATS_DROP_MALFORMED,
	RTPFWD_STATS_DROP_NO_ROUTE,
	RTPFWD_STATS_DROP_NOMEM,
	RTPFWD_STATS_DROP_XMIT,
	/* per flow only */
	RTPFWD_STATS_FIRST_MS,		/* u64: ms since the first forwarded packet */
	RTPFWD_STATS_LAST_MS,		/* u64: ms since the last forwarded packet */
	RTPFWD_STATS_SSRC,		/* u32: SSRC of the RTP stream */
	RTPFWD_STATS_EXT_SEQ,		/* u32: highest extended sequence number */
	RTPFWD_STATS_LOST,		/* s32: cumulative packets lost (RFC 3550 A.3) */
	RTPFWD_STATS_JITTER,		/* u32: interarrival jitter, RTP clock units (A.8) */
	/* per netns only */
	RTPFWD_STATS_FLOWS,		/* u32: flows in this netns */
	RTPFWD_STATS_MISSES,		/* u64: UDP packets that matched no flow */
	RTPFWD_STATS_COPIES,		/* u64: packets whose headers had to be copied */

	__RTPFWD_STATS_MAX,
	RTPFWD_STATS_MAX = __RTPFWD_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_RTPFWD_H */
