#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# RTP that reaches a relay port before its flow exists is handed to the
# flow once installed (offload_early.c) with the module taking media at
# hook=input and at hook=ingress too; media_call_offload.sh covers the
# default hook (prerouting). The daemon re-sends each queued datagram
# through a raw socket to the flow's LOCAL: it loops back through lo, so
# with hook=input it must pass PRE_ROUTING and the routing decision to
# LOCAL_IN, and with hook=ingress lo's own ingress hook must take it.
# Each hook: exactly 5 handed over, the caller gets 4 (probation drops
# the first), the flow counts 4 and 1 drop. Leaves the module loaded with
# default parameters.
#
#   caller (ns c)          gateway (ns g): media_driver      callee (ns e)
#   10.0.1.2:6000 <------ X 10.0.1.1 [rtpfwd flows] 10.0.1.1 Y <------ 10.0.2.2:7000
#                                   ^ lo (raw re-send)     |   (routed via 10.0.2.1)
#                                   +---- queued on Y -----+
set -e
. "$(dirname "$0")/lib/topology.sh"
. "$(dirname "$0")/lib/media_driver.sh"

cookie=11
for hook in input ingress; do
	reload $hook hook=$hook
	start
	early_call $cookie
	ok quit
	wait "$pid"
	exec 3>&-
	echo "ok - hook=$hook: RTP sent before the answer reaches the caller once the flows exist (5 handed over, 1 probation, 4 out)"
	cookie=$((cookie + 1))
done
reload prerouting
