#!/bin/sh
# make run: load rtpfwd.ko when this kernel can load modules, then start
# sipproxyd in the foreground on the default configuration.
# Usage: scripts/run.sh PATH/TO/rtpfwd.ko
set -eu
ko=$1
top=$(cd "$(dirname "$0")/.." && pwd)
conf=${SIPPROXYD_CONF:-$top/etc/sipproxyd.conf}

load_module() {
	if [ ! -e /proc/modules ]; then
		echo "run: this kernel cannot load modules; media will be relayed in userspace"
		return 0
	fi
	if grep -q '^rtpfwd ' /proc/modules; then
		echo "run: rtpfwd already loaded"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "run: not root, not loading $ko; media will be relayed in userspace"
		return 0
	fi
	if [ ! -f "$ko" ]; then
		echo "run: $ko was not built (no headers for $(uname -r)?); userspace relay"
		return 0
	fi
	if insmod "$ko"; then
		echo "run: loaded $ko"
	else
		echo "run: insmod $ko failed; media will be relayed in userspace"
	fi
}

load_module
# The registrar's default database lives here (sipproxyd.conf(5)).
[ "$(id -u)" = 0 ] && mkdir -p -m 0750 /var/lib/sipproxy
daemon=$top/userspace/sipproxyd/sipproxyd
if [ ! -x "$daemon" ]; then
	echo "run: sipproxyd is not built yet; nothing more to start"
	exit 0
fi
if [ -f "$conf" ]; then
	exec "$daemon" -f -c "$conf"
fi
exec "$daemon" -f
