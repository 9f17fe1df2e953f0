#!/bin/sh
# Benchmark, run inside the VM as root (bench/run.sh media boots it): how
# many concurrent G.711 calls sipproxyd carries with loss under 0.1%, with
# its media in rtpfwd.ko (media_relay = kernel) and in its userspace relay
# (media_relay = userspace), in the same boot on the same veths.
#
#   caller (ns mc-c)           gateway (ns mc-g): sipproxyd        callee (ns mc-e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060     10.0.2.1:5060 ---> 10.0.2.2:5070
#   RTP 10.0.1.2:6000 <--> 10.0.1.1:x [relay] 10.0.1.1:y <-------> 10.0.2.2:7000
#
# Each step of the ramp sets N calls up with real SIP (build/bench/mediacall
# in both end namespaces: INVITE with SDP, 200 with SDP, ACK, routed by a
# static route), then both ends send 50 packets/s of 172 bytes (RTP + 160
# bytes of PCMA) on every call for SECONDS_PER_RUN seconds, spread evenly
# over each 20 ms, count per call what arrives from that call's relay port
# with that call's SSRC, and BYE every call. Loss counts both directions of
# every call; a step holds when all N calls were set up, loss < 0.1%, no
# packet arrived from the wrong port or with the wrong SSRC, and both ends
# got their packets out within 20% of the time (pump-s: the slower end's).
# A late try says "late, queue full" when a sender found its socket's send
# queue full: what it had sent still waited in the gateway CPU's backlog,
# so the gateway held the sender back ("ends late" otherwise).
# Each step runs through a fresh sipproxyd; the two modes take turns at
# each N, and a mode leaves the ramp at its first failed step, then
# bisects between the most it held and the least it failed at until they
# are within 10% of each other: that is its ceiling.
#
# CPU: the gateway gets vCPU 1 and the ends vCPU 0 (with 3 vCPUs, the
# callee vCPU 2), so that /proc/stat's per-CPU lines tell the gateway's
# cost from the generators': sipproxyd is pinned to CPU 1 and each
# mediacall process to its end's CPU, and RPS steers what arrives on the
# gateway's veths (vgc, vge) to CPU 1 and what arrives on an end's veth (vc,
# ve) to that end's CPU. A packet a sender hands to a veth is thus
# forwarded (rtpfwd.ko) or received into the relay's socket on CPU 1, and
# delivered to its end on the end's CPU. "gw%" is how busy CPU 1 was over
# the pumping window (the window less its idle and iowait time in
# /proc/stat), "ends%" the same of the busier end CPU; "daemon%" is
# sipproxyd's utime+stime, of one vCPU; us/call-s is CPU 1's busy
# microseconds per call per second of pumping: the gateway's cost of a
# call. A step whose ends% nears 100 says the generators, not the gateway,
# ran out. setup-s: how long setting the N calls up took (at most 32
# INVITEs unanswered at a time).
# GW_CPU_PERCENT=N (bench/run.sh hands it to tests/vm/run.sh as
# VM_CPU1_PERCENT) gives vCPU 1 a quota of N% of one host core, so that the
# gateway runs out before the ends in both modes; the vCPU's throttled time
# counts as busy in the guest, so gw% and us/call-s are then of that budget.
# Needs 2 vCPUs (VM_CPUS, run.sh's default), better 3. Env: CALL_STEPS
# (default "50 100 200 400 800 1600"), MAX_CALLS (default 1600: steps above
# it are skipped), SECONDS_PER_RUN (default 5), ROUNDS (tries per step,
# default 2); bench/run.sh hands them into the VM. RTPFWD_HOOK (the VM sees
# RTPFWD_* as they are) loads rtpfwd.ko with hook=RTPFWD_HOOK:
#   GW_CPU_PERCENT=10 VM_CPUS=3 bench/run.sh media
#   RTPFWD_HOOK=ingress GW_CPU_PERCENT=10 VM_CPUS=3 bench/run.sh media
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build/bench
sipproxyd=$top/userspace/sipproxyd/sipproxyd
secs=${SECONDS_PER_RUN:-5}
rounds=${ROUNDS:-2}
steps=${CALL_STEPS:-50 100 200 400 800 1600}
max=${MAX_CALLS:-1600}
ko=${RTPFWD_KO:-$top/build/kmod/$(uname -r)/kmod/rtpfwd.ko}
tmp=$(mktemp -d)
loaded=
proxy=

