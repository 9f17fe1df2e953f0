#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The learn policy's EXPECT hint (the SDP address) against an attacker who
# sprays the relay's RTCP port and a non-RTP flow before the endpoint sends:
# - hinted RTCP flow: the attacker's packets are dropped as probation while
#   the RTP sibling (local port - 1) has learned nothing; the endpoint's
#   first packet from the hinted address locks at once; the attacker is
#   then dropped as source;
# - non-RTP flow hinted with a port: the same address from another port is
#   foreign too; the hinted address:port locks;
# - NATed endpoint (hint 192.168.1.10, a private SDP address; it sends from
#   10.0.1.2): its RTP flow learns by probation and drops the hint; its RTCP
#   flow locks onto 10.0.1.2 (another port) on the sibling's word, never
#   onto the attacker;
# - EXPECT_ONLY: an attacker's in-sequence RTP never wins the probation
#   (dropped as source), the hinted endpoint does.
# IPv4 throughout, the RTCP case again in IPv6.
#
#   caller (ns c)                gateway (ns g)              callee (ns e)
#   endpoint 10.0.1.2 fd01::2 --- 10.0.1.1  [flows]  10.0.2.1 --- 10.0.2.2
#   attacker 10.0.1.3 fd01::3     fd01::1            fd02::1      fd02::2
set -e
. "$(dirname "$0")/lib/topology.sh"

# proc_policy ID: the policy column of the flow's /proc/net/rtpfwd/flows line.
proc_policy() {
	g awk -v id="$1" '$1 == id { print $4 }' /proc/net/rtpfwd/flows
}

expect_proc() {
	[ "$(proc_policy "$2")" = "$3" ] || fail "$1: /proc policy is '$(proc_policy "$2")', want '$3'"
}

# Columns of `rtpfwd -s flow show`: 7 source, 8 learned, 14 packets,
# 16 rtcp packets, 18 source drops, 19 probation drops, 31 expect.

# rtcp NAME L-RTP L-RTCP OUT PEER HINT ENDPOINT ATTACKER PROC-HINT
rtcp() {
	name=$1 lrtp=$2 lrtcp=$3 out=$4 peer=$5 hint=$6 good=$7 bad=$8 phint=$9
	g "$bin" flow add local "$lrtp" out "$out" peer "$peer" source learn expect "$hint" rtp >/dev/null
	id=$(g "$bin" flow add local "$lrtcp" out "$out" peer "$peer" source learn expect "$hint" rtcp)
	expect_columns "$name: before" "$id" 7=- 8=0 31="$phint"
	expect_proc "$name: before" "$id" "learn:expect:$phint"
	c $rtp send "$bad" "$lrtcp" 10 --rtcp 200
	wait_column "$name: spray" "$id" 19 10
	expect_columns "$name: spray" "$id" 8=0 16=0 18=0

	receive e "$peer" 5 --timeout 30
	c $rtp send "$good" "$lrtcp" 5 --rtcp 200 --size 52
	expect_received "$name" "$peer" 5 $((5 * 52)) "$out"
	wait_event "$name" "learned${tab}$id${tab}$good"
	c $rtp send "$bad" "$lrtcp" 3 --rtcp 200
	wait_column "$name: after" "$id" 18 3
	expect_columns "$name: after" "$id" 7="$good" 8=1 16=5 19=10 31=-
	expect_proc "$name: after" "$id" "learn:$good"
	echo "ok - $name: attacker's RTCP spray not learned, the hinted endpoint locks at once"
}

# port_hint: a non-RTP flow hinted with address and port.
port_hint() {
	name="ipv4 non-RTP flow hinted with a port"
	peer=10.0.2.2:4110
	id=$(g "$bin" flow add local 10.0.1.1:30110 out 10.0.2.1:30110 peer $peer \
		source learn expect 10.0.1.2:5110)
	expect_columns "$name" "$id" 31=10.0.1.2:5110
	expect_proc "$name" "$id" "learn:expect:10.0.1.2:5110"
	c $rtp sends <<-SENDS
	10.0.1.2:5999 10.0.1.1:30110 10 --raw 00
	10.0.1.3:5110 10.0.1.1:30110 10 --raw 00
	SENDS
	wait_column "$name: spray" "$id" 19 20
	receive e $peer 5 --timeout 30
	c $rtp send 10.0.1.2:5110 10.0.1.1:30110 5 --raw 0000
	expect_received "$name" $peer 5 10 10.0.2.1:30110
	expect_columns "$name" "$id" 7=10.0.1.2:5110 8=1 14=5 18=0 19=20
	echo "ok - $name: other ports of the address and other addresses not learned"
}

