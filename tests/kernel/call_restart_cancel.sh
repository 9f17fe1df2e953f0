#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A CANCEL for a call that rang across a kill -9 and restart of sipproxyd
# (rtpfwd.ko only: the userspace relay's media stops with the process) is
# not answered 481 (RFC 3261 16.10): the restarted daemon CANCELs the
# INVITE copy it stored when the callee rang, with the original branch,
# Request-URI and destination, answers the caller's CANCEL 200, ACKs the
# callee's 487 and sends it up by its Via; then no flow, relay port or
# stored row of the call is left (sipcall_restart_cancel.py).
#
#   caller (ns c)             gateway (ns g): sipproxyd        callee (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:400xx [rtpfwd] 10.0.1.1:400yy <--- 10.0.2.2:7000
set -e
. "$(dirname "$0")/lib/call_sip.sh"
sipcall="env DATABASE=$tmp/db python3 $(cd "$(dirname "$0")" && pwd)/sipcall_restart_cancel.py"
call_sip cancel