c() { ip netns exec mc-c "$@"; }
g() { ip netns exec mc-g "$@"; }
e() { ip netns exec mc-e "$@"; }

cleanup() {
	for n in mc-c mc-g mc-e; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done
	for n in mc-c mc-g mc-e; do ip netns del "$n" 2>/dev/null; done
	[ -z "$loaded" ] || rmmod rtpfwd
	rm -rf "$tmp"
}
trap cleanup EXIT

# poll TRIES CMD...: CMD every 50 ms until it succeeds, at most TRIES times.
poll() {
	_n=$1
	shift
	while ! "$@"; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.05
	done
}

# none_left MODE: nothing of any call is left (a function, so poll re-reads it).
none_left() {
	[ "$(leftovers "$1")" = 0 ]
}

setup() {
	for n in mc-c mc-g mc-e; do ip netns add $n; ip -n $n link set lo up; done
	ip link add vc netns mc-c type veth peer name vgc netns mc-g
	ip link add vge netns mc-g type veth peer name ve netns mc-e
	ip -n mc-c addr add 10.0.1.2/24 dev vc
	ip -n mc-g addr add 10.0.1.1/24 dev vgc
	ip -n mc-g addr add 10.0.2.1/24 dev vge
	ip -n mc-e addr add 10.0.2.2/24 dev ve
	for l in "mc-c vc" "mc-g vgc" "mc-g vge" "mc-e ve"; do set -- $l; ip -n $1 link set $2 up; done
	e ip route add 10.0.1.0/24 via 10.0.2.1
	# Static neighbours: no packet waits on (or is dropped by) ARP.
	ip -n mc-c neigh replace 10.0.1.1 lladdr "$(ip -n mc-g -br link show vgc | awk '{print $3}')" \
		dev vc nud permanent
	ip -n mc-e neigh replace 10.0.2.1 lladdr "$(ip -n mc-g -br link show vge | awk '{print $3}')" \
		dev ve nud permanent
	ip -n mc-g neigh replace 10.0.1.2 lladdr "$(ip -n mc-c -br link show vc | awk '{print $3}')" \
		dev vgc nud permanent
	ip -n mc-g neigh replace 10.0.2.2 lladdr "$(ip -n mc-e -br link show ve | awk '{print $3}')" \
		dev vge nud permanent
	# RPS masks: CPU 1 (2) receives for the gateway, the ends' CPUs for them.
	# A vCPU the host does not run for a while (TCG, shared host) must not
	# cost packets in the RPS backlog of 1000 the other vCPU queues into.
	sysctl -qw net.core.netdev_max_backlog=100000
	# A softirq round ends after 2 ms (netdev_budget_usecs) of jiffies: a
	# quota stall of vCPU 1 inside a round (up to 10 ms) would end it after
	# a packet or two, and the rest wait for ksoftirqd.
	sysctl -qw net.core.netdev_budget_usecs=20000
	g sh -c 'echo 2 >/sys/class/net/vgc/queues/rx-0/rps_cpus; echo 2 >/sys/class/net/vge/queues/rx-0/rps_cpus'
	c sh -c 'echo 1 >/sys/class/net/vc/queues/rx-0/rps_cpus'
	e sh -c "echo $((1 << ecpu)) >/sys/class/net/ve/queues/rx-0/rps_cpus"
}

