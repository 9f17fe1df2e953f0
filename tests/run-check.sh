#!/bin/sh
# make check's test runner: host unit tests, bounded fuzzing of every parser,
# end-to-end tests of the programs on the host (loopback, real SIP peers),
# then the kernel tests in a VM of every installed kernel the module was built
# for. Prints TAP as it goes and ends with "N passed, N failed, N skipped".
#
# FUZZ_SECONDS (default 20) bounds each fuzzer; FUZZ_JOBS (default: the
# CPU count) fuzzers run at once; CHECK_ONLY=unit,fuzz,e2e,kernel picks
# parts; KVERS overrides the kernels to boot.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/lib/tap.sh

out=build/check
rm -rf "$out"
mkdir -p "$out/unit" "$out/fuzz" "$out/e2e" "$out/kernel"
only=${CHECK_ONLY:-unit,fuzz,e2e,kernel}
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }

# A part that cannot even be built is one failed test, not a silent skip.
build_part() {
	name=$1
	shift
	if ! "$@" >"$out/build-$name.log" 2>&1; then
		cat "$out/build-$name.log"
		echo "not ok - build $name"
		return 1
	fi
}

unit_tests() {
	echo "# unit tests (host)"
	build_part unit make -s -C tests/unit || return 0
	for t in build/tests/unit/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		tap_run "unit ${t##*/}" "$out/unit/${t##*/}.log" timeout 300 "$t"
	done
}

# Each fuzzer is one process on one CPU for a fixed wall time: FUZZ_JOBS of
# them at once fuzz as much each, in a FUZZ_JOBS-th of the time. Their TAP
# is printed in order once all are done.
fuzz_tests() {
	fuzz_jobs=${FUZZ_JOBS:-$(nproc)}
	echo "# fuzzers (host, ${FUZZ_SECONDS:-20}s each, $fuzz_jobs at once)"
	build_part fuzz make -s -C tests/fuzz || return 0
	running=0
	for f in build/fuzz/fuzz_*; do
		[ -x "$f" ] && [ -f "$f" ] || continue
		name=${f##*/fuzz_}
		corpus=tests/fuzz/corpus/$name
		new=$out/fuzz/$name.new
		mkdir -p "$new" "$corpus"
		tap_run "fuzz $name" "$out/fuzz/$name.log" \
			"$f" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$out/fuzz/$name-" "$new" "$corpus" >"$out/fuzz/$name.tap" &
		running=$((running + 1))
		[ $running -lt "$fuzz_jobs" ] || { wait; running=0; }
	done
	wait
	for f in build/fuzz/fuzz_*; do
		[ -x "$f" ] && [ -f "$f" ] || continue
		cat "$out/fuzz/${f##*/fuzz_}.tap"
	done
}

e2e_tests() {
	echo "# end-to-end tests (host)"
	build_part e2e make -s -C tests/e2e || return 0
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		start=$(date +%s)
		tap_run "e2e ${t##*/}" "$out/e2e/${t##*/}.log" timeout 600 sh "$t"
		echo "# ${t##*/}: $(($(date +%s) - start)) s"
	done
}

kernel_tests() {
	echo "# kernel tests (VM)"
	build_part kernel make -s -C tests/kernel || return 0
	# Kernel tests drive the media layer through the e2e helper programs.
	build_part e2e make -s -C tests/e2e || return 0
	kvers=${KVERS:-$(ls build/kmod 2>/dev/null)}
	# The kernels boot side by side, to keep CI short; their TAP is printed in
	# order once both are done.
	for k in $kvers; do
		(
			rc=0
			tests/vm/run.sh "$k" sh tests/vm/kernel-tests.sh >"$out/kernel/$k.log" 2>&1 || rc=$?
			echo "$rc" >"$out/kernel/$k.rc"
		) &
	done
	wait
	for k in $kvers; do
		cat "$out/kernel/$k.log"
		rc=$(cat "$out/kernel/$k.rc")
		[ "$rc" -eq 0 ] || echo "not ok - vm $k (exit $rc)"
	done
}

# part NAME: runs NAME_tests if picked, then says how long it took.
part() {
	want "$1" || return 0
	_start=$(date +%s)
	"$1_tests"
	echo "# $1 part: $(($(date +%s) - _start)) s"
}

{
	part unit
	part fuzz
	part e2e
	part kernel
} | tee "$out/tap.log"

set -- $(tap_count "$out/tap.log")
echo
grep -aE '^not ok' "$out/tap.log" | sed 's/^/failed: /'
echo "$1 passed, $2 failed, $3 skipped"
[ "$2" -eq 0 ] && [ "$1" -gt 0 ]
