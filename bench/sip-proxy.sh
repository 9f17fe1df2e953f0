#!/bin/sh
# bench: host
# sipproxyd against Kamailio 5.6 on the same SIPp load, host loopback:
#
#   SIPp UAC :PORT+9 --INVITE--> sipproxyd :PORT --INVITE--> SIPp UAS :PORT+10
#                  \-----------> Kamailio  :PORT+1 -----/      (bob@localhost)
#   SIPp REGISTER :PORT+11 ---> the proxy (401, REGISTER with MD5 digest, 200)
#
# Both proxies run side by side and bob registers with each. A call-rate
# ramp (STEP seconds per rate) alternates between them, sipproxyd then
# Kamailio at each rate, so both see the same host load however it drifts
# (the host is shared); a proxy leaves the ramp when its calls fail or its
# load falls short of the rate asked for (the generator or the proxy
# saturated), or when RATES ends. Then REGS users register with digest at
# REG_RATE, with each proxy in turn. Printed: per step the calls that
# succeeded and failed, the rate reached, the proxy's CPU (utime + stime
# of every process, from /proc/PID/stat) per call and its CPU share; then
# the sustained rate, CPU per registration and memory per registered
# contact (sipproxyd: its registrar's binding_bytes counter; Kamailio: the
# growth of shared memory in use, where usrloc keeps contacts). The SDP
# offers and answers have port 0: Kamailio relays no media here, and
# sipproxyd anchors none for a rejected stream, so both do SIP alone.
# A comparison within one run, never a timed test.
#
#   bench/sip-proxy.sh    env: RATES STEP REGS REG_RATE PORT KEEP
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/bench/sip-proxy
bin=$top/userspace/sipproxyd/sipproxyd
RATES=${RATES:-500 1000 1500 2000 2500 3000 3500 4000 5000}
STEP=${STEP:-5}
REGS=${REGS:-10000}
REG_RATE=${REG_RATE:-1000}
# Below the default media port_range (30000-39999) and the kernel's
# ephemeral ports: other sipproxyd instances on the host (tests, other
# benches) allocate relay ports in that range and once took this one.
PORT=${PORT:-28060}
KEEP=${KEEP:-}
hz=$(getconf CLK_TCK)
# SIPp socket buffers: the kernel caps them at net.core.[rw]mem_max.
buf=4194304

sipproxyd_port=$PORT
kamailio_port=$((PORT + 1))
uac_port=$((PORT + 9))
uas_port=$((PORT + 10))
reg_port=$((PORT + 11))

command -v kamailio >/dev/null 2>&1 || "$top/scripts/install-deps.sh" bench
for t in sipp kamailio kamcmd; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench: build sipproxyd first (make userspace)" >&2; exit 1; }

dir=$(mktemp -d /tmp/sipproxy-bench.XXXXXX)
sipproxyd_pid=
kamailio_pid=
uas_pid=

cleanup() {
	for p in $uas_pid $sipproxyd_pid $kamailio_pid; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	[ -n "$KEEP" ] || rm -rf "$dir"
}
trap cleanup EXIT

# ---- users: the same passwords for both proxies ----

# bob answers the calls; user00001.. register in the REGISTER run.
write_users() {
	mkdir "$dir/db"
	printf "id(int,auto) table_name(string) table_version(int) \n1:htable:2\n" >"$dir/db/version"
	awk -v n="$REGS" -v d="$dir" -v uas="$uas_port" 'BEGIN {
		creds = d "/credentials"; ht = d "/db/htable"
		print "id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) " > ht
		print "bob@localhost:plain:bobpw" > creds
		print "1:bob:0:0:bobpw:0" > ht
		print "SEQUENTIAL" > d "/bob.csv"
		print "bob;" uas ";[authentication username=bob password=bobpw]" > d "/bob.csv"
		print "SEQUENTIAL" > d "/users.csv"
		for (i = 1; i <= n; i++) {
			u = sprintf("user%05d", i); p = sprintf("pw%05d", i)
			print u "@localhost:plain:" p > creds
			print i + 1 ":" u ":0:0:" p ":0" > ht
			print u ";" 40000 + i % 20000 ";[authentication username=" u " password=" p "]" > d "/users.csv"
		}
	}'
}

# ---- the proxies ----

start_sipproxyd() {
	cat >"$dir/sipproxyd.conf" <<CONF
[general]
domains = localhost
log_level = notice
pid_file =
[listen]
udp = 127.0.0.1:$sipproxyd_port
tcp =
[limits]
max_transactions = 1000000
[registrar]
database =
max_expires = 86400
[auth]
credentials_file = $dir/credentials
algorithms = MD5
CONF
	"$bin" -c "$dir/sipproxyd.conf" -f >"$dir/sipproxyd.log" 2>&1 &
	sipproxyd_pid=$!
	wait_ready sipproxyd
}

