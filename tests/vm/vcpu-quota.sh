# shellcheck shell=bash
# Sourced by run.sh for VM_CPU1_PERCENT: a CPU quota for one QEMU vCPU thread.
# A benchmark that gives the gateway vCPU 1 can so give it a fixed share of
# one host core, whatever the other vCPUs (the traffic generators) take.
#
#   quota_create PERCENT NAME   makes the cgroup; sets quota_dir
#   quota_attach PIDFILE COMM   moves QEMU's thread COMM ("CPU 1/TCG") into it
#   quota_remove                moves what is left back out and removes it
#
# cgroup v1 (the cpu controller's own hierarchy: cpu.cfs_quota_us) or v2 (a
# threaded child, cpu.max; the whole QEMU process must then move into the
# child's parent, as threads of one process share one threaded domain).
# The period is 10 ms, so that a throttled vCPU stalls for at most 10 ms.
# A quota is a cap, not a reservation: on a busy host the thread could get
# less. The group's weight is the highest there is, so that the thread runs
# whenever it has quota left, and the cap is then also what it gets (in v2
# the whole VM's group gets that weight too, for the thread to be favoured
# among the host's other groups: the other vCPUs then are too).

quota_period_us=10000
quota_dir=
quota_v=

# quota_mount VERSION: the mount point of the cpu controller's hierarchy.
quota_mount() {
	if [ "$1" = 1 ]; then
		awk '$3 == "cgroup" && ("," $4 ",") ~ /,cpu,/ { print $2; exit }' /proc/mounts
	else
		awk '$3 == "cgroup2" { print $2 }' /proc/mounts | while read -r m; do
			grep -qw cpu "$m/cgroup.controllers" 2>/dev/null && { echo "$m"; break; }
		done
	fi
}

quota_create() {
	local pct=$1 name=$2 mnt us
	case $pct in '' | *[!0-9]*) pct=0 ;; esac
	# 1 ms is the kernel's smallest quota: 10% of the 10 ms period.
	if [ "$pct" -lt 10 ] || [ "$pct" -gt 100 ]; then
		echo "vm: VM_CPU1_PERCENT=$1: want a percentage of one host core, 10 to 100" >&2
		return 1
	fi
	us=$((quota_period_us * pct / 100))
	mnt=$(quota_mount 1)
	if [ -n "$mnt" ] && mkdir "$mnt/$name" 2>/dev/null; then
		quota_v=1
		quota_dir=$mnt/$name
		if echo $quota_period_us >"$quota_dir/cpu.cfs_period_us" &&
			echo "$us" >"$quota_dir/cpu.cfs_quota_us" &&
			echo 262144 >"$quota_dir/cpu.shares"; then
			return 0
		fi
	else
		mnt=$(quota_mount 2)
		if [ -n "$mnt" ] && echo +cpu >"$mnt/cgroup.subtree_control" 2>/dev/null &&
			mkdir "$mnt/$name" 2>/dev/null; then
			quota_v=2
			quota_dir=$mnt/$name/vcpu
			if mkdir "$quota_dir" && echo threaded >"$quota_dir/cgroup.type" &&
				echo +cpu >"$mnt/$name/cgroup.subtree_control" &&
				echo "$us $quota_period_us" >"$quota_dir/cpu.max" &&
				echo 10000 >"$mnt/$name/cpu.weight" && echo 10000 >"$quota_dir/cpu.weight"; then
				return 0
			fi
		fi
	fi
	echo "vm: VM_CPU1_PERCENT needs a writable cgroup cpu controller (v1 cpu.cfs_quota_us" \
		"or v2 cpu.max), found none that took a new group $name" >&2
	quota_remove
	return 1
}

# quota_attach PIDFILE COMM: once QEMU has written PIDFILE and started the
# thread named COMM (-name ...,debug-threads=on), moves that thread into the
# group. Gives up after 60 s, killing QEMU: a run without its quota would
# measure something else.
quota_attach() {
	local pidfile=$1 comm=$2 pid='' tid='' t n=600
	while [ $n -gt 0 ]; do
		[ -n "$pid" ] || pid=$(cat "$pidfile" 2>/dev/null) || true
		if [ -n "$pid" ]; then
			for t in /proc/"$pid"/task/*; do
				if [ "$(cat "$t/comm" 2>/dev/null)" = "$comm" ]; then tid=${t##*/}; fi
			done
			if [ -n "$tid" ]; then break; fi
		fi
		n=$((n - 1))
		sleep 0.1
	done
	if [ -n "$tid" ]; then
		if [ "$quota_v" = 1 ]; then
			echo "$tid" >"$quota_dir/tasks" && return 0
		else
			echo "$pid" >"${quota_dir%/*}/cgroup.procs" &&
				echo "$tid" >"$quota_dir/cgroup.threads" && return 0
		fi
	fi
	echo "vm: could not move QEMU's thread \"$comm\" into $quota_dir: stopping the VM" >&2
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	return 1
}

# Whatever still runs in the group (QEMU, when run.sh is interrupted) goes
# back to the hierarchy's root first: a group with tasks cannot be removed.
quota_remove() {
	local top t
	[ -n "$quota_dir" ] || return 0
	if [ "$quota_v" = 1 ]; then
		top=${quota_dir%/*}
		while read -r t; do echo "$t" >"$top/tasks"; done 2>/dev/null <"$quota_dir/tasks" || true
		rmdir "$quota_dir" 2>/dev/null || true
	else
		top=${quota_dir%/*/*}
		while read -r t; do echo "$t" >"$top/cgroup.procs"; done 2>/dev/null <"${quota_dir%/*}/cgroup.procs" ||
			true
		rmdir "$quota_dir" "${quota_dir%/*}" 2>/dev/null || true
	fi
	quota_dir=
}