# The bench's own limits: 2 legs x (RTP + RTCP) = 4 ports per call, 10,000
# calls' worth; the caller is a trusted peer (no digest round trip); logs at
# notice, so nothing per call or per packet is written.
proxy_start() {	# proxy_start MODE
	cat >"$tmp/proxy.conf" <<CONF
[general]
domains = proxy.bench
log_level = notice
pid_file =
[listen]
udp = 10.0.1.1:5060, 10.0.2.1:5060
tcp =
[limits]
max_transactions = 100000
[registrar]
database =
[auth]
trusted_peers = 10.0.1.0/24
[routes]
callee.bench = sip:10.0.2.2:5070
[media]
media_relay = $1
relay_address = 10.0.1.1
port_range = 20000-59999
source_policy = learn
media_timeout = 10m
CONF
	: >"$tmp/proxy.log"
	# The userspace relay holds 4 sockets per call.
	ulimit -n 65536
	ip netns exec mc-g taskset -c 1 "$sipproxyd" -c "$tmp/proxy.conf" -f >>"$tmp/proxy.log" 2>&1 &
	proxy=$!
	poll 600 grep -q "notice: started" "$tmp/proxy.log" ||
		{ echo "bench: sipproxyd did not start: $(tail -3 "$tmp/proxy.log")" >&2; exit 1; }
	grep -q "relay backend $1" "$tmp/proxy.log" ||
		{ echo "bench: sipproxyd did not take the $1 relay" >&2; exit 1; }
}

gone() {	# gone PID: exited (a zombie until waited for counts)
	case $(ps -o stat= -p "$1") in "" | Z*) return 0 ;; esac
	return 1
}

proxy_stop() {
	kill "$proxy"
	if ! poll 200 gone "$proxy"; then
		echo "# sipproxyd did not exit within 10 s of SIGTERM: killed"
		kill -9 "$proxy"
	fi
	wait "$proxy" 2>/dev/null || true
}

# What a step left behind in the relay: kernel flows or relay sockets.
leftovers() {
	if [ "$1" = kernel ]; then
		g awk 'NR > 1' /proc/net/rtpfwd/flows | wc -l
	else
		g ss -Huan "sport >= :20000 and sport <= :59999" | wc -l
	fi
}

# drops: packets dropped where the bench can see it, as "backlog B caller C
# gateway G callee E": per-CPU input backlogs full (/proc/net/softnet_stat)
# and UDP receive queues full in each namespace (Udp RcvbufErrors).
drops() {
	_b=0
	for _h in $(awk '{ print $2 }' /proc/net/softnet_stat); do _b=$((_b + 0x$_h)); done
	printf 'backlog %d' $_b
	for _n in caller:mc-c gateway:mc-g callee:mc-e; do
		printf ' %s %d' "${_n%%:*}" "$(ip netns exec "${_n#*:}" awk '$1 == "Udp:" {
			if (!col) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") col = i }
			else print $col }' /proc/net/snmp)"
	done
	echo
}