# nat: the SDP says 192.168.1.10, the phone sends from 10.0.1.2 (NAT ports
# 6120/6121); the attacker sprays RTCP before and after the RTP locked.
nat() {
	name="ipv4 NATed endpoint"
	peer=10.0.2.2:4120
	rid=$(g "$bin" flow add local 10.0.1.1:30120 out 10.0.2.1:30120 peer $peer \
		source learn expect 192.168.1.10 rtp)
	id=$(g "$bin" flow add local 10.0.1.1:30121 out 10.0.2.1:30121 peer $peer \
		source learn expect 192.168.1.10 rtcp)
	c $rtp send 10.0.1.3:5121 10.0.1.1:30121 10 --rtcp 200
	wait_column "$name: spray before" "$id" 19 10

	receive e $peer 19 --timeout 30
	c $rtp send 10.0.1.2:6120 10.0.1.1:30120 20 --size 172
	expect_received "$name: rtp" $peer 19 $((19 * 172)) 10.0.2.1:30120
	wait_event "$name: rtp" "learned${tab}$rid${tab}10.0.1.2:6120"
	expect_columns "$name: rtp" "$rid" 7=10.0.1.2:6120 14=19 19=1 31=-

	c $rtp send 10.0.1.3:5121 10.0.1.1:30121 10 --rtcp 200
	wait_column "$name: spray after" "$id" 19 20
	expect_columns "$name: spray after" "$id" 8=0 16=0 31=192.168.1.10:*
	receive e $peer 5 --timeout 30
	c $rtp send 10.0.1.2:6121 10.0.1.1:30121 5 --rtcp 200 --size 52
	expect_received "$name: rtcp" $peer 5 $((5 * 52)) 10.0.2.1:30121
	wait_event "$name: rtcp" "learned${tab}$id${tab}10.0.1.2:6121"
	expect_columns "$name: rtcp" "$id" 7=10.0.1.2:6121 8=1 16=5 18=0 19=20
	echo "ok - $name: RTP learns by probation, RTCP on its address (another port), attacker never"
}

# only: EXPECT_ONLY on an RTP flow; the attacker sends first, in sequence.
only() {
	name="ipv4 expect-only RTP flow"
	peer=10.0.2.2:4130
	id=$(g "$bin" flow add local 10.0.1.1:30130 out 10.0.2.1:30130 peer $peer \
		source learn expect 10.0.1.2 only rtp)
	expect_columns "$name" "$id" 9=17 31=10.0.1.2:*
	c $rtp send 10.0.1.3:5130 10.0.1.1:30130 20 --size 100
	wait_column "$name: spray" "$id" 18 20
	receive e $peer 19 --timeout 30
	c $rtp send 10.0.1.2:5130 10.0.1.1:30130 20 --size 172 --seq 3000
	expect_received "$name" $peer 19 $((19 * 172)) 10.0.2.1:30130
	wait_event "$name" "learned${tab}$id${tab}10.0.1.2:5130"
	expect_columns "$name" "$id" 7=10.0.1.2:5130 14=19 18=20 19=1
	echo "ok - $name: attacker's in-sequence RTP dropped as source, the hinted endpoint locks"
}

setup
monitor_start
rtcp "ipv4 hinted RTCP flow" 10.0.1.1:30100 10.0.1.1:30101 10.0.2.1:30101 10.0.2.2:4100 \
	10.0.1.2 10.0.1.2:5101 10.0.1.3:5101 "10.0.1.2:*"
rtcp "ipv6 hinted RTCP flow" "[fd01::1]:30100" "[fd01::1]:30101" "[fd02::1]:30101" \
	"[fd02::2]:4100" "[fd01::2]" "[fd01::2]:5101" "[fd01::3]:5101" "[fd01::2]:*"
port_hint
nat
only
