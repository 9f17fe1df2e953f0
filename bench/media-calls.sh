# shellcheck shell=sh disable=SC2154
# Sourced by bench/media.sh and bench/media-cost.sh (inside the VM, as
# root): the calls both run. Three namespaces on two veths, sipproxyd in
# the middle, build/bench/mediacall at both ends:
#
#   caller (ns mc-c)           gateway (ns mc-g): sipproxyd        callee (ns mc-e)
#   SIP 10.0.1.2:5080 ---> 10.0.1.1:5060     10.0.2.1:5060 ---> 10.0.2.2:5070
#   RTP 10.0.1.2:6000 <--> 10.0.1.1:x [relay] 10.0.1.1:y <-------> 10.0.2.2:7000
#   (setup_direct: a third veth, dc -- de, that carries the ends' SIP and
#    media straight to each other: what the ends cost without a gateway)
#
# The sourcing script sets top, secs (seconds of media per step), gwcpu
# (the gateway's CPU: sipproxyd and the gateway veths' RPS) and ecpu (the
# callee's CPU; the caller is on CPU 0) first. run_calls MODE N sets N
# calls up through MODE (kernel, userspace or direct), pumps media for
# secs seconds and BYEs them; the two ends' reports are then in $tmp/uac
# and $tmp/uas (see bench/src/mediacall.c).
B=$top/build/bench
sipproxyd=$top/userspace/sipproxyd/sipproxyd
# shellcheck disable=SC2034 # the sourcing scripts load it
ko=${RTPFWD_KO:-$top/build/kmod/$(uname -r)/kmod/rtpfwd.ko}
tmp=$(mktemp -d)
loaded=
proxy=

c() { ip netns exec mc-c "$@"; }
g() { ip netns exec mc-g "$@"; }
e() { ip netns exec mc-e "$@"; }

cleanup() {
	for n in mc-c mc-g mc-e; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done
	for n in mc-c mc-g mc-e; do ip netns del "$n" 2>/dev/null; done
	[ -z "$loaded" ] || rmmod rtpfwd
	rm -rf "$tmp"
}
trap cleanup EXIT

# poll TRIES CMD...: CMD every 50 ms until it succeeds, at most TRIES times.
poll() {
	_n=$1
	shift
	while ! "$@"; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.05
	done
}

# none_left MODE: nothing of any call is left (a function, so poll re-reads it).
none_left() {
	[ "$(leftovers "$1")" = 0 ]
}

setup() {
	for n in mc-c mc-g mc-e; do ip netns add $n; ip -n $n link set lo up; done
	ip link add vc netns mc-c type veth peer name vgc netns mc-g
	ip link add vge netns mc-g type veth peer name ve netns mc-e
	ip -n mc-c addr add 10.0.1.2/24 dev vc
	ip -n mc-g addr add 10.0.1.1/24 dev vgc
	ip -n mc-g addr add 10.0.2.1/24 dev vge
	ip -n mc-e addr add 10.0.2.2/24 dev ve
	for l in "mc-c vc" "mc-g vgc" "mc-g vge" "mc-e ve"; do set -- $l; ip -n $1 link set $2 up; done
	e ip route add 10.0.1.0/24 via 10.0.2.1
	# Static neighbours: no packet waits on (or is dropped by) ARP.
	ip -n mc-c neigh replace 10.0.1.1 lladdr "$(ip -n mc-g -br link show vgc | awk '{print $3}')" \
		dev vc nud permanent
	ip -n mc-e neigh replace 10.0.2.1 lladdr "$(ip -n mc-g -br link show vge | awk '{print $3}')" \
		dev ve nud permanent
	ip -n mc-g neigh replace 10.0.1.2 lladdr "$(ip -n mc-c -br link show vc | awk '{print $3}')" \
		dev vgc nud permanent
	ip -n mc-g neigh replace 10.0.2.2 lladdr "$(ip -n mc-e -br link show ve | awk '{print $3}')" \
		dev vge nud permanent
	# RPS masks: the gateway's CPU receives for the gateway, the ends' CPUs
	# for them.
	# A vCPU the host does not run for a while (TCG, shared host) must not
	# cost packets in the RPS backlog of 1000 the other vCPU queues into.
	sysctl -qw net.core.netdev_max_backlog=100000
	# A softirq round ends after 2 ms (netdev_budget_usecs) of jiffies: a
	# quota stall of vCPU 1 inside a round (up to 10 ms) would end it after
	# a packet or two, and the rest wait for ksoftirqd.
	sysctl -qw net.core.netdev_budget_usecs=20000
	# With one vCPU (bench/media-cost.sh) there is nothing to steer.
	[ "$gwcpu" != "$ecpu" ] || return 0
	g sh -c "echo $((1 << gwcpu)) >/sys/class/net/vgc/queues/rx-0/rps_cpus"
	g sh -c "echo $((1 << gwcpu)) >/sys/class/net/vge/queues/rx-0/rps_cpus"
	c sh -c 'echo 1 >/sys/class/net/vc/queues/rx-0/rps_cpus'
	e sh -c "echo $((1 << ecpu)) >/sys/class/net/ve/queues/rx-0/rps_cpus"
}

