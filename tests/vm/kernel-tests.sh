#!/bin/sh
# Runs inside the VM (see run.sh): every test in tests/kernel/ against the
# module built for the booted kernel, each with a freshly loaded module, and
# prints TAP. Unloading after each test is itself checked.
# Usage: kernel-tests.sh [NAME-PATTERN]
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"
kver=$(uname -r)
export RTPFWD_KO="$top/build/kmod/$kver/kmod/rtpfwd.ko"
export RTPFWD_BIN="$top/userspace/rtpfwd/rtpfwd"
pattern=${1:-*}
logs=/tmp/kernel-tests
mkdir -p "$logs"

echo "# kernel $kver"
if [ ! -f "$RTPFWD_KO" ]; then
	echo "not ok - $kver: module not built ($RTPFWD_KO)"
	exit 1
fi

run_one() {
	name=$1
	shift
	if ! insmod "$RTPFWD_KO"; then
		echo "not ok - $kver $name: insmod failed"
		return
	fi
	start=$(date +%s)
	tap_run "$kver $name" "$logs/$name.log" timeout 600 "$@"
	echo "# $name: $(($(date +%s) - start)) s"
	if grep -q '^rtpfwd ' /proc/modules && ! rmmod rtpfwd; then
		echo "not ok - $kver $name: rmmod failed"
		rmmod -f rtpfwd 2>/dev/null
	fi
}

for t in "$top"/build/tests/kernel/*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	case ${t##*/} in $pattern) ;; *) continue ;; esac
	run_one "${t##*/}" "$t"
done
for t in "$top"/tests/kernel/*.sh; do
	[ -f "$t" ] || continue
	case ${t##*/} in $pattern) ;; *) continue ;; esac
	run_one "${t##*/}" sh "$t"
done
exit 0
