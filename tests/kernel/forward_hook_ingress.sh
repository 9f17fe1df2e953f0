#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hook=ingress: media taken at each device's netfilter ingress hook, before
# the IP layer. IPv4 and IPv6 forward with exact counts; the learn policy
# locks after probation; a device added after the load gets its hook; IPv4
# headers the IP layer would refuse (bad checksum, total length below the
# header or beyond the frame) are left to it, which drops and counts them,
# and a frame longer than its total length is trimmed before forwarding;
# what exceeds the out link's MTU goes through ip_local_out() (fragmented)
# rather than straight to the neighbour; a namespace made after the load
# forwards over its loopback and frees its flow when deleted; a device
# deleted under traffic and rmmod under traffic are clean (the VM harness
# fails the run on any WARN or oops). Leaves the module loaded with default
# parameters.
#
#   caller (ns c)             gateway (ns g)                 callee (ns e)
#   vc 10.0.1.2 --------- vgc 10.0.1.1    vge 10.0.2.1 --------- ve 10.0.2.2
#      fd01::2                fd01::1         fd02::1                fd02::2
#   vc2 10.0.3.2 -------- vgc2 10.0.3.1   (added after the load, deleted
#                                          under traffic)
#
#   ns x (made after the load): lo 127.0.0.1:20000 [flow] -> 127.0.0.1:4000
set -e
. "$(dirname "$0")/lib/topology.sh"

bench=$(cd "$(dirname "$0")/../.." && pwd)/build/bench
[ -x "$bench/udpgen" ] || fail "build/bench not built (make -C bench)"
size=172

# load PARAMS WANT: reload the module with PARAMS; it must log WANT.
load() {
	rmmod rtpfwd
	kmsg_mark "load $1"
	insmod "$ko" $1
	log=$(kmsg_since "load $1")
	[ "$log" = "rtpfwd: loaded (hook=$2, max_flows=1048576)" ] || fail "$1: load logged '$log'"
}

# forward NAME LOCAL OUT PEER SENDER COUNT: COUNT packets from SENDER reach
# PEER from OUT, every one counted by the flow.
forward() {
	name=$1 local=$2 out=$3 peer=$4 sender=$5 count=$6
	id=$(g "$bin" flow add local "$local" out "$out" peer "$peer")
	receive e "$peer" "$count" --timeout 30
	c $rtp send "$sender" "$local" "$count" --size $size
	expect_received "$name" "$peer" "$count" $((count * size)) "$out"
	wait_column "$name" "$id" 14 "$count"
	expect_columns "$name" "$id" 15=$((count * size))
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# frames SPEC...: Ethernet frames from vc, UDP 10.0.1.2:5100 ->
# 10.0.1.1:30100 without UDP checksum and with DF clear, written whole
# through a packet socket so the IP header is ours. Each SPEC is
# COUNT,CSUM,TOTLEN,EXTRA,SIZE: COUNT frames of SIZE bytes of payload, CSUM
# "good" or "bad" header checksum, TOTLEN the total length field ("right"
# for the datagram's), EXTRA bytes of trailer after the datagram.
frames() {
	c python3 -S - "$mac_vgc" "$mac_vc" "$@" <<-'PY'
	import socket, struct, sys
	dmac, smac = (bytes.fromhex(m.replace(":", "")) for m in sys.argv[1:3])
	sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
	sock.bind(("vc", 0))
	for spec in sys.argv[3:]:
	    count, csum, totlen, extra, size = spec.split(",")
	    udp = struct.pack("!HHHH", 5100, 30100, 8 + int(size), 0) + bytes(int(size))
	    tot = 20 + len(udp) if totlen == "right" else int(totlen)
	    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 1, 0, 64, 17, 0,
	                      socket.inet_aton("10.0.1.2"), socket.inet_aton("10.0.1.1"))
	    s = sum(struct.unpack("!10H", hdr))
	    s = (s & 0xffff) + (s >> 16)
	    s = ~((s & 0xffff) + (s >> 16)) & 0xffff
	    hdr = hdr[:10] + struct.pack("!H", s if csum == "good" else s ^ 0x5a5a) + hdr[12:]
	    for _ in range(int(count)):
	        sock.send(dmac + smac + b"\x08\x00" + hdr + udp + b"\xee" * int(extra))
	PY
}

# mib NAME: the gateway's IP MIB counter NAME (nstat's spelling).
mib() {
	g nstat -saz "$1" | awk -v k="$1" '$1 == k { print $2 }'
}

