#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Truncated and garbage UDP payloads (0, 1 and 11 bytes, and random bytes
# that are not RTP version 2) sent to a plain, an rtp and an rtcp flow: no
# crash, and each counted as the flow type says: a plain flow forwards
# every payload as it is; an rtp flow drops them all as malformed; an rtcp
# flow drops what is not a version 2 packet of 8 bytes or more. Each flow
# still forwards good packets afterwards. UDP headers whose length field
# disagrees with the datagram are not the module's: the stack drops them as
# UDP errors, and neither a flow nor the misses counter counts them.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2
#   fd01::2                fd01::1           fd02::1      fd02::2
set -e
. "$(dirname "$0")/lib/topology.sh"

n=10
random_size=64
size=172

zeros() {
	printf "%0$(($1 * 2))d" 0
}

# garbage SOURCE LOCAL: $n each of 0, 1, 11 bytes and random bytes.
# (lines for rtp.py sends)
garbage() {
	echo "$1 $2 $n --raw ''"
	echo "$1 $2 $n --raw 80"
	echo "$1 $2 $n --raw 80$(zeros 10)"
	echo "$1 $2 $n --garbage 1 --size $random_size"
}

plain() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer")
	receive e "$peer" $((4 * n)) --timeout 30
	garbage "$src" "$local" | c $rtp sends
	expect_received "$name" "$peer" $((4 * n)) $((n * (0 + 1 + 11 + random_size))) "$out"
	wait_column "$name" "$id" 14 $((4 * n))
	expect_columns "$name" "$id" 15=$((n * (0 + 1 + 11 + random_size))) 21=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

rtp_flow() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 5 --timeout 30
	{
		garbage "$src" "$local"
		echo "$src $local 5 --size $size"
	} | c $rtp sends
	expect_received "$name" "$peer" 5 $((5 * size)) "$out"
	wait_column "$name" "$id" 14 5
	expect_columns "$name" "$id" 21=$((4 * n)) 16=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# The 11-byte payload is a version 2 packet longer than 8 bytes: RTCP.
rtcp_flow() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtcp)
	receive e "$peer" $((n + 5)) --timeout 30
	{
		garbage "$src" "$local"
		echo "$src $local 5 --rtcp 201 --size 8"
	} | c $rtp sends
	expect_received "$name" "$peer" $((n + 5)) $((n * 11 + 5 * 8)) "$out"
	wait_column "$name" "$id" 16 $((n + 5))
	expect_columns "$name" "$id" 21=$((3 * n)) 14=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# udp_errors: the Udp InErrors counter of the gateway (/proc/net/snmp).
udp_errors() {
	g awk '/^Udp:/ { if (!n++) { for (i = 2; i <= NF; i++) if ($i == "InErrors") col = i } else print $col }' /proc/net/snmp
}

udp_errors_are() {
	[ "$(udp_errors)" = "$1" ]
}

# bad_length NAME: UDP length fields longer than the datagram and shorter
# than a UDP header, to a flow's local endpoint.
bad_length() {
	name=$1
	id=$(g "$bin" flow add local 10.0.1.1:30030 out 10.0.2.1:30032 peer 10.0.2.2:4030)
	before=$(udp_errors)
	misses=$(nsstat g misses)
	c $rtp sends <<-SENDS
	10.0.1.2:5030 10.0.1.1:30030 $n --size $size --udp-length $((8 + size + 4))
	10.0.1.2:5030 10.0.1.1:30030 $n --size $size --udp-length 7
	SENDS
	poll 200 udp_errors_are $((before + 2 * n)) || fail "$name: Udp InErrors went from $before to $(udp_errors), want +$((2 * n))"
	# Not whole UDP datagrams: never looked up, so no misses either.
	[ "$(nsstat g misses)" = "$misses" ] || fail "$name: misses went from $misses to $(nsstat g misses)"
	expect_columns "$name" "$id" 14=0 16=0 18=0 19=0 20=0 21=0 22=0 23=0 24=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

setup
plain "ipv4 plain flow forwards truncated and garbage payloads" \
	10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000
plain "ipv6 plain flow forwards truncated and garbage payloads" \
	"[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000"
rtp_flow "ipv4 rtp flow drops truncated and garbage payloads as malformed" \
	10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010
rtp_flow "ipv6 rtp flow drops truncated and garbage payloads as malformed" \
	"[fd01::1]:30010" "[fd02::1]:30012" "[fd02::2]:4010" "[fd01::2]:5010"
rtcp_flow "ipv4 rtcp flow drops all but version 2 of 8 bytes or more" \
	10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020
bad_length "ipv4 udp length mismatch left to the stack"
