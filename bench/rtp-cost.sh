#!/bin/sh
# Benchmark, run inside the VM as root (bench/run.sh rtp-cost boots it with
# VM_ICOUNT=1 VM_CPUS=1): instructions per forwarded packet, on
# bench/rtp-forward.sh's topology, for plain IP forwarding and rtpfwd.ko
# with each hook. Under -icount shift=0 the guest's clock counts executed
# instructions (1 ns each), so a sender that floods one vCPU on which the
# gateway and the sink also run gets through 10^9 / (instructions per
# packet) packets per guest second: the same count at every run, on any
# host. Here a packet's instructions are the sender's, the gateway's and
# the sink's; the modes differ in the gateway's only.
#
#   ns a                     ns gw                          ns b
#   va 10.1.0.1/24 ---- ga 10.1.0.2/24  gb 10.2.0.2/24 ---- vb 10.2.0.1/24
#   pktsend --------->  flows 10.1.0.2:10000+i -> peer 10.2.0.1:9000 --> nft
#   (bench/rtp-topology.sh)
# pktsend writes prebuilt RTP frames from an AF_PACKET socket (qdisc
# bypassed); on one vCPU each frame is received, forwarded and sunk (an
# nftables netdev ingress counter that drops) before the next goes. The
# flows are FLOWLOAD's: policy any with the rtp flag, so each packet is
# judged as RTP (sequence, jitter) under the flow's lock.
# Env: FLOWS (default 1000), SECONDS_PER_RUN (default 2), ROUNDS (default 2):
#   bench/run.sh rtp-cost [KVER]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build/bench
ko=${RTPFWD_KO:-$top/build/kmod/$(uname -r)/kmod/rtpfwd.ko}
secs=${SECONDS_PER_RUN:-2}
rounds=${ROUNDS:-2}
nflows=${FLOWS:-1000}

[ "$(nproc)" = 1 ] || { echo "bench: rtp-cost wants one vCPU (VM_CPUS=1)" >&2; exit 1; }
grep -q '^rtpfwd ' /proc/modules &&
	{ echo "bench: rtp-cost loads rtpfwd.ko itself: unload it first" >&2; exit 1; }

. "$top/bench/rtp-topology.sh"

cleanup() {
	for n in a gw b; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done
	for n in a gw b; do ip netns del "$n" 2>/dev/null; done
	if grep -q '^rtpfwd ' /proc/modules; then rmmod rtpfwd; fi
}
trap cleanup EXIT

topology_setup

# run MODE DST PORTS: one flood; prints its row. Every packet sent must
# reach the sink, or the row would count work for packets dropped early.
run() {
	b nft reset counter netdev sink rx >/dev/null
	_out=$(a "$B/pktsend" -i va -m "$ga_mac" -s 10.1.0.1:9000 -d "$2" -P "$3" -t "$secs")
	sleep 0.2
	echo "$1 $(sink) $_out" | awk '{
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%-11s %9d %9d %7.3f %10.0f%s\n", $1, v["sent"], $2, v["seconds"],
			v["seconds"] * 1e9 / v["sent"], $2 == v["sent"] ? "" : "  (packets lost: not valid)"
	}'
}

echo "# $nflows flows, $secs s floods, one vCPU under icount: 1 instruction = 1 ns of guest time"
printf '%-11s %9s %9s %7s %10s\n' mode sent sunk seconds instr/pkt
r=0
while [ $r -lt "$rounds" ]; do
	run plain 10.2.0.1:9000 1
	for hook in prerouting ingress; do
		insmod "$ko" hook="$hook"
		gw "$B/flowload" -n "$nflows" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >/dev/null
		run "$hook" 10.1.0.2:10000 "$nflows"
		rmmod rtpfwd
	done
	r=$((r + 1))
done
