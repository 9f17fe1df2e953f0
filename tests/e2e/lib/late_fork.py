#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A forked call whose second branch answers after Timer L, played on raw
UDP sockets: the caller (who ACKs late), callee A (answers at once and
retransmits its 200 past Timer M) and callee B (rings, takes the CANCEL
without a 487, then answers 200 anyway). Prints what each side saw as
"key value" lines for the shell test to check.

usage: late_fork.py PROXY_PORT CALLER_PORT A_PORT B_PORT
"""
import re
import select
import socket
import sys
import time

proxy = ("127.0.0.1", int(sys.argv[1]))
ports = {"caller": int(sys.argv[2]), "a": int(sys.argv[3]), "b": int(sys.argv[4])}
socks = {}
for name, port in ports.items():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    socks[name] = s
start = time.monotonic()
CALL_ID = "late-fork-%d@127.0.0.1" % ports["caller"]


def now():
    return time.monotonic() - start


def sdp(port):
    body = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % port)
    return "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def headers(msg, name):
    return [l.split(":", 1)[1].strip() for l in msg.split("\r\n\r\n")[0].split("\r\n")[1:]
            if l.split(":", 1)[0].strip().lower() == name.lower()]


def response(req, status, reason, tag, contact_port, body=None):
    lines = ["SIP/2.0 %d %s" % (status, reason)]
    lines += ["Via: " + v for v in headers(req, "Via")]
    lines += ["Record-Route: " + v for v in headers(req, "Record-Route")]
    to = headers(req, "To")[0]
    to = to if ";tag=" in to else "%s;tag=%s" % (to, tag)
    lines += ["From: " + headers(req, "From")[0], "To: " + to,
              "Call-ID: " + headers(req, "Call-ID")[0], "CSeq: " + headers(req, "CSeq")[0],
              "Contact: <sip:bob@127.0.0.1:%d>" % contact_port]
    return "\r\n".join(lines) + "\r\n" + (body or "Content-Length: 0\r\n\r\n")


def send(name, text):
    socks[name].sendto(text.encode(), proxy)


def media_port(msg):
    m = re.search(r"\r\nm=audio (\d+) ", msg)
    return int(m.group(1)) if m else None


invite = ("INVITE sip:bob@localhost SIP/2.0\r\n"
          "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-late-fork;rport\r\n"
          "Max-Forwards: 70\r\nFrom: <sip:dave@example.org>;tag=dave\r\nTo: <sip:bob@localhost>\r\n"
          "Call-ID: %s\r\nCSeq: 1 INVITE\r\nContact: <sip:dave@127.0.0.1:%d>\r\n"
          % (ports["caller"], CALL_ID, ports["caller"])) + sdp(40000)
send("caller", invite)

# Timeline (seconds): A retransmits its 200 until 4.5, B answers at 4.0,
# the caller ACKs at 5.0 and hangs up; everything is over by 7.
a_resend = [1.0, 2.0, 4.0, 4.5]
b_answer_at = 4.0
seen = {"caller_200_a": [], "caller_200_b": 0, "caller_ports": set(), "b_ack": 0, "b_bye": 0,
        "a_ack": 0, "a_bye": 0, "caller_bye_200": 0}
a_invite = b_invite = a_ok = caller_ok = None
acked = False
while now() < 7.0:
    if a_ok and a_resend and now() >= a_resend[0]:
        a_resend.pop(0)
        send("a", a_ok)
    if b_invite and b_answer_at and now() >= b_answer_at:
        b_answer_at = None
        send("b", response(b_invite, 200, "OK", "b", ports["b"], sdp(42000)))
    if caller_ok and not acked and now() >= 5.0:
        acked = True
        route = ["Route: " + r for r in reversed(headers(caller_ok, "Record-Route"))]
        target = re.search(r"<([^>]*)>", headers(caller_ok, "Contact")[0]).group(1)
        to = headers(caller_ok, "To")[0]
        for method, cseq in (("ACK", 1), ("BYE", 2)):
            send("caller", "\r\n".join(
                ["%s %s SIP/2.0" % (method, target),
                 "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-late-%s;rport"
                 % (ports["caller"], method)]
                + route + ["Max-Forwards: 70", "From: <sip:dave@example.org>;tag=dave", "To: " + to,
                           "Call-ID: " + CALL_ID, "CSeq: %d %s" % (cseq, method),
                           "Content-Length: 0", "", ""]))
    ready, _, _ = select.select(list(socks.values()), [], [], 0.05)
    for s in ready:
        name = [n for n, x in socks.items() if x is s][0]
        msg = s.recv(65535).decode(errors="replace")
        first = msg.split("\r\n", 1)[0]
        cseq = headers(msg, "CSeq")[0] if first.startswith("SIP/2.0") else ""
        if name == "caller" and first.startswith("SIP/2.0 200") and "INVITE" in cseq:
            tag = re.search(r";tag=([^;>\s]+)", headers(msg, "To")[0]).group(1)
            if tag == "a":
                seen["caller_200_a"].append(now())
                caller_ok = caller_ok or msg
            else:
                seen["caller_200_b"] += 1
            seen["caller_ports"].add(media_port(msg))
        elif name == "caller" and first.startswith("SIP/2.0 200") and "BYE" in cseq:
            seen["caller_bye_200"] += 1
        elif name == "caller" and first.startswith("SIP/2.0"):
            seen["caller_ports"].add(media_port(msg))
        elif name in ("a", "b") and first.startswith("INVITE"):
            if name == "a" and not a_invite:
                a_invite = msg
                a_ok = response(msg, 200, "OK", "a", ports["a"], sdp(41000))
                send("a", a_ok)
            elif name == "b" and not b_invite:
                b_invite = msg
                send("b", response(msg, 180, "Ringing", "b", ports["b"]))
        elif name == "b" and first.startswith("CANCEL"):
            # Answered, but no 487: B's 200 is on its way.
            send("b", response(msg, 200, "OK", "b", ports["b"]))
        elif first.startswith("ACK") or first.startswith("BYE"):
            method = first.split(" ")[0].lower()
            seen["%s_%s" % (name, method)] += 1
            if method == "bye":
                send(name, response(msg, 200, "OK", name, ports[name]))

late = [t for t in seen["caller_200_a"] if t > 3.5]
print("caller_200_a", len(seen["caller_200_a"]))
print("caller_200_a_after_timer_m", len(late))
print("caller_200_b", seen["caller_200_b"])
ports_seen = sorted(p for p in seen["caller_ports"] if p is not None)
print("caller_media_ports", ",".join(map(str, ports_seen)) or "none")
for key in ("a_ack", "a_bye", "b_ack", "b_bye", "caller_bye_200"):
    print(key, seen[key])