start_kamailio() {
	sed -e "s|@PORT@|$kamailio_port|g" -e "s|@DIR@|$dir|g" -e "s|@CHILDREN@|$(nproc)|g" \
		-e "s|@MODULES@|$(kamailio_modules)|g" "$here/kamailio.cfg" >"$dir/kamailio.cfg"
	kamailio -DD -E -m 512 -M 32 -f "$dir/kamailio.cfg" -P "$dir/kamailio.pid" \
		-Y "$dir" >"$dir/kamailio.log" 2>&1 &
	kamailio_pid=$!
	wait_ready kamailio
}

kamailio_modules() {
	for d in /usr/lib/x86_64-linux-gnu/kamailio/modules /usr/lib/kamailio/modules; do
		[ -e "$d/tm.so" ] && { echo "$d"; return; }
	done
	echo "bench: no Kamailio modules directory" >&2
	exit 1
}

# The UDP socket bound; for Kamailio also its RPC answering (children forked).
wait_ready() {
	i=0
	until [ -n "$(ss -Hlun "sport = :$(port_of "$1")")" ] && { [ "$1" != kamailio ] ||
		rpc core.uptime >/dev/null 2>&1; }; do
		kill -0 "$(pid_of "$1")" 2>/dev/null || { echo "bench: $1 exited" >&2; cat "$dir/$1.log" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: $1 not ready" >&2; exit 1; }
		sleep 0.1
	done
}

pid_of() { eval "echo \$${1}_pid"; }
port_of() { eval "echo \$${1}_port"; }

# ---- measurements ----

# The proxy's processes: sipproxyd alone, Kamailio's main one and its children.
proxy_pids() {
	pid_of "$1"
	pgrep -P "$(pid_of "$1")" || true
}

# CPU ticks (utime + stime) of every process of proxy $1 so far.
cpu_ticks() {
	for p in $(proxy_pids "$1"); do
		sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# What the registered contacts cost: sipproxyd's registrar accounting
# (binding_bytes of its SIGUSR1 counters); for Kamailio the shared memory
# in use (usrloc keeps contacts there) once tm holds no transaction.
memory_bytes() {
	case $1 in
	sipproxyd)
		n=$(grep -c "stats: registrations" "$dir/sipproxyd.log" || true)
		kill -USR1 "$sipproxyd_pid"
		i=0
		while [ "$(grep -c "stats: registrations" "$dir/sipproxyd.log")" -le "$n" ]; do
			i=$((i + 1))
			[ $i -lt 100 ] || { echo "bench: sipproxyd logs no counters" >&2; exit 1; }
			sleep 0.05
		done
		grep "stats: registrations" "$dir/sipproxyd.log" | tail -n 1 |
			sed 's/.* binding_bytes \([0-9]*\).*/\1/'
		;;
	kamailio)
		i=0
		while [ "$(rpc tm.stats | awk '$1 == "current:" { print $2 }')" != 0 ]; do
			i=$((i + 1))
			[ $i -lt 300 ] || { echo "bench: Kamailio keeps transactions" >&2; exit 1; }
			sleep 0.1
		done
		rpc core.shmmem | awk '$1 == "used:" { print $2 }'
		;;
	esac
}

rpc() { kamcmd -s "unix:$dir/kamailio.ctl" "$@"; }

# "successful failed" calls of a SIPp run, from its statistics file.
sipp_counts() {
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		END { print $col["SuccessfulCall(C)"] + 0, $col["FailedCall(C)"] + 0 }' "$1"
}

# sipp_run PROXY NAME SCENARIO ARGS...: a bounded SIPp client run against PROXY.
sipp_run() {
	_p=$(port_of "$1")
	_n=$2
	_s=$3
	shift 3
	rm -f "$dir/stat-$_n.csv"
	timeout 120 sipp -sf "$here/$_s.xml" 127.0.0.1:$_p -i 127.0.0.1 -nostdin -buff_size $buf \
		-key domain localhost -timeout 60s -timeout_error -trace_stat -fd 3600 \
		-stf "$dir/stat-$_n.csv" -trace_err -error_file "$dir/$_n.err" "$@" >"$dir/$_n.out" 2>&1 || true
}

# ---- the runs ----

