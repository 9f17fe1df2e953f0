#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's built-in self-tests (lookup table, RTP statistics) run when the
# DEBUG build loads: every one must pass, and the load must succeed.
set -e
debug_ko=$(dirname "$RTPFWD_KO")/../../../kmod-debug/$(uname -r)/kmod/rtpfwd.ko

fail() {
	echo "not ok - $*"
	exit 1
}

[ -f "$debug_ko" ] || fail "debug module not built: $debug_ko"
# Only what the kernel logs from here on (the log is not cleared: the VM
# harness reads all of it for WARNs).
seen=$(dmesg | wc -l)
since() { dmesg | tail -n +$((seen + 1)); }

rmmod rtpfwd
insmod "$debug_ko" || fail "the DEBUG module failed to load: $(since | grep rtpfwd | tail -n 3)"
line=$(since | grep -o 'rtpfwd: selftest: [0-9]* passed' || true)
since | grep -q 'rtpfwd: selftest: failed' && fail "self-tests failed: $(since | grep 'rtpfwd: selftest')"
[ -n "$line" ] || fail "no self-test result in the kernel log"
n=$(echo "$line" | sed 's/[^0-9]//g')
[ "$n" -gt 0 ] || fail "zero self-tests ran"
rmmod rtpfwd
insmod "$RTPFWD_KO"
echo "ok - in-module self-tests: $n passed"
