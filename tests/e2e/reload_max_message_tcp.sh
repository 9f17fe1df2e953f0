#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A reload (SIGHUP) that raises max_message_size must not let a TCP
# connection read past its receive buffer, which was sized for the old
# limit: sipproxyd keeps the first limit until a restart (see
# transport_reload), so after raising it from 1500 to 8000 bytes a
# 4000-byte message closes the connection it came on, whether that
# connection was opened before the reload or after, and the proxy goes on
# answering messages within the old limit. On a stream, a message over
# the limit closes its connection: sipproxyd answers no 513 (RFC 3261
# 21.5.14) there, as it does not read the rest of such a message. Each
# outcome is asserted exactly (the status code, or "closed") and counted.
#
#   conn A (opened before the reload) --\
#   conn B, C (opened after)  ------------ sipproxyd 127.0.0.1:PORT (tcp)
#                                           max_message_size 1500 -> SIGHUP -> 8000
set -e
PORT=26260
. "$(dirname "$0")/lib/sip.sh"
need python3
stream_conn="python3 $top/tests/e2e/lib/stream_conn.py 127.0.0.1 $PORT"

# send_on_a SIZE: an OPTIONS of SIZE bytes on connection A; its outcome in $got.
a_sent=0
send_on_a() {
	echo "$1" >&3
	a_sent=$((a_sent + 1))
	_i=0
	until [ "$(wc -l <"$dir/a.out")" -ge $a_sent ]; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || break
		sleep 0.05
	done
	got=$(sed -n "${a_sent}p" "$dir/a.out")
}

# send_on_new SIZE: the same on a connection of its own.
send_on_new() {
	echo "$1" | $stream_conn
}

proxy_start "[limits]" "max_message_size = 1500"
mkfifo "$dir/a.in"
$stream_conn <"$dir/a.in" >"$dir/a.out" &
pids="$pids $!"
exec 3>"$dir/a.in"
send_on_a 1400
check_eq "before the reload, 1400 bytes on connection A are answered" 200 "$got"

sed -i 's/^max_message_size = 1500$/max_message_size = 8000/' "$dir/proxy.conf"
kill -HUP "$proxy_pid"
check "the proxy reloaded the raised limit" wait_log "notice: reloaded"
send_on_a 4000
check_eq "4000 bytes on connection A, opened before the reload, close it" closed "$got"
exec 3>&-
check_eq "4000 bytes on connection B, opened after the reload, close it too" \
	closed "$(send_on_new 4000)"
check_eq "1400 bytes on connection C are still answered" 200 "$(send_on_new 1400)"
stats
check_eq "both closures are counted as too large" 2 "$(counter too_large)"
check_eq "no framing errors" 0 "$(counter framing)"
check_eq "the proxy took only the two requests within the old limit" 2 "$(counter requests)"
[ "$failed" = 0 ]
