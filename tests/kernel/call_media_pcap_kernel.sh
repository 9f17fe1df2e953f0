#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/e2e/call_media_pcap.sh in the VM with media_relay = kernel: SIPp
# plays Debian's g711a.pcap and a DTMF pcap through sipproxyd on loopback,
# the media crossing rtpfwd.ko's flows (the module is loaded by
# kernel-tests.sh); the same exact counts, plus the four flows during the
# call and none after BYE, 486, CANCEL and the media timeout.
CALL_MEDIA_RELAY=kernel exec sh "$(dirname "$0")/../e2e/call_media_pcap.sh"