# step MODE N: one step; prints its table row, succeeds when it held.
step() {
	_rc=0
	drops >"$tmp/drops-before"
	rm -f "$tmp/go"
	mkfifo "$tmp/go"
	ip netns exec mc-e taskset -c $ecpu "$B/mediacall" uas -l 10.0.2.2:5070 -m 10.0.2.2:7000 -n "$2" \
		-g "$tmp/go" >"$tmp/uas" 2>"$tmp/uas.err" &
	uas=$!
	poll 200 sh -c 'ip netns exec mc-e ss -Huln "sport = :5070" | grep -q .'
	c taskset -c 0 "$B/mediacall" uac -l 10.0.1.2:5080 -m 10.0.1.2:6000 -p 10.0.1.1:5060 -d callee.bench \
		-n "$2" -t "$secs" -g "$tmp/go" -W "$proxy,$uas" >"$tmp/uac" 2>"$tmp/uac.err" || true
	# A caller that never said go leaves the callee waiting for it.
	grep -q '^uac ' "$tmp/uac" || kill "$uas" 2>/dev/null || true
	wait "$uas" 2>/dev/null || true
	poll 200 none_left "$1" ||
		echo "# $1 $2: $(leftovers "$1") flows or sockets left after the BYEs"
	drops | awk -v before="$(cat "$tmp/drops-before")" '{
		split(before, b); line = ""
		for (i = 2; i <= NF; i += 2) if ($i - b[i]) line = line sprintf(" %s %d", $(i - 1), $i - b[i])
		if (line != "") print "#   dropped:" line }' >"$tmp/dropped"
	awk -v mode="$1" -v n="$2" -v secs="$secs" -v caller="$tmp/uac" -v costs="$tmp/costs" -v ecpu="cpu$ecpu" '
		# Busy = the window less idle and iowait, which the kernel
		# accounts exactly (NOHZ idle time); the other columns are
		# sampled at the tick. In USER_HZ (100) ticks.
		function busy(c, b) {
			b = cpu[c, "seconds"] * 100 - cpu[c, "idle"] - cpu[c, "iowait"]
			return b > 0 ? b : 0
		}
		function share(c) {
			return cpu[c, "seconds"] > 0 ? busy(c) / cpu[c, "seconds"] : 0
		}
		FILENAME == caller && $1 == "uac" {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); u[kv[1]] = kv[2] }
		}
		FILENAME == caller && ($1 == "cpu0" || $1 == "cpu1" || $1 == ecpu) {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); cpu[$1, kv[1]] = kv[2] }
		}
		FILENAME == caller && $1 == "pid" { split($3, kv, "="); pid[++npid] = kv[2] }
		FILENAME == caller && $1 == "call" { csent[$2] = $3; crecv[$2] = $4 }
		FILENAME != caller && $1 == "uas" {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
		}
		FILENAME != caller && $1 == "call" { esent[$2] = $3; erecv[$2] = $4 }
		END {
			for (k in csent) { sent += csent[k]; lost += csent[k] - erecv[k] }
			for (k in esent) { sent += esent[k]; lost += esent[k] - crecv[k] }
			t = cpu["cpu1", "seconds"] > 0 ? cpu["cpu1", "seconds"] : 1
			gw = busy("cpu1")
			loss = sent ? 100 * lost / sent : 100
			ends = share("cpu0") > share(ecpu) ? share("cpu0") : share(ecpu)
			pump = u["pump_seconds"] > s["pump_seconds"] ? u["pump_seconds"] : s["pump_seconds"]
			late = pump > secs * 1.2 + 0.2
			short = sent != 2 * n * secs * 50
			held = u["up"] == n && !short && lost * 1000 < sent && !u["stray"] && !s["stray"] && !late
			printf "%-9s %6d %5d %7.1f %9d %8.3f %5.0f %5.0f %7.0f %9.0f %6.2f %s\n", mode, n,
				u["up"] + 0, u["setup_seconds"], sent, loss, share("cpu1"), ends,
				pid[1] / t, n ? gw * 10000 / t / n : 0, pump, held ? "held" : \
				(u["up"] != n ? "setup " u["up"] + 0 "/" n " (status " u["fail_status"] ")" : \
				 short ? "not all pumped" : late ? (u["full"] + s["full"] ? "late, queue full" : "ends late") : \
				 (u["stray"] + s["stray"] ? "stray" : "loss"))
			printf "%s %d %s %.0f\n", mode, n, (held ? "held" : "failed"), (n ? gw * 10000 / t / n : 0) >>costs
			exit !held
		}' "$tmp/uac" "$tmp/uas" || _rc=1
	cat "$tmp/dropped"
	# What sipproxyd complained about in a failed try, once per kind.
	[ $_rc = 0 ] || sed -n 's/^sipproxyd\[[0-9]*\]: \(warn\|error\)\( [^:]*\)\{0,1\}: /\1: /p' "$tmp/proxy.log" |
		sort | uniq -c | sed 's/^ */#   sipproxyd: /' | head -n 5
	return $_rc
}

# try MODE N: one step of MODE through a fresh sipproxyd.
try() {
	proxy_start "$1"
	_ok=0
	step "$1" "$2" || _ok=1
	proxy_stop
	return $_ok
}

[ "$(nproc)" -ge 2 ] || { echo "bench: media needs 2 vCPUs (VM_CPUS=2)" >&2; exit 1; }
# The callee's CPU: its own when there is a third vCPU.
ecpu=0
[ "$(nproc)" -lt 3 ] || ecpu=2
setup
if ! grep -q '^rtpfwd ' /proc/modules; then
	insmod "$ko" ${RTPFWD_HOOK:+hook=$RTPFWD_HOOK}
	loaded=1
