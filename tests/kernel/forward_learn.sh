#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The learn source policy, IPv4 and IPv6: an RTP flow locks onto the first
# source that sends two in-sequence packets (RFC 3550 probation: the first is
# dropped and counted as probation), announces it with a SOURCE_LEARNED event,
# shows it in `flow show` and /proc/net/rtpfwd/flows, and from then on drops
# and counts packets from any other address or port as source. Probation
# restarts on a packet from another source or out of sequence; a flow without
# the rtp flag locks on its first packet.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2, 10.0.1.3 --- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2
#   fd01::2, fd01::3       fd01::1           fd02::1      fd02::2
set -e
. "$(dirname "$0")/lib/topology.sh"

size=172
other=100

# proc_policy ID: the policy column of the flow's /proc/net/rtpfwd/flows line.
proc_policy() {
	g awk -v id="$1" '$1 == id { print $4 }' /proc/net/rtpfwd/flows
}

# learn NAME LOCAL OUT PEER GOOD OTHER-HOST OTHER-PORT: 50 packets from GOOD
# lock the flow (49 forwarded), then 15 from each foreign source are dropped
# while 5 more from GOOD go through.
learn() {
	name=$1 local=$2 out=$3 peer=$4 good=$5 host=$6 port=$7
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source learn rtp)
	expect_columns "$name: before" "$id" 7=- 8=0
	[ "$(proc_policy "$id")" = "learn:-" ] || fail "$name: /proc policy before locking is '$(proc_policy "$id")'"

	receive e "$peer" 49 --timeout 30
	c $rtp send "$good" "$local" 50 --size $size
	expect_received "$name" "$peer" 49 $((49 * size)) "$out"
	wait_column "$name: probation" "$id" 14 49
	expect_columns "$name: probation" "$id" 19=1
	wait_event "$name" "learned${tab}$id${tab}$good"
	expect_columns "$name: locked" "$id" 7="$good" 8=1
	[ "$(proc_policy "$id")" = "learn:$good" ] || fail "$name: /proc policy is '$(proc_policy "$id")', want 'learn:$good'"
	echo "ok - $name: locks after probation, learned event, shown in flow show and /proc"

	receive e "$peer" 5 --timeout 30
	c $rtp sends <<-SENDS
	$host $local 15 --size $other --seq 1050
	$port $local 15 --size $other --seq 1050
	$good $local 5 --size $size --seq 1050
	SENDS
	expect_received "$name" "$peer" 5 $((5 * size)) "$out"
	wait_column "$name: foreign" "$id" 14 54
	# Statistics start at the packet that won probation (1001).
	expect_columns "$name: foreign" "$id" 18=30 19=1 28=1054 29=0
	[ "$(events "$id")" = 1 ] || fail "$name: $(events "$id") events for flow $id, want the one learned"
	g "$bin" flow del "$id"
	echo "ok - $name: foreign address and port dropped and counted as source"
}

# restart NAME LOCAL OUT PEER A B: probation restarts on another source and
# on a gap; the flow locks on A's second in-sequence packet only.
restart() {
	name=$1 local=$2 out=$3 peer=$4 a=$5 b=$6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source learn rtp)
	c $rtp sends <<-SENDS
	$a $local 1 --seq 1000
	$b $local 1 --seq 1001
	$a $local 1 --seq 1001
	$a $local 1 --seq 1003
	SENDS
	wait_column "$name" "$id" 19 4
	expect_columns "$name" "$id" 8=0 14=0
	c $rtp send "$a" "$local" 1 --seq 1004
	wait_event "$name" "learned${tab}$id${tab}$a"
	expect_columns "$name" "$id" 14=1 19=4
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# first NAME LOCAL OUT PEER SOURCE: without rtp the first packet locks.
first() {
	name=$1 local=$2 out=$3 peer=$4 src=$5
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source learn)
	receive e "$peer" 20 --timeout 30
	c $rtp send "$src" "$local" 20 --raw 00
	expect_received "$name" "$peer" 20 20 "$out"
	wait_event "$name" "learned${tab}$id${tab}$src"
	expect_columns "$name" "$id" 19=0
	g "$bin" flow del "$id"
	echo "ok - $name"
}

setup
monitor_start
learn "ipv4 learn" 10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 \
	10.0.1.2:5000 10.0.1.3:5000 10.0.1.2:5001
learn "ipv6 learn" "[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" \
	"[fd01::2]:5000" "[fd01::3]:5000" "[fd01::2]:5001"
restart "ipv4 learn: probation restarts on another source or a gap" \
	10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010 10.0.1.3:5010
restart "ipv6 learn: probation restarts on another source or a gap" \
	"[fd01::1]:30010" "[fd02::1]:30012" "[fd02::2]:4010" "[fd01::2]:5010" "[fd01::3]:5010"
first "ipv4 learn without rtp locks on the first packet" \
	10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.3:5020
first "ipv6 learn without rtp locks on the first packet" \
	"[fd01::1]:30020" "[fd02::1]:30022" "[fd02::2]:4020" "[fd01::3]:5020"
