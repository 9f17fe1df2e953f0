#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# call_prack_early_update.sh with media_relay = userspace: the same SIP sequence and
# checks, the relay's counters and sockets instead of kernel flows.
CALL_MEDIA_RELAY=userspace exec sh "$(dirname "$0")/call_prack_early_update.sh"
