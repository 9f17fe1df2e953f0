#!/bin/sh
# make bench: boots the VM (TCG; compare modes only within one run) and runs
# one benchmark inside it, printing its table.
#   bench/run.sh [NAME] [KVER]    NAME: rtp-forward (default); KVER: the newest
#                                 kernel the module was built for
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-rtp-forward}
kver=${2:-$(ls "$top/build/kmod" | sort -V | tail -n 1)}
[ -x "$top/bench/$name.sh" ] || { echo "bench: no benchmark bench/$name.sh" >&2; exit 2; }
echo "# bench/$name.sh on $kver, $(date -u +%Y-%m-%d), qemu TCG, $(nproc) host cores"
cd "$top"
exec tests/vm/run.sh "$kver" sh "bench/$name.sh"
