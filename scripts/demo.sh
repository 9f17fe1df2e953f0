#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: one SIP call through sipproxyd with its media in rtpfwd.ko,
# inside the QEMU VM (the host cannot load modules). On the host this boots
# the VM (tests/vm/run.sh) for KVER (default: the newest built module) and
# runs itself there with --in-vm, which loads the module, builds the
# tests' three namespaces (caller, gateway running sipproxyd, callee),
# places a SIPp call while rtp.py streams RTP both ways, and prints
# /proc/net/rtpfwd/flows and `rtpfwd flow show` while the call runs.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$1" != --in-vm ]; then
	kver=${KVER:-$(ls "$top/build/kmod" 2>/dev/null | sort -V | tail -n 1)}
	[ -n "$kver" ] || { echo "demo: no module built (make modules-all)" >&2; exit 1; }
	cd "$top"
	exec tests/vm/run.sh "$kver" sh scripts/demo.sh --in-vm
fi

kver=$(uname -r)
export RTPFWD_KO="$top/build/kmod/$kver/kmod/rtpfwd.ko"
export RTPFWD_BIN="$top/userspace/rtpfwd/rtpfwd"
insmod "$RTPFWD_KO"
# topology.sh's cleanup runs on exit; the module goes after it.
. "$top/tests/kernel/lib/topology.sh"
trap 'cleanup; rmmod rtpfwd' EXIT
# topology.sh finds rtp.py next to the running script, which we are not.
rtp="python3 $top/tests/kernel/rtp.py"
scen=$top/tests/e2e/scenarios
gateway_setup
gateway_proxy_conf kernel 40099
sed -e 's/m=audio \[media_port\] RTP\/AVP 0/m=audio 7000 RTP\/AVP 0/' \
	-e 's/c=IN IP\[media_ip_type\] \[media_ip\]/c=IN IP4 10.0.2.2/' \
	"$scen/uas_answer.xml" >"$tmp/uas.xml"

echo "== sipproxyd in the gateway (10.0.1.1 towards the caller, 10.0.2.1 towards the callee)"
ip netns exec rtpfwd-g "$top/userspace/sipproxyd/sipproxyd" -c "$tmp/proxy.conf" -f \
	>"$tmp/proxy.log" 2>&1 &
bg="$bg $!"
poll 600 grep -q "notice: started" "$tmp/proxy.log"
grep "media: relay backend" "$tmp/proxy.log"
e sipsak -U -C sip:bob@10.0.2.2:5070 -s sip:bob@localhost -p 10.0.2.1 -r 5060 -x 600 >/dev/null
echo "== bob registered from the callee namespace (10.0.2.2:5070)"

e sipp -sf "$tmp/uas.xml" -i 10.0.2.2 -p 5070 -m 1 -nostdin -mp 7100 >/dev/null 2>&1 &
bg="$bg $!"
wait_udp e 5070
c sipp -sf "$scen/uac_call.xml" 10.0.1.1:5060 -i 10.0.1.2 -p 5080 -s bob -key domain localhost \
	-key from dave@example.org -mi 10.0.1.2 -mp 6100 -d 15000 -m 1 -nostdin \
	-trace_msg -message_file "$tmp/uac-msg.log" >/dev/null 2>&1 &
caller=$!
bg="$bg $caller"
poll 600 grep -q "dialog: call [0-9a-f]* confirmed" "$tmp/proxy.log"
port=$(awk '/^SIP\/2.0 200/{m=1} m && /^m=audio/{print $2; exit}' "$tmp/uac-msg.log")
echo "== call answered; the caller sends RTP to the relay at 10.0.1.1:$port"
e $rtp recv 10.0.2.2:7000 0 --idle 2 --timeout 30 >"$tmp/callee.recv" &
bg="$bg $!"
wait_udp e 7000
c $rtp send 10.0.1.2:6000 10.0.1.1:"$port" 250 --pps 50 &
sender=$!
sleep 3
echo "== /proc/net/rtpfwd/flows during the call"
g cat /proc/net/rtpfwd/flows
echo "== rtpfwd flow show during the call"
g "$bin" flow show
wait $sender
wait $caller || true
poll 600 grep -q "dialog: call [0-9a-f]* ended" "$tmp/proxy.log"
echo "== the callee received: $(cat "$tmp/callee.recv" 2>/dev/null)"
echo "== after BYE: $(g awk 'NR > 1' /proc/net/rtpfwd/flows | wc -l) flows; sipproxyd's call log:"
grep -E "dialog:|media: (leg|call)" "$tmp/proxy.log"
