#!/bin/sh
# Benchmark, run inside the VM as root (bench/run.sh boots it): UDP media
# forwarding through a gateway namespace in three modes, on the same veths in
# the same boot, with 1, 1,000 and 50,000 flows installed:
#
#   plain      the kernel's own IP forwarding (the ceiling)
#   rtpfwd     rtpfwd.ko flows rewriting the packets in place
#   userspace  build/bench/udprelay, epoll + recvmmsg/sendmmsg, one socket per flow
#
#   ns a                     ns gw                          ns b
#   va 10.1.0.1/24 ---- ga 10.1.0.2/24  gb 10.2.0.2/24 ---- vb 10.2.0.1/24
#   udpgen ---------->  flows 10.1.0.2:10000+i -> peer 10.2.0.1:9000 --> udpsink
#
# The sender floods (sendmmsg) for SECONDS over every installed flow's port.
# A mode's rate is what the sink received over the time it kept receiving
# (at least SECONDS): a relay that delivers its backlog late gets no credit
# for it. TCG timing is noisy, so all three modes are set up side by side
# (rtpfwd flows on 10.1.0.2, the relay's sockets on 10.1.0.3) and measured
# in ROUNDS interleaved rounds; the table shows each mode's median, and the
# forwarded rate as a ratio to plain forwarding; "# rounds" lines list every
# round. The relay is started afresh for each of its rounds and stopped
# after it, so nothing it queued outlives its own measurement (UDP memory is
# accounted across namespaces: a backlog would starve the other modes).
# Then the netlink install rate (FLOW_NEW_MANY, 256 flows per request; and
# for comparison one FLOW_NEW per flow, as many per sendmsg as fit 32 KiB)
# and kernel memory per flow (slab and per-CPU deltas).
#
# Every program runs pinned to CPU 0 (taskset): the sender, the sink and the
# relay share one core, and veth delivers each packet in softirq on the
# sending CPU, so the gateway's work (forwarding, the hook, or the relay's
# receive and send) is paid from the same core in every mode. A relay on a
# CPU of its own would be measured on twice the CPU, i.e. its throughput, not
# its cost per packet against the kernel's.
# Env: SECONDS_PER_RUN (default 4), ROUNDS (default 3),
#      FLOW_COUNTS (default "1 1000 50000"); bench/run.sh hands them into
#      the VM: ROUNDS=5 bench/run.sh rtp-forward
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build/bench
secs=${SECONDS_PER_RUN:-4}
rounds=${ROUNDS:-3}
counts=${FLOW_COUNTS:-1 1000 50000}
ko=${RTPFWD_KO:-$top/build/kmod/$(uname -r)/kmod/rtpfwd.ko}
tmp=$(mktemp -d)

a() { ip netns exec a "$@"; }
gw() { ip netns exec gw "$@"; }
b() { ip netns exec b "$@"; }

cleanup() {
	for n in a gw b; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done
	for n in a gw b; do ip netns del "$n" 2>/dev/null; done
	grep -q '^rtpfwd ' /proc/modules && rmmod rtpfwd
	rm -rf "$tmp"
}
trap cleanup EXIT

setup() {
	for n in a gw b; do ip netns add "$n"; ip -n "$n" link set lo up; done
	ip link add va netns a type veth peer name ga netns gw
	ip link add vb netns b type veth peer name gb netns gw
	ip -n a addr add 10.1.0.1/24 dev va
	ip -n gw addr add 10.1.0.2/24 dev ga
	ip -n gw addr add 10.1.0.3/24 dev ga
	ip -n gw addr add 10.2.0.2/24 dev gb
	ip -n gw addr add 10.2.0.3/24 dev gb
	ip -n b addr add 10.2.0.1/24 dev vb
	for l in "a va" "gw ga" "gw gb" "b vb"; do set -- $l; ip -n "$1" link set "$2" up; done
	ip -n a route add 10.2.0.0/24 via 10.1.0.2
	ip -n b route add 10.1.0.0/24 via 10.2.0.2
	gw sysctl -qw net.ipv4.ip_forward=1
	# Static neighbours: no ARP resolution inside the measured window.
	for ip in 10.1.0.2 10.1.0.3; do
		ip -n a neigh replace $ip lladdr "$(ip -n gw -br link show ga | awk '{print $3}')" dev va
	done
	ip -n gw neigh replace 10.2.0.1 lladdr "$(ip -n b -br link show vb | awk '{print $3}')" dev gb
}