# step NAME RATE: STEP seconds of calls at RATE through proxy NAME, one
# line; sets us_NAME_RATE (CPU microseconds per call) and returns 1 when
# the proxy is done (calls failed, or the load fell short: saturated).
step() {
	calls=$(($2 * STEP))
	c0=$(cpu_ticks "$1")
	t0=$(now_ms)
	sipp_run "$1" "calls-$1-$2" uac_call -p "$uac_port" -s bob -key from alice@example.org \
		-r "$2" -m "$calls" -l $(($2 * 4))
	t1=$(now_ms)
	c1=$(cpu_ticks "$1")
	ok=$(sipp_counts "$dir/stat-calls-$1-$2.csv" | cut -d' ' -f1)
	failed=$((calls - ok))
	reached=$((ok * 1000 / (t1 - t0)))
	us=$(((c1 - c0) * 1000000 / hz / (ok > 0 ? ok : 1)))
	cpu=$(((c1 - c0) * 100 * 1000 / hz / (t1 - t0)))
	eval "us_${1}_$2=$us"
	printf '%-10s %6d %8d %7d %8d %9d %5d%%\n' "$1" "$2" "$ok" "$failed" "$reached" "$us" "$cpu"
	[ "$failed" = 0 ] && [ $((reached * 100)) -ge $(($2 * 90)) ]
}

# The rate ramp, the proxies taking turns at each rate; sets best_NAME
# (the highest rate NAME sustained).
ramp() {
	best_sipproxyd=0
	best_kamailio=0
	going="sipproxyd kamailio"
	for r in $RATES; do
		still=
		for px in $going; do
			if step "$px" "$r"; then
				eval "best_$px=$r"
				still="$still $px"
			fi
		done
		going=$still
		[ -n "$going" ] || return 0
	done
}

# register NAME: REGS users register at REG_RATE; sets reg_us_NAME,
# reg_bytes_NAME, reg_failed_NAME.
register() {
	m0=$(memory_bytes "$1")
	c0=$(cpu_ticks "$1")
	sipp_run "$1" "regs-$1" register_auth -p "$reg_port" -inf "$dir/users.csv" \
		-r "$REG_RATE" -m "$REGS" -l $((REG_RATE * 4))
	c1=$(cpu_ticks "$1")
	m1=$(memory_bytes "$1")
	ok=$(sipp_counts "$dir/stat-regs-$1.csv" | cut -d' ' -f1)
	eval "reg_failed_$1=$((REGS - ok))"
	eval "reg_us_$1=$(((c1 - c0) * 1000000 / hz / (ok > 0 ? ok : 1)))"
	eval "reg_bytes_$1=$(((m1 - m0) / (ok > 0 ? ok : 1)))"
}

# Both proxies up, bob registered with each, his UAS answering for both.
start_all() {
	for px in sipproxyd kamailio; do
		"start_$px"
		sipp_run "$px" "bob-$px" register_auth -p "$reg_port" -inf "$dir/bob.csv" -m 1
		[ "$(sipp_counts "$dir/stat-bob-$px.csv" | cut -d' ' -f1)" = 1 ] ||
			{ echo "bench: bob cannot register with $px" >&2; cat "$dir/bob-$px.err" >&2; exit 1; }
	done
	sipp -sf "$here/uas_answer.xml" -i 127.0.0.1 -p "$uas_port" -nostdin -buff_size $buf \
		>/dev/null 2>"$dir/uas.err" &
	uas_pid=$!
}

write_users
echo "# calls: INVITE/100/200/ACK/BYE/200 via the proxy, $STEP s per rate; UDP on 127.0.0.1;" \
	"net.core.rmem_max $(cat /proc/sys/net/core/rmem_max); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %6s %8s %7s %8s %9s %6s\n' proxy rate calls failed calls/s us/call cpu
start_all
ramp
register sipproxyd
register kamailio

# The highest rate both sustained: where CPU per call compares.
common=$((best_sipproxyd < best_kamailio ? best_sipproxyd : best_kamailio))
echo
echo "# summary: calls at the highest rate both sustained ($common/s); $REGS registrations with MD5 digest at $REG_RATE/s"
printf '%-10s %10s %13s %14s %12s %14s\n' proxy "max calls/s" "us/call@$common" "us/register" "reg failed" "bytes/contact"
for px in sipproxyd kamailio; do
	eval "printf '%-10s %10d %13s %14d %12d %14d\\n' $px \$best_$px \${us_${px}_$common:--} \
		\$reg_us_$px \$reg_failed_$px \$reg_bytes_$px"
done
if [ "$common" -gt 0 ]; then
	eval "a=\$us_sipproxyd_$common b=\$us_kamailio_$common"
	[ "$b" -gt 0 ] && echo "# CPU per call, sipproxyd / kamailio: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
fi
