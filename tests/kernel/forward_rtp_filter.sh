#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What an rtp flow refuses: payload types outside its `pt` list (counted as
# payload_type; RTCP is not filtered, and a refused payload type cannot win
# learn probation), and packets that are neither RTP nor RTCP (not version
# 2, shorter than the RTP header with its CSRC list or than an RTCP header),
# counted as malformed, while packets exactly at those minimums pass.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2
#   fd01::2                fd01::1           fd02::1      fd02::2
set -e
. "$(dirname "$0")/lib/topology.sh"

size=172
rtcp_size=28

# zeros N: N zero bytes in hex.
zeros() {
	printf "%0$(($1 * 2))d" 0
}

# pt_filter NAME LOCAL OUT PEER SOURCE: with pt 0,8, 30 packets each of
# PT 0 and 8 and 5 RTCP pass; 30 of PT 96 are dropped before the RTP
# statistics see them.
pt_filter() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp pt 0,8)
	expect_columns "$name" "$id" 10=01010000000000000000000000000000
	receive e "$peer" 65 --timeout 30
	c $rtp sends <<-SENDS
	$src $local 30 --pt 0 --seq 1000 --size $size
	$src $local 30 --pt 96 --seq 1030 --size $size
	$src $local 30 --pt 8 --seq 1060 --size $size
	$src $local 5 --rtcp 200 --size $rtcp_size
	SENDS
	expect_received "$name" "$peer" 65 $((60 * size + 5 * rtcp_size)) "$out"
	wait_column "$name" "$id" 16 5
	expect_columns "$name" "$id" 14=60 20=30
	# 1030..1059 never reached the statistics: they count as lost.
	expect_columns "$name" "$id" 28=1089 29=30
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# probation NAME LOCAL OUT PEER SOURCE: two in-sequence packets of a
# refused payload type do not lock a learn flow; two of an allowed one do.
probation() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source learn rtp pt 0)
	c $rtp send "$src" "$local" 2 --pt 96 --seq 1000
	wait_column "$name" "$id" 20 2
	expect_columns "$name" "$id" 8=0 19=0
	c $rtp send "$src" "$local" 2 --pt 0 --seq 1002
	wait_column "$name" "$id" 14 1
	expect_columns "$name" "$id" 8=1 19=1
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# malformed NAME LOCAL OUT PEER SOURCE: five each of version 1, 11 bytes,
# CSRC count 15 in 71 bytes and a 4-byte RTCP packet are dropped; five
# each of a bare 12-byte RTP header, CSRC count 15 in 72 bytes and an
# 8-byte RTCP receiver report pass.
malformed() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 15 --timeout 30
	for raw in "40$(zeros $((size - 1)))" "80$(zeros 10)" "8f00$(zeros 69)" 80c80000 \
		"8000$(zeros 10)" "8f00$(zeros 70)" "80c90001$(zeros 4)"; do
		echo "$src $local 5 --raw $raw"
	done | c $rtp sends
	expect_received "$name" "$peer" 15 $((5 * (12 + 72 + 8))) "$out"
	wait_column "$name" "$id" 21 20
	expect_columns "$name" "$id" 14=10 15=$((5 * (12 + 72))) 16=5 17=$((5 * 8))
	g "$bin" flow del "$id"
	echo "ok - $name"
}

setup
pt_filter "ipv4 rtp pt 0,8: other payload types dropped, rtcp passes" \
	10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000
pt_filter "ipv6 rtp pt 0,8: other payload types dropped, rtcp passes" \
	"[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000"
probation "ipv4 learn: a refused payload type cannot win probation" \
	10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010
malformed "ipv4 rtp: malformed packets dropped, minimal ones pass" \
	10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020
malformed "ipv6 rtp: malformed packets dropped, minimal ones pass" \
	"[fd01::1]:30020" "[fd02::1]:30022" "[fd02::2]:4020" "[fd01::2]:5020"
