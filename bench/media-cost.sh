#!/bin/sh
# Benchmark, run inside the VM as root (bench/run.sh media-cost boots it
# with VM_ICOUNT=1 VM_CPUS=1): what a call costs the gateway, counted in
# instructions, with its media in rtpfwd.ko (one row per hook) and in
# sipproxyd's userspace relay, at the same call counts. The calls are
# bench/media.sh's (bench/media-calls.sh): real SIP through sipproxyd, 50
# packets/s of 172 bytes each way per call, counted at both ends.
#
# Under QEMU's -icount shift=0 the guest's clock advances 1 ns for each
# instruction it executes, and jumps over the time it sleeps: busy time in
# /proc/stat (the window less idle and iowait, which NOHZ accounts exactly)
# is then instructions executed, 10^7 per 10 ms tick, whatever the host is
# doing. So the figures repeat from run to run to within a tick, where the
# timed media bench moves by 20%, and they are comparable between runs,
# hosts and commits (but not with a timed bench: an instruction of TCG takes
# anything from a fraction of a ns to many).
#
# One vCPU runs everything, so the ends' own cost is measured alone and
# taken off: mode "direct" sets the same calls up and pumps the same media
# straight between the ends over their own veth (no gateway, no sipproxyd).
# A mode's gateway cost is its busy time less direct's at the same N. The
# module is loaded for the kernel rows only, with each hook of HOOKS in turn
# (default "prerouting ingress"); the userspace rows run as an operator runs
# them, without it (its hooks would add a lookup per packet). Loaded, it
# hooks the ends' namespaces too (every netns, every device), which a real
# gateway's peers would not pay: each hook's kernel row is therefore taken
# against a direct row run with that hook loaded ("direct hook=...").
#
# Columns: packets sent at both ends; lost, those that did not arrive (in
# direct mode all calls' media comes from one port, so the ends count it
# as strays: lost there is sent less received and strays); busy-s, the
# guest's busy seconds over the pumping window; instr/call-s, busy
# instructions per call per second of media, ends included; gw-instr/call-s
# the same less direct's; gw-instr/pkt that per packet through the gateway
# (100 a call-second). Then, per N, the userspace row's gateway cost over
# each kernel row's.
#
# Env: CALL_STEPS (default "100 200 300": the vCPU's 10^9 instructions a
# second hold about 330 calls with the userspace relay), SECONDS_PER_RUN
# (default 20), HOOKS; bench/run.sh hands them into the VM:
#   bench/run.sh media-cost
#   CALL_STEPS=200 HOOKS=ingress bench/run.sh media-cost 6.1.0-56-amd64
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${SECONDS_PER_RUN:-20}
steps=${CALL_STEPS:-100 200 300}
hooks=${HOOKS:-prerouting ingress}
gwcpu=0
ecpu=0
. "$top/bench/media-calls.sh"

[ "$(nproc)" = 1 ] || { echo "bench: media-cost wants one vCPU (VM_CPUS=1)" >&2; exit 1; }
grep -q '^rtpfwd ' /proc/modules &&
	{ echo "bench: media-cost loads rtpfwd.ko itself: unload it first" >&2; exit 1; }

# row MODE N LABEL BASE: the row of the step just run, its gateway columns
# against the direct row labelled BASE; appends "LABEL N INSTR/CALL-S
# GW-INSTR/CALL-S" (tab-separated) to $tmp/busy.
row() {
	awk -v mode="$3" -v n="$2" -v kind="$1" -v baseline="$4" -v busy="$tmp/busy" '
		$1 == "uac" || $1 == "uas" {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "stray") stray += kv[2] }
		}
		$1 == "cpu" && FILENAME ~ /uac$/ {
			for (i = 2; i <= NF; i++) { split($i, kv, "="); cpu[kv[1]] = kv[2] }
		}
		$1 == "call" { sent += $3; got += $4 }
		END {
			# Direct: each end recognises one call (the first whose
			# peer port matches: all share one) and takes the other
			# streams for strays, their first RTP_WARMUP (5) packets
			# too, which no count of sent includes.
			lost = sent - got - (kind == "direct" ? stray - 2 * (n - 1) * 5 : 0)
			ticks = cpu["seconds"] * 100 - cpu["idle"] - cpu["iowait"]
			per = ticks * 1e7 / cpu["seconds"] / n
			while ((getline line < busy) > 0) {
				split(line, f, "\t")
				if (f[1] == baseline && f[2] == n) base = f[3]
			}
			gw = kind == "direct" ? 0 : per - base
			printf "%-22s %6d %9d %6d %7.2f %13.0f %15.0f %11.0f\n", mode, n, sent, lost,
				ticks / 100, per, gw, gw / 100
			printf "%s\t%d\t%.0f\t%.0f\n", mode, n, per, gw >>busy
			exit lost != 0 || (kind != "direct" && stray != 0)
		}' "$tmp/uac" "$tmp/uas"
}

# cost MODE N [HOOK]: one step of MODE (with rtpfwd.ko loaded with HOOK);
# prints its row.
cost() {
	_label=$1
	_base=direct
	if [ -n "${3:-}" ]; then
		_label="$1 hook=$3"
		_base="direct hook=$3"
	fi
	case $1 in
	direct) run_calls direct "$2" ;;
	*)
		proxy_start "$1"
		run_calls "$1" "$2"
		proxy_stop
		;;
	esac
	row "$1" "$2" "$_label" "$_base" ||
		echo "#   $_label $2: packets lost or misdirected: not a valid row"
}

setup
setup_direct
echo "# $secs s of media per step, one vCPU under icount: 1 instruction = 1 ns of guest time"
printf '%-22s %6s %9s %6s %7s %13s %15s %11s\n' mode calls packets lost busy-s instr/call-s \
	gw-instr/call-s gw-instr/pkt
: >"$tmp/busy"
for n in $steps; do
	cost direct "$n"
	for hook in $hooks; do
		insmod "$ko" hook="$hook"
		loaded=1
		cost direct "$n" "$hook"
		cost kernel "$n" "$hook"
		rmmod rtpfwd
		loaded=
	done
	cost userspace "$n"
done
# The userspace relay's gateway cost against each hook's, at each N.
awk -F '\t' '$1 == "userspace" { user[$2] = $4 }
	$1 ~ /^kernel / { kern[$1, $2] = $4 }
	END {
		for (k in kern) {
			split(k, ln, SUBSEP)
			if ((ln[2] in user) && kern[k] > 0)
				printf "# %d calls: the userspace relay costs the gateway %.1fx the instructions of %s\n",
					ln[2], user[ln[2]] / kern[k], ln[1]
		}
	}' "$tmp/busy" | sort -t' ' -k2,2n
