#!/bin/sh
# Parallel forking (RFC 3261 16.6, 16.7): bob has two contacts; the one
# with the higher q answers 200, the other rings and is cancelled (487)
# when the first answers. MESSAGE (RFC 3428) is delivered to a registered
# user; OPTIONS to the proxy itself is answered 200 with Allow.
set -e
PORT=25260
. "$(dirname "$0")/lib/sip.sh"
need sipp sipsak python3

proxy_start
check "bob registers his desk phone (q=1.0 by default)" \
	client --user bob --password bobpw register sip:bob@127.0.0.1:25270
check "bob registers his mobile" \
	client --user bob --password bobpw --q 0.5 register sip:bob@127.0.0.1:25271
stats
check_eq "two bindings" 2 "$(counter bindings)"

UAC_FROM=dave@example.org
uas uas_answer 25270 -d 300
uas uas_ring_cancel 25271
check "dave calls bob: forked to both, the desk phone answers" uac uac_call bob
check "the desk phone had the whole call" uas_wait 25270
check "the mobile rang and was cancelled when the desk phone answered" uas_wait 25271

uas uas_message 25270
uas uas_message 25271
check_eq "MESSAGE to bob is delivered (200 from a contact)" 200 \
	"$(message dave@example.org bob@localhost 'hello bob')"
check "the desk phone got the MESSAGE" uas_wait 25270
check "the mobile got the MESSAGE" uas_wait 25271

check_eq "OPTIONS to the proxy is answered 200" 200 "$(sip_status -s sip:localhost)"
sipsak -vv -r $PORT -s sip:localhost 2>&1 | grep -q "^Allow: INVITE, ACK, CANCEL, BYE, OPTIONS" &&
	ok "OPTIONS answer lists the methods in Allow" || not_ok "OPTIONS answer lists the methods in Allow"
stats
check_eq "one call forwarded" 1 "$(counter calls)"
check_eq "4xx sent: the two 401s; the cancelled branch's 487 stayed here" 2 \
	"$(grep responses_out "$dir/stats" | tr ' ' '\n' | grep -A1 -x 4xx | tail -1)"
