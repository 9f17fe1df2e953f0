#!/bin/busybox sh
# VM init, stage 1 (in the initramfs): mount the host's / read-only over 9p
# under a writable tmpfs overlay, mount the result share, and switch to stage 2
# on the host's own tree.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
	echo "vm-stage1: $*" >/dev/console
	poweroff -f
}

while read -r m; do
	insmod "/lib/modules/$m.ko" || fail "insmod $m failed"
done </load.order

mkdir -p /ro /rw
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /ro ||
	fail "mounting the host root failed"
mount -t tmpfs -o size=75% tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/ro,upperdir=/rw/upper,workdir=/rw/work /newroot ||
	fail "overlay mount failed"
mkdir -p /newroot/run/vm
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 result /newroot/run/vm ||
	fail "mounting the result share failed"
umount /proc /sys /dev
exec switch_root /newroot /bin/sh /run/vm/stage2.sh