# Waits (10 s at most) until CPU 0 was at least 90% idle for half a second:
# what the previous mode left behind must not run inside the next one's
# measurement. Stopping a relay of 50,000 sockets frees them over RCU grace
# periods for seconds under TCG; that was the "collapse after the first
# round" at 50,000 flows, in every mode, seen in longer runs.
quiesce() {
	i=0
	while [ $i -lt 20 ]; do
		set -- $(awk '/^cpu0 / { print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 }' /proc/stat)
		sleep 0.5
		set -- "$@" $(awk '/^cpu0 / { print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 }' /proc/stat)
		awk -v t0="$1" -v i0="$2" -v t1="$3" -v i1="$4" \
			'BEGIN { exit !(t1 > t0 && (i1 - i0) >= 0.9 * (t1 - t0)) }' && return 0
		i=$((i + 1))
	done
}

# run_traffic DEST NPORTS: prints "sent received seconds-receiving"
run_traffic() {
	quiesce
	rm -f "$tmp/ready"
	b taskset -c 0 "$B/udpsink" -l 10.2.0.1:9000 -i 1 -m $((secs + 30)) -R "$tmp/ready" >"$tmp/sink" &
	sink=$!
	while [ ! -e "$tmp/ready" ]; do sleep 0.05; done
	a taskset -c 0 "$B/udpgen" -d "$1" -P "$2" -t "$secs" >"$tmp/gen"
	wait $sink
	sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' "$tmp/gen")
	recv=$(sed -n 's/^received=\([0-9]*\).*/\1/p' "$tmp/sink")
	took=$(sed -n 's/.* seconds=\([0-9.]*\)$/\1/p' "$tmp/sink")
	echo "$sent $recv $took"
}

# measure MODE DEST NPORTS: appends "received/s loss%" to $tmp/MODE
measure() {
	set -- "$1" $(run_traffic "$2" "$3")
	awk -v s="$2" -v r="$3" -v took="$4" -v t="$secs" \
		'BEGIN { if (took > t) t = took
			 printf "%d %.1f\n", r / t, (s > 0 ? 100 * (s - r) / s : 0) }' >>"$tmp/$1"
}

# median MODE: the median round's "received/s loss%"
median() { sort -n "$tmp/$1" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }

# measure_relay NFLOWS: one userspace round with a relay of its own. Not
# through gw(): $! must be the relay itself (ip netns exec execs it), not a
# subshell whose death would leave the relay and its sockets behind.
measure_relay() {
	rm -f "$tmp/relay-ready"
	ip netns exec gw taskset -c 0 "$B/udprelay" -l 10.1.0.3:10000 -n "$1" -o 10.2.0.3:40000 \
		-p 10.2.0.1:9000 -R "$tmp/relay-ready" >"$tmp/relay" &
	relay=$!
	while [ ! -e "$tmp/relay-ready" ]; do sleep 0.05; done
	measure userspace 10.1.0.3:10000 "$1"
	kill $relay
	wait $relay 2>/dev/null || true
}

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "-" }'; }

setup
insmod "$ko"
printf '%-7s %-10s %12s %8s %9s\n' flows mode received/s loss vs-plain
for n in $counts; do
	gw "$B/flowload" -n "$n" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >"$tmp/load"
	rm -f "$tmp/plain" "$tmp/rtpfwd" "$tmp/userspace"
	r=0
	while [ $r -lt "$rounds" ]; do
		measure plain 10.2.0.1:9000 1
		measure rtpfwd 10.1.0.2:10000 "$n"
		measure_relay "$n"
		r=$((r + 1))
	done
	gw "$top/userspace/rtpfwd/rtpfwd" flow flush
	# The same install one FLOW_NEW per flow (many per sendmsg), to compare.
	gw "$B/flowload" -m 0 -n "$n" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >"$tmp/load1"
	gw "$top/userspace/rtpfwd/rtpfwd" flow flush
	set -- $(median plain)
	plain=$1
	printf '%-7s %-10s %12s %7s%% %9s\n' "$n" plain "$1" "$2" 1.00
	for mode in rtpfwd userspace; do
		set -- $(median $mode)
		printf '%-7s %-10s %12s %7s%% %9s\n' "$n" $mode "$1" "$2" "$(ratio "$1" "$plain")"
	done
	for mode in plain rtpfwd userspace; do
		printf '#   rounds %s:' $mode
		awk '{ printf " %s", $1 }' "$tmp/$mode"
		echo
	done
	sed 's/^/#   flow install, FLOW_NEW_MANY: /' "$tmp/load"
	sed 's/^/#   flow install, FLOW_NEW: /' "$tmp/load1"
done
