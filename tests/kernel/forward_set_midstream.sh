#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# FLOW_SET under traffic: while a paced sender streams 300 RTP packets,
# `flow set ID out OUT2 peer PEER2` moves the flow to a second receiver.
# Every packet is forwarded exactly once, by either the old settings or the
# new ones: the receivers' counts add up to 300, each saw only its own OUT,
# the flow counted 300 and its RTP statistics lost none.
#
# The set comes once the flow forwarded 50 packets; the sender holds
# packet 250 (from 0) until then, so a starved test (the sender's pacing
# catches up in a burst) still sets mid-stream and both peers get packets.
# On a quiet host the set lands about a second before the hold, packets
# in flight (the old peer then gets fewer than 250).
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2 :PEER1
#   fd01::2                fd01::1           fd02::1      fd02::2  :PEER2
set -e
. "$(dirname "$0")/lib/topology.sh"

count=300
size=172

count_at_least() {
	[ "$(column "$1" 14)" -ge "$2" ]
}

# field N KEY: KEY's value in line N of the receiver's output (one line
# per peer, in the order they were given).
field() {
	sed -n "$1p" "$tmp/recv.${peer2##*:}" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# midstream NAME LOCAL OUT1 PEER1 OUT2 PEER2 SOURCE: one receiver on both
# peers takes exactly $count packets in all, so it ends with the stream.
midstream() {
	name=$1 local=$2 out1=$3 peer1=$4 out2=$5 peer2=$6 src=$7
	id=$(g "$bin" flow add local "$local" out "$out1" peer "$peer1" rtp)
	receive e "$peer1,$peer2" $count --timeout 60
	rm -f "$tmp/set"
	ip netns exec rtpfwd-c $rtp send "$src" "$local" $count --pps 100 --size $size \
		--hold "250:$tmp/set" &
	sender=$!
	bg="$bg $sender"
	poll 400 count_at_least "$id" 50 || fail "$name: the stream did not start"
	g "$bin" flow set "$id" out "$out2" peer "$peer2"
	touch "$tmp/set"
	wait $sender || fail "$name: sender failed"
	wait $receiver || fail "$name: the peers got $(($(field 1 packets) + $(field 2 packets))) packets, want $count"

	a=$(field 1 packets)
	b=$(field 2 packets)
	[ "$a" -gt 0 ] || fail "$name: old peer got nothing"
	[ "$b" -gt 0 ] || fail "$name: new peer got nothing"
	[ "$(field 1 bytes)" = $((a * size)) ] || fail "$name: old peer: $(sed -n 1p "$tmp/recv.${peer2##*:}")"
	[ "$(field 2 bytes)" = $((b * size)) ] || fail "$name: new peer: $(sed -n 2p "$tmp/recv.${peer2##*:}")"
	[ "$(field 1 sources)" = "$out1" ] || fail "$name: old peer: $(sed -n 1p "$tmp/recv.${peer2##*:}")"
	[ "$(field 2 sources)" = "$out2" ] || fail "$name: new peer: $(sed -n 2p "$tmp/recv.${peer2##*:}")"
	wait_column "$name" "$id" 14 $count
	expect_columns "$name" "$id" 4="$out2" 5="$peer2" 28=$((1000 + count - 1)) 29=0
	g "$bin" flow del "$id"
	echo "# $name: $a packets to the old peer, $b to the new"
	echo "ok - $name"
}

setup
midstream "ipv4 flow set out and peer mid-stream loses nothing" 10.0.1.1:30000 \
	10.0.2.1:30002 10.0.2.2:4000 10.0.2.1:30004 10.0.2.2:4001 10.0.1.2:5000
midstream "ipv6 flow set out and peer mid-stream loses nothing" "[fd01::1]:30000" \
	"[fd02::1]:30002" "[fd02::2]:4000" "[fd02::1]:30004" "[fd02::2]:4001" "[fd01::2]:5000"
