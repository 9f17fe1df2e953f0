#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The callee's responses to a call that rang across a kill -9 and restart
# of sipproxyd (rtpfwd.ko only: the userspace relay's media stops with
# the process) get the answers the original transactions would have
# given: its 180 and 183 reach the caller by its Via, the 183's SDP
# rewritten to the relay port the caller had (RFC 3261 16.7 step 5); its
# 486 is ACKed with the stored INVITE copy's branch and Request-URI
# (17.1.1.3), reaches the caller by its Via (16.7 step 6) and ends the
# call at once: no flow, relay port or stored row left, each leg's
# counters logged (39 packets each way, end=failed); each retransmission
# of the 486 is ACKed once more and goes nowhere else. In a second call a
# 200 after such a 180 confirms the call, and the callee's BYE leaves
# nothing. The INVITE leaves from 10.0.2.1:5060 and its Via says so; the
# BYE reaches the caller from 10.0.1.1:5060, its Via's; Record-Route
# names both (sipcall_restart_final.py).
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [rtpfwd] 10.0.1.1:400yy <--- 10.0.2.2:7000
set -e
. "$(dirname "$0")/lib/call_sip.sh"
sipcall="env DATABASE=$tmp/db python3 $(cd "$(dirname "$0")" && pwd)/sipcall_restart_final.py"
call_sip final
