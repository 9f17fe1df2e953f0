#!/bin/sh
# A 2xx retransmitted after the proxy's INVITE transactions ended (Timer L
# on the server side, M on the client side) is forwarded statelessly by
# its Via (RFC 3261 16.7 step 10, RFC 6026), so the caller's late ACK
# still completes the call; and a response the proxy generates carries
# received and rport on the top Via like a forwarded one (RFC 3581).
#
#   uac (SIPp, ACK after 9 s) -- sipproxyd (t1 50 ms: L = M = 3.2 s) -- uas (200 until ACK)
set -e
PORT=25660
. "$(dirname "$0")/lib/sip.sh"
need sipp python3

# The 2xx counters of the last stats lines: "IN OUT".
twoxx() {
	echo "$(grep responses_in "$dir/stats" | tr ' ' '\n' | grep -A1 -x 2xx | tail -1)" \
		"$(grep responses_out "$dir/stats" | tr ' ' '\n' | grep -A1 -x 2xx | tail -1)"
}

proxy_start "[timers]" "t1 = 50ms"
check "bob registers" client --user bob --password bobpw register sip:bob@127.0.0.1:25670

# Calls without SDP: what the 2xx copies look like must not depend on media.
cat >"$dir/uas.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="200 until the ACK">
  <recv request="INVITE"/>
  <send retrans="500"><![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_Record-Route:]
      [last_From:]
      [last_To:];tag=[pid]s[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

  ]]></send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send><![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

  ]]></send>
</scenario>
XML
cat >"$dir/uac.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="ACK 9 s after the 200">
  <send retrans="500"><![CDATA[

      INVITE sip:bob@localhost SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:dave@example.org>;tag=[pid]u[call_number]
      To: <sip:bob@localhost>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="200" rrs="true"/>
  <pause milliseconds="9000"/>
  <send><![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: <sip:dave@example.org>;tag=[pid]u[call_number]
      To: <sip:bob@localhost>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <send retrans="500"><![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: <sip:dave@example.org>;tag=[pid]u[call_number]
      To: <sip:bob@localhost>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
XML
scen=$dir uas uas 25670
timeout 30 sipp -sf "$dir/uac.xml" 127.0.0.1:$PORT -i 127.0.0.1 -p $((PORT + 9)) -m 1 -nostdin \
	-timeout 20s -timeout_error -trace_err -error_file "$dir/uac.err" >"$dir/uac.out" 2>&1 &
uac_pid=$!
pids="$pids $uac_pid"
# The UAS retransmits its 200 at 0.5, 1.5, 3.5 and 7.5 s: by 5.5 s every
# transaction of the call has ended, and the copy at 7.5 s has none.
sleep 5.5
stats
check_eq "no transaction left 5.5 s into the call" 0 "$(counter active)"
before=$(twoxx)
if wait "$uac_pid"; then ok "the call with its ACK 9 s late completes"; else not_ok "the call with its ACK 9 s late completes"; fi
check "the UAS got the ACK after retransmitting 200" uas_wait 25670
stats
after=$(twoxx)
in=$((${after% *} - ${before% *}))
out=$((${after#* } - ${before#* }))
check "200 retransmissions came after the transactions ended (besides the BYE's 200)" \
	test "$in" -ge 2
check_eq "every 2xx received after that went upstream" "$in" "$out"
check_eq "no stray response dropped" 0 "$(counter stray_response)"

# A MESSAGE from behind a NAT (sent-by 192.0.2.1, rport asked) to nobody: our 404.
reply=$(python3 - "$PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(5)
port = s.getsockname()[1]
msg = ("MESSAGE sip:nobody@localhost SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnat404;rport\r\n"
       "Max-Forwards: 70\r\n"
       "From: <sip:dave@example.org>;tag=n1\r\n"
       "To: <sip:nobody@localhost>\r\n"
       "Call-ID: late-2xx-rport@192.0.2.1\r\n"
       "CSeq: 1 MESSAGE\r\n"
       "Content-Type: text/plain\r\n"
       "Content-Length: 2\r\n\r\nhi")
s.sendto(msg.encode(), ("127.0.0.1", int(sys.argv[1])))
data = s.recv(65535).decode()
via = [l for l in data.split("\r\n") if l.startswith("Via:")][0]
print(data.split(" ")[1], port, via)
PY
)
set -- $reply
check_eq "a MESSAGE to nobody gets our 404" 404 "$1"
check_eq "its top Via carries received and rport" \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnat404;received=127.0.0.1;rport=$2" \
	"$(shift 2; echo "$*")"
