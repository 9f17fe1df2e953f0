# Helpers for the end-to-end scripts: a sipproxyd on loopback with SIPp and
# sipsak as its peers. Source after setting PORT (the proxy's port; each
# script owns PORT..PORT+19). POSIX sh, set -e safe.
#
#   uac (SIPp) --\                     /-- uas (SIPp) PORT+10...
#   sipsak ------- sipproxyd 127.0.0.1:PORT (udp, tcp; tls PORT+1)
#
# Every check prints one TAP line; cleanup from trap kills what we started.

top=$(cd "$(dirname "$0")/../.." && pwd)
scen=$top/tests/e2e/scenarios
bin=$top/userspace/sipproxyd/sipproxyd
dir=$(mktemp -d /tmp/sipproxy-e2e.XXXXXX)
pids=
failed=0

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	if [ "$failed" != 0 ] && [ -f "$dir/proxy.log" ]; then
		sed 's/^/# proxy: /' "$dir/proxy.log" | tail -40
	fi
	[ -n "$KEEP" ] || rm -rf "$dir"
	# A failed check fails the script too, so the runner reports it even
	# if its TAP line came out mangled.
	[ "$failed" = 0 ] || exit 1
}
trap cleanup EXIT

skip_all() {
	echo "ok - $1 # SKIP $2"
	exit 0
}

need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip_all "$(basename "$0")" "$t missing"
	done
}

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

# sipp_errors FILE WHO: the end of a SIPp error file as TAP comments, one
# entry a line. SIPp ends neither its entries nor the file with a newline:
# left so, the TAP line printed next was glued to the comment and lost.
sipp_errors() {
	[ -s "$1" ] || return 0
	tail -c 1000 "$1" | tr -d '\r' |
		sed -E 's/([0-9]{4}-[0-9]{2}-[0-9]{2}	[0-9:.]+	)/\n\1/g' |
		awk -v who="$2" 'NF { print "# " who ": " $0 }'
}

# check NAME CMD...: one TAP line for CMD's exit status.
check() {
	_n=$1
	shift
	if "$@"; then ok "$_n"; else not_ok "$_n"; fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want '$2', got '$3')"; fi
}

# The users every script may use: plain passwords, realm localhost.
write_credentials() {
	printf 'alice@localhost:plain:alicepw\nbob@localhost:plain:bobpw\ncarol@localhost:plain:carolpw\n' \
		>"$dir/credentials"
}

# proxy_start [EXTRA CONFIG LINES]: sipproxyd in the foreground, logging to
# $dir/proxy.log; returns once it logged "started". With PROXY_TLS set it
# also listens for TLS on PORT+1 with $dir/cert.pem, key.pem and ca.pem,
# requiring client certificates unless PROXY_TLS_VERIFY=no.
proxy_start() {
	write_credentials
	tls=
	[ -z "$PROXY_TLS" ] || tls="tls = 127.0.0.1:$((PORT + 1)), [::1]:$((PORT + 1))
[tls]
certificate = $dir/cert.pem
private_key = $dir/key.pem
ca_file = $dir/ca.pem
verify_peer = ${PROXY_TLS_VERIFY:-yes}"
	cat >"$dir/proxy.conf" <<CONF
[general]
domains = localhost
mode = ${PROXY_MODE:-proxy}
log_level = info
pid_file =
[listen]
udp = 127.0.0.1:$PORT, [::1]:$PORT
tcp = 127.0.0.1:$PORT, [::1]:$PORT
$tls
[registrar]
database = $dir/registrar.db
[auth]
credentials_file = $dir/credentials
CONF
	printf '%s\n' "$@" >>"$dir/proxy.conf"
	stats_n=0
	"$bin" -c "$dir/proxy.conf" -f >"$dir/proxy.log" 2>&1 &
	proxy_pid=$!
	pids="$pids $proxy_pid"
	wait_log "notice: started" || { cat "$dir/proxy.log"; return 1; }
}

# wait_log PATTERN [COUNT]: poll the proxy log until PATTERN appears COUNT
# times (10 s); a log not written yet counts as no match.
wait_log() {
	_i=0
	while :; do
		_seen=$(grep -c -- "$1" "$dir/proxy.log" 2>/dev/null) || true
		[ "${_seen:-0}" -lt "${2:-1}" ] || return 0
		_i=$((_i + 1))
		[ $_i -le 200 ] || return 1
		sleep 0.05
	done
}

