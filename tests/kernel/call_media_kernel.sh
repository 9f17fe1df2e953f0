#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A SIP call through sipproxyd with its media in rtpfwd.ko (or, with
# CALL_MEDIA_RELAY=userspace, in its userspace relay): SIPp caller and
# callee in their own namespaces, RTP from rtp.py. The call becomes four
# flows with its handle as cookie; what the callee receives equals the
# flow's count in /proc/net/rtpfwd/flows and comes from the relay only;
# kill -9 of sipproxyd keeps media flowing, the restarted daemon adopts
# the call (an orphan flow is removed) and the caller's BYE still ends it;
# once both sides locked their RTP source, an attacker spraying the relay's
# RTP ports injects nothing and hears nothing;
# 486, CANCEL and a media timeout (BYE to both sides) leave no flow.
#
#   caller (ns c)            gateway (ns g): sipproxyd      callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060   10.0.2.1:5060 ---> 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:4000x [flows] 10.0.1.1:4000y ---> 10.0.2.2:7000
#   attacker (ns x) 10.0.3.2 --- 10.0.3.1 vgx               (routed via 10.0.2.1)
set -e
. "$(dirname "$0")/lib/topology.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
sipproxyd=$top/userspace/sipproxyd/sipproxyd
scen=$top/tests/e2e/scenarios
mode=${CALL_MEDIA_RELAY:-kernel}
x() { ip netns exec rtpfwd-x "$@"; }

gateway_setup
ip netns add rtpfwd-x
ip link add vx netns rtpfwd-x type veth peer name vgx netns rtpfwd-g
x ip addr add 10.0.3.2/24 dev vx
g ip addr add 10.0.3.1/24 dev vgx
x ip link set vx up
x ip link set lo up
g ip link set vgx up
x ip route add 10.0.1.0/24 via 10.0.3.1

# ---- SIPp scenarios: the callee answers with media to 10.0.2.2:7000 ----
sed -e 's/m=audio \[media_port\] RTP\/AVP 0/m=audio 7000 RTP\/AVP 0/' \
	-e 's/c=IN IP\[media_ip_type\] \[media_ip\]/c=IN IP4 10.0.2.2/' \
	"$scen/uas_answer.xml" >"$tmp/uas_sink.xml"
# The caller announces 10.0.1.2:6000, where rtp.py sends from and listens
# (SIPp's own media sockets stay on -mp 6100). It holds the call until the
# test sends it an INFO (hangup), not for a fixed time: how long the checks
# take under emulation varies, and a hold long enough for the slowest run
# is wasted time in every other.
sed -e 's/m=audio \[media_port\] RTP\/AVP 0/m=audio 6000 RTP\/AVP 0/' \
	-e 's|<pause/>|<recv request="INFO"/>|' "$scen/uac_call.xml" >"$tmp/uac_call.xml"
grep -q '<recv request="INFO"/>' "$tmp/uac_call.xml" || fail "uac_call.xml has no <pause/> to hold the call with"

proxy_conf() {	# proxy_conf MEDIA_TIMEOUT
	gateway_proxy_conf "$mode" 40009 "$1"
}

proxy_n=0
proxy_start() {
	proxy_n=$((proxy_n + 1))
	ip netns exec rtpfwd-g "$sipproxyd" -c "$tmp/proxy.conf" -f >>"$tmp/proxy.log" 2>&1 &
	proxy_pid=$!
	bg="$bg $proxy_pid"
	poll 600 log_has "notice: started" "$proxy_n" || fail "sipproxyd did not start: $(tail -5 "$tmp/proxy.log")"
}

log_has() {	# log_has PATTERN [COUNT]
	[ "$(grep -c -- "$1" "$tmp/proxy.log")" -ge "${2:-1}" ]
}

wait_log() {	# wait_log NAME PATTERN [COUNT]: up to 30 s
	poll 600 log_has "$2" "${3:-1}" || fail "$1: no '$2' in the proxy log: $(tail -5 "$tmp/proxy.log")"
}

