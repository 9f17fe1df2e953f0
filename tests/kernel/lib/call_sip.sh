# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/kernel/call_*.sh tests that drive SIP from
# sipcall.py: the topology.sh namespaces with routes between caller and
# callee, sipproxyd in the gateway (media_relay from $CALL_MEDIA_RELAY,
# kernel by default), then `sipcall.py SCENARIO`, whose TAP lines are the
# test's.
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee(s) (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070 (,5072)
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [relay] 10.0.1.1:400yy <--- 10.0.2.2:7000 (,7010)
#
# Usage: call_sip SCENARIO
. "$(dirname "$0")/lib/topology.sh"
sipproxyd=$(cd "$(dirname "$0")/../.." && pwd)/userspace/sipproxyd/sipproxyd
sipcall="python3 $(cd "$(dirname "$0")" && pwd)/sipcall.py"
mode=${CALL_MEDIA_RELAY:-kernel}

call_sip() {
	gateway_setup
	gateway_proxy_conf "$mode" 40019
	# Not through g(): $! must be sipproxyd itself.
	ip netns exec rtpfwd-g "$sipproxyd" -c "$tmp/proxy.conf" -f >"$tmp/proxy.log" 2>&1 &
	proxy_pid=$!
	bg="$bg $proxy_pid"
	poll 200 grep -qs "notice: started" "$tmp/proxy.log" ||
		fail "sipproxyd did not start: $(tail -5 "$tmp/proxy.log")"
	grep -q "notice: media: relay backend $mode" "$tmp/proxy.log" ||
		fail "sipproxyd's relay backend is not $mode: $(grep backend "$tmp/proxy.log")"
	echo "ok - sipproxyd ($mode relay) runs in the gateway"
	MODE=$mode PROXY_LOG=$tmp/proxy.log PORT_MIN=40000 PORT_MAX=40019 PROXY_PID=$proxy_pid \
		SIPPROXYD=$sipproxyd PROXY_CONF=$tmp/proxy.conf $sipcall "$1" ||
		{ echo "# proxy log:"; tail -30 "$tmp/proxy.log" | sed 's/^/# /'; exit 1; }
}
