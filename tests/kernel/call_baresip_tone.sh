#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two real phones talk through sipproxyd with their media in rtpfwd.ko (or,
# with CALL_MEDIA_RELAY=userspace, in its userspace relay): baresip alice
# plays a 1 kHz tone, baresip bob answers with a 440 Hz one, and sox checks
# what each decoded. Both phones register with sipproxyd through the
# gateway address facing them (their outbound proxy); alice dials
# sip:bob@localhost and, once each phone decoded 4 s of the other's tone,
# is told on its console to quit, which hangs up (BYE). The call lasts as
# long as the checks made during it need, however slow the VM.
#
#   alice (ns c)                  gateway (ns g): sipproxyd           bob (ns e)
#   SIP 10.0.1.2:5080 <---> 10.0.1.1:5060       10.0.2.1:5060 <---> 10.0.2.2:5070
#   RTP 10.0.1.2:6000 <---> 10.0.1.1:4000x [flows]  10.0.1.1:4000y <---> 10.0.2.2:7000
#       RTCP on the port above each RTP port     (bob routes 10.0.1.0/24 via 10.0.2.1)
#   1 kHz tone ---------------------------------------------------------> heard by bob
#   heard by alice <----------------------------------------------------- 440 Hz tone
#
# Asserted: each phone hears the relay's RTP ports only, and sipproxyd
# holds those 4 ports; in kernel mode the call's cookie has 4 flows (RTP
# and RTCP each way), and each RTP one counted at least the 200 packets the
# far phone decoded through it; the BYE leaves no flow and no relay
# socket; each phone decoded 90 % or more of what the other encoded, at
# the other's frequency and loud throughout; and what a phone decoded <=
# what the relay forwarded <= what the other phone sent.
# About 10 s per kernel in the VM on an idle host (30-40 s on a busy one).
set -e
. "$(dirname "$0")/lib/topology.sh"
. "$(dirname "$0")/lib/baresip.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
sipproxyd=$top/userspace/sipproxyd/sipproxyd
mode=${CALL_MEDIA_RELAY:-kernel}
# Packets (20 ms each) each phone decodes before alice hangs up.
talk=200

# On failure, what the proxy and the phones said last, as TAP comments;
# the phones are killed outright, not left to unregister from a proxy
# the cleanup stops at the same time.
fail() {
	echo "not ok - $*"
	kill -9 $bob $alice 2>/dev/null || true
	for _log in proxy alice bob; do
		[ -f "$tmp/$_log.log" ] || continue
		echo "# --- $_log.log"
		tail -n 12 "$tmp/$_log.log" | tr -d '\033' | sed 's/^/# /'
	done
	exit 1
}

command -v baresip >/dev/null && command -v sox >/dev/null ||
	{ echo "# SKIP baresip or sox missing (scripts/install-deps.sh check)"; exit 4; }

# Longer than any call that passes (aufile plays its file once, and the
# call ends at its end); made while the namespaces are set up.
tone "$tmp/1000.wav" 1000 40 &
tone1000=$!
tone "$tmp/440.wav" 440 40 &
tone440=$!
gateway_setup
gateway_proxy_conf "$mode" 40009
ip netns exec rtpfwd-g "$sipproxyd" -c "$tmp/proxy.conf" -f >"$tmp/proxy.log" 2>&1 &
proxy=$!
bg="$bg $proxy"

# The gateway's /proc/net, through sipproxyd's own view: `ip netns exec`
# costs half a second in the VM, too slow to poll with.
gw_net=/proc/$proxy/net

log_has() {	# log_has PATTERN
	grep -q -- "$1" "$tmp/proxy.log"
}

wait_log() {	# wait_log NAME PATTERN: up to 30 s
	poll 600 log_has "$2" || fail "$1: no '$2' in the proxy log: $(tail -5 "$tmp/proxy.log")"
}

flows() {	# flows [COOKIE]: the gateway's flows (of COOKIE)
	awk -v c="$1" 'NR > 1 && (c == "" || $2 == c)' "$gw_net/rtpfwd/flows" | wc -l
}

# relay_sockets: UDP sockets on the relay's ports 40000-40009 (9C40-9C49)
# in the gateway; sipproxyd holds one per port it reserved, in either mode.
relay_sockets() {
	awk 'NR > 1 { p = substr($2, index($2, ":") + 1); if (p >= "9C40" && p <= "9C49") n++ }
		END { print n + 0 }' "$gw_net/udp"
}

# Predicates for poll, which runs its command anew each time (a "$(...)"
# in its arguments would be expanded once, before the first try).
no_flows() {
	[ "$(flows)" = 0 ]
}

no_relay_sockets() {
	[ "$(relay_sockets)" = 0 ]
}

wait_log "start" "notice: started"
wait_log "backend" "notice: media: relay backend $mode"
wait $tone1000 && wait $tone440 || fail "sox cannot make the tones"

phone_conf bob 10.0.2.2:5070 7000-7001 "$tmp/440.wav" \
	'<sip:bob@localhost>;outbound="sip:10.0.2.1:5060";regint=600;answermode=auto'
phone_conf alice 10.0.1.2:5080 6000-6001 "$tmp/1000.wav" \
	'<sip:alice@localhost>;outbound="sip:10.0.1.1:5060";regint=600'
phone bob e 10.0.2.2
bob=$phone_pid
wait_phone "bob registers" bob "bob@localhost: .* 200 OK"
echo "ok - sipproxyd ($mode relay) runs in the gateway; bob registered from the callee ns"

phone alice c 10.0.1.2 -e "/dial sip:bob@localhost"
alice=$phone_pid
wait_log "answer" "dialog: call [0-9a-f]* confirmed"
call=$(grep -o 'dialog: call [0-9a-f]* confirmed' "$tmp/proxy.log" | cut -d' ' -f3)

