#!/bin/sh
# Builds the VM's initramfs for kernel KVER: static busybox, the modules that
# mount the host's root over 9p under a tmpfs overlay, and init (stage1.sh).
# Usage: mkinitramfs.sh KVER OUT.cpio.gz
set -eu
kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
moddir=/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || { echo "mkinitramfs: no modules for $kver (install linux-image-$kver)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/lib/modules" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/newroot"
cp /bin/busybox "$tmp/bin/busybox"
cp "$here/stage1.sh" "$tmp/init"
chmod 0755 "$tmp/init"

# Resolve each wanted module and its dependencies from modules.dep, in load
# order; modules built into this kernel are simply absent and skipped.
: >"$tmp/load.order"
deps_of() {
	awk -v m="$1" -F': *' '{ n = $1; sub(".*/", "", n); sub("\\.ko(\\.[a-z]+)?$", "", n) }
		n == m { print $0; exit }' "$moddir/modules.dep"
}
add_module() {
	local line dep d path
	grep -qx "$1" "$tmp/load.order" && return 0
	line=$(deps_of "$1")
	[ -n "$line" ] || return 0
	for dep in ${line#*:}; do
		d=${dep##*/}
		add_module "${d%%.ko*}"
	done
	path=${line%%:*}
	case "$path" in
	*.xz) xz -dc "$moddir/$path" >"$tmp/lib/modules/$1.ko" ;;
	*.zst) zstd -qdc "$moddir/$path" >"$tmp/lib/modules/$1.ko" ;;
	*) cp "$moddir/$path" "$tmp/lib/modules/$1.ko" ;;
	esac
	echo "$1" >>"$tmp/load.order"
}
for m in virtio_pci 9pnet_virtio 9p overlay; do
	add_module "$m"
done

mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