callee() {	# callee SCENARIO: SIPp UAS in e, one call
	e timeout 180 sipp -sf "$1" -i 10.0.2.2 -p 5070 -m 1 -nostdin -mp 7100 \
		-trace_msg -message_file "$tmp/uas-msg.log" -trace_err -error_file "$tmp/uas.err" \
		>/dev/null 2>&1 &
	callee_pid=$!
	bg="$bg $callee_pid"
	wait_udp e 5070
}

caller() {	# caller SCENARIO [SIPP ARGS]: SIPp UAC in c to bob, in the background
	_s=$1
	shift
	c timeout 180 sipp -sf "$_s" 10.0.1.1:5060 -i 10.0.1.2 -p 5080 -s bob -key domain localhost \
		-key from dave@example.org -mi 10.0.1.2 -mp 6100 -m 1 -nostdin \
		-trace_msg -message_file "$tmp/uac-msg.log" -trace_err -error_file "$tmp/uac.err" \
		"$@" >/dev/null 2>&1 &
	caller_pid=$!
	bg="$bg $caller_pid"
}

# hangup: the INFO the caller holds the call for, with its Call-ID (SIPp
# maps a request to its call by Call-ID alone); it then sends its BYE.
hangup() {
	_callid=$(sed -n 's/^Call-ID: *//p' "$tmp/uac-msg.log" | head -n 1 | tr -d '\r')
	[ -n "$_callid" ] || fail "no Call-ID in the caller's messages"
	_info=$(printf '%s\r\n' "INFO sip:dave@10.0.1.2:5080 SIP/2.0" \
		"Via: SIP/2.0/UDP 10.0.1.2:5099;branch=z9hG4bK-hangup" \
		"From: <sip:test@10.0.1.2>;tag=hangup" "To: <sip:dave@example.org>" \
		"Call-ID: $_callid" "CSeq: 1 INFO" "Max-Forwards: 70" "Content-Length: 0" "" |
		od -An -tx1 -v | tr -d ' \n')
	c $rtp send 10.0.1.2:5099 10.0.1.2:5080 1 --raw "$_info"
}

# sdp_port FILE FIRST-LINE: the m=audio port of the last message starting FIRST-LINE.
sdp_port() {
	awk -v f="$2" 'index($0, f) == 1 {in_msg=1; next} /^(SIP\/2.0|[A-Z]+ sip:|-----)/{in_msg=0}
		in_msg && /^m=audio/{p=$2} END{print p}' "$1"
}

# cookie: the decimal handle of the latest confirmed call, as /proc prints it.
cookie() {
	python3 -c "import sys; print(int(sys.argv[1], 16))" \
		"$(grep -o 'dialog: call [0-9a-f]* confirmed' "$tmp/proxy.log" | tail -1 | cut -d' ' -f3)"
}

flows() {	# flows [COOKIE]: the gateway's flows (of COOKIE)
	g awk -v c="$1" 'NR > 1 && (c == "" || $2 == c)' /proc/net/rtpfwd/flows | wc -l
}

packets() {	# packets LOCAL: the packets column of the flow on LOCAL
	g awk -v l="$1" '$3 == l { print $8 }' /proc/net/rtpfwd/flows
}

relay_sockets() {
	g ss -Huan "sport >= :40000 and sport <= :40009" | wc -l
}

# legs_gone NAME: nothing of a call is left in the backend.
legs_gone() {
	if [ "$mode" = kernel ]; then
		poll 200 value_is 0 flows || fail "$1: $(flows) flows left: $(g cat /proc/net/rtpfwd/flows)"
	else
		poll 200 value_is 0 relay_sockets || fail "$1: $(relay_sockets) relay sockets left"
	fi
}

