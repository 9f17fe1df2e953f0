#!/bin/bash
# Boots kernel KVER under QEMU (TCG) with the host's / as a read-only root
# under a tmpfs overlay, runs SCRIPT [ARGS] as root in the current directory,
# prints its output and exits with its exit code.
#
#   tests/vm/run.sh KVER SCRIPT [ARGS...]
#
# Environment variables named RTPFWD_*, SIPPROXY_* and VM_* are passed in.
# VM_TIMEOUT (seconds, default 1500) bounds the whole boot; VM_MEM (MiB,
# default 2048) and VM_CPUS (default 2) size the machine. VM_CPU1_PERCENT=N
# (10 to 100) runs vCPU 1, where the benchmarks put the gateway, in a cgroup
# with a CPU quota of N% of one host core (vcpu-quota.sh), so that it alone
# runs out of CPU while the other vCPUs generate its load.
# VM_ICOUNT=1 counts instructions instead of time (see below).
# The run fails (exit 125) when the kernel logs a WARN, BUG or oops (the
# boot flags turn those into a panic), or when the VM dies before finishing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

[ $# -ge 2 ] || { echo "usage: $0 KVER SCRIPT [ARGS...]" >&2; exit 2; }
kver=$1
shift
kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || { echo "vm: no kernel $kernel (install linux-image-$kver)" >&2; exit 2; }

vmdir=$top/build/vm/$kver
initrd=$vmdir/initramfs.cpio.gz
mkdir -p "$vmdir"
if [ ! -f "$initrd" ] || [ "$initrd" -ot "$here/mkinitramfs.sh" ] || [ "$initrd" -ot "$here/stage1.sh" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd"
fi

rundir=$(mktemp -d "$vmdir/run.XXXXXX")
share=$rundir/share
mkdir -p "$share"
cp "$here/stage2.sh" "$share/stage2.sh"

quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
	env | grep -E '^(RTPFWD|SIPPROXY|VM)_[A-Za-z0-9_]*=' | while IFS= read -r kv; do
		printf 'export %s=%s\n' "${kv%%=*}" "$(quote "${kv#*=}")"
	done
	printf 'cd %s || exit 126\n' "$(quote "$PWD")"
	printf 'exec'
	for a in "$@"; do printf ' %s' "$(quote "$a")"; done
	printf '\n'
} >"$share/cmd"

console=$rundir/console.log
# VM_ICOUNT=1: one TCG thread for all vCPUs, and a guest clock that counts
# executed instructions (1 ns each) and skips idle time, so that busy time
# in the guest is instructions executed whatever the host's load
# (bench/media-cost.sh). Otherwise multi-threaded TCG in real time.
accel=(-accel tcg)
# shellcheck disable=SC2054 # QEMU's option lists are comma-separated
[ "${VM_ICOUNT:-0}" = 0 ] || accel=(-accel tcg,thread=single -icount shift=0,sleep=on)
# QEMU names its threads ("CPU 1/TCG"), which tells them apart in top -H
# and lets a quota reach one vCPU.
qemu_opts=(-name "sipproxy-vm,debug-threads=on")
mover=
if [ -n "${VM_CPU1_PERCENT:-}" ]; then
	[ "${VM_CPUS:-2}" -ge 2 ] || { echo "vm: VM_CPU1_PERCENT needs a vCPU 1 (VM_CPUS >= 2)" >&2; exit 2; }
	. "$here/vcpu-quota.sh"
	quota_create "$VM_CPU1_PERCENT" "sipproxy-vm-$$" || exit 2
	trap quota_remove EXIT
	qemu_opts+=(-pidfile "$rundir/qemu.pid")
	quota_attach "$rundir/qemu.pid" "CPU 1/TCG" &
	mover=$!
fi
boot() {
	rc=0
	timeout "${VM_TIMEOUT:-1500}" qemu-system-x86_64 "${qemu_opts[@]}" \
		-nodefaults -no-user-config -machine q35 "${accel[@]}" -cpu max \
		-smp "${VM_CPUS:-2}" -m "${VM_MEM:-2048}" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 rdinit=/init oops=panic panic_on_warn=1 panic=-1 loglevel=4 net.ifnames=0" \
		-display none -no-reboot -monitor none -serial "file:$console" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$share,mount_tag=result,security_model=none,multidevs=remap" \
		</dev/null || rc=$?
}
boot
# A guest kernel that panicked while booting, before the command started
# (stage2 had not made its output file), ran nothing of ours: under TCG the
# 6.12 kernel has died so, on an int3 left by its own jump-label patching.
# Such a boot is said and repeated once; any later failure counts.
if [ $rc -eq 0 ] && [ -z "$mover" ] && [ ! -f "$share/output" ] &&
	grep -qa 'Kernel panic' "$console"; then
	echo "vm: $kver: the kernel panicked while booting, before the command ran; booting again:" >&2
	tr -d '\033' <"$console" | grep -aE 'Oops|panic|RIP' | tail -n 5 >&2 || true
	boot
fi

[ -f "$share/output" ] && cat "$share/output"

bad=
if [ -n "$mover" ] && ! wait "$mover"; then
	bad="vCPU 1 did not get its CPU quota"
elif [ $rc -ne 0 ]; then
	bad="qemu exited with $rc (timeout is 124)"
elif [ ! -f "$share/rc" ]; then
	bad="the VM stopped before the command finished"
elif grep -qE '(WARNING:|BUG:|Oops|general protection|Kernel panic|Call Trace:|kmemleak)' "$share/dmesg"; then
	bad="the kernel log has a WARN, BUG or oops"
fi
if [ -n "$bad" ]; then
	echo "vm: $kver: $bad; console: $console" >&2
	tr -d '\033' <"$console" | grep -aE 'WARNING|BUG|Oops|panic|Call Trace|RIP|vm-stage' | tail -n 40 >&2 || true
	exit 125
fi
rc=$(cat "$share/rc")
rm -rf "$rundir"
exit "$rc"
