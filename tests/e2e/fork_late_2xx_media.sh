#!/bin/sh
# A forked call whose second branch answers 200 after Timer L, with media
# anchored: the caller never gets that 2xx nor its callee's media address
# (the proxy ACKs it and ends it with BYE: the branch's relay ports went
# when the first 2xx won), and the first callee's 200, retransmitted past
# Timer M (no transaction left), still reaches the caller with the relay's
# port, the same as its first copy, never the callee's own.
#
#                          sipproxyd 127.0.0.1:PORT   /-- A (PORT+10): 200 at once,
#   caller (PORT+9) ----- (t1 50 ms: L = M = 3.2 s) --+       resent until 4.5 s
#                                                      \-- B (PORT+11): 180, takes the
#                                                           CANCEL, 200 at 4.0 s
# All three peers are raw UDP sockets in lib/late_fork.py; A announces
# media port 41000 and B 42000, the relay answers from [media] port_range.
set -e
PORT=25860
. "$(dirname "$0")/lib/sip.sh"
need python3

proxy_start "[timers]" "t1 = 50ms"
for p in A:10 B:11; do
	check "bob registers phone ${p%:*}" \
		client --user bob --password bobpw register sip:bob@127.0.0.1:$((PORT + ${p#*:}))
done
python3 "$top/tests/e2e/lib/late_fork.py" $PORT $((PORT + 9)) $((PORT + 10)) $((PORT + 11)) \
	>"$dir/late_fork.out"
seen() { sed -n "s/^$1 //p" "$dir/late_fork.out"; }

check_eq "A's 200 reached the caller 5 times (first copy, 4 retransmissions)" 5 \
	"$(seen caller_200_a)"
check_eq "2 of them after Timer M, with no transaction left" 2 "$(seen caller_200_a_after_timer_m)"
check_eq "B's late 200 never reached the caller" 0 "$(seen caller_200_b)"
ports=$(seen caller_media_ports)
case $ports in
*,*) not_ok "every copy the caller got carries one relay port (got $ports)" ;;
*) check "every copy the caller got carries one relay port, not 41000 or 42000 ($ports)" \
	test "$ports" -ge 30000 -a "$ports" -le 39999 ;;
esac
check_eq "the proxy ACKed B's 200" 1 "$(seen b_ack)"
check_eq "and ended B's dialog with BYE" 1 "$(seen b_bye)"
check_eq "A got the caller's ACK" 1 "$(seen a_ack)"
check_eq "A got the caller's BYE" 1 "$(seen a_bye)"
check_eq "the caller's BYE was answered 200" 1 "$(seen caller_bye_200)"
check "the refusal of B's 200 is logged" \
	grep -q "2xx from .* refused: another branch answered first" "$dir/proxy.log"
stats
check_eq "no stray response dropped" 0 "$(counter stray_response)"
