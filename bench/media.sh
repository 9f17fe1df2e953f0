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
secs=${SECONDS_PER_RUN:-5}
rounds=${ROUNDS:-2}
steps=${CALL_STEPS:-50 100 200 400 800 1600}
max=${MAX_CALLS:-1600}
[ "$(nproc)" -ge 2 ] || { echo "bench: media needs 2 vCPUs (VM_CPUS=2)" >&2; exit 1; }
# The gateway on CPU 1; the callee's CPU its own when there is a third vCPU.
gwcpu=1
ecpu=0
[ "$(nproc)" -lt 3 ] || ecpu=2
. "$top/bench/media-calls.sh"

# step MODE N: one step; prints its table row, succeeds when it held.
step() {
	_rc=0
	drops >"$tmp/drops-before"
	run_calls "$1" "$2"
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
