#!/bin/sh
# Static routes ([routes], routing.h, resolved by resolve.h): a local
# user's MESSAGE to another domain takes that domain's route, one to a
# telephone number (user=phone) the longest matching number route, even
# with our own domain as its host.
set -e
PORT=25560
. "$(dirname "$0")/lib/sip.sh"
need sipp python3

proxy_start "[routes]" "example.net = sip:127.0.0.1:25570" "+4930 = sip:127.0.0.1:25571"
uas uas_message 25570
check "alice's MESSAGE to eve@example.net takes the static route" \
	client --user alice --password alicepw message-to eve@example.net "hi eve"
check "the route's next hop got it" uas_wait 25570
uas uas_message 25571
check "a MESSAGE to +49 30 1234567 takes the number route" \
	client --user alice --password alicepw message-to "+49-30-1234567@localhost;user=phone" hi
check "the number route's next hop got it" uas_wait 25571
stats
check_eq "no send failures" 0 "$(counter send_failed)"
