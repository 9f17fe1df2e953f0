#!/bin/sh
# A CANCEL that matches no transaction and no stored call (RFC 3261 16.10)
# is forwarded statelessly (16.11), routed as any request, to one target:
# to bob's registered contact, to a [routes] next hop for example.net. It
# leaves with our Via on top, whose branch is the same for a
# retransmission (each retransmission is forwarded again), and
# Max-Forwards one lower; nothing is answered locally, and the next hop's
# answer comes back to the caller by the Vias. Only a CANCEL with nowhere
# to go is answered 481: one addressed to us, or to a user of ours
# without a binding.
#
#   caller 127.0.0.1:PORT+9 --CANCEL--> sipproxyd 127.0.0.1:PORT --> bob 127.0.0.1:PORT+10
#                                                                \--> example.net's hop PORT+11
set -e
PORT=26360
. "$(dirname "$0")/lib/sip.sh"
need python3

proxy_start "[routes]" "example.net = sip:127.0.0.1:$((PORT + 11))"
check "bob registers" client --user bob --password bobpw register "sip:bob@127.0.0.1:$((PORT + 10))"

cat >"$dir/cancel.py" <<'PY'
import re
import socket
import sys

PORT = int(sys.argv[1])
PROXY = ("127.0.0.1", PORT)
failed = 0


def sock(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    return s


caller, bob, hop = sock(PORT + 9), sock(PORT + 10), sock(PORT + 11)


def got(s, secs=0.5):
    """Everything s received within secs."""
    out = []
    s.settimeout(secs)
    try:
        while True:
            out.append(s.recv(65536).decode())
            s.settimeout(0.2)
    except socket.timeout:
        return out


def check(name, cond, why=""):
    global failed
    print(f"ok - {name}" if cond else f"not ok - {name}: {why}")
    failed += not cond


def cancel(ruri, branch):
    return (f"CANCEL {ruri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{PORT + 9};branch={branch};rport\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:alice@localhost>;tag=a1\r\n"
            f"To: <{ruri}>\r\nCall-ID: {branch}@cancel\r\nCSeq: 7 CANCEL\r\n"
            "Content-Length: 0\r\n\r\n")


def forwarded(name, ruri, dest, start):
    """A CANCEL for ruri that reaches dest, and only dest, twice the same."""
    text = cancel(ruri, f"z9hG4bK{name}")
    caller.sendto(text.encode(), PROXY)
    first = got(dest)
    caller.sendto(text.encode(), PROXY)
    again = got(dest)
    others = got(caller, 0.1) + got(bob if dest is hop else hop, 0.1)
    check(f"{name}: one CANCEL reaches the next hop, none other, nothing comes back",
          len(first) == 1 and not others, f"got {first}, elsewhere {others}")
    if len(first) != 1:
        return None
    head = first[0].split("\r\n")
    vias = [h[5:] for h in head if h.startswith("Via: ")]
    ours = rf"SIP/2.0/UDP 127\.0\.0\.1:{PORT};branch=z9hG4bK[0-9a-f]{{16}}\.sl;rport"
    theirs = (f"SIP/2.0/UDP 127.0.0.1:{PORT + 9};branch=z9hG4bK{name};received=127.0.0.1;"
              f"rport={PORT + 9}")
    check(f"{name}: '{start}', our stateless Via over the caller's (received, rport), "
          "Max-Forwards 69, CSeq kept",
          head[0] == start and len(vias) == 2 and re.fullmatch(ours, vias[0]) and
          vias[1] == theirs and "Max-Forwards: 69" in head and "CSeq: 7 CANCEL" in head,
          f"got {head}")
    check(f"{name}: its retransmission is forwarded again, byte for byte",
          again == first, f"got {again}")
    return first[0]


def answered_481(name, ruri):
    caller.sendto(cancel(ruri, f"z9hG4bK{name}").encode(), PROXY)
    back = got(caller)
    sent = got(bob, 0.1) + got(hop, 0.1)
    check(f"{name}: answered 481 here, nothing forwarded",
          len(back) == 1 and back[0].startswith("SIP/2.0 481 ") and not sent,
          f"got {back}, forwarded {sent}")


req = forwarded("bob", "sip:bob@localhost", bob, f"CANCEL sip:bob@127.0.0.1:{PORT + 10} SIP/2.0")
if req:
    # bob's UAS answers 200 to the CANCEL; it goes up by the Vias alone.
    head = req.split("\r\n\r\n")[0].split("\r\n")[1:]
    resp = "SIP/2.0 200 OK\r\n" + "\r\n".join(
        h for h in head if h.split(":")[0] in ("Via", "From", "To", "Call-ID", "CSeq")) + \
        "\r\nContent-Length: 0\r\n\r\n"
    bob.sendto(resp.encode(), PROXY)
    back = got(caller)
    vias = [h for h in back[0].split("\r\n") if h.startswith("Via: ")] if len(back) == 1 else []
    check("bob's 200 to the CANCEL reaches the caller by its own Via alone",
          len(back) == 1 and back[0].startswith("SIP/2.0 200 OK\r\n") and
          vias == [f"Via: SIP/2.0/UDP 127.0.0.1:{PORT + 9};branch=z9hG4bKbob;"
                   f"received=127.0.0.1;rport={PORT + 9}"],
          f"got {back}")
forwarded("route", "sip:eve@example.net", hop, "CANCEL sip:eve@example.net SIP/2.0")
answered_481("us", "sip:localhost")
answered_481("carol", "sip:carol@localhost")
sys.exit(1 if failed else 0)
PY
python3 "$dir/cancel.py" "$PORT" || failed=$((failed + 1))
stats
check_eq "no response dropped as stray" 0 "$(counter stray_response)"
check_eq "no send failures" 0 "$(counter send_failed)"