# bad_headers: 10 frames of each bad kind and 10 good ones with a trailer,
# to one flow. Only the good ones are forwarded, at the datagram's size;
# the IP layer counts each bad kind exactly.
bad_headers() {
	name="ipv4 headers the IP layer refuses are left to it"
	id=$(g "$bin" flow add local 10.0.1.1:30100 out 10.0.2.1:30102 peer 10.0.2.2:4100)
	csum0=$(mib IpExtInCsumErrors) hdr0=$(mib IpInHdrErrors) trunc0=$(mib IpExtInTruncatedPkts)
	receive e 10.0.2.2:4100 10 --timeout 30
	frames 10,bad,right,0,$size 10,good,19,0,$size 10,good,1500,0,$size 10,good,right,14,$size
	expect_received "$name" 10.0.2.2:4100 10 $((10 * size)) 10.0.2.1:30102
	wait_column "$name" "$id" 14 10
	expect_columns "$name" "$id" 15=$((10 * size))
	[ $(($(mib IpExtInCsumErrors) - csum0)) = 10 ] || fail "$name: InCsumErrors went up by $(($(mib IpExtInCsumErrors) - csum0)), want 10"
	[ $(($(mib IpInHdrErrors) - hdr0)) = 20 ] || fail "$name: InHdrErrors went up by $(($(mib IpInHdrErrors) - hdr0)), want 20"
	[ $(($(mib IpExtInTruncatedPkts) - trunc0)) = 10 ] || fail "$name: InTruncatedPkts went up by $(($(mib IpExtInTruncatedPkts) - trunc0)), want 10"
	g "$bin" flow del "$id"
	echo "ok - $name"
	echo "ok - ipv4 frame with a trailer is trimmed to its datagram"
}

# over_mtu: with the out link's MTU at 1000 on both ends, datagrams of 1400
# bytes cannot go straight to the neighbour (veth would drop them at the
# callee's end): ip_local_out() fragments them and the callee reassembles
# every one.
over_mtu() {
	name="ipv4 over the out link's MTU is fragmented, not sent directly"
	g ip link set vge mtu 1000
	e ip link set ve mtu 1000
	id=$(g "$bin" flow add local 10.0.1.1:30100 out 10.0.2.1:30102 peer 10.0.2.2:4100)
	receive e 10.0.2.2:4100 5 --timeout 30
	frames 5,good,right,0,1400
	expect_received "$name" 10.0.2.2:4100 5 7000 10.0.2.1:30102
	wait_column "$name" "$id" 14 5
	g "$bin" flow del "$id"
	g ip link set vge mtu 1500
	e ip link set ve mtu 1500
	echo "ok - $name"
}

# learn: an RTP learn flow drops the first packet (probation), locks, then
# drops a foreign port's packets.
learn() {
	name="ipv4 learn policy"
	id=$(g "$bin" flow add local 10.0.1.1:30200 out 10.0.2.1:30202 peer 10.0.2.2:4200 source learn rtp)
	receive e 10.0.2.2:4200 24 --timeout 30
	c $rtp sends <<-SENDS
	10.0.1.2:5200 10.0.1.1:30200 20 --size $size
	10.0.1.2:5201 10.0.1.1:30200 10 --size $size --seq 1020
	10.0.1.2:5200 10.0.1.1:30200 5 --size $size --seq 1020
	SENDS
	expect_received "$name" 10.0.2.2:4200 24 $((24 * size)) 10.0.2.1:30202
	wait_column "$name" "$id" 14 24
	expect_columns "$name" "$id" 7=10.0.1.2:5200 18=10 19=1
	g "$bin" flow del "$id"
	echo "ok - $name"
}

# second_link: vc2/vgc2 created now, after the load.
second_link() {
	ip link add vc2 netns rtpfwd-c type veth peer name vgc2 netns rtpfwd-g
	ip -n rtpfwd-c -b - <<-IP
	addr add 10.0.3.2/24 dev vc2
	link set vc2 up
	IP
	ip -n rtpfwd-g -b - <<-IP
	addr add 10.0.3.1/24 dev vgc2
	link set vgc2 up
	neigh replace 10.0.3.2 lladdr $(ip -n rtpfwd-c -br link show vc2 | awk '{ print $3 }') dev vgc2 nud permanent
	IP
	ip -n rtpfwd-c neigh replace 10.0.3.1 dev vc2 nud permanent \
		lladdr "$(ip -n rtpfwd-g -br link show vgc2 | awk '{ print $3 }')"
}

forwarded() {
	[ "$(nsstat g forwarded_packets)" -gt "$1" ]
}

