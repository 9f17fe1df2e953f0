#!/bin/sh
# Extracts kselftest_harness.h and kselftest.h from Debian's linux-source-6.1
# tarball into DIR (default build/kselftest), once. They are not vendored.
set -eu
dir=${1:-build/kselftest}
[ -f "$dir/kselftest_harness.h" ] && [ -f "$dir/kselftest.h" ] && exit 0
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "kselftest-headers: install linux-source-6.1" >&2; exit 1; }
top=$(basename "$tarball" .tar.xz)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h"
mkdir -p "$dir"
cp "$tmp/$top/tools/testing/selftests/kselftest_harness.h" \
	"$tmp/$top/tools/testing/selftests/kselftest.h" "$dir/"
