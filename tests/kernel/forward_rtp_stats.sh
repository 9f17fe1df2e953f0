#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# RTP statistics of an rtp flow (RFC 3550 appendix A): exact loss, extended
# highest sequence (across a wrap) and SSRC; interarrival jitter from a
# sender whose timestamps are irregular by a known amount; RTCP multiplexed
# on the port (RFC 5761, packet types 200-204) forwarded and counted apart
# from RTP; and an rtcp flow counting every packet as RTCP.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2
#   fd01::2                fd01::1           fd02::1      fd02::2
set -e
. "$(dirname "$0")/lib/topology.sh"

size=172
rtcp_size=28

# loss NAME LOCAL OUT PEER SOURCE: 100 packets from sequence 1000 with 10
# left out: lost 10, highest 1109.
loss() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 100 --timeout 30
	c $rtp send "$src" "$local" 100 --seq 1000 --ssrc 0xdeadbeef \
		--skip 5,15,25,35,45,55,65,75,85,95 --size $size
	expect_received "$name" "$peer" 100 $((100 * size)) "$out"
	wait_column "$name" "$id" 14 100
	expect_columns "$name" "$id" 27=$((0xdeadbeef)) 28=1109 29=10
	proc=$(g awk -v id="$id" '$1 == id { print $13, $14 }' /proc/net/rtpfwd/flows)
	[ "$proc" = "deadbeef 10" ] || fail "$name: /proc ssrc and lost are '$proc'"
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# wrap NAME LOCAL OUT PEER SOURCE: 100 packets from sequence 65500 cross
# the wrap: extended highest sequence 65536 + 63, nothing lost.
wrap() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 100 --timeout 30
	c $rtp send "$src" "$local" 100 --seq 65500 --ssrc 7 --size $size
	expect_received "$name" "$peer" 100 $((100 * size)) "$out"
	wait_column "$name" "$id" 14 100
	expect_columns "$name" "$id" 27=7 28=65599 29=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# jitter NAME LOCAL OUT PEER SOURCE: every other timestamp is 8000 units
# (1 s at the default 8 kHz) late. RFC 3550 A.8 over 100 packets whose
# arrivals are evenly spaced gives 7991 exactly; emulation spreads
# arrivals by milliseconds, a few units each, so 5% covers it.
jitter() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 100 --timeout 30
	c $rtp send "$src" "$local" 100 --ts-jitter 8000 --size $size
	expect_received "$name" "$peer" 100 $((100 * size)) "$out"
	wait_column "$name" "$id" 14 100
	got=$(column "$id" 30)
	[ "$got" -ge 7591 ] && [ "$got" -le 8391 ] || fail "$name: jitter $got, want 7991 +- 400"
	expect_columns "$name" "$id" 29=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# mux NAME LOCAL OUT PEER SOURCE: 40 RTP packets around 10 RTCP ones (two
# of each of SR, RR, SDES, BYE, APP) all reach the peer; RTCP is counted
# apart and leaves the RTP statistics alone.
mux() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtp)
	receive e "$peer" 50 --timeout 30
	c $rtp sends <<-SENDS
	$src $local 20 --seq 1000 --size $size
	$src $local 10 --rtcp 200,201,202,203,204 --size $rtcp_size
	$src $local 20 --seq 1020 --size $size
	SENDS
	expect_received "$name" "$peer" 50 $((40 * size + 10 * rtcp_size)) "$out"
	wait_column "$name" "$id" 16 10
	expect_columns "$name" "$id" 14=40 15=$((40 * size)) 17=$((10 * rtcp_size)) 28=1039 29=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# rtcp_flow NAME LOCAL OUT PEER SOURCE: with the rtcp flag, RTP-looking
# packets are RTCP too, and no RTP statistics exist.
rtcp_flow() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" rtcp)
	receive e "$peer" 20 --timeout 30
	c $rtp sends <<-SENDS
	$src $local 10 --size $size
	$src $local 10 --rtcp 200 --size $rtcp_size
	SENDS
	expect_received "$name" "$peer" 20 $((10 * size + 10 * rtcp_size)) "$out"
	wait_column "$name" "$id" 16 20
	expect_columns "$name" "$id" 14=0 17=$((10 * size + 10 * rtcp_size)) 27=-
	g "$bin" flow del "$id"
	echo "ok - $name"
}

setup
loss "ipv4 rtp: exact loss, highest sequence and ssrc" \
	10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000
loss "ipv6 rtp: exact loss, highest sequence and ssrc" \
	"[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000"
wrap "ipv4 rtp: extended sequence across the wrap" \
	10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010
jitter "ipv4 rtp: jitter of irregular timestamps" \
	10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020
mux "ipv4 rtp: multiplexed rtcp forwarded and counted apart" \
	10.0.1.1:30030 10.0.2.1:30032 10.0.2.2:4030 10.0.1.2:5030
mux "ipv6 rtp: multiplexed rtcp forwarded and counted apart" \
	"[fd01::1]:30030" "[fd02::1]:30032" "[fd02::2]:4030" "[fd01::2]:5030"
rtcp_flow "ipv4 rtcp flow: every packet is rtcp" \
	10.0.1.1:30040 10.0.2.1:30042 10.0.2.2:4040 10.0.1.2:5040
