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

bin=${RTPFWD_BIN:?RTPFWD_BIN not set}
rtp="python3 $(cd "$(dirname "$0")" && pwd)/rtp.py"
tmp=$(mktemp -d)
size=172

c() { ip netns exec rtpfwd-c "$@"; }
g() { ip netns exec rtpfwd-g "$@"; }
e() { ip netns exec rtpfwd-e "$@"; }

cleanup() {
	set +e
	for n in c g e; do ip netns del "rtpfwd-$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "not ok - $*"
	exit 1
}

setup() {
	for n in c g e; do
		ip netns add "rtpfwd-$n"
		ip -n "rtpfwd-$n" link set lo up
	done
	ip link add vc netns rtpfwd-c type veth peer name vgc netns rtpfwd-g
	ip link add vge netns rtpfwd-g type veth peer name ve netns rtpfwd-e
	c ip addr add 10.0.1.2/24 dev vc
	c ip addr add fd01::2/64 dev vc nodad
	g ip addr add 10.0.1.1/24 dev vgc
	g ip addr add fd01::1/64 dev vgc nodad
	g ip addr add 10.0.2.1/24 dev vge
	g ip addr add fd02::1/64 dev vge nodad
	e ip addr add 10.0.2.2/24 dev ve
	e ip addr add fd02::2/64 dev ve nodad
	for dev in "c vc" "g vgc" "g vge" "e ve"; do
		set -- $dev
		ip -n "rtpfwd-$1" link set "$2" up
	done
	# Static neighbours: no packet may wait on (or be dropped by) ARP or ND.
	neigh c vc 10.0.1.1 g vgc
	neigh c vc fd01::1 g vgc
	neigh g vge 10.0.2.2 e ve
	neigh g vge fd02::2 e ve
}

# neigh NS DEV ADDR PEER-NS PEER-DEV: ADDR is PEER-DEV's MAC, for good.
neigh() {
	mac=$(ip -n "rtpfwd-$4" -br link show "$5" | awk '{ print $3 }')
	ip -n "rtpfwd-$1" neigh replace "$3" lladdr "$mac" dev "$2" nud permanent
}

# wait_udp NS PORT: poll until a UDP socket listens on PORT in NS.
wait_udp() {
	i=0
	until ip netns exec "rtpfwd-$1" ss -Hlun "sport = :$2" | grep -q .; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "no listener on port $2 in ns $1"
		sleep 0.05
	done
}

# column ID N: column N of the flow's -s record in the gateway.
column() {
	g "$bin" -s flow show "$1" | cut -f "$2"
}

# forward NAME LOCAL OUT PEER SENDER COUNT [FLOW-OPTIONS]: COUNT packets
# from SENDER must reach PEER from OUT, all of them counted.
forward() {
	name=$1 local=$2 out=$3 peer=$4 sender=$5 count=$6
	shift 6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" "$@")
	port=${peer##*:}
	e $rtp recv "$peer" "$count" --timeout 30 >"$tmp/recv" &
	receiver=$!
	wait_udp e "$port"
	c $rtp send "$sender" "$local" "$count" --size $size
	wait $receiver || true
	want="packets=$count bytes=$((count * size)) sources=$out"
	[ "$(cat "$tmp/recv")" = "$want" ] || fail "$name: receiver saw '$(cat "$tmp/recv")', want '$want'"
	[ "$(column "$id" 14)" = "$count" ] || fail "$name: flow counted $(column "$id" 14) packets"
	[ "$(column "$id" 15)" = "$((count * size))" ] || fail "$name: flow counted $(column "$id" 15) bytes"
	g grep -q "^$id[[:space:]]" /proc/net/rtpfwd/flows || fail "$name: flow $id not in /proc/net/rtpfwd/flows"
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# strict NAME LOCAL OUT PEER GOOD BAD: packets from BAD are dropped and
# counted, packets from GOOD go through.
strict() {
	name=$1 local=$2 out=$3 peer=$4 good=$5 bad=$6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer" source strict "$good")
	e $rtp recv "$peer" 0 --timeout 3 >"$tmp/recv" &
	receiver=$!
	wait_udp e "${peer##*:}"
	c $rtp send "$bad" "$local" 50
	wait $receiver || true
	[ "$(cat "$tmp/recv")" = "packets=0 bytes=0 sources=-" ] || fail "$name: foreign source got through: $(cat "$tmp/recv")"
	[ "$(column "$id" 18)" = 50 ] || fail "$name: drop_source is $(column "$id" 18), want 50"
	[ "$(column "$id" 14)" = 0 ] || fail "$name: forwarded $(column "$id" 14) foreign packets"
	g "$bin" flow del "$id"
	echo "ok - $name"
	forward "$name (own source)" "$local" "$out" "$peer" "$good" 50 source strict "$good"
}

setup
forward "ipv4 forwarding" 10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000 500
forward "ipv6 forwarding" "[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000" 500
forward "ipv4 rtp flow" 10.0.1.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.1.2:5010 300 rtp
strict "ipv4 strict source" 10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020 10.0.1.2:5021
strict "ipv6 strict source" "[fd01::1]:30020" "[fd02::1]:30022" "[fd02::2]:4020" "[fd01::2]:5020" "[fd01::2]:5021"
