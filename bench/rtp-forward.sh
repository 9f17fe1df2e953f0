#!/bin/sh
# Benchmark, run inside the VM as root (bench/run.sh boots it): the gateway's
# capacity and cost forwarding UDP media, in four modes on the same veths in
# the same boot, with 1, 1,000 and 50,000 flows installed:
#
#   plain      the kernel's own IP forwarding (the ceiling)
#   rtpfwd     rtpfwd.ko flows rewriting the packets in place (hook=prerouting)
#   ingress    the same with hook=ingress (taken before the IP layer)
#   userspace  build/bench/udprelay, epoll + recvmmsg/sendmmsg, one socket per flow
#
#   ns a                     ns gw                          ns b
#   va 10.1.0.1/24 ---- ga 10.1.0.2/24  gb 10.2.0.2/24 ---- vb 10.2.0.1/24
#                          10.1.0.3/24     10.2.0.3/24
#   pktsend --------->  flows 10.1.0.2:10000+i -> peer 10.2.0.1:9000 --> nft
#   (CPU 0)             relay 10.1.0.3:10000+i -> (CPU 1)                (CPU 0)
#
# CPU: the gateway is vCPU 1, the ends vCPU 0. RPS steers what arrives on
# ga and gb to CPU 1, so the gateway's whole receive path (plain forwarding,
# the rtpfwd hook, or the relay sockets' receive) runs there, and udprelay
# is pinned there; what arrives on va and vb goes to CPU 0, as does
# everything else this script starts. CPU 1 thus does exactly the gateway's
# work in each mode: CPU 1's busy time over the send window (the window
# less cpu1's idle and iowait in /proc/stat, see snap), divided by the
# packets the sink received in it, is the gateway's cost per forwarded
# packet (us/pkt), whether the work ran in softirq (plain, rtpfwd) or in
# softirq plus a process (userspace).
#
# The sender must offer more than the gateway can carry, or the bench
# measures the sender: pktsend writes prebuilt RTP frames (one stream per
# flow port, in sequence) from an AF_PACKET socket that bypasses the qdisc,
# in sendmmsg batches; its only kernel work is handing each frame to veth,
# which queues it to CPU 1's backlog. When that backlog is full the frame is
# refused and offered again, so a saturated gateway paces the sender rather
# than dropping (the sender's "refused" count). The sink is an nftables
# netdev ingress chain on vb that counts and drops, no socket. Each mode
# faces the same sender with the same single vCPU: sent/s is what was
# offered, received/s what the gateway carried, "cpu1%" how busy it was
# (near 100: the gateway was the limit, received/s is its capacity; well
# below: the sender was), and us/pkt compares the work per packet whatever
# the limit was. A CPU 1 that keeps up idles between batches and pays the
# wake-up (IPI, leaving halt: dear under TCG) per batch, charged to us/pkt:
# that overstates the modes that keep up against one that does not.
#
# The sender floods for SECONDS over every installed flow's port. received/s
# counts what reached the sink while the sender ran; loss counts what never
# arrived (read after the queues drained) against what was sent. TCG timing
# is noisy, so all modes are set up side by side (rtpfwd flows on
# 10.1.0.2, the relay's sockets on 10.1.0.3) and measured in ROUNDS
# interleaved rounds (between its two modes the module is reloaded with the
# other hook and the flows installed again, outside the measurement); the
# table shows each column's median and each mode against plain forwarding,
# then rtpfwd and ingress against the relay and each other; "# rounds"
# lines list every round as received/s@us/pkt,refused. The relay is started afresh for
# each of its rounds and stopped after it, so nothing it queued outlives its
# own measurement. Then the netlink install rate (FLOW_NEW_MANY, 256 flows
# per request; and for comparison one FLOW_NEW per flow, as many per sendmsg
# as fit 32 KiB) and kernel memory per flow (slab and per-CPU deltas).
#
# SENDERS=N runs N pktsend processes at once, the first on CPU 0 and the
# others on CPUs 2, 3, ... (each its own source port, all over the same
# flow ports), for when one vCPU of sender cannot fill the gateway. It needs
# VM_CPUS=N+1. Every mode faces the same senders, which flood in every mode,
# so every mode's gateway vCPU competes with the same busy threads for the
# host's cores: the modes still compare on equal terms. On a host with fewer
# cores than vCPUs the absolute rates fall and only the ratios mean anything.
# Needs 2 vCPUs (VM_CPUS, run.sh's default).
# Env: SECONDS_PER_RUN (default 4), ROUNDS (default 3), SENDERS (default 1),
#      FLOW_COUNTS (default "1 1000 50000"); bench/run.sh hands them into
#      the VM: ROUNDS=5 bench/run.sh rtp-forward, or
#      SENDERS=2 VM_CPUS=3 bench/run.sh rtp-forward
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build/bench
secs=${SECONDS_PER_RUN:-4}
rounds=${ROUNDS:-3}
counts=${FLOW_COUNTS:-1 1000 50000}
senders=${SENDERS:-1}
ko=${RTPFWD_KO:-$top/build/kmod/$(uname -r)/kmod/rtpfwd.ko}
hz=$(getconf CLK_TCK)
tmp=$(mktemp -d)