# stats: SIGUSR1 and the counter lines it logs, into $dir/stats.
stats_n=0
stats() {
	stats_n=$((stats_n + 1))
	kill -USR1 "$proxy_pid"
	wait_log "stats: drops" "$stats_n"
	grep "stats:" "$dir/proxy.log" | tail -5 >"$dir/stats"
}

# counter NAME [FIELD]: the number after NAME in the last stats lines.
counter() {
	tr ' ' '\n' <"$dir/stats" | grep -A1 -x -- "$1" | tail -1
}

# sip_status ARGS...: the status code of the final response sipsak got.
sip_status() {
	sipsak -vv -r "$PORT" "$@" 2>&1 | grep -m1 '^SIP/2.0 [2-6]' | cut -d' ' -f2
}

# message FROM TO TEXT: a MESSAGE (RFC 3428) sent by sipsak; prints the status.
message() {
	cat >"$dir/message.txt" <<MSG
MESSAGE sip:$2 SIP/2.0
From: <sip:$1>;tag=m$$
To: <sip:$2>
Call-ID: message-$$-$(date +%s%N)@127.0.0.1
CSeq: 1 MESSAGE
Max-Forwards: 70
Content-Type: text/plain
Content-Length: ${#3}

$3
MSG
	sip_status -f "$dir/message.txt" -s "sip:$2" -p 127.0.0.1
}

# register USER CONTACT [SIPSAK ARGS]: REGISTER with sipsak, digest MD5.
register() {
	_u=$1
	_c=$2
	shift 2
	sipsak -U -i -C "$_c" -s "sip:$_u@localhost" -r "$PORT" -u "$_u" -a "${_u}pw" -x 300 \
		"$@" >>"$dir/sipsak.log" 2>&1
}

# uas SCENARIO PORT [SIPP ARGS]: a SIPp UAS on $SIP_IP (127.0.0.1 unless
# set) in the background, one call; killed after $UAS_TIMEOUT s (30).
uas() {
	_s=$1
	_p=$2
	shift 2
	timeout "${UAS_TIMEOUT:-30}" sipp -sf "$scen/$_s.xml" -i "${SIP_IP:-127.0.0.1}" -p "$_p" -m 1 -nostdin \
		-trace_err -error_file "$dir/uas-$_p.err" "$@" >"$dir/uas-$_p.out" 2>&1 &
	eval "uas_pid_$_p=$!"
	pids="$pids $!"
}

# uas_wait PORT: the UAS's exit status.
uas_wait() {
	eval "_pid=\$uas_pid_$1"
	_rc=0
	wait "$_pid" || _rc=$?
	[ $_rc = 0 ] || sipp_errors "$dir/uas-$1.err" "uas $1"
	return $_rc
}

# The proxy's address on $SIP_IP's family, as SIPp and sipclient.py take it.
proxy_addr() {
	case ${SIP_IP:-127.0.0.1} in
	*:*) echo "[::1]:$PORT" ;;
	*) echo "127.0.0.1:$PORT" ;;
	esac
}

# client ARGS...: the python3 UA (SHA-256, TLS) talking to the proxy.
client() { python3 "$top/tests/e2e/lib/sipclient.py" --proxy "$(proxy_addr)" "$@"; }

# uac SCENARIO CALLEE [SIPP ARGS]: a SIPp UAC through the proxy, calling
# from $UAC_FROM (alice@localhost unless set).
uac() {
	_s=$1
	_callee=$2
	shift 2
	_rc=0
	timeout 30 sipp -sf "$scen/$_s.xml" "$(proxy_addr)" -i "${SIP_IP:-127.0.0.1}" -p $((PORT + 9)) \
		-s "$_callee" -key domain localhost -key from "${UAC_FROM:-alice@localhost}" -d 100 -m 1 -nostdin \
		-timeout 10s -timeout_error -trace_err -error_file "$dir/uac.err" "$@" \
		>"$dir/uac.out" 2>&1 || _rc=$?
	[ $_rc = 0 ] || sipp_errors "$dir/uac.err" uac
	return $_rc
}
