#!/bin/sh
# Mirrors the module sources into a per-kernel build directory as symlinks, so
# that builds for several kernels do not overwrite each other's objects.
# Usage: shadow-tree.sh SRC_TOP BUILD_DIR
set -eu
src=$1
dst=$2

mkdir -p "$dst/kmod"
ln -sfn "$src/Kbuild" "$dst/Kbuild"
ln -sfn "$src/include" "$dst/include"
# Drop links whose source file is gone, then link every current source.
for l in "$dst"/kmod/*; do
	[ -L "$l" ] && [ ! -e "$l" ] && rm -f "$l"
done
for f in "$src"/kmod/*; do
	case "$f" in
	*.c | *.h | */Kbuild) ln -sfn "$f" "$dst/kmod/${f##*/}" ;;
	esac
done
# Subdirectories (selftest/) are mirrored one level deep the same way.
for d in "$src"/kmod/*/; do
	[ -d "$d" ] || continue
	n=$(basename "$d")
	mkdir -p "$dst/kmod/$n"
	for f in "$d"*.c "$d"*.h; do
		[ -e "$f" ] && ln -sfn "$f" "$dst/kmod/$n/${f##*/}"
	done
done
exit 0
