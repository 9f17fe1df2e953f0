# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests/kernel/forward_*.sh tests (dash): the three
# namespaces every forwarding test uses, and helpers to drive and read them.
# Not a test itself, hence outside tests/kernel/*.sh.
#
#   caller (ns c)             gateway (ns g)                 callee (ns e)
#   vc 10.0.1.2 --------- vgc 10.0.1.1    vge 10.0.2.1 --------- ve 10.0.2.2
#      10.0.1.3                                                    fd02::2
#      fd01::2                fd01::1         fd02::1
#      fd01::3
#
# The caller has two addresses per family, so a test can send from a
# second host as well as from a second port. Flows live in g: packets
# arrive at a LOCAL endpoint on vgc and leave from an OUT endpoint on vge.
#
# After sourcing: $bin (the CLI), $rtp (rtp.py), $tmp (scratch directory),
# cleanup on EXIT that also kills every pid listed in $bg and deletes a
# namespace rtpfwd-x a test may add.

bin=${RTPFWD_BIN:?RTPFWD_BIN not set}
ko=${RTPFWD_KO:?RTPFWD_KO not set}
# -S: no site module; rtp.py needs only the standard library, and in the
# emulated VM skipping site saves a good part of each start.
rtp="python3 -S $(cd "$(dirname "$0")" && pwd)/rtp.py"
tmp=$(mktemp -d)
bg=
tab=$(printf '\t')

# What entering a namespace costs in the emulated VM is the extra exec:
# `nsenter --net=` (no /sys remount) measured the same host CPU per call
# as `ip netns exec` (89 vs 92 ms over 200 calls, 6.1 VM).
c() { ip netns exec rtpfwd-c "$@"; }
g() { ip netns exec rtpfwd-g "$@"; }
e() { ip netns exec rtpfwd-e "$@"; }

cleanup() {
	set +e
	for _pid in $bg; do kill "$_pid" 2>/dev/null; done
	for _pid in $bg; do wait "$_pid" 2>/dev/null; done
	printf 'netns del rtpfwd-%s\n' c g e x | ip -force -b - 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "not ok - $*"
	exit 1
}

# neigh NS DEV ADDR PEER-NS PEER-DEV: ADDR is PEER-DEV's MAC, for good.
neigh() {
	_mac=$(ip -n "rtpfwd-$4" -br link show "$5" | awk '{ print $3 }')
	ip -n "rtpfwd-$1" neigh replace "$3" lladdr "$_mac" dev "$2" nud permanent
}

# Fixed MAC addresses, so the static neighbours need no lookup.
mac_vc=02:00:0a:00:01:02 mac_vgc=02:00:0a:00:01:01
mac_vge=02:00:0a:00:02:01 mac_ve=02:00:0a:00:02:02

# setup: the three namespaces. One ip process per namespace, in batch mode:
# every process costs a good part of a second in the emulated VM, and
# `ip netns exec` one more.
setup() {
	ip -b - <<-IP
	netns add rtpfwd-c
	netns add rtpfwd-g
	netns add rtpfwd-e
	link add vc netns rtpfwd-c address $mac_vc type veth peer name vgc netns rtpfwd-g address $mac_vgc
	link add vge netns rtpfwd-g address $mac_vge type veth peer name ve netns rtpfwd-e address $mac_ve
	IP
	# Static neighbours: no packet may wait on (or be dropped by) ARP or ND.
	ip -n rtpfwd-c -b - <<-IP
	link set lo up
	addr add 10.0.1.2/24 dev vc
	addr add 10.0.1.3/24 dev vc
	addr add fd01::2/64 dev vc nodad
	addr add fd01::3/64 dev vc nodad
	link set vc up
	neigh replace 10.0.1.1 lladdr $mac_vgc dev vc nud permanent
	neigh replace fd01::1 lladdr $mac_vgc dev vc nud permanent
	IP
	ip -n rtpfwd-g -b - <<-IP
	link set lo up
	addr add 10.0.1.1/24 dev vgc
	addr add fd01::1/64 dev vgc nodad
	addr add 10.0.2.1/24 dev vge
	addr add fd02::1/64 dev vge nodad
	link set vgc up
	link set vge up
	neigh replace 10.0.2.2 lladdr $mac_ve dev vge nud permanent
	neigh replace fd02::2 lladdr $mac_ve dev vge nud permanent
	IP
	ip -n rtpfwd-e -b - <<-IP
	link set lo up
	addr add 10.0.2.2/24 dev ve
	addr add fd02::2/64 dev ve nodad
	link set ve up
	IP
}

