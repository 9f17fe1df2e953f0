#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Media creates no conntrack entries, whichever hook takes it. The gateway
# runs conntrack (an nftables table with ct rules loads it) and counts the
# forwarded packets leaving vge by conntrack state: every one untracked
# (marked before ip_local_out, so LOCAL_OUT and POSTROUTING conntrack skip
# it), and nf_conntrack_count does not move. A UDP packet no flow takes
# then adds exactly one entry: conntrack is really on, the zero is not an
# accident. With the default hook the raw PREROUTING chain never sees
# media; with hook=input it does (conntrack saw the packet) but the entry
# dies unconfirmed with the stolen packet. IPv4 only, as in
# forward_hook_input.sh: both families share the code.
#
#   caller (ns c)          gateway (ns g)                         callee (ns e)
#   10.0.1.2 ----------- 10.0.1.1 [raw pre] [flow]  10.0.2.1 [post] ----- 10.0.2.2
#                        :30300 -----------------> :30300 ----------------> :4300
set -e
. "$(dirname "$0")/lib/topology.sh"

size=160

# load [PARAM]: reload the module with PARAM.
load() {
	rmmod rtpfwd
	insmod "$ko" $1
}

conntrack_table() {
	g nft -f - <<-NFT
	table inet media_ct {
		chain pre {
			type filter hook prerouting priority raw; policy accept;
			udp dport 30300 counter
		}
		chain post {
			type filter hook postrouting priority filter; policy accept;
			udp dport 4300 ct state untracked counter
			udp dport 4300 ct state != untracked counter
		}
	}
	NFT
}

# rule_packets CHAIN MATCH: the packet counter of the rule in CHAIN whose
# text (up to "counter") is MATCH.
rule_packets() {
	g nft list chain inet media_ct "$1" |
		sed -n "s/^[[:space:]]*$2 counter packets \([0-9]*\) .*/\1/p"
}

expect_rule() {
	[ "$(rule_packets "$2" "$3")" = "$4" ] ||
		fail "$1: rule '$3' in $2 counted '$(rule_packets "$2" "$3")', want $4"
}

ct_count() {
	g cat /proc/sys/net/netfilter/nf_conntrack_count
}

expect_ct() {
	[ "$(ct_count)" = "$2" ] || fail "$1: nf_conntrack_count is '$(ct_count)', want $2"
}

# check NAME UNTRACKED RAW CT: the flow forwarded 10 packets; the rule
# counters (never reset: they count every media run so far) read UNTRACKED
# packets leaving untracked and none tracked, RAW seen by the raw
# PREROUTING chain; CT conntrack entries exist.
check() {
	wait_column "$1" "$id" 14 10
	expect_rule "$1" post "udp dport 4300 ct state untracked" "$2"
	expect_rule "$1" post "udp dport 4300 ct state != untracked" 0
	expect_rule "$1" pre "udp dport 30300" "$3"
	expect_ct "$1" "$4"
}

flow() {
	id=$(g "$bin" flow add local 10.0.1.1:30300 out 10.0.2.1:30300 peer 10.0.2.2:4300)
}

setup
conntrack_table
# The entry counted below must outlive the rest of the test in the slow VM.
g sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
expect_ct "conntrack loaded" 0
receive e 10.0.2.2:4300 20 --timeout 60

# Media, then one packet to a port without a flow, which conntrack tracks
# as usual: exactly one entry, and it is not media's (same 5-tuple: one).
flow
c $rtp sends <<-SENDS
	10.0.1.2:5300 10.0.1.1:30300 10 --size $size
	10.0.1.2:5301 10.0.1.1:30301 1 --size $size
	SENDS
poll 200 value_is 1 ct_count || fail "default hook: nf_conntrack_count is '$(ct_count)', want 1"
check "default hook" 10 0 1
echo "ok - default hook: media is untracked and creates no conntrack entry"

load hook=input
flow
c $rtp send 10.0.1.2:5300 10.0.1.1:30300 10 --size $size
check "hook=input" 20 10 1
expect_received "both hooks" 10.0.2.2:4300 20 $((20 * size)) 10.0.2.1:30300
echo "ok - hook=input: conntrack sees media, but no entry outlives the packet"
load
