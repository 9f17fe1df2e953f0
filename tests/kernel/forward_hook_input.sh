#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Where the module takes media: with hook=input (LOCAL_IN, after the filter
# table) flows forward and an nftables INPUT rule sees media first, so a
# drop rule stops it before rtpfwd (the flow counts nothing); with the
# default hook (PRE_ROUTING) rtpfwd forwards the same packets and the INPUT
# rule never sees them. IPv4 only: both families share the code and the
# inet table, and each packet sent costs seconds in the emulated VM.
#
#   caller (ns c)          gateway (ns g)                     callee (ns e)
#   10.0.1.2 ----------- 10.0.1.1 [nft input] [flows] 10.0.2.1 ----- 10.0.2.2
#
# Flows: ...:30200 forwarded, INPUT counts it (accept);
#        ...:30201 forwarded, INPUT drops it.
set -e
. "$(dirname "$0")/lib/topology.sh"

size=160

# load HOOK [PARAM]: reload the module with PARAM; it logs HOOK.
load() {
	rmmod rtpfwd
	kmsg_mark "load $1"
	insmod "$ko" $2
	log=$(kmsg_since "load $1")
	[ "$log" = "rtpfwd: loaded (hook=$1, max_flows=1048576)" ] || fail "hook=$1: load logged '$log'"
}

# firewall: an inet table in the gateway counting media to port 30200 and
# dropping it to port 30201, in the INPUT hook.
firewall() {
	g nft -f - <<-NFT
	table inet media {
		chain input {
			type filter hook input priority filter; policy accept;
			udp dport 30200 counter accept
			udp dport 30201 counter drop
		}
	}
	NFT
}

# nft_packets PORT: the packet counter of the INPUT rule for PORT.
nft_packets() {
	g nft list chain inet media input |
		sed -n "s/.*udp dport $1 counter packets \([0-9]*\) .*/\1/p"
}

expect_nft() {
	[ "$(nft_packets "$2")" = "$3" ] || fail "$1: INPUT rule for port $2 counted '$(nft_packets "$2")', want $3"
}

# send NAME HOST-C HOST-G HOST-GE HOST-E FORWARDED: 10 packets to each of the
# two flows; FORWARDED is 10 when the drop rule cannot reach
# them, 0 when it drops them first. The dropped flow's packets go first and
# one receiver on both peers takes 10 + FORWARDED packets in all: a packet
# the drop rule let through would be among them, with no wait for nothing.
send() {
	name=$1 src=$2 gw=$3 gwe=$4 dst=$5 fwd=$6
	a=$(g "$bin" flow add local "$gw:30200" out "$gwe:30200" peer "$dst:4200")
	d=$(g "$bin" flow add local "$gw:30201" out "$gwe:30201" peer "$dst:4201")
	receive e "$dst:4200,$dst:4201" $((10 + fwd)) --timeout 30
	c $rtp sends <<-SENDS
	$src:5201 $gw:30201 10 --size $size
	$src:5200 $gw:30200 10 --size $size
	SENDS
	wait $receiver || true
	want="packets=10 bytes=$((10 * size)) sources=$gwe:30200
packets=$fwd bytes=$((fwd * size)) sources=$([ "$fwd" = 0 ] && echo - || echo "$gwe:30201")"
	[ "$(received 4201)" = "$want" ] || fail "$name: the peers saw '$(received 4201)', want '$want'"
	wait_column "$name" "$d" 14 "$fwd"
	expect_columns "$name" "$a" 14=10
	g "$bin" flow del "$a"
	g "$bin" flow del "$d"
}

setup
load input hook=input
firewall
send "hook=input" 10.0.1.2 10.0.1.1 10.0.2.1 10.0.2.2 0
expect_nft "hook=input" 30200 10
expect_nft "hook=input" 30201 10
echo "ok - hook=input: flows forward, the INPUT chain sees media first and its drop wins"

g nft delete table inet media
load prerouting
firewall
send "default hook" 10.0.1.2 10.0.1.1 10.0.2.1 10.0.2.2 10
expect_nft "default hook" 30200 0
expect_nft "default hook" 30201 0
echo "ok - default hook: rtpfwd takes media before the INPUT chain"
