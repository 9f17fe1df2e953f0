#!/bin/sh
# Contacts by host name are resolved per branch (RFC 3263): bob's desk
# phone registered a numeric contact, his softphone sip:bob@soft.test with
# transport=udp and no port (so: SRV _sip._udp.soft.test). The call forks
# to both; the desk phone is busy; the softphone's SRV names two targets,
# the first answers 503 and the branch fails over (RFC 3263 4.3) to the
# second, which answers: the caller gets its 200.
#
#   uac (SIPp) -- sipproxyd 127.0.0.1:PORT --- desk   127.0.0.1:PORT+10  486
#                     |                   \--- soft-a 127.0.0.1:PORT+11  503  (SRV prio 10)
#                  dnsmasq 127.0.0.1:53    \-- soft-b 127.0.0.1:PORT+12  200  (SRV prio 20)
#
# It runs in a network and mount namespace of its own, whose
# /etc/resolv.conf names the dnsmasq on its loopback.
set -e
PORT=25760
if [ -z "$FORK_DNS_NS" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1 ||
	   ! unshare -mn true 2>/dev/null; then
		echo "ok - $(basename "$0") # SKIP needs root and unshare"
		exit 0
	fi
	FORK_DNS_NS=1 exec unshare -mn sh "$0" "$@"
fi
. "$(dirname "$0")/lib/sip.sh"
need sipp python3 dnsmasq ip getent

ip link set lo up
printf 'nameserver 127.0.0.1\n' >"$dir/resolv.conf"
mount --bind "$dir/resolv.conf" /etc/resolv.conf
dnsmasq --no-daemon --no-resolv --no-hosts --port=53 --listen-address=127.0.0.1 \
	--bind-interfaces --pid-file= --conf-file=/dev/null --local=/test/ --local-ttl=60 \
	--log-queries --log-facility="$dir/dns.log" \
	--srv-host=_sip._udp.soft.test,soft-a.test,$((PORT + 11)),10,0 \
	--srv-host=_sip._udp.soft.test,soft-b.test,$((PORT + 12)),20,0 \
	--host-record=soft-a.test,127.0.0.1 --host-record=soft-b.test,127.0.0.1 \
	>"$dir/dnsmasq.out" 2>&1 &
pids="$pids $!"
i=0
until getent hosts soft-a.test >/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || { not_ok "dnsmasq answers"; exit 1; }
	sleep 0.05
done

cat >"$dir/uas_503.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="503 and the hop-by-hop ACK">
  <recv request="INVITE"/>
  <send retrans="500"><![CDATA[

      SIP/2.0 503 Service Unavailable
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]s[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
  <recv request="ACK"/>
</scenario>
XML

proxy_start
check "bob registers his desk phone by address" \
	client --user bob --password bobpw register sip:bob@127.0.0.1:$((PORT + 10))
check "bob registers his softphone by name" \
	client --user bob --password bobpw register "sip:bob@soft.test;transport=udp"
stats
check_eq "two bindings" 2 "$(counter bindings)"

UAC_FROM=dave@example.org
uas uas_busy $((PORT + 10))
scen=$dir uas uas_503 $((PORT + 11))
uas uas_answer $((PORT + 12)) -d 300
check "dave calls bob: the softphone's second SRV target answers" uac uac_call bob
check "the desk phone got the INVITE and answered 486" uas_wait $((PORT + 10))
check "the first SRV target got the INVITE and answered 503" uas_wait $((PORT + 11))
check "the second SRV target had the whole call" uas_wait $((PORT + 12))
check_eq "soft.test was looked up once, by SRV" 1 \
	"$(grep -c 'query\[SRV\] _sip._udp.soft.test' "$dir/dns.log")"
stats
check_eq "one call forwarded" 1 "$(counter calls)"
check_eq "the 503 stayed here: 5xx sent" 0 \
	"$(grep responses_out "$dir/stats" | tr ' ' '\n' | grep -A1 -x 5xx | tail -1)"