# heard_from NAME: where the phone's RTP comes from, once it logged it.
heard_from() {
	sed -n "s/.*incoming rtp for 'audio' established, receiving from \([0-9.:]*\).*/\1/p" \
		"$tmp/$1.log"
}
for p in alice bob; do
	wait_phone "$p hears" $p "incoming rtp for 'audio' established"
	case $(heard_from $p) in
	10.0.1.1:4000[02468]) ;;
	*) fail "$p hears RTP from '$(heard_from $p)', not from a relay RTP port" ;;
	esac
done
[ "$(relay_sockets)" = 4 ] || fail "mid-call: $(relay_sockets) relay sockets, want 4 (2 legs, RTP and RTCP)"
echo "ok - both phones hear RTP from the relay's ports only"

talked() {
	[ "$(decoded alice)" -ge $talk ] && [ "$(decoded bob)" -ge $talk ]
}
poll 600 talked || fail "in 30 s alice decoded $(decoded alice) packets, bob $(decoded bob), want $talk"
echo "# each phone decoded $talk packets or more: alice $(decoded alice), bob $(decoded bob)"

if [ "$mode" = kernel ]; then
	cookie=$(printf '%u' "0x$call")	# as /proc prints it
	# busy_rtp: the call's flows on an even (RTP) port that forwarded at
	# least the $talk packets the far phone already decoded from them.
	busy_rtp() {
		awk -v c="$cookie" -v n=$talk 'NR > 1 && $2 == c && $3 ~ /[02468]$/ && $8 >= n' \
			"$gw_net/rtpfwd/flows" | wc -l
	}
	[ "$(flows "$cookie")" = 4 ] ||
		fail "$(flows "$cookie") flows with the call's cookie, want 4: $(cat "$gw_net/rtpfwd/flows")"
	[ "$(busy_rtp)" = 2 ] ||
		fail "mid-call, $(busy_rtp) RTP flows have $talk+ packets, want 2: $(cat "$gw_net/rtpfwd/flows")"
	echo "ok - mid-call: 4 flows with the call's cookie, each RTP one at $talk packets or more"
fi

phone_say c 10.0.1.2 /quit
wait "$alice" || fail "alice's baresip failed: $(tail -c 400 "$tmp/alice.log")"
wait_log "bye" "dialog: call $call ended (bye)"
if [ "$mode" = kernel ]; then
	poll 200 no_flows || fail "after BYE: $(flows) flows left: $(cat "$gw_net/rtpfwd/flows")"
fi
poll 200 no_relay_sockets || fail "after BYE: $(relay_sockets) relay sockets left"
wait_phone "bob hears the BYE" bob "terminated"
kill "$bob"
wait "$bob" || true
echo "ok - alice's BYE ends the call and leaves nothing in the relay"

# heard NAME PEER HZ: NAME decoded PEER's tone (of HZ). Sets $sent_PEER
# and $got_NAME, in packets of 160 samples.
heard() {
	_dec=$(dump "$1" dec) || fail "$1 left no decoded dump: $(ls "$tmp/$1")"
	_enc=$(dump "$2" enc) || fail "$2 left no encoded dump: $(ls "$tmp/$2")"
	_sent=$(samples "$_enc")
	set -- "$1" "$2" "$3" $(measure "$_dec")
	echo "# $1 decoded $4 samples of the $_sent $2 encoded: ~$6 Hz, RMS $5"
	eval "sent_$2=$((_sent / 160)) got_$1=$(($4 / 160))"
	# RTP flows from the first packets to the BYE: the decoder misses the
	# first packet (the relay's probation), those sent before the flows
	# existed and the 5-10 its jitter buffer holds at the BYE: some 15 of
	# the 200-250 packets of this call.
	[ "$4" -ge $((_sent * 9 / 10)) ] || fail "$1 decoded $4 samples, $2 encoded $_sent"
	# G.711 noise moves sox's estimate well under 1 %; 5 % leaves room for
	# a few clicks where a packet was late, yet 1000 and 440 Hz, or any
	# mix of the two, stay far apart.
	within "$6" "$(rough_hz "$3")" 5 ||
		fail "$1 heard ~$6 Hz, want $(rough_hz "$3") (sox's reading of $3 Hz) +- 5 %"
	# Half full scale is RMS 0.354 (0.355 after G.711) and nothing louder
	# was sent; 0.316 = 0.354 * sqrt(0.8): the tone filled 80 % or more
	# of the recording.
	at_least "$5" 0.316 || fail "$1's recording has RMS $5, want >= 0.316"
}
heard bob alice 1000
heard alice bob 440
echo "ok - bob heard alice's 1 kHz and alice heard bob's 440 Hz, loud throughout"

# Every packet a phone decoded crossed the relay, and the relay forwarded
# no more than the other phone sent. Neither is an equality: the jitter
# buffer may drop late packets or still hold some at the BYE, and packets
# in flight at the BYE are not forwarded.
for leg in "caller $sent_alice $got_bob" "callee $sent_bob $got_alice"; do
	set -- $leg
	fwd=$(sed -n "s/.*media: leg $1 stream 0: packets=\([0-9]*\) .*/\1/p" "$tmp/proxy.log")
	echo "# $1 leg: sent $2 packets, the relay forwarded $fwd, the other side decoded $3"
	[ -n "$fwd" ] && [ "$3" -le "$fwd" ] && [ "$fwd" -le "$2" ] ||
		fail "$1 leg: sent $2 packets, the relay forwarded '$fwd', the other side decoded $3"
done
echo "ok - each phone decoded no more than the relay forwarded, which sent no more than the other phone"
