#!/bin/sh
# REGISTER with digest authentication (RFC 3261 10 and 22, RFC 8760):
# sipsak answers the MD5 challenge, a python3 client the SHA-256 one
# (sipsak and SIPp 3.6.1 only do MD5; a real client, linphonec, answers
# SHA-256 in register_linphone.sh); a wrong password is refused and
# counted; short expiry gets 423; Contact: * removes every binding.
set -e
PORT=25060
. "$(dirname "$0")/lib/sip.sh"
need sipp sipsak python3

proxy_start
# Offering both, SHA-256 first: sipsak takes the first challenge, so it
# is checked against a proxy offering MD5 alone further down.
check "REGISTER with SHA-256 digest gets 200" \
	client --user alice --password alicepw --algorithm SHA-256 register sip:alice@127.0.0.1:25072
check "REGISTER with MD5 digest, SHA-256 also offered, gets 200" \
	client --user carol --password carolpw --algorithm MD5 register sip:carol@127.0.0.1:25073
check "REGISTER as someone else's AOR is 403" \
	client --user carol --password carolpw --expect 403 register sip:carol@127.0.0.1:25074 \
	--user-aor bob
kill "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true
# The same database: the bindings above survive the restart.
proxy_start "algorithms = MD5"
check "REGISTER with MD5 digest (sipsak) gets 200" \
	register bob sip:bob@127.0.0.1:25070
if register bob sip:bob@127.0.0.1:25070 -a wrong; then
	not_ok "REGISTER with a wrong password is refused"
else
	ok "REGISTER with a wrong password is refused"
fi
if sipsak -U -i -C sip:bob@127.0.0.1:25071 -s sip:bob@localhost -r $PORT -u bob -a bobpw \
	-x 10 >"$dir/short.log" 2>&1; then
	not_ok "REGISTER for 10 s gets 423"
else
	check "REGISTER for 10 s gets 423 with Min-Expires: 60" grep -q "Min-Expires: 60" "$dir/short.log"
fi
stats
check_eq "one registration counted" 1 "$(counter registrations)"
check_eq "bindings of alice and carol kept across the restart, bob's added" 3 "$(counter bindings)"
check_eq "wrong password counted as one auth failure" 1 "$(counter auth_failures)"
check "Contact: * with Expires: 0 removes bob's bindings" \
	client --user bob --password bobpw --algorithm MD5 register '*' 0
stats
check_eq "two bindings left" 2 "$(counter bindings)"
check_eq "no parse drops" 0 "$(counter parse)"
