#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Offer/answer after the initial exchange, on one call through sipproxyd
# (rtpfwd.ko flows; CALL_MEDIA_RELAY=userspace for the userspace relay):
# SDP it cannot anchor (no formats, multicast, RTP over TCP) is answered
# 488 and allocates nothing; a late offer (INVITE without SDP, offer in the 200,
# answer in the ACK); re-INVITE hold with a=sendonly, a=inactive and
# c=0.0.0.0, resume; glare (the proxy answers the second offer 491); a
# re-INVITE the caller declines with 488; the callee's re-INVITE to another
# port and codec; UPDATE in the confirmed dialog; a refused UPDATE; BYE.
# After each step both rewritten bodies carry the relay's address and
# ports with the direction sent, and RTP both ways arrives in exact counts
# from the relay only, equal to the flows' counts; the flows keep their
# ids (FLOW_SET).
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [relay] 10.0.1.1:400yy <--- 10.0.2.2:7000
#       (then :6002)                                              (then :7002)
set -e
. "$(dirname "$0")/lib/call_sip.sh"
call_sip reinvite
