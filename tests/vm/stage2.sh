#!/bin/sh
# VM init, stage 2 (on the host's tree): a minimal system, then the command
# written to /run/vm/cmd by run.sh. Its output and exit code land in the
# result share; the kernel log too, so the host can look for WARNs and oopses.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# /tmp stays the host's (through the overlay, writes land in the VM's
# tmpfs): the tree under test may itself live there.
mount -t tmpfs tmpfs /run/lock 2>/dev/null
[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo /sbin/modprobe >/proc/sys/kernel/modprobe
hostname vm
ip link set lo up

sh /run/vm/cmd >/run/vm/output 2>&1 </dev/null
echo $? >/run/vm/rc.tmp
dmesg >/run/vm/dmesg
sync
mv /run/vm/rc.tmp /run/vm/rc
sync
echo "vm-stage2: done, rc $(cat /run/vm/rc)" >/dev/console
poweroff -f