proxy_conf 300s
proxy_start
wait_log "backend" "notice: media: relay backend $mode"
e sipsak -U -C sip:bob@10.0.2.2:5070 -s sip:bob@localhost -p 10.0.2.1 -r 5060 -x 600 \
	>"$tmp/sipsak.log" 2>&1 || fail "bob cannot register: $(tail -3 "$tmp/sipsak.log")"
echo "ok - sipproxyd ($mode relay) runs in the gateway; bob registered from the callee ns"

# ---- the call ----
callee "$tmp/uas_sink.xml"
caller "$tmp/uac_call.xml"
wait_log "answer" "dialog: call [0-9a-f]* confirmed"
to_caller=$(sdp_port "$tmp/uac-msg.log" "SIP/2.0 200")
to_callee=$(sdp_port "$tmp/uas-msg.log" "INVITE sip:")
[ -n "$to_caller" ] && [ -n "$to_callee" ] || fail "relay ports not found: '$to_caller' '$to_callee'"
[ "$to_caller" -ge 40000 ] && [ "$to_caller" -le 40009 ] && [ "$to_callee" -ge 40000 ] &&
	[ "$to_callee" -le 40009 ] || fail "relay ports $to_caller/$to_callee outside port_range"
if [ "$mode" = kernel ]; then
	call=$(cookie)
	[ "$(flows "$call")" = 4 ] || fail "$(flows "$call") flows with the call's cookie, want 4"
fi
echo "ok - both SDP bodies announce relay ports ($to_caller, $to_callee)"

receive e 10.0.2.2:7000 49 --timeout 60
c $rtp send 10.0.1.2:6000 10.0.1.1:$to_caller 50 --size 172
expect_received "caller to callee" 10.0.2.2:7000 49 $((49 * 172)) 10.0.1.1:$to_callee
if [ "$mode" = kernel ]; then
	poll 200 value_is 49 packets 10.0.1.1:$to_caller ||
		fail "/proc counts $(packets 10.0.1.1:$to_caller) packets, the callee got 49"
fi
echo "ok - the caller's RTP reaches the callee from the relay only, counts equal the flow's"

receive c 10.0.1.2:6000 30 --timeout 60
e $rtp send 10.0.2.2:7000 10.0.1.1:$to_callee 31 --size 172
expect_received "callee to caller" 10.0.1.2:6000 30 $((30 * 172)) 10.0.1.1:$to_caller
echo "ok - the callee's RTP reaches the caller from the relay only"

# ---- an attacker sprays the relay's RTP ports once both sides locked ----
# (source_policy learn locks onto the first source: a port nobody sent to
# yet, RTCP here, would be the attacker's.) The callee listens from before
# the spray and then takes exactly the caller's next 20 packets: a sprayed
# packet (100 bytes, not 172) that got through would be among them, since
# the relay handles a port's datagrams in order; the kernel counts each
# sprayed packet as dropped.
drops() {	# drops LOCAL: the drops column of the flow on LOCAL
	g awk -v l="$1" '$3 == l { print $11 }' /proc/net/rtpfwd/flows
}
if [ "$mode" = kernel ]; then
	drops_caller=$(drops 10.0.1.1:$to_caller)
	drops_callee=$(drops 10.0.1.1:$to_callee)
fi
receive e 10.0.2.2:7000 20 --timeout 60
for p in $to_caller $to_callee; do
	x $rtp send 10.0.3.2:9000 10.0.1.1:$p 20 --seq 7000 --size 100
done
if [ "$mode" = kernel ]; then
	poll 200 value_is $((drops_caller + 20)) drops 10.0.1.1:$to_caller ||
		fail "the flow on $to_caller dropped $(($(drops 10.0.1.1:$to_caller) - drops_caller)) sprayed packets, want 20"
	poll 200 value_is $((drops_callee + 20)) drops 10.0.1.1:$to_callee ||
		fail "the flow on $to_callee dropped $(($(drops 10.0.1.1:$to_callee) - drops_callee)) sprayed packets, want 20"
