#!/bin/sh
# REGISTER with SHA-256 digest (RFC 8760) from a real client: linphonec
# (liblinphone 5.1, Debian's linphone-cli) against a proxy that offers
# SHA-256 alone, over UDP and over TLS with a client certificate. Each
# registration is checked in linphone's own SIP log (the challenge and its
# answer carry algorithm=SHA-256 with a 64-digit response) and in the
# proxy's (401 then 200), and the binding by a sipsak OPTIONS to the AOR
# that the proxy routes to linphone, which answers it.
#
#   linphonec (alice) 127.0.0.1:PORT+11 udp --\
#   linphonec (alice) 127.0.0.1:PORT+12 tls ---- sipproxyd PORT udp, PORT+1 tls
#   sipsak OPTIONS sip:alice@localhost -------/
set -e
PORT=25960
. "$(dirname "$0")/lib/sip.sh"
need linphonec sipsak openssl

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 1 \
	-subj /CN=e2e-ca >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/req.pem" \
	-subj /CN=localhost >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n' >"$dir/san.ext"
openssl x509 -req -in "$dir/req.pem" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
	-out "$dir/cert.pem" -days 1 -extfile "$dir/san.ext" >/dev/null 2>&1

PROXY_TLS=1 proxy_start "algorithms = SHA-256"

# linphone keeps its databases under $HOME and hangs in start-up when
# their directory is missing.
export HOME="$dir/home"
mkdir -p "$HOME/.local/share/linphone"

# linphone_start NAME TRANSPORT UDP_PORT TLS_PORT PROXY_PORT: linphonec
# registering alice over TRANSPORT, reading commands from the fifo on fd 3
# (a closed stdin would end it), logging SIP to $dir/NAME.log. The proxy
# is named localhost: belle-sip matches a host against the certificate's
# CN and DNS names only (for 127.0.0.1 it says CN-mismatch).
linphone_start() {
	cat >"$dir/$1.rc" <<RC
[sip]
sip_port=$3
sip_tcp_port=0
sip_tls_port=$4
default_proxy=0
root_ca=$dir/ca.pem
client_cert_chain=$dir/cert.pem
client_cert_key=$dir/key.pem
[proxy_0]
reg_proxy=<sip:localhost:$5;transport=$2>
reg_identity=sip:alice@localhost
reg_expires=300
reg_sendregister=1
[auth_info_0]
username=alice
passwd=alicepw
realm=localhost
domain=localhost
RC
	rm -f "$dir/$1.fifo"
	mkfifo "$dir/$1.fifo"
	timeout 20 linphonec -c "$dir/$1.rc" -d 6 -l "$dir/$1.log" <"$dir/$1.fifo" \
		>"$dir/$1.out" 2>&1 &
	linphone_pid=$!
	pids="$pids $linphone_pid"
	exec 3>"$dir/$1.fifo"
}

# linphone_stop: quit (linphone unregisters first and waits for the 200)
# and wait for the exit.
linphone_stop() {
	echo quit >&3
	exec 3>&-
	wait "$linphone_pid"
}

# The digest lines in linphone's log of its SIP traffic: one challenge
# with SHA-256 only, one answer with SHA-256 and a 64 hex digit response.
digest_seen() {
	grep -c '^WWW-Authenticate: Digest .*algorithm=SHA-256' "$dir/$1.log" | tr '\n' ' '
	grep -c '^WWW-Authenticate: Digest .*algorithm=MD5' "$dir/$1.log" | tr '\n' ' '
	grep '^Authorization: ' "$dir/$1.log" | grep -c 'algorithm=SHA-256.*response="[0-9a-f]\{64\}"'
}

options_alice() { sip_status -s sip:alice@localhost -p 127.0.0.1; }

linphone_start udp udp $((PORT + 11)) 0 "$PORT"
check "linphone registers over UDP: 200" \
	wait_log "REGISTER sip:localhost from UDP 127.0.0.1:$((PORT + 11)): 200 OK"
check_eq "one SHA-256 challenge, no MD5 one, one SHA-256 answer (UDP)" "1 0 1" "$(digest_seen udp)"
check_eq "OPTIONS to alice reaches linphone over UDP: 200" 200 "$(options_alice)"
check "linphonec quits (UDP)" linphone_stop
check_eq "two 200s to linphone's REGISTERs: the registration, the removal on quit" 2 \
	"$(grep -c "REGISTER sip:localhost from UDP 127.0.0.1:$((PORT + 11)): 200 OK" "$dir/proxy.log")"

linphone_start tls tls 0 $((PORT + 12)) $((PORT + 1))
check "linphone registers over TLS (client certificate verified): 200" \
	wait_log "REGISTER sip:localhost from TLS .*: 200 OK"
check_eq "one SHA-256 challenge, no MD5 one, one SHA-256 answer (TLS)" "1 0 1" "$(digest_seen tls)"
check_eq "OPTIONS to alice reaches linphone over TLS: 200" 200 "$(options_alice)"
check "linphonec quits (TLS)" linphone_stop
stats
check_eq "no binding left, no auth failure, no TLS handshake failure" "0 0 0" \
	"$(counter bindings) $(counter auth_failures) $(counter tls_handshake)"
