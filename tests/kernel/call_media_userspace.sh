#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# call_media_kernel.sh's call with media_relay = userspace, in the VM:
# the same topology and checks, the relay's sockets instead of kernel flows
# (no kill -9 step: userspace media stops with the process).
CALL_MEDIA_RELAY=userspace exec sh "$(dirname "$0")/call_media_kernel.sh"
