#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# call_baresip_tone.sh's call with media_relay = userspace, in the VM: the
# same phones, tones and checks, the relay's sockets instead of kernel flows.
CALL_MEDIA_RELAY=userspace exec sh "$(dirname "$0")/call_baresip_tone.sh"
