#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sipproxyd's media layer with the userspace relay on loopback, driven by
# media_driver (no SIP): the offer and answer are rewritten to relay ports
# from port_range; RTP from the caller reaches the callee from the callee
# leg's port after probation (one packet); a stranger spraying the relay
# port injects nothing; call end logs the leg's exact counters; a branch
# that loses frees its ports at once and exhaustion answers 503.
#
#   caller 127.0.0.1:46000 -> X [relay, 127.0.0.1:47300-47307] Y -> callee 127.0.0.1:46100
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
make -s -C "$top/tests/e2e" >/dev/null
driver=$top/build/tests/e2e/media_driver
rtp="python3 $top/tests/kernel/rtp.py"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	exec 3>&- 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "not ok - $*"
	echo "# driver log:"; sed 's/^/# /' "$tmp/err"
	exit 1
}

cat >"$tmp/conf" <<CONF
[registrar]
database = $tmp/db
[media]
media_relay = userspace
relay_address = 127.0.0.1
port_range = 47300-47307
media_timeout = 30s
CONF
sdp() {	# sdp FILE ADDR PORT
	printf 'v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio %s RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n' "$2" "$2" "$3" >"$1"
}
sdp "$tmp/offer" 127.0.0.1 46000
sdp "$tmp/answer" 127.0.0.1 46100

mkfifo "$tmp/in"
"$driver" "$tmp/conf" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
lines=0
# cmd LINE: send a command, wait for its "ok"/"error" line, put it in $reply
# (no subshell, so $lines keeps counting).
cmd() {
	echo "$1" >&3
	i=0
	until [ "$(grep -cE '^(ok|error)' "$tmp/out")" -gt "$lines" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "no answer to '$1'"
		sleep 0.05
	done
	lines=$((lines + 1))
	reply=$(grep -E '^(ok|error)' "$tmp/out" | sed -n "${lines}p")
}
# ok LINE: the command must succeed.
ok() {
	cmd "$1"
	case $reply in ok*) ;; *) fail "'$1': $reply" ;; esac
}
# port_of N: the m= port of the Nth body printed.
port_of() {
	awk -v n="$1" '/^ok body /{b++} b == n && /^m=audio/{print $2; exit}' "$tmp/out"
}

grep -q "media: relay backend userspace" "$tmp/err" 2>/dev/null || sleep 0.2
grep -q "media: relay backend userspace" "$tmp/err" || fail "backend not logged"
ok "call 7"
ok "sdp 1 caller offer $tmp/offer"
ok "sdp 1 callee other $tmp/answer"
to_callee=$(port_of 1)	# where the callee sends: the callee leg (Y)
to_caller=$(port_of 2)	# where the caller sends: the caller leg (X)
[ "$to_callee" = 47302 ] && [ "$to_caller" = 47300 ] || fail "relay ports $to_caller/$to_callee, want 47300/47302"
grep -q '^c=IN IP4 127.0.0.1' "$tmp/out" || fail "c= not rewritten"
echo "ok - offer and answer rewritten to relay ports from port_range"

# listening 127.0.0.1:PORT: waits (5 s at most) until a UDP socket is bound
# there, so no packet is sent before the receiver can take it.
listening() {
	i=0
	until [ -n "$(ss -Hlun "src 127.0.0.1:$1")" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "nothing listens on 127.0.0.1:$1"
		sleep 0.05
	done
}

$rtp recv 127.0.0.1:46100 49 --timeout 10 >"$tmp/recv" &
r=$!
listening 46100
$rtp send 127.0.0.1:46000 127.0.0.1:$to_caller 50 --size 172
wait $r || fail "receiver: $(cat "$tmp/recv")"
want="packets=49 bytes=$((49 * 172)) sources=127.0.0.1:$to_callee"
[ "$(cat "$tmp/recv")" = "$want" ] || fail "receiver saw '$(cat "$tmp/recv")', want '$want'"
echo "ok - caller RTP relayed from the callee leg after probation"

$rtp recv 127.0.0.1:46100 0 --timeout 1 >"$tmp/recv2" &
r=$!
listening 46100
$rtp send 127.0.0.1:46050 127.0.0.1:$to_caller 40 --seq 2000
$rtp send 127.0.0.1:46000 127.0.0.1:$to_caller 0
wait $r || true
case $(cat "$tmp/recv2") in packets=0*) ;; *) fail "spray got through: $(cat "$tmp/recv2")" ;; esac
echo "ok - a stranger spraying the relay port injects nothing"

cmd "sdp 2 caller offer $tmp/offer"
case $reply in error*) fail "second branch refused: $reply" ;; esac
cmd "sdp 3 caller offer $tmp/offer"
[ "$reply" = "error 503 30 no relay ports left" ] || fail "exhaustion: '$reply', want 503"
grep -q 'media: port range exhausted (4 pairs)' "$tmp/err" || fail "exhaustion not logged"
ok "lost 2"
cmd "sdp 3 caller offer $tmp/offer"
case $reply in error*) fail "ports of the lost branch not freed: $reply" ;; esac
echo "ok - exhaustion answers 503 Retry-After 30; a lost branch frees its ports at once"

ok "end bye"
grep -q 'call-7: media: leg caller stream 0: packets=49 bytes=8428 rtcp_packets=0 rtcp_bytes=0 lost=0 jitter=[0-9]* drops=41 (source=40 probation=1 payload_type=0 malformed=0 no_route=0 nomem=0 xmit=0)' "$tmp/err" ||
	fail "leg stats line missing or wrong: $(grep 'leg caller' "$tmp/err")"
grep -q 'call-7: media: call ended (bye)' "$tmp/err" || fail "end not logged"
echo "ok - call end logs the caller leg's exact counters"
ok quit
wait $pid
pid=