# The bench's own limits: 2 legs x (RTP + RTCP) = 4 ports per call, 10,000
# calls' worth; the caller is a trusted peer (no digest round trip); logs at
# notice, so nothing per call or per packet is written.
proxy_start() {	# proxy_start MODE
	cat >"$tmp/proxy.conf" <<CONF
[general]
domains = proxy.bench
log_level = notice
pid_file =
[listen]
udp = 10.0.1.1:5060, 10.0.2.1:5060
tcp =
[limits]
max_transactions = 100000
[registrar]
database =
[auth]
trusted_peers = 10.0.1.0/24
[routes]
callee.bench = sip:10.0.2.2:5070
[media]
media_relay = $1
relay_address = 10.0.1.1
port_range = 20000-59999
source_policy = learn
media_timeout = 10m
CONF
	: >"$tmp/proxy.log"
	# The userspace relay holds 4 sockets per call.
	ulimit -n 65536
	ip netns exec mc-g taskset -c "$gwcpu" "$sipproxyd" -c "$tmp/proxy.conf" -f >>"$tmp/proxy.log" 2>&1 &
	proxy=$!
	poll 600 grep -q "notice: started" "$tmp/proxy.log" ||
		{ echo "bench: sipproxyd did not start: $(tail -3 "$tmp/proxy.log")" >&2; exit 1; }
	grep -q "relay backend $1" "$tmp/proxy.log" ||
		{ echo "bench: sipproxyd did not take the $1 relay" >&2; exit 1; }
}

gone() {	# gone PID: exited (a zombie until waited for counts)
	case $(ps -o stat= -p "$1") in "" | Z*) return 0 ;; esac
	return 1
}

proxy_stop() {
	kill "$proxy"
	if ! poll 200 gone "$proxy"; then
		echo "# sipproxyd did not exit within 10 s of SIGTERM: killed"
		kill -9 "$proxy"
	fi
	wait "$proxy" 2>/dev/null || true
}

# What a step left behind in the relay: kernel flows or relay sockets.
leftovers() {
	if [ "$1" = direct ]; then
		echo 0
	elif [ "$1" = kernel ]; then
		g awk 'NR > 1' /proc/net/rtpfwd/flows | wc -l
	else
		g ss -Huan "sport >= :20000 and sport <= :59999" | wc -l
	fi
}

# drops: packets dropped where the bench can see it, as "backlog B caller C
# gateway G callee E": per-CPU input backlogs full (/proc/net/softnet_stat)
# and UDP receive queues full in each namespace (Udp RcvbufErrors).
drops() {
	_b=0
	for _h in $(awk '{ print $2 }' /proc/net/softnet_stat); do _b=$((_b + 0x$_h)); done
	printf 'backlog %d' $_b
	for _n in caller:mc-c gateway:mc-g callee:mc-e; do
		printf ' %s %d' "${_n%%:*}" "$(ip netns exec "${_n#*:}" awk '$1 == "Udp:" {
			if (!col) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") col = i }
			else print $col }' /proc/net/snmp)"
	done
	echo
}


# setup_direct: the ends' own link, used only while a direct step runs
# (host routes to each other over it, static neighbours).
setup_direct() {
	ip link add dc netns mc-c type veth peer name de netns mc-e
	ip -n mc-c link set dc up
	ip -n mc-e link set de up
	ip -n mc-c neigh replace 10.0.2.2 lladdr "$(ip -n mc-e -br link show de | awk '{print $3}')" \
		dev dc nud permanent
	ip -n mc-e neigh replace 10.0.1.2 lladdr "$(ip -n mc-c -br link show dc | awk '{print $3}')" \
		dev de nud permanent
}

# run_calls MODE N: N calls through sipproxyd (already started in MODE),
# or straight from end to end (MODE direct, setup_direct done).
run_calls() {
	_via=10.0.1.1:5060
	_watch=$proxy
	rm -f "$tmp/go"
	mkfifo "$tmp/go"
	ip netns exec mc-e taskset -c "$ecpu" "$B/mediacall" uas -l 10.0.2.2:5070 -m 10.0.2.2:7000 -n "$2" \
		-g "$tmp/go" >"$tmp/uas" 2>"$tmp/uas.err" &
	uas=$!
	if [ "$1" = direct ]; then
		_via=10.0.2.2:5070
		_watch=$uas
		c ip route replace 10.0.2.2/32 dev dc
		e ip route replace 10.0.1.2/32 dev de
	fi
	poll 200 sh -c 'ip netns exec mc-e ss -Huln "sport = :5070" | grep -q .'
	c taskset -c 0 "$B/mediacall" uac -l 10.0.1.2:5080 -m 10.0.1.2:6000 -p "$_via" -d callee.bench \
		-n "$2" -t "$secs" -g "$tmp/go" -W "$_watch,$uas" >"$tmp/uac" 2>"$tmp/uac.err" || true
	# A caller that never said go leaves the callee waiting for it.
	grep -q '^uac ' "$tmp/uac" || kill "$uas" 2>/dev/null || true
	wait "$uas" 2>/dev/null || true
	if [ "$1" = direct ]; then
		c ip route del 10.0.2.2/32 dev dc
		e ip route del 10.0.1.2/32 dev de
	fi
	poll 200 none_left "$1" ||
		echo "# $1 $2: $(leftovers "$1") flows or sockets left after the BYEs"
}