fi
echo "# rtpfwd.ko hook=$(cat /sys/module/rtpfwd/parameters/hook)"
echo "# $secs s of media per step; gateway on CPU 1${GW_CPU_PERCENT:+ (a quota of $GW_CPU_PERCENT% of one host core)}," \
	"caller on CPU 0, callee on CPU $ecpu; percentages of one vCPU"
printf '%-9s %6s %5s %7s %9s %8s %5s %5s %7s %9s %6s %s\n' mode calls up setup-s packets loss% gw% \
	ends% daemon% us/call-s pump-s result
# attempt MODE N: up to ROUNDS tries of one step; holds when one try held.
# A try the host starved (TCG on a shared host) shows in its row and is
# tried again; the table lists every try.
attempt() {
	_t=0
	while [ $_t -lt "$rounds" ]; do
		try "$1" "$2" && return 0
		_t=$((_t + 1))
	done
	return 1
}

# The modes take turns at each step, so that both meet the same host (TCG
# on a shared host drifts); a mode leaves the ramp at its first failed
# step. $tmp/MODE holds "MOST-HELD FAILED" (FAILED 0: every step up to
# MAX_CALLS held).
for mode in kernel userspace; do echo "0 0" >"$tmp/$mode"; done
for n in $steps; do
	[ "$n" -le "$max" ] || break
	for mode in kernel userspace; do
		read -r best failed <"$tmp/$mode"
		[ "$failed" = 0 ] || continue
		if attempt $mode "$n"; then best=$n; else failed=$n; fi
		echo "$best $failed" >"$tmp/$mode"
	done
done
# Then each mode bisects between the most it held and the least it failed
# at, taking turns again, until the two are within 10% (or 5 calls).
while :; do
	probed=
	for mode in kernel userspace; do
		read -r best failed <"$tmp/$mode"
		if [ "$failed" = 0 ] || [ $((failed - best)) -le $((best / 10)) ] || [ $((failed - best)) -le 5 ]; then
			continue
		fi
		mid=$(((best + failed) / 2))
		if attempt $mode $mid; then best=$mid; else failed=$mid; fi
		echo "$best $failed" >"$tmp/$mode"
		probed=1
	done
	[ -n "$probed" ] || break
done
# The gateway's CPU per call is compared at one call count: the relay's
# ceiling, which the kernel mode crossed on the ramp but may not have run.
read -r ubest _ <"$tmp/userspace"
read -r kbest _ <"$tmp/kernel"
if [ "$ubest" -gt 0 ] && [ "$kbest" -ge "$ubest" ] && ! grep -q "^kernel $ubest held " "$tmp/costs"; then
	echo "# kernel mode at the userspace relay's ceiling, for the CPU per call at the same load"
	attempt kernel "$ubest" || true
fi
cat "$tmp/kernel" "$tmp/userspace" | awk -v costs="$tmp/costs" '
	{ best[NR] = $1; failed[NR] = $2
	  what[NR] = $2 ? sprintf("%d (failed at %d)", $1, $2) : sprintf(">= %d (every step held)", $1) }
	END {
		printf "# most calls held with loss < 0.1%%: kernel %s, userspace %s\n", what[1], what[2]
		printf "# kernel/userspace: %s%s (target >= 5)\n", best[2] ? sprintf("%.1f", best[1] / best[2]) : "-",
			failed[1] ? "" : " at least"
		# The gateway CPU per call of both modes at the most calls both held.
		while ((getline line < costs) > 0) {
			split(line, f)
			if (f[3] == "held") us[f[1], f[2] + 0] = f[4]
		}
		for (k in us) {
			split(k, mn, SUBSEP)
			if (mn[1] == "kernel" && (("userspace", mn[2]) in us) && mn[2] + 0 > n) n = mn[2] + 0
		}
		if (n)
			printf "# gateway CPU per call at %d calls (the most both held): kernel %d us/s, " \
				"userspace %d us/s (%.1fx)\n", n, us["kernel", n], us["userspace", n],
				us["kernel", n] ? us["userspace", n] / us["kernel", n] : 0
	}'