# del_under_traffic: udpgen floods a flow over vgc2, which is deleted.
del_under_traffic() {
	name="device deleted under traffic"
	id=$(g "$bin" flow add local 10.0.3.1:30300 out 10.0.2.1:30302 peer 10.0.2.2:4300)
	before=$(nsstat g forwarded_packets)
	# Not through c(): $! must be udpgen itself. Its sends fail once vc2
	# goes with its peer: not an error here.
	ip netns exec rtpfwd-c "$bench/udpgen" -d 10.0.3.1:30300 -r 5000 -t 30 >/dev/null 2>&1 &
	gen=$!
	bg="$bg $gen"
	poll 200 forwarded "$before" || fail "$name: nothing forwarded over vgc2"
	g ip link del vgc2
	kill $gen 2>/dev/null || true
	wait $gen 2>/dev/null || true
	g "$bin" flow del "$id"
	echo "ok - $name"
}

x() { ip netns exec rtpfwd-x "$@"; }

x_forwarding() {
	[ "$(nsstat x forwarded_packets)" -gt 0 ]
}

has_kmsg() {
	kmsg_since "$1" | grep -qxF "$2"
}

# netns_gone: a namespace made after the load has its loopback hooked (a
# flow there forwards what udpgen sends over lo); deleting it, once udpgen
# has let go of it, frees its flow.
netns_gone() {
	name="a new namespace's devices are hooked; deleting it frees its flows"
	ip netns add rtpfwd-x
	x ip link set lo up
	x "$bin" flow add local 127.0.0.1:20000 out 127.0.0.1:20001 peer 127.0.0.1:4000 >/dev/null
	ip netns exec rtpfwd-x "$bench/udpgen" -d 127.0.0.1:20000 -r 2000 -t 30 >/dev/null 2>&1 &
	gen=$!
	bg="$bg $gen"
	poll 200 x_forwarding || fail "$name: nothing forwarded over lo in the new namespace"
	kmsg_mark netns
	ip netns del rtpfwd-x
	kill $gen 2>/dev/null || true
	wait $gen 2>/dev/null || true
	poll 600 has_kmsg netns "rtpfwd: netns exit, 1 flows freed" ||
		fail "$name: kernel log after the deletion: '$(kmsg_since netns)'"
	echo "ok - $name"
}

# unload: rmmod while udpgen floods a flow; clean, its flow freed.
unload() {
	name="rmmod under traffic"
	g "$bin" flow add local 10.0.1.1:30400 out 10.0.2.1:30402 peer 10.0.2.2:4400 >/dev/null
	before=$(nsstat g forwarded_packets)
	ip netns exec rtpfwd-c "$bench/udpgen" -d 10.0.1.1:30400 -r 5000 -t 30 >/dev/null &
	gen=$!
	bg="$bg $gen"
	poll 200 forwarded "$before" || fail "$name: nothing forwarded"
	# A netdev ingress chain keeps the kernel's ingress static keys on, so
	# unhooking the last device patches no jump label in the receive path
	# while packets run through it (a TCG hazard, see forward_lifecycle.sh).
	g nft add table netdev keep_key
	g nft add chain netdev keep_key in '{ type filter hook ingress device lo priority 0; }'
	kmsg_mark unload
	rmmod rtpfwd || fail "$name: rmmod failed"
	log=$(kmsg_since unload)
	want=$(printf 'rtpfwd: netns exit, 1 flows freed\nrtpfwd: unloaded')
	[ "$log" = "$want" ] || fail "$name: kernel log says '$log', want '$want'"
	kill $gen 2>/dev/null || true
	wait $gen 2>/dev/null || true
	insmod "$ko"
	g nft delete table netdev keep_key
	echo "ok - $name"
}

setup
load hook=ingress ingress
forward "ipv4 forwarding" 10.0.1.1:30000 10.0.2.1:30002 10.0.2.2:4000 10.0.1.2:5000 100
forward "ipv6 forwarding" "[fd01::1]:30000" "[fd02::1]:30002" "[fd02::2]:4000" "[fd01::2]:5000" 100
learn
bad_headers
over_mtu
second_link
forward "a device added after the load is hooked" 10.0.3.1:30010 10.0.2.1:30012 10.0.2.2:4010 10.0.3.2:5010 20
del_under_traffic
forward "ipv4 forwarding after the delete" 10.0.1.1:30020 10.0.2.1:30022 10.0.2.2:4020 10.0.1.2:5020 20
netns_gone
unload
