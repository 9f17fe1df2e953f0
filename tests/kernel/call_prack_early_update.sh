#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reliable provisional responses (RFC 3262) and UPDATE in an early dialog
# (RFC 3311) through sipproxyd (rtpfwd.ko flows; CALL_MEDIA_RELAY=userspace
# for the userspace relay): offer in the INVITE, answer in a 183 with
# Require: 100rel; PRACK without a body; a reliable 180 whose PRACK
# carries a new offer, answered in the PRACK's 200; the callee's UPDATE
# with an offer before the call is answered; a 200 without a body; the
# callee's BYE. Early media is anchored from the 183 on, follows every
# move in place, and the counts at the sinks equal the flows'.
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [relay] 10.0.1.1:400yy <--- 10.0.2.2:7000
#       (then :6002)                                              (then :7004)
set -e
. "$(dirname "$0")/lib/call_sip.sh"
call_sip prack
