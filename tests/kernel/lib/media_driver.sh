# SPDX-License-Identifier: GPL-2.0
# Sourced after topology.sh by the tests that drive sipproxyd's media layer
# on rtpfwd.ko through build/tests/e2e/media_driver (no SIP) in the gateway:
# a kernel relay on 10.0.1.1 ports 40000-40009 learning sources, the
# driver's commands written to a fifo, its replies read from $tmp/out and
# its log from $tmp/err. Not a test itself.
#
# After sourcing: $driver, the SDP bodies $tmp/offer (caller 10.0.1.2:6000)
# and $tmp/answer (callee 10.0.2.2:7000), $tmp/conf, the callee routed to
# the relay address through the gateway, and the helpers below.

top=$(cd "$(dirname "$0")/../.." && pwd)
driver=$top/build/tests/e2e/media_driver
[ -x "$driver" ] || make -s -C "$top/tests/e2e" >/dev/null
pid=

setup
# The callee reaches the relay address through the gateway.
neigh e ve 10.0.2.1 g vge
e ip route add 10.0.1.0/24 via 10.0.2.1

cat >"$tmp/conf" <<CONF
[registrar]
database = $tmp/db
[media]
media_relay = kernel
relay_address = 10.0.1.1
port_range = 40000-40009
source_policy = learn
media_timeout = 60s
CONF
sdp() {	# sdp FILE ADDR PORT [ATTR] [VERSION]
	printf 'v=0\r\no=- 1 %s IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio %s RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n%b' \
		"${5:-1}" "$2" "$2" "$3" "${4:+$4\r\n}" >"$1"
}
sdp "$tmp/offer" 10.0.1.2 6000
sdp "$tmp/answer" 10.0.2.2 7000

# start: the driver in the gateway, commands through a fifo on fd 3.
lines=0
start() {
	rm -f "$tmp/in"
	mkfifo "$tmp/in"
	g "$driver" "$tmp/conf" <"$tmp/in" >"$tmp/out" 2>>"$tmp/err" &
	pid=$!
	bg="$bg $pid"
	exec 3>"$tmp/in"
	lines=0
}
# cmd LINE: the driver's reply to LINE in $reply.
cmd() {
	echo "$1" >&3
	_i=0
	until [ "$(grep -cE '^(ok|error)' "$tmp/out")" -gt "$lines" ]; do
		_i=$((_i + 1))
		[ $_i -lt 400 ] || fail "driver: no answer to '$1': $(cat "$tmp/err")"
		sleep 0.05
	done
	lines=$((lines + 1))
	reply=$(grep -E '^(ok|error)' "$tmp/out" | sed -n "${lines}p")
}
# ok LINE: LINE must be answered ok.
ok() {
	cmd "$1"
	case $reply in ok*) ;; *) fail "'$1': $reply; log: $(cat "$tmp/err")" ;; esac
}
flows() {	# flows COOKIE: how many flows the gateway has with it
	g awk -v c="$1" 'NR > 1 && $2 == c' /proc/net/rtpfwd/flows | wc -l
}
# packets LOCAL: the packets column of the flow on LOCAL
packets() {
	g awk -v l="$1" '$3 == l { print $8 }' /proc/net/rtpfwd/flows
}
drops() {
	g awk -v l="$1" '$3 == l { print $11 }' /proc/net/rtpfwd/flows
}

# delivered: IP packets the gateway's stack handed to a local protocol
# (counted once UDP has queued them; UDP's own InDatagrams waits for a read).
delivered() {
	g awk '/^Ip:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "InDelivers") c = i } else print $c }' \
		/proc/net/snmp
}
# last_port: the relay port of the last body the driver wrote.
last_port() {
	grep '^m=audio ' "$tmp/out" | tail -n 1 | cut -d ' ' -f 2
}

# early_logged HEXCOOKIE: the driver's early handover lines for the
# cookie, from "(cookie" on.
early_logged() {
	grep -F "(cookie $1): " "$tmp/err" | grep -F ' early packets ' | sed 's/.*media: flow [0-9]* //'
}

# early_call COOKIE: call COOKIE's callee sends 5 RTP packets as soon as it
# answers, so they reach the relay port before the answer has installed the
# flows (queued on the port's socket); once the flows exist the daemon hands
# all 5 to the kernel, whose probation drops the first: the caller gets
# exactly 4, from its relay port, and the flow counts 4 packets and 1 drop.
# Ends the call; leaves no flow of it.
early_call() {
	_cookie=$(printf %016x "$1")
	ok "call $1"
	ok "sdp 1 caller offer $tmp/offer"
	_callee_port=$(last_port)
	_before=$(delivered)
	e $rtp send 10.0.2.2:7000 "10.0.1.1:$_callee_port" 5 --seq 7000 --size 172
	poll 100 value_is $((_before + 5)) delivered ||
		fail "call $1: early RTP not queued: $(($(delivered) - _before)) of 5"
	receive c 10.0.1.2:6000 4 --timeout 30
	ok "sdp 1 callee other $tmp/answer"
	_caller_port=$(last_port)
	wait $receiver || true
	_want="packets=4 bytes=$((4 * 172)) sources=10.0.1.1:$_caller_port"
	[ "$(received 6000)" = "$_want" ] ||
		fail "call $1: early RTP: caller saw '$(received 6000)', want '$_want'"
	# The daemon logs once its raw sends returned, which may be after the
	# caller got the packets.
	poll 100 value_is "(cookie $_cookie): 5 early packets handed to it, 0 dropped" early_logged "$_cookie" ||
		fail "call $1: early handover logged '$(early_logged "$_cookie")', want one line of 5 handed, 0 dropped"
	[ "$(packets "10.0.1.1:$_callee_port")" = 4 ] ||
		fail "call $1: kernel counted $(packets "10.0.1.1:$_callee_port"), want 4"
	[ "$(drops "10.0.1.1:$_callee_port")" = 1 ] ||
		fail "call $1: kernel drops $(drops "10.0.1.1:$_callee_port"), want 1 (probation)"
	ok "end bye"
	[ "$(flows "$1")" = 0 ] || fail "call $1: after end: $(flows "$1") flows remain"
}