[ "$(nproc)" -ge $((senders + 1)) ] && [ "$senders" -ge 1 ] ||
	{ echo "rtp-forward: SENDERS=$senders needs $((senders + 1)) vCPUs (VM_CPUS)" >&2; exit 2; }
# This shell and all it starts run on CPU 0 unless told otherwise.
taskset -p 1 $$ >/dev/null

. "$top/bench/rtp-topology.sh"

cleanup() {
	for n in a gw b; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done
	for n in a gw b; do ip netns del "$n" 2>/dev/null; done
	grep -q '^rtpfwd ' /proc/modules && rmmod rtpfwd
	rm -rf "$tmp"
}
trap cleanup EXIT

setup() {
	topology_setup
	# RPS masks: CPU 1 (2) receives for the gateway, CPU 0 (1) for the ends.
	for l in "gw ga 2" "gw gb 2" "a va 1" "b vb 1"; do
		set -- $l
		ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/queues/rx-0/rps_cpus"
	done
}

# snap: "uptime idle" with CPU 1's idle and iowait in ticks (/proc/stat).
# Busy time is the window less these: the kernel measures idle time exactly
# (nohz), while the busy columns are sampled at ticks that a CPU woken only
# for softirq work often never takes.
snap() { awk '$1 == "cpu1" { i = $5 + $6 } END { getline u <"/proc/uptime"; split(u, f, " "); print f[1], i }' /proc/stat; }

# Waits (10 s at most) until CPU 1 was at least 90% idle for half a second:
# what the previous mode left behind must not run inside the next one's
# measurement. Stopping a relay of 50,000 sockets frees them over RCU grace
# periods for seconds under TCG. (CPU 0 runs this script: never that idle.)
quiesce() {
	set -- $(snap)
	until=$(awk -v u="$1" 'BEGIN { print u + 10 }')
	while :; do
		sleep 0.5
		set -- "$@" $(snap)
		awk -v u0="$1" -v i0="$2" -v u1="$3" -v i1="$4" -v hz="$hz" -v until="$until" \
			'BEGIN { exit !(u1 >= until || (u1 > u0 && (i1 - i0) / hz >= 0.9 * (u1 - u0))) }' &&
			return 0
		shift 2
	done
}

# measure MODE DEST NPORTS: appends "received/s loss% us/pkt cpu1% sent/s
# refused" to $tmp/MODE
measure() {
	quiesce
	b nft reset counter netdev sink rx >/dev/null
	s0=$(snap)
	k=0
	pids=
	while [ $k -lt "$senders" ]; do
		cpu=$((k == 0 ? 0 : k + 1))
		a taskset -c $cpu "$B/pktsend" -i va -m "$ga_mac" -s 10.1.0.1:$((9000 + k)) -d "$2" \
			-P "$3" -t "$secs" >"$tmp/send.$k" &
		pids="$pids $!"
		k=$((k + 1))
	done
	# Not a bare wait: a userspace round's relay runs in the background too.
	wait $pids
	s1=$(snap)
	# All senders together: sent and refused add up, the longest took longest.
	cat "$tmp"/send.* | sed 's/[a-z]*=//g' | awk '{ s += $1; r += $2; if ($3 > t) t = $3 }
		END { print s, r, t }' >"$tmp/send"
	rm -f "$tmp"/send.*
	got=$(sink)
	# Then until the queues drained: the total against what was sent.
	all=-1
	while total=$(sink); [ "$total" != "$all" ]; do all=$total; sleep 0.2; done
	set -- "$1" $(cat "$tmp/send") $s0 $s1
	awk -v sent="$2" -v refused="$3" -v t="$4" -v got="$got" -v all="$all" -v hz="$hz" \
		-v u0="$5" -v i0="$6" -v u1="$7" -v i1="$8" 'BEGIN {
		busy = (u1 - u0) - (i1 - i0) / hz
		if (busy < 0) busy = 0
		printf "%d %.1f %.1f %d %d %d\n", got / t, (sent > 0 ? 100 * (sent - all) / sent : 0),
			(got > 0 ? busy * 1e6 / got : 0), 100 * busy / (u1 - u0), sent / t, refused }' >>"$tmp/$1"
}

