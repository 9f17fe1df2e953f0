#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sipproxyd's media layer on rtpfwd.ko, driven by media_driver (no SIP):
# a call's two legs become four kernel flows with the call handle as
# cookie, learning from each side's SDP address (the EXPECT hint); RTP
# from the caller reaches the callee from the callee leg, and
# the kernel's counts equal what arrived; a stranger spraying the relay
# port injects nothing; a sendonly hold and resume mid-stream lose no
# packet; a hold with c=0.0.0.0 removes the flows towards the
# held side and a resume restores them; kill -9 of the driver leaves media
# flowing; a restarted driver adopts the call, removes an orphan flow, and
# ending the call removes every flow. A second call's RTP that the callee
# sends before its answer is through (queued on the relay port's socket)
# reaches the caller once the answer installs the flows, judged by the
# kernel (probation drops the first). A third call whose FLOW_NEW_MANY meets a
# taken LOCAL in its last flow is refused with no flow left behind, and
# one that meets max_flows gets 503 with Retry-After.
#
#   caller (ns c)          gateway (ns g): media_driver      callee (ns e)
#   10.0.1.2:6000 ------> X 10.0.1.1 [rtpfwd flows] 10.0.1.1 Y ------> 10.0.2.2:7000
#   10.0.1.3 (stranger)                                     (routed via 10.0.2.1)
set -e
. "$(dirname "$0")/lib/topology.sh"
. "$(dirname "$0")/lib/media_driver.sh"

sdp "$tmp/hold" 0.0.0.0 7000 a=sendonly 4
sdp "$tmp/hold_ok" 10.0.1.2 6000 a=recvonly 4
sdp "$tmp/resume" 10.0.2.2 7000 "" 5
sdp "$tmp/resume_ok" 10.0.1.2 6000 "" 5
sdp "$tmp/sendonly" 10.0.2.2 7000 a=sendonly 2
sdp "$tmp/recvonly" 10.0.1.2 6000 a=recvonly 2
sdp "$tmp/unhold" 10.0.2.2 7000 "" 3
sdp "$tmp/unhold_ok" 10.0.1.2 6000 "" 3

start
ok "call 9"
ok "sdp 1 caller offer $tmp/offer"
ok "sdp 1 callee other $tmp/answer"
ok "won 1"
grep -q 'media: relay backend kernel' "$tmp/err" || fail "kernel backend not chosen"
[ "$(flows 9)" = 4 ] || fail "$(flows 9) flows with cookie 9, want 4"
g grep -q ' 10.0.1.1:40000 learn:expect:10.0.1.2:\* 10.0.1.1:40002 10.0.2.2:7000 rtp ' /proc/net/rtpfwd/flows ||
	fail "caller RTP flow not as built: $(g cat /proc/net/rtpfwd/flows)"
g grep -q ' 10.0.1.1:40003 learn:expect:10.0.2.2:\* 10.0.1.1:40001 10.0.1.2:6001 rtcp ' /proc/net/rtpfwd/flows ||
	fail "callee RTCP flow not as built: $(g cat /proc/net/rtpfwd/flows)"
echo "ok - two legs, four flows with the call handle as cookie"

receive e 10.0.2.2:7000 49 --timeout 30
c $rtp send 10.0.1.2:6000 10.0.1.1:40000 50 --size 172
wait $receiver || true
want="packets=49 bytes=$((49 * 172)) sources=10.0.1.1:40002"
[ "$(received 7000)" = "$want" ] || fail "callee saw '$(received 7000)', want '$want'"
poll 100 value_is 49 packets 10.0.1.1:40000 || fail "kernel counted $(packets 10.0.1.1:40000) packets, callee got 49"
echo "ok - caller media reaches the callee from the callee leg; counts equal /proc"

receive e 10.0.2.2:7000 0 --idle 1 --timeout 10
c $rtp send 10.0.1.3:6000 10.0.1.1:40000 30 --seq 3000
c $rtp send 10.0.1.2:6002 10.0.1.1:40000 30 --seq 3000
wait $receiver || true
case $(received 7000) in packets=0*) ;; *) fail "spray got through: $(received 7000)" ;; esac
poll 100 value_is 61 drops 10.0.1.1:40000 || fail "drops $(drops 10.0.1.1:40000), want 61 (60 spray + 1 probation)"
echo "ok - a stranger spraying the relay port injects nothing, every packet counted"

# Hold and resume (sendonly/recvonly) while the caller streams: no loss.
receive e 10.0.2.2:7000 100 --timeout 30
c $rtp send 10.0.1.2:6000 10.0.1.1:40000 100 --seq 4000 --size 172 --pps 50 &
sender=$!
sleep 0.5
ok "sdp 1 callee offer $tmp/sendonly"
ok "sdp 1 caller other $tmp/recvonly"
ok "sdp 1 callee offer $tmp/unhold"
ok "sdp 1 caller other $tmp/unhold_ok"
wait $sender
wait $receiver || true
[ "$(received 7000)" = "packets=100 bytes=$((100 * 172)) sources=10.0.1.1:40002" ] ||
	fail "re-INVITE hold/resume lost media: '$(received 7000)'"
