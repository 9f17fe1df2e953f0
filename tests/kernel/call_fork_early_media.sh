#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Forked early media through sipproxyd (rtpfwd.ko flows;
# CALL_MEDIA_RELAY=userspace for the userspace relay): bob has two
# contacts, the INVITE is forked to both and both answer 183 with SDP.
# Each branch gets its own relay ports and flows and its early media
# reaches its own callee; when the second answers 200, the first branch's
# flows and ports are gone before the 200 reaches the caller, the first is
# CANCELled, and after BYE nothing is left.
#
#   caller (ns c)             gateway (ns g): sipproxyd        callees (ns e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060    10.0.2.1:5060 <--- 10.0.2.2:5070, :5072
#   RTP 10.0.1.2:6000 ---> 10.0.1.1:4000a [branch 1] 10.0.1.1:4000b <--- 10.0.2.2:7000
#                     ---> 10.0.1.1:4000c [branch 2] 10.0.1.1:4000d <--- 10.0.2.2:7010
set -e
. "$(dirname "$0")/lib/call_sip.sh"
call_sip fork
