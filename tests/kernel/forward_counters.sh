#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The namespace counters (/proc/net/rtpfwd/stats and `rtpfwd -s stats`):
# after forwarding, misses counts exactly the UDP packets that matched no
# flow (IPv4 and IPv6; the forwarded packets are misses at the callee,
# which has no flow), copies stays 0 until a packet tap shares the headers
# of every packet, which are then each copied once.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2:4000
#   fd01::2                fd01::1
#                          :31000 no flow
set -e
. "$(dirname "$0")/lib/topology.sh"

size=172

misses_are() {
	[ "$(nsstat "$1" misses)" = "$2" ]
}

has_line() {
	[ -s "$1" ]
}

setup
name="misses count packets to no flow, copies stay 0"
id=$(g "$bin" flow add local 10.0.1.1:30000 out 10.0.2.1:30002 peer 10.0.2.2:4000)
receive e 10.0.2.2:4000 100 --timeout 30
c $rtp send 10.0.1.2:5000 10.0.1.1:30000 100 --size $size
c $rtp send 10.0.1.2:5000 10.0.1.1:31000 37 --size $size
c $rtp send "[fd01::2]:5000" "[fd01::1]:31000" 20 --size $size
expect_received "$name" 10.0.2.2:4000 100 $((100 * size)) 10.0.2.1:30002
poll 200 misses_are g 57 || fail "$name: gateway misses $(nsstat g misses), want 57"
want=$(printf '1\t100\t%s\t0\t0\t0\t0\t0\t0\t0\t0\t0\t57\t0' $((100 * size)))
got=$(g "$bin" -s stats)
[ "$got" = "$want" ] || fail "$name: gateway stats '$got', want '$want'"
[ "$(nsstat g copies)" = 0 ] || fail "$name: /proc copies $(nsstat g copies)"
[ "$(nsstat e misses)" = 100 ] || fail "$name: callee misses $(nsstat e misses), want 100"
[ "$(nsstat e flows)" = 0 ] || fail "$name: callee flows $(nsstat e flows)"
[ "$(nsstat c misses)" = 0 ] || fail "$name: caller misses $(nsstat c misses)"
echo "ok - $name"

name="a packet tap makes every packet's headers a copy"
# Not through g(): the tap's pid goes to cleanup.
ip netns exec rtpfwd-g $rtp tap vgc >"$tmp/tap" &
bg="$bg $!"
poll 200 has_line "$tmp/tap" || fail "$name: tap not ready"
receive e 10.0.2.2:4000 50 --timeout 30
c $rtp send 10.0.1.2:5000 10.0.1.1:30000 50 --size $size
expect_received "$name" 10.0.2.2:4000 50 $((50 * size)) 10.0.2.1:30002
wait_column "$name" "$id" 14 150
[ "$(nsstat g copies)" = 50 ] || fail "$name: copies $(nsstat g copies), want 50"
g "$bin" flow del "$id"
echo "ok - $name"