# poll TRIES CMD...: run CMD every 50 ms until it succeeds, at most TRIES
# times; the status is CMD's last.
poll() {
	_tries=$1
	shift
	until "$@"; do
		_tries=$((_tries - 1))
		[ $_tries -gt 0 ] || return 1
		sleep 0.05
	done
}

# value_is WANT CMD [ARGS...]: whether CMD prints WANT; for poll, which
# must run the command on every try (a "$(cmd)" argument is read only once).
value_is() {
	_want=$1
	shift
	[ "$("$@")" = "$_want" ]
}

# in_ns PID NS: whether process PID is in namespace rtpfwd-NS (both name
# the same nsfs inode; a builtin test).
in_ns() {
	[ "/proc/$1/ns/net" -ef "/run/netns/rtpfwd-$2" ]
}

# udp_bound PID PORT: whether a UDP socket in PID's namespace, IPv4 or
# IPv6, is bound to PORT and not connected (state 07, TCP_CLOSE).
udp_bound() {
	_uport=$(printf %04X "$2")
	for _ufile in "/proc/$1/net/udp" "/proc/$1/net/udp6"; do
		while read -r _usl _ulocal _uremote _ust _urest; do
			case $_ulocal:$_ust in *":$_uport:07") return 0 ;; esac
		done <"$_ufile"
	done
	return 1
}

# listening NS PORT [PID]: whether a UDP socket in NS is bound to PORT and
# not connected (what `ss -lu` lists). Given PID, a process in NS, NS's
# tables are read through /proc/PID/net by shell builtins: in the emulated
# VM a process costs 0.1 to 0.3 s, and `ip netns exec NS ss` is two.
listening() {
	if [ -n "$3" ]; then
		in_ns "$3" "$1" && udp_bound "$3" "$2"
		return
	fi
	ip netns exec "rtpfwd-$1" ss -Hlun "sport = :$2" | grep -q .
}

# wait_udp NS PORT [PID]: poll until a UDP socket listens on PORT in NS;
# PID, the listener (already in NS or about to enter it), makes each poll
# cheap.
wait_udp() {
	poll 200 listening "$@" || fail "no listener on port $2 in ns $1"
}

# receive NS BIND COUNT [RECV-OPTIONS]: start rtp.py recv in the background,
# its line going to $tmp/recv.PORT; returns once it listens. $receiver is
# its pid, for `wait`.
receive() {
	_ns=$1 _bind=$2
	shift 2
	ip netns exec "rtpfwd-$_ns" $rtp recv "$_bind" "$@" >"$tmp/recv.${_bind##*:}" &
	receiver=$!
	bg="$bg $receiver"
	# $! is rtp.py itself: ip netns exec execs it in the same process.
	wait_udp "$_ns" "${_bind##*:}" $receiver
}

# received PORT: the line of the receiver on PORT, once it has finished.
received() {
	cat "$tmp/recv.$1"
}

