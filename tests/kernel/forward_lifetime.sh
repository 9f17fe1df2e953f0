#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What ends a flow, seen through `rtpfwd monitor`: a flow with `timeout 1`
# reports FLOW_IDLE once per silence (again after a packet); with
# idle-delete it is deleted with reason idle instead; an `owned` flow lives
# as long as the rtpfwd process that made it (SIGTERM or SIGKILL: reason
# owner), an unowned one outlives its creator.
#
#   caller (ns c)          gateway (ns g)              callee (ns e)
#   10.0.1.2 ------------- 10.0.1.1  [flow]  10.0.2.1 --- 10.0.2.2
set -e
. "$(dirname "$0")/lib/topology.sh"

# gone NAME ID: the flow is in neither flow show nor /proc.
gone() {
	! g "$bin" flow show "$2" >/dev/null 2>&1 || fail "$1: flow $2 still shown"
	! g grep -q "^$2 " /proc/net/rtpfwd/flows || fail "$1: flow $2 still in /proc/net/rtpfwd/flows"
}

# idle_count ID: the idle events of flow ID.
idle_count() {
	grep -c "^idle${tab}$1${tab}-\$" "$tmp/events" || true
}

idle_count_is() {
	[ "$(idle_count "$1")" = "$2" ]
}

# idle: one event per silence. A second flow, idle-deleted in a later pass
# of the once-a-second idle scan, shows that the scan has visited the first
# again without a repeat.
idle() {
	name="timeout 1: one idle event per silence"
	id=$(g "$bin" flow add local 10.0.1.1:30000 out 10.0.2.1:30002 peer 10.0.2.2:4000 timeout 1)
	wait_event "$name" "idle${tab}$id${tab}-"
	clock=$(g "$bin" flow add local 10.0.1.1:30010 out 10.0.2.1:30012 peer 10.0.2.2:4010 timeout 1 idle-delete)
	wait_event "$name" "deleted${tab}$clock${tab}idle"
	[ "$(idle_count "$id")" = 1 ] || fail "$name: $(idle_count "$id") idle events for one silence"
	expect_columns "$name" "$id" 11=1
	echo "ok - $name"

	name="timeout 1: a packet starts a new silence"
	c $rtp send 10.0.1.2:5000 10.0.1.1:30000 1
	wait_column "$name" "$id" 14 1
	poll 200 idle_count_is "$id" 2 || fail "$name: $(idle_count "$id") idle events, want 2"
	g "$bin" flow del "$id"
	[ "$(events "$id")" = 3 ] || fail "$name: $(events "$id") events for flow $id, want 2 idle and 1 deleted"
	echo "ok - $name"
}

idle_delete() {
	name="timeout 1 idle-delete: deleted with reason idle"
	id=$(g "$bin" flow add local 10.0.1.1:30020 out 10.0.2.1:30022 peer 10.0.2.2:4020 timeout 1 idle-delete)
	expect_columns "$name" "$id" 9=8
	wait_event "$name" "deleted${tab}$id${tab}idle"
	gone "$name" "$id"
	[ "$(events "$id")" = 1 ] || fail "$name: $(events "$id") events for flow $id, want the deletion only"
	echo "ok - $name"
}

has_line() {
	[ -s "$1" ]
}

# owned NAME SIGNAL: the flow of an `owned` rtpfwd goes when SIGNAL ends it.
owned() {
	name=$1 sig=$2
	# Not through g(): the signal must reach rtpfwd, not a subshell.
	ip netns exec rtpfwd-g "$bin" flow add local 10.0.1.1:30030 out 10.0.2.1:30032 \
		peer 10.0.2.2:4030 owned >"$tmp/owned.$sig" &
	owner=$!
	poll 200 has_line "$tmp/owned.$sig" || fail "$name: owned flow add printed no id"
	id=$(cat "$tmp/owned.$sig")
	expect_columns "$name" "$id" 9=4
	kill -s "$sig" $owner
	status=0
	wait $owner || status=$?
	case $sig in
	TERM) [ $status = 0 ] || fail "$name: rtpfwd exited with $status on SIGTERM" ;;
	KILL) [ $status = $((128 + 9)) ] || fail "$name: rtpfwd exit status $status, want killed" ;;
	esac
	wait_event "$name" "deleted${tab}$id${tab}owner"
	gone "$name" "$id"
	echo "ok - $name"
}

unowned() {
	name="unowned flow outlives its creator"
	id=$(g "$bin" flow add local 10.0.1.1:30040 out 10.0.2.1:30042 peer 10.0.2.2:4040)
	# The monitor's probe makes sure any deletion would have been seen.
	monitor_probe
	expect_columns "$name" "$id" 1="$id"
	[ "$(events "$id")" = 0 ] || fail "$name: events for flow $id: $(events "$id")"
	g "$bin" flow del "$id"
	echo "ok - $name"
}

setup
monitor_start
idle
idle_delete
owned "owned flow deleted when rtpfwd exits on SIGTERM" TERM
owned "owned flow deleted when rtpfwd is killed" KILL
unowned
