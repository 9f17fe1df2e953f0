#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A restart of sipproxyd while a call rings does not drop it (rtpfwd.ko
# only: the userspace relay's media stops with the process). The callee
# answers 183 with SDP, early media flows through the relay; kill -9 of
# sipproxyd leaves it flowing; the restarted daemon adopts the ringing
# call from its store (same flows, ports bound again); the callee's 200,
# a response no transaction of the new run knows, still reaches the
# caller rewritten to the relay and confirms the call; BYE leaves nothing
# and the legs' counters span the whole call.
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [rtpfwd] 10.0.1.1:400yy <--- 10.0.2.2:7000
set -e
. "$(dirname "$0")/lib/call_sip.sh"
call_sip restart
