#!/bin/sh
# Calls to a registered user over UDP (RFC 3261 16), bob being a SIPp UAS
# (180, 200, then ACK and BYE by the Record-Route set): alice, a local
# user, is challenged (407) and answers with SHA-256 digest (python3 UA:
# SIPp 3.6.1 puts its remote address in the digest uri and knows only MD5);
# callers from a foreign domain (SIPp UAC) need no credentials to reach a
# local user. A busy callee's 486 is ACKed hop by hop, a call cancelled
# while ringing ends in 487. Unknown users are 404, known unregistered ones
# 480, foreign-to-foreign 403. bob registers with the python3 UA too:
# sipsak answers only the first challenge (SHA-256 here) and knows only MD5.
set -e
PORT=25160
. "$(dirname "$0")/lib/sip.sh"
need sipp sipsak

proxy_start
check "bob registers (SHA-256)" \
	client --user bob --password bobpw register sip:bob@127.0.0.1:25170

uas uas_answer 25170
check "alice calls bob after a 407 challenge (SHA-256): INVITE/180/200/ACK/BYE" \
	client --user alice --password alicepw call bob
check "bob's side saw the whole call" uas_wait 25170
check "BYE went by the Route set to bob's contact and was logged" \
	wait_log "BYE sip:127.0.0.1:25170;transport=UDP from UDP 127.0.0.1:[0-9]*: 200 OK"

UAC_FROM=dave@example.org
uas uas_answer 25170
check "dave@example.org calls bob (SIPp to SIPp): INVITE/180/200/ACK/BYE" uac uac_call bob
check "bob's side saw dave's whole call" uas_wait 25170

uas uas_busy 25170
check "a busy callee's 486 reaches the caller" uac uac_busy bob
check "bob got the proxy's hop-by-hop ACK for 486" uas_wait 25170

uas uas_ring_cancel 25170
check "the caller cancels while bob rings: 200 to CANCEL, 487 to INVITE" uac uac_cancel bob
check "bob got CANCEL, answered 487 and got the ACK" uas_wait 25170

check_eq "an unknown user is 404" 404 "$(message dave@example.org nobody@localhost hi)"
check_eq "carol, known but not registered, is 480" 480 \
	"$(message dave@example.org carol@localhost hi)"
check_eq "a foreign caller to a foreign domain is 403" 403 \
	"$(message dave@example.org eve@127.0.0.2 hi)"
check_eq "alice without credentials is challenged" 407 \
	"$(message alice@localhost carol@localhost hi)"
stats
check_eq "calls forwarded" 4 "$(counter calls)"
check_eq "challenges sent: 401 to REGISTER, 407 to INVITE and MESSAGE" 3 "$(counter challenges)"
check_eq "2xx sent: REGISTER, 2 INVITEs, 2 BYEs, CANCEL" 6 \
	"$(grep responses_out "$dir/stats" | tr ' ' '\n' | grep -A1 -x 2xx | tail -1)"
check_eq "no stray ACKs" 0 "$(counter stray_ack)"
check_eq "no send failures" 0 "$(counter send_failed)"