echo "ok - re-INVITE hold and resume during a stream lose no packet"

ok "sdp 1 callee offer $tmp/hold"
ok "sdp 1 caller other $tmp/hold_ok"
[ "$(flows 9)" = 2 ] || fail "hold: $(flows 9) flows, want 2 (none towards the held callee)"
ok "sdp 1 callee offer $tmp/resume"
ok "sdp 1 caller other $tmp/resume_ok"
[ "$(flows 9)" = 4 ] || fail "resume: $(flows 9) flows, want 4"
echo "ok - hold with 0.0.0.0 removes the flows towards the held side, resume restores them"

# An orphan: a flow no stored call knows, left by some earlier run.
g "$bin" flow add local 10.0.1.1:40008 out 10.0.1.1:40009 peer 10.0.2.2:7100 cookie 77 >/dev/null
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
exec 3>&-
[ "$(flows 9)" = 4 ] || fail "after kill -9: $(flows 9) flows, want 4"
receive e 10.0.2.2:7000 20 --timeout 30
c $rtp send 10.0.1.2:6000 10.0.1.1:40000 21 --seq 5000 --size 172
wait $receiver || true
[ "$(received 7000)" = "packets=20 bytes=$((20 * 172)) sources=10.0.1.1:40002" ] ||
	fail "after kill -9 the callee saw '$(received 7000)'"
echo "ok - kill -9 of the driver leaves media flowing in the kernel"

start
ok adopt
[ "$reply" = "ok adopted 1" ] || fail "adopt: '$reply'"
grep -q '^adopting 9 call-9' "$tmp/out" || fail "call 9 not offered for adoption"
[ "$(flows 9)" = 4 ] || fail "after adoption: $(flows 9) flows, want 4"
[ "$(flows 77)" = 0 ] || fail "orphan flow with cookie 77 not removed"
echo "ok - a restarted driver adopts the call's flows and removes the orphan"

ok "end bye"
[ "$(flows 9)" = 0 ] || fail "after end: $(flows 9) flows remain"
grep -q 'call-9: media: leg caller stream 0: packets=169 bytes=29068 ' "$tmp/err" ||
	fail "leg stats: $(grep 'leg caller' "$tmp/err")"
echo "ok - call end removes every flow and logs the kernel's per-leg counters"

early_call 10
echo "ok - RTP sent before the answer reaches the caller once the flows exist (5 queued, 1 probation, 4 out)"

# Call 11's fourth flow (from the callee, RTCP) finds its LOCAL taken by
# a flow of cookie 78.
ok "call 11"
ok "sdp 1 caller offer $tmp/offer"
callee_port=$(last_port)
g "$bin" flow add local "10.0.1.1:$((callee_port + 1))" out 10.0.1.1:40009 peer 10.0.1.2:6001 cookie 78 >/dev/null
cmd "sdp 1 callee other $tmp/answer"
[ "$reply" = "error 500 0 cannot program the relay" ] || fail "taken LOCAL: '$reply'"
[ "$(flows 11)" = 0 ] || fail "failed FLOW_NEW_MANY left $(flows 11) flows of call 11"
[ "$(flows 78)" = 1 ] || fail "the flow holding port $((callee_port + 1)) is gone"
grep -q 'call-11: media: cannot add 4 flows: File exists rtpfwd: LOCAL is already in use' "$tmp/err" ||
	fail "extack not logged: $(grep 'cannot add' "$tmp/err")"
echo "ok - a FLOW_NEW_MANY refused at its fourth flow leaves no flow of the call; the extack is logged"
ok "end failed"
ok quit
wait "$pid"

# Out of flows: the module reloaded with max_flows=3 refuses a call's
# fourth flow with ENOSPC; the answer gets 503 with Retry-After, no flow.
g "$bin" flow flush >/dev/null
rmmod rtpfwd
insmod "$ko" max_flows=3
start
ok "call 12"
ok "sdp 1 caller offer $tmp/offer"
cmd "sdp 1 callee other $tmp/answer"
[ "$reply" = "error 503 30 no relay flows left" ] || fail "max_flows: '$reply'"
[ "$(flows 12)" = 0 ] || fail "ENOSPC left $(flows 12) flows of call 12"
grep -q 'call-12: media: cannot add 4 flows: No space left on device rtpfwd: flow limit reached (max_flows=3)' \
	"$tmp/err" || fail "extack not logged: $(grep 'cannot add' "$tmp/err")"
ok "end failed"
ok quit
wait "$pid"
echo "ok - out of kernel flows (max_flows=3) answers 503 Retry-After 30 and leaves no flow of the call"