fi
x $rtp recv 10.0.3.2:9000 0 --timeout 4 >"$tmp/attacker" &
bg="$bg $!"
wait_udp x 9000
c $rtp send 10.0.1.2:6000 10.0.1.1:$to_caller 20 --seq 1050 --size 172
expect_received "caller to callee after the spray" 10.0.2.2:7000 20 $((20 * 172)) 10.0.1.1:$to_callee
receive c 10.0.1.2:6000 20 --timeout 60
e $rtp send 10.0.2.2:7000 10.0.1.1:$to_callee 20 --seq 1031 --size 172
expect_received "callee to caller after the spray" 10.0.1.2:6000 20 $((20 * 172)) 10.0.1.1:$to_caller
poll 200 grep -q "^packets=" "$tmp/attacker" || fail "the attacker's receiver did not finish"
case $(cat "$tmp/attacker") in packets=0*) ;; *) fail "the attacker heard media: $(cat "$tmp/attacker")" ;; esac
echo "ok - an attacker spraying the relay ports injects nothing and hears nothing"

if [ "$mode" = kernel ]; then
	# ---- kill -9 and restart mid-call ----
	g "$bin" flow add local 10.0.1.1:40008 out 10.0.1.1:40009 peer 10.0.2.2:7100 cookie 77 >/dev/null
	kill -9 "$proxy_pid"
	wait "$proxy_pid" 2>/dev/null || true
	[ "$(flows "$call")" = 4 ] || fail "after kill -9: $(flows "$call") flows, want 4"
	receive e 10.0.2.2:7000 20 --timeout 60
	c $rtp send 10.0.1.2:6000 10.0.1.1:$to_caller 20 --seq 1070 --size 172
	expect_received "after kill -9" 10.0.2.2:7000 20 $((20 * 172)) 10.0.1.1:$to_callee
	echo "ok - kill -9 of sipproxyd leaves the call's media flowing"
	proxy_start
	wait_log "adoption" "dialog: call [0-9a-f]* adopted"
	[ "$(flows "$call")" = 4 ] || fail "after restart: $(flows "$call") flows, want 4"
	[ "$(flows 77)" = 0 ] || fail "the orphan flow (cookie 77) was not removed"
	echo "ok - the restarted sipproxyd adopts the call and removes an orphan flow"
fi

# The caller hangs up; the restarted daemon knows the dialog.
hangup
wait "$caller_pid" || fail "the caller's side failed: $(tail -3 "$tmp/uac.err" 2>/dev/null)"
wait "$callee_pid" || fail "the callee's side failed: $(tail -3 "$tmp/uas.err" 2>/dev/null)"
wait_log "bye" "dialog: call [0-9a-f]* ended (bye)"
legs_gone "BYE"
echo "ok - the caller's BYE ends the call and removes every flow"

# ---- 486 and CANCEL ----
callee "$scen/uas_busy.xml"
caller "$scen/uac_busy.xml"
wait "$caller_pid" || fail "486 did not reach the caller"
wait_log "486" "dialog: call [0-9a-f]* ended (failed)"
legs_gone "486"
callee "$scen/uas_ring_cancel.xml"
caller "$scen/uac_cancel.xml"
wait "$caller_pid" || fail "the CANCEL call failed on the caller's side"
wait_log "cancel" "media: call ended (cancel)"
legs_gone "CANCEL"
echo "ok - 486 and CANCEL leave no flow"

# ---- media timeout ----
kill "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true
proxy_conf 2s
proxy_start
callee "$tmp/uas_sink.xml"
caller "$tmp/uac_call.xml"
wait_log "timeout" "dialog: call [0-9a-f]* ended (media timeout)"
wait "$callee_pid" || fail "the callee did not get the proxy's BYE"
poll 200 grep -q "^BYE sip:10.0.1.2:5080" "$tmp/uac-msg.log" || fail "the caller got no BYE"
legs_gone "media timeout"
echo "ok - a silent call is ended with BYE to both sides and leaves no flow"
