#!/bin/sh
# make bench: runs one benchmark, printing its table. One whose second line
# is "# bench: host" runs here (loopback, no module); the others boot the
# VM (TCG; compare modes only within one run) and run inside it.
#   bench/run.sh [NAME] [KVER]    NAME: rtp-forward (default), sip-proxy, media,
#                                 media-cost, rtp-cost;
#                                 KVER: the newest kernel the module was built for
# GW_CPU_PERCENT=N caps the VM's vCPU 1 (the gateway's) at N% of one host
# core (tests/vm/run.sh's VM_CPU1_PERCENT).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-rtp-forward}
kver=${2:-$(ls "$top/build/kmod" | sort -V | tail -n 1)}
[ -x "$top/bench/$name.sh" ] || { echo "bench: no benchmark bench/$name.sh" >&2; exit 2; }
if sed -n 2p "$top/bench/$name.sh" | grep -qx '# bench: host'; then
	echo "# bench/$name.sh on the host ($(uname -r)), $(date -u +%Y-%m-%d), $(nproc) cores"
	exec "$top/bench/$name.sh"
fi
echo "# bench/$name.sh on $kver, $(date -u +%Y-%m-%d), qemu TCG, $(nproc) host cores"
cd "$top"
# The media bench measures the gateway's ceiling in both modes only with
# a CPU budget on it (Documentation/media.rst): its defaults, which
# GW_CPU_PERCENT= (empty) and VM_CPUS override.
if [ "$name" = media ]; then
	GW_CPU_PERCENT=${GW_CPU_PERCENT-10}
	export VM_CPUS=${VM_CPUS:-3}
	[ -n "$GW_CPU_PERCENT" ] || unset GW_CPU_PERCENT
fi
# The instruction-counting ones run on one vCPU under icount, unbudgeted.
if [ "$name" = media-cost ] || [ "$name" = rtp-cost ]; then
	export VM_ICOUNT=1 VM_CPUS=1
	unset GW_CPU_PERCENT
fi
# The VM sees only RTPFWD_*, SIPPROXY_* and VM_* variables: hand the
# benchmarks' own knobs over on the command line.
set --
for v in ROUNDS SECONDS_PER_RUN FLOW_COUNTS FLOWS SENDERS CALL_STEPS MAX_CALLS GW_CPU_PERCENT HOOKS; do
	if eval "[ -n \"\${$v+x}\" ]"; then
		eval "set -- \"\$@\" \"$v=\$$v\""
	fi
done
# GW_CPU_PERCENT: the gateway's vCPU 1 gets that share of one host core.
[ -z "${GW_CPU_PERCENT:-}" ] || export VM_CPU1_PERCENT="$GW_CPU_PERCENT"
exec tests/vm/run.sh "$kver" env "$@" sh "bench/$name.sh"
