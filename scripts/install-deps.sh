#!/bin/sh
# Installs the Debian 12 packages that building, running and testing sipproxy need.
# Idempotent: does nothing (and needs no network) when everything is present.
# Usage: scripts/install-deps.sh [run|check|bench]
#   run = build + run, check = also test deps, bench = also benchmark peers (Kamailio)
set -eu

mode=${1:-check}

run_pkgs="make gcc libc6-dev pkg-config libmnl-dev libssl-dev libsqlite3-dev libc-ares-dev kmod xz-utils
	linux-headers-amd64 iproute2"
check_pkgs="$run_pkgs clang libclang-rt-14-dev qemu-system-x86 busybox-static cpio
	linux-image-amd64 linux-source-6.1 python3 sip-tester sipsak nftables dnsmasq-base openssl
	baresip-core sox libsox-fmt-base linphone-cli"
# bench/sip-proxy.sh compares sipproxyd with Kamailio; never needed by make check.
bench_pkgs="$check_pkgs kamailio"

backports=/etc/apt/sources.list.d/sipproxy-backports.sources

need_root() {
	[ "$(id -u)" = 0 ] && return 0
	echo "install-deps: missing packages ($*); run as root or install them" >&2
	exit 1
}

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			printf '%s ' "$p"
	done
}

add_backports() {
	[ -e "$backports" ] && return 0
	cat >"$backports" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_updated=
}

# The newest 6.12 kernel from bookworm-backports whose image and headers both exist.
newest_612() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\) .*/\1/p' | sort -V |
		while read -r v; do
			apt-cache show "linux-image-$v" >/dev/null 2>&1 && echo "$v"
		done | tail -n 1
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	apt-get update -qq
	apt_updated=1
}

installed_612() {
	dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.12.*-amd64' 2>/dev/null |
		awk '/install ok installed/ { sub("linux-headers-", "", $1); print $1 }' | sort -V | tail -n 1
}

case "$mode" in
run) pkgs=$run_pkgs ;;
check) pkgs=$check_pkgs ;;
bench) pkgs=$bench_pkgs ;;
*) echo "usage: $0 [run|check|bench]" >&2; exit 2 ;;
esac

todo=$(missing $pkgs)
if [ -n "$todo" ]; then
	need_root $todo
	export DEBIAN_FRONTEND=noninteractive
	apt_update
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $todo
fi

if [ "$mode" != run ] && [ -z "$(installed_612)" ]; then
	need_root "linux 6.12 from bookworm-backports"
	export DEBIAN_FRONTEND=noninteractive
	add_backports
	apt_update
	v=$(newest_612)
	[ -n "$v" ] || { echo "install-deps: no 6.12 kernel in bookworm-backports" >&2; exit 1; }
	apt-get install -y -qq --no-install-recommends -t bookworm-backports \
		"linux-image-$v" "linux-headers-$v"
fi