# median MODE COLUMN: the median round's value in that column
median() { sort -n -k "$2" "$tmp/$1" | awk -v c="$2" '{ l[NR] = $c } END { print l[int((NR + 1) / 2)] }'; }

# measure_relay NFLOWS: one userspace round with a relay of its own. Not
# through gw(): $! must be the relay itself (ip netns exec execs it), not a
# subshell whose death would leave the relay and its sockets behind.
measure_relay() {
	rm -f "$tmp/relay-ready"
	ip netns exec gw taskset -c 1 "$B/udprelay" -l 10.1.0.3:10000 -n "$1" -o 10.2.0.3:40000 \
		-p 10.2.0.1:9000 -R "$tmp/relay-ready" >"$tmp/relay" &
	relay=$!
	while [ ! -e "$tmp/relay-ready" ]; do sleep 0.05; done
	measure userspace 10.1.0.3:10000 "$1"
	kill $relay
	wait $relay 2>/dev/null || true
}

# hook HOOK NFLOWS: the module loaded with hook=HOOK and NFLOWS flows, from
# a reload if it had the other hook (the flows go with the module).
hook() {
	[ "$loaded_hook" = "$1" ] && return 0
	rmmod rtpfwd
	insmod "$ko" hook="$1"
	loaded_hook=$1
	gw "$B/flowload" -n "$2" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >/dev/null
}

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "-" }'; }

setup
insmod "$ko"
loaded_hook=prerouting
cpus=0
k=1
while [ $k -lt "$senders" ]; do cpus="$cpus,$((k + 1))"; k=$((k + 1)); done
echo "# senders: $senders on CPU $cpus; gateway on CPU 1; $(getconf _NPROCESSORS_ONLN) vCPUs"
printf '%-7s %-10s %9s %11s %6s %8s %6s %7s %8s\n' flows mode sent/s received/s loss vs-plain cpu1% us/pkt vs-plain
for n in $counts; do
	gw "$B/flowload" -n "$n" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >"$tmp/load"
	rm -f "$tmp/plain" "$tmp/rtpfwd" "$tmp/ingress" "$tmp/userspace"
	r=0
	while [ $r -lt "$rounds" ]; do
		measure plain 10.2.0.1:9000 1
		hook prerouting "$n"
		measure rtpfwd 10.1.0.2:10000 "$n"
		hook ingress "$n"
		measure ingress 10.1.0.2:10000 "$n"
		measure_relay "$n"
		r=$((r + 1))
	done
	hook prerouting "$n"
	gw "$top/userspace/rtpfwd/rtpfwd" flow flush
	# The same install one FLOW_NEW per flow (many per sendmsg), to compare.
	gw "$B/flowload" -m 0 -n "$n" -l 10.1.0.2:10000 -o 10.2.0.2:10000 -p 10.2.0.1:9000 >"$tmp/load1"
	gw "$top/userspace/rtpfwd/rtpfwd" flow flush
	plain_rate=$(median plain 1)
	plain_us=$(median plain 3)
	for mode in plain rtpfwd ingress userspace; do
		rate=$(median $mode 1)
		us=$(median $mode 3)
		printf '%-7s %-10s %9s %11s %5s%% %8s %5s%% %7s %8s\n' "$n" $mode "$(median $mode 5)" \
			"$rate" "$(median $mode 2)" "$(ratio "$rate" "$plain_rate")" "$(median $mode 4)" \
			"$us" "$(ratio "$us" "$plain_us")"
	done
	printf '#   rtpfwd vs userspace: received/s %sx, us/pkt %sx less\n' \
		"$(ratio "$(median rtpfwd 1)" "$(median userspace 1)")" \
		"$(ratio "$(median userspace 3)" "$(median rtpfwd 3)")"
	printf '#   ingress vs rtpfwd: received/s %sx, us/pkt %sx; ingress vs userspace: us/pkt %sx less\n' \
		"$(ratio "$(median ingress 1)" "$(median rtpfwd 1)")" \
		"$(ratio "$(median ingress 3)" "$(median rtpfwd 3)")" \
		"$(ratio "$(median userspace 3)" "$(median ingress 3)")"
	for mode in plain rtpfwd ingress userspace; do
		printf '#   rounds %s (received/s@us/pkt, sender refused):' $mode
		awk '{ printf " %s@%s,%s", $1, $3, $6 }' "$tmp/$mode"
		echo
	done
	sed 's/^/#   flow install, FLOW_NEW_MANY: /' "$tmp/load"
	sed 's/^/#   flow install, FLOW_NEW: /' "$tmp/load1"
done
