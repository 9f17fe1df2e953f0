#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# IPv4 and IPv6 forwarding through rtpfwd: exact packet and byte counts at
# the receiver and in the flow's counters, the rewritten source, and strict
# policy drops of foreign sources.
#
#   caller (ns c)             gateway (ns g)                 callee (ns e)
#   vc 10.0.1.2 --------- vgc 10.0.1.1    vge 10.0.2.1 --------- ve 10.0.2.2
#      fd01::2                fd01::1         fd02::1                fd02::2
#
# The caller sends to the gateway's LOCAL endpoint; the flow sends each
# packet on from OUT (the gateway's callee-side address) to PEER.
set -e
. "$(dirname "$0")/lib/topology.sh"

size=172

# forward NAME LOCAL OUT PEER SENDER COUNT [FLOW-OPTIONS]: COUNT packets
# from SENDER must reach PEER from OUT, all of them counted.
forward() {
	name=$1 local=$2 out=$3 peer=$4 sender=$5 count=$6
	shift 6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" "$@")
	receive e "$peer" "$count" --timeout 30
	c $rtp send "$sender" "$local" "$count" --size $size
	expect_received "$name" "$peer" "$count" $((count * size)) "$out"
	wait_column "$name" "$id" 14 "$count"
	expect_columns "$name" "$id" 15=$((count * size))
	g grep -q "^$id[[:space:]]" /proc/net/rtpfwd/flows || fail "$name: flow $id not in /proc/net/rtpfwd/flows"
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# strict NAME LOCAL OUT PEER GOOD BAD: 50 packets from BAD are dropped and
# counted, then 50 from GOOD go through. The receiver takes the first 50
# packets: a foreign one (100 bytes, not 172) among them fails the byte
# count, with no wait for nothing to arrive.
strict() {
	name=$1 local=$2 out=$3 peer=$4 good=$5 bad=$6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source strict "$good")
	receive e "$peer" 50 --timeout 30
	c $rtp sends <<-SENDS
	$bad $local 50 --size 100
	$good $local 50 --size $size
	SENDS
	expect_received "$name" "$peer" 50 $((50 * size)) "$out"
	wait_column "$name" "$id" 14 50
	expect_columns "$name" "$id" 15=$((50 * size)) 18=50
	g grep -q "^$id[[:space:]]" /proc/net/rtpfwd/flows || fail "$name: flow $id not in /proc/net/rtpfwd/flows"
	g "$bin" flow del "$id"
	echo "ok - $name"
	echo "ok - $name (own source)"
}

setup
forward "ipv4 forwarding" 10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000 500
forward "ipv6 forwarding" "[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000" 500
forward "ipv4 rtp flow" 10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010 300 rtp
strict "ipv4 strict source" 10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020 10.0.1.2:5021
strict "ipv6 strict source" "[fd01::1]:30020" "[fd02::1]:30022" "[fd02::2]:4020" "[fd01::2]:5020" "[fd01::2]:5021"