# expect_received NAME PEER PACKETS BYTES OUT: wait for the receiver on
# PEER's port, which must have seen exactly PACKETS packets of BYTES bytes
# in all, every one from OUT.
expect_received() {
	wait $receiver || true
	_want="packets=$3 bytes=$4 sources=$5"
	[ "$(received "${2##*:}")" = "$_want" ] || fail "$1: receiver saw '$(received "${2##*:}")', want '$_want'"
}

# column ID N: column N of the flow's -s record in the gateway.
column() {
	g "$bin" -s flow show "$1" | cut -f "$2"
}

# expect_columns NAME ID N=WANT...: in one snapshot of the flow's -s record,
# each column N is exactly WANT.
expect_columns() {
	_name=$1 _id=$2
	shift 2
	_record=$(g "$bin" -s flow show "$_id") || fail "$_name: no flow $_id"
	for _check; do
		_got=$(printf '%s\n' "$_record" | cut -f "${_check%%=*}")
		[ "$_got" = "${_check#*=}" ] ||
			fail "$_name: flow $_id column ${_check%%=*} is '$_got', want '${_check#*=}'"
	done
}

column_is() {
	[ "$(column "$1" "$2")" = "$3" ]
}

# wait_column NAME ID N WANT: poll until the flow's column N is WANT (the
# data path counts in softirq, after the sender returned).
wait_column() {
	poll 200 column_is "$2" "$3" "$4" || fail "$1: flow $2 column $3 is '$(column "$2" "$3")', want '$4'"
}

# nsstat NS KEY: the value of KEY in NS's /proc/net/rtpfwd/stats.
nsstat() {
	ip netns exec "rtpfwd-$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/rtpfwd/stats
}

# monitor_start: `rtpfwd -s monitor` in the gateway writing $tmp/events;
# returns once it provably receives events.
monitor_start() {
	# Not through g(): $! must be the monitor itself, not a subshell.
	ip netns exec rtpfwd-g "$bin" -s monitor >"$tmp/events" 2>&1 &
	bg="$bg $!"
	monitor_probe
}

# monitor_probe: add and delete a probe flow until the monitor reports the
# deletion; every event emitted before has then been printed too.
monitor_probe() {
	_tries=0
	while :; do
		_id=$(g "$bin" flow add local 10.0.1.1:29999 out 10.0.2.1:29999 peer 10.0.2.2:29999)
		g "$bin" flow del "$_id"
		poll 4 has_event "deleted${tab}$_id${tab}request" && break
		_tries=$((_tries + 1))
		[ $_tries -lt 50 ] || fail "rtpfwd monitor never reported an event"
	done
}

# kmsg_mark TEXT: a marker line in the kernel log.
kmsg_mark() {
	echo "rtpfwd-test: $1" >/dev/kmsg
}

# kmsg_since TEXT: the module's kernel log lines after the latest marker
# TEXT, without timestamps.
kmsg_since() {
	dmesg | sed 's/^\[[^]]*\] //' |
		awk -v m="rtpfwd-test: $1" '{ l[NR] = $0 } $0 == m { s = NR }
			END { for (i = s + 1; i <= NR; i++) print l[i] }' |
		grep '^rtpfwd: ' || true
}

# reload HOOK [PARAMS...]: the module reloaded with PARAMS; it must log
# that it takes media at HOOK (and the default max_flows).
reload() {
	_hook=$1
	shift
	rmmod rtpfwd
	kmsg_mark "reload $_hook"
	insmod "$ko" "$@"
	_log=$(kmsg_since "reload $_hook")
	[ "$_log" = "rtpfwd: loaded (hook=$_hook, max_flows=1048576)" ] ||
		fail "hook=$_hook: load logged '$_log'"
}

has_event() {
	grep -qxF "$1" "$tmp/events"
}

# wait_event NAME LINE: poll until the monitor printed LINE (fields joined
# by tabs), up to 10 s.
wait_event() {
	poll 200 has_event "$2" || fail "$1: no event '$2' in: $(tr '\t' ' ' <"$tmp/events")"
}

# events ID: how many events the monitor printed for flow ID.
events() {
	awk -F '\t' -v id="$1" '$2 == id' "$tmp/events" | wc -l
}

# gateway_setup: setup, plus the routes the SIP tests need between caller
# and callee through the gateway.
gateway_setup() {
	setup
	ip -n rtpfwd-e -b - <<-IP
	neigh replace 10.0.2.1 lladdr $mac_vge dev ve nud permanent
	route add 10.0.1.0/24 via 10.0.2.1
	IP
}

# gateway_proxy_conf MODE LAST_PORT [MEDIA_TIMEOUT]: $tmp/proxy.conf for a
# sipproxyd in the gateway listening on both sides, media anchored on
# 10.0.1.1 ports 40000-LAST_PORT by the MODE relay, learning sources.
gateway_proxy_conf() {
	cat >"$tmp/proxy.conf" <<CONF
[general]
domains = localhost
log_level = info
pid_file =
[listen]
udp = 10.0.1.1:5060, 10.0.2.1:5060
[registrar]
database = $tmp/db
[media]
media_relay = $1
relay_address = 10.0.1.1
port_range = 40000-$2
source_policy = learn
media_timeout = ${3:-60s}
CONF
}
