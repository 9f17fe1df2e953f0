#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""SIP user agents and RTP endpoints in the test namespaces, for the
tests/kernel/call_*.sh offer/answer tests: the sequences SIPp 3.6.1 cannot
play (re-INVITE and UPDATE from either side, PRACK with and without an
offer, two forked callees with early media) driven from one process.

  sipcall.py reinvite | prack | fork | restart

One process holds every socket: each is created inside its namespace
(rtpfwd-c for the caller, rtpfwd-e for the callees, see
tests/kernel/lib/topology.sh) with setns(2), so one script can interleave
both sides' messages in a fixed order and assert on each.

Environment: PROXY_LOG (sipproxyd's log), MODE (kernel or userspace),
PORT_MIN and PORT_MAX ([media] port_range); for `restart`, also
PROXY_PID (the running sipproxyd, killed with SIGKILL), SIPPROXYD and
PROXY_CONF (to start it again; this process stops it at exit). Prints one
TAP "ok" line per step; the first failed check prints "not ok" and exits 1.

Media checks: every step sends RTP both ways (or the way the SDP allows)
and asserts the exact number of packets each sink got, that every one came
from the relay port announced to that side, and, in kernel mode, that each
flow's packet count in /proc/net/rtpfwd/flows grew by exactly as many. A
flow that (re)learns its source drops the first packet (RFC 3550
probation, MIN_SEQUENTIAL 2): the expected counts say where.
"""
import atexit
import ctypes
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
PROXY_C = ("10.0.1.1", 5060)	# the proxy as the caller sees it
PROXY_E = ("10.0.2.1", 5060)	# and as the callees do
RELAY = "10.0.1.1"		# [media] relay_address
PACKET = 172			# a G.711 20 ms packet with its RTP header
MODE = os.environ.get("MODE", "kernel")
PORT_MIN = int(os.environ.get("PORT_MIN", "40000"))
PORT_MAX = int(os.environ.get("PORT_MAX", "40019"))
PROXY_LOG = os.environ.get("PROXY_LOG", "")

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_home = os.open("/proc/self/ns/net", os.O_RDONLY)


def fail(why):
    print(f"not ok - {why}", flush=True)
    sys.exit(1)


def ok(what):
    print(f"ok - {what}", flush=True)


def check(cond, why):
    if not cond:
        fail(why)


def setns(fd):
    if _libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), "setns")


def in_ns(ns, fn):
    """fn() run in namespace rtpfwd-NS; every socket it creates stays there."""
    fd = os.open(f"/run/netns/rtpfwd-{ns}", os.O_RDONLY)
    try:
        setns(fd)
        return fn()
    finally:
        setns(_home)
        os.close(fd)


def udp(ns, addr, port):
    def make():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind((addr, port))
        return s
    return in_ns(ns, make)


# ---- what the gateway holds ----

def proc_flows():
    """{local endpoint: (id, cookie, peer, packets)} of the gateway's flows."""
    def read():
        with open("/proc/self/net/rtpfwd/flows") as f:
            return f.read().splitlines()[1:]
    out = {}
    for line in in_ns("g", read):
        col = line.split()
        out[col[2]] = (int(col[0]), int(col[1]), col[5], int(col[7]))
    return out


def relay_sockets():
    """The gateway's UDP sockets in the relay's port range."""
    def count():
        with open("/proc/self/net/udp") as f:
            ports = [int(line.split()[1].split(":")[1], 16) for line in f.read().splitlines()[1:]]
        return sum(PORT_MIN <= port <= PORT_MAX for port in ports)
    return in_ns("g", count)


def log_lines(pattern):
    with open(PROXY_LOG) as f:
        return [l for l in f if re.search(pattern, l)]


def wait_for(what, fn, timeout=10.0):
    end = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > end:
            fail(f"timed out waiting for {what}")
        time.sleep(0.05)


# ---- SIP ----

COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
           "l": "content-length", "c": "content-type"}


class Msg:
    def __init__(self, text, src):
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.text, self.src, self.first = text, src, lines[0]
        self.hdrs = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            self.hdrs.append((COMPACT.get(name, name), value.strip()))
        self.is_request = not self.first.startswith("SIP/2.0 ")
        self.status = 0 if self.is_request else int(self.first.split()[1])
        self.method = self.first.split()[0] if self.is_request else \
            self.h("cseq").split()[1]
        self.cseq = int(self.h("cseq").split()[0])

    def h(self, name):
        for k, v in self.hdrs:
            if k == name:
                return v
        return None

    def all(self, name):
        return [v for k, v in self.hdrs if k == name]

    def tag(self, name):
        m = re.search(r";\s*tag=([^;>\s]+)", self.h(name) or "")
        return m.group(1) if m else None

    def __str__(self):
        return self.first


def rand_hex(n):
    return os.urandom(n).hex()


class Sdp:
    """What a test reads from a body: c= and o= addresses, the m=audio
    port, payload types and direction."""

    def __init__(self, body):
        self.body = body
        c = re.search(r"(?m)^c=IN IP4 (\S+)\r?$", body)
        m = re.search(r"(?m)^m=audio (\d+) RTP/AVP ([\d ]+)\r?$", body)
        d = re.findall(r"(?m)^a=(sendrecv|sendonly|recvonly|inactive)\r?$", body)
        o = re.search(r"(?m)^o=\S+ \S+ \d+ IN IP4 (\S+)\r?$", body)
        self.addr = c.group(1) if c else None
        self.port = int(m.group(1)) if m else None
        self.pts = m.group(2).split() if m else []
        self.direction = d[0] if d else "sendrecv"
        self.origin = o.group(1) if o else None


def sdp(addr, port, version, pts=("0",), direction=None, user="-", extra=""):
    body = (f"v=0\r\no={user} 4711 {version} IN IP4 {addr if addr != '0.0.0.0' else '10.0.9.9'}"
            f"\r\ns=-\r\nc=IN IP4 {addr}\r\nt=0 0\r\nm=audio {port} RTP/AVP {' '.join(pts)}\r\n")
    for pt in pts:
        name = {"0": "PCMU", "8": "PCMA"}[pt]
        body += f"a=rtpmap:{pt} {name}/8000\r\n"
    if direction:
        body += f"a={direction}\r\n"
    return body + extra


class UA:
    """One SIP endpoint on UDP; its dialog state lives in Dialog."""

    def __init__(self, ns, addr, port, user, proxy):
        self.sock = udp(ns, addr, port)
        self.addr, self.port, self.user, self.proxy = addr, port, user, proxy
        self.contact = f"<sip:{user}@{addr}:{port}>"
        self.seen = set()

    def send(self, text, dest=None):
        self.sock.sendto(text.encode(), dest or self.proxy)

    def recv(self, what, pred, timeout=5.0):
        """The next message matching pred; 100 Trying and retransmissions
        are skipped, anything else unexpected fails the test."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                fail(f"{self.user}@{self.port}: no {what}")
            self.sock.settimeout(left)
            try:
                data, src = self.sock.recvfrom(65536)
            except socket.timeout:
                fail(f"{self.user}@{self.port}: no {what}")
            text = data.decode()
            if text in self.seen:
                continue
            self.seen.add(text)
            msg = Msg(text, src)
            if msg.status == 100:
                continue
            if not pred(msg):
                fail(f"{self.user}@{self.port}: waiting for {what}, got '{msg}'")
            return msg

    def via(self):
        return f"SIP/2.0/UDP {self.addr}:{self.port};branch=z9hG4bK{rand_hex(6)};rport"

    def reply(self, req, status, reason, body="", to_tag=None, extra=()):
        lines = [f"SIP/2.0 {status} {reason}"]
        lines += [f"Via: {v}" for v in req.all("via")]
        to = req.h("to")
        if to_tag and ";tag=" not in to:
            to += f";tag={to_tag}"
        lines += [f"From: {req.h('from')}", f"To: {to}", f"Call-ID: {req.h('call-id')}",
                  f"CSeq: {req.h('cseq')}"]
        if req.method == "INVITE" and 100 < status < 300:
            lines += [f"Record-Route: {v}" for v in req.all("record-route")]
        if status < 300 and req.method in ("INVITE", "UPDATE"):
            lines.append(f"Contact: {self.contact}")
        lines += list(extra)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        self.send("\r\n".join(lines) + "\r\n\r\n" + body, req.src)

    def register(self, aor):
        call_id = rand_hex(8)
        self.send(f"REGISTER sip:localhost SIP/2.0\r\nVia: {self.via()}\r\nMax-Forwards: 70\r\n"
                  f"From: <{aor}>;tag={rand_hex(4)}\r\nTo: <{aor}>\r\nCall-ID: {call_id}\r\n"
                  f"CSeq: 1 REGISTER\r\nContact: {self.contact}\r\nExpires: 600\r\n"
                  "Content-Length: 0\r\n\r\n")
        resp = self.recv("200 to REGISTER", lambda m: m.method == "REGISTER")
        check(resp.status == 200, f"REGISTER of {self.contact}: {resp}")


class Dialog:
    """One side's view of a dialog (RFC 3261 12)."""

    def __init__(self, ua, local, remote, call_id, cseq=1):
        self.ua, self.local, self.remote, self.call_id = ua, local, remote, call_id
        self.cseq, self.target, self.routes = cseq, None, []

    @classmethod
    def caller(cls, ua, to_user):
        d = cls(ua, f"<sip:alice@localhost>;tag={rand_hex(4)}", f"<sip:{to_user}@localhost>",
                f"{rand_hex(8)}@sipcall")
        d.target = f"sip:{to_user}@localhost"
        return d

    @classmethod
    def callee(cls, ua, invite, tag):
        d = cls(ua, f"{invite.h('to')};tag={tag}", invite.h("from"), invite.h("call-id"), 0)
        d.target = re.search(r"<([^>]+)>", invite.h("contact")).group(1)
        d.routes = split_rr(invite.all("record-route"))
        return d

    def answered(self, resp):
        """A caller's dialog from a tagged 1xx or 2xx (target refreshed by 2xx)."""
        self.remote = resp.h("to")
        self.target = re.search(r"<([^>]+)>", resp.h("contact")).group(1)
        self.routes = list(reversed(split_rr(resp.all("record-route"))))

    def request(self, method, body="", extra=(), cseq=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        self.last_via = self.ua.via()
        lines = [f"{method} {self.target} SIP/2.0", f"Via: {self.last_via}", "Max-Forwards: 70",
                 f"From: {self.local}", f"To: {self.remote}", f"Call-ID: {self.call_id}",
                 f"CSeq: {cseq} {method}"]
        lines += [f"Route: {r}" for r in self.routes]
        if method in ("INVITE", "UPDATE"):
            lines.append(f"Contact: {self.ua.contact}")
        lines += list(extra)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        self.ua.send("\r\n".join(lines) + "\r\n\r\n" + body)
        return cseq

    def ack_failure(self, resp):
        """The ACK of a non-2xx final response to the INVITE just sent:
        hop by hop, in the INVITE's transaction (RFC 3261 17.1.1.3)."""
        self.ua.send(f"ACK {self.target} SIP/2.0\r\nVia: {self.last_via}\r\nMax-Forwards: 70\r\n"
                     f"From: {self.local}\r\nTo: {resp.h('to')}\r\nCall-ID: {self.call_id}\r\n"
                     f"CSeq: {resp.cseq} ACK\r\nContent-Length: 0\r\n\r\n")

    def final(self, method, cseq, timeout=5.0):
        return self.ua.recv(f"final response to {method}",
                            lambda m: not m.is_request and m.method == method and
                            m.cseq == cseq and m.status >= 200, timeout)


def split_rr(values):
    out = []
    for v in values:
        out += [e.strip() for e in re.findall(r"<[^>]*>[^,]*", v)]
    return out


def callee_wait(ua, method, what=None):
    return ua.recv(what or method, lambda m: m.is_request and m.method == method)


# ---- RTP ----

class Rtp:
    """An RTP endpoint: sends numbered packets, counts what arrives."""

    def __init__(self, ns, addr, port):
        self.ns, self.addr, self.port = ns, addr, port
        self.sock = udp(ns, addr, port)
        self.ssrc = struct.unpack("!I", os.urandom(4))[0]
        self.seq = 1000
        self.pt = 0

    def move(self, port):
        self.sock.close()
        self.port = port
        self.sock = udp(self.ns, self.addr, port)

    def send(self, dest, n):
        for _ in range(n):
            hdr = struct.pack("!BBHII", 0x80, self.pt, self.seq & 0xFFFF, self.seq * 160, self.ssrc)
            self.sock.sendto(hdr + bytes(PACKET - len(hdr)), dest)
            self.seq += 1
            time.sleep(0.001)

    def drain(self, want, timeout=5.0, extra=0.15):
        """(packets, sources) received: up to want packets (within timeout),
        then whatever else arrives until the socket stays idle for extra
        seconds (twice that when none is wanted), so a surplus is seen too."""
        n, srcs = 0, set()
        end = time.monotonic() + timeout
        while True:
            wait = (extra if want else 2 * extra) if n >= want else \
                max(end - time.monotonic(), 0.001)
            self.sock.settimeout(wait)
            try:
                data, src = self.sock.recvfrom(2048)
            except socket.timeout:
                return n, srcs
            check(len(data) == PACKET, f"{self.port}: a packet of {len(data)} bytes")
            n += 1
            srcs.add(f"{src[0]}:{src[1]}")


def relay_port(port):
    return PORT_MIN <= port <= PORT_MAX


def media(name, a, a_to, b, b_to, sent, want_a, want_b, flows=True):
    """a sends `sent` packets to the relay at a_to, b to b_to. The sink b
    must get exactly want_b packets, all from b_to's partner port (the
    port announced to b), and a want_a; in kernel mode each forwarding
    flow's count grows by exactly as much. a_to/b_to are (port announced to
    a, port announced to b)."""
    before = proc_flows() if MODE == "kernel" and flows else {}
    if sent[0]:
        a.send((RELAY, a_to), sent[0])
    if sent[1]:
        b.send((RELAY, b_to), sent[1])
    got_b, src_b = b.drain(want_b)
    got_a, src_a = a.drain(want_a)
    check(got_b == want_b, f"{name}: {b.port} got {got_b} packets, want {want_b}")
    check(got_a == want_a, f"{name}: {a.port} got {got_a} packets, want {want_a}")
    if got_b:
        check(src_b == {f"{RELAY}:{b_to}"}, f"{name}: {b.port} heard {src_b}, want {RELAY}:{b_to}")
    if got_a:
        check(src_a == {f"{RELAY}:{a_to}"}, f"{name}: {a.port} heard {src_a}, want {RELAY}:{a_to}")
    if MODE == "kernel" and flows:
        after = proc_flows()
        for local, got in ((f"{RELAY}:{a_to}", got_b), (f"{RELAY}:{b_to}", got_a)):
            if local not in after:
                check(got == 0, f"{name}: {got} packets forwarded without a flow on {local}")
                continue
            delta = after[local][3] - before.get(local, (0, 0, "", 0))[3]
            check(delta == got, f"{name}: flow on {local} counted {delta}, the sink got {got}")
    return got_a, got_b


def cookie_flows(cookie):
    return {k: v for k, v in proc_flows().items() if v[1] == cookie}


def call_handle(call_id):
    lines = log_lines(rf"{re.escape(call_id)}.*dialog: call [0-9a-f]+ started")
    check(lines, f"no 'started' line for {call_id}")
    return int(re.search(r"call ([0-9a-f]+) started", lines[-1]).group(1), 16)


def expect_flows(name, cookie, n):
    """Kernel mode: exactly n flows carry the call's cookie."""
    if MODE != "kernel":
        return {}
    got = cookie_flows(cookie)
    check(len(got) == n, f"{name}: {len(got)} flows with the call's cookie, want {n}: {got}")
    return got


def expect_sdp(name, body, port=None, addr=RELAY, direction="sendrecv", pts=("0",)):
    s = Sdp(body)
    check(s.addr == addr, f"{name}: c= {s.addr}, want {addr}")
    check(s.origin == RELAY, f"{name}: o= address {s.origin}, want {RELAY}")
    check(s.port is not None and relay_port(s.port), f"{name}: m= port {s.port} not a relay port")
    if port is not None:
        check(s.port == port, f"{name}: m= port {s.port}, want {port}")
    check(s.direction == direction, f"{name}: direction {s.direction}, want {direction}")
    check(s.pts == list(pts), f"{name}: payload types {s.pts}, want {list(pts)}")
    return s


# A leg of a fork that lost after 20 packets of early media each way (the
# first one the probation drop), 172 bytes each.
LEG_LOST = re.compile(r"media: leg (caller|callee) stream 0: packets=19 bytes=3268 "
                      r"rtcp_packets=0 rtcp_bytes=0 lost=0 jitter=\d+ drops=1 \(source=0 "
                      r"probation=1 payload_type=0 malformed=0 no_route=0 nomem=0 xmit=0\) "
                      r"branch=(\d+) end=lost$")


def leg_totals(call_id):
    """{side: packets} from the call-end log lines of every leg."""
    out = {}
    for line in log_lines(rf"{re.escape(call_id)}.*media: leg \w+ stream 0: packets="):
        m = re.search(r"media: leg (\w+) stream 0: packets=(\d+)", line)
        out[m.group(1)] = int(m.group(2))
    return out


def expect_end(name, call_id, cookie, totals):
    wait_for(f"{name}: call end", lambda: log_lines(
        rf"{re.escape(call_id)}.*dialog: call [0-9a-f]+ ended"))
    if MODE == "kernel":
        check(not cookie_flows(cookie), f"{name}: flows left: {cookie_flows(cookie)}")
    wait_for(f"{name}: relay sockets freed", lambda: relay_sockets() == 0, 5)
    got = leg_totals(call_id)
    check(got == totals, f"{name}: leg counters {got}, want {totals}")


# ---- the scenarios ----

class Totals:
    """What each sink got over a call: the leg counters at its end."""

    def __init__(self):
        self.caller = self.callee = 0

    def add(self, got):
        self.callee += got[0]	# packets the callee sent, heard by the caller
        self.caller += got[1]

    def want(self):
        return {"caller": self.caller, "callee": self.callee}


def hang_up(d, peer, cookie, tot):
    """d's BYE reaches peer, which answers 200; the call ends with no flow
    or relay socket left and its legs' counters as tot says."""
    cs = d.request("BYE")
    peer.reply(callee_wait(peer, "BYE"), 200, "OK")
    check(d.final("BYE", cs).status == 200, "BYE not answered 200")
    expect_end("BYE", d.call_id, cookie, tot.want())


def same_flows(name, before, after):
    """Kernel mode: the same flow ids on the same local ports (FLOW_SET, not re-added)."""
    if MODE != "kernel":
        return
    ids = lambda fl: {k: v[0] for k, v in fl.items()}
    check(ids(before) == ids(after), f"{name}: flows replaced: {ids(before)} -> {ids(after)}")


def peer_of(flows, local):
    return flows[local][2]


def refused(a, e, body, what):
    """An INVITE whose SDP cannot be anchored: 488 with the reason in a
    Warning, not forwarded, nothing allocated."""
    d = Dialog.caller(a, "bob")
    cs = d.request("INVITE", body)
    r = d.final("INVITE", cs)
    d.ack_failure(r)
    check(r.status == 488 and r.first == "SIP/2.0 488 Not Acceptable Here",
          f"{what}: answered '{r}', want 488 Not Acceptable Here")
    warn = r.h("warning") or ""
    check(warn.startswith('399 sipproxyd "') and what in warn,
          f"{what}: Warning '{warn}'")
    check(relay_sockets() == 0, f"{what}: {relay_sockets()} relay sockets allocated")
    if MODE == "kernel":
        check(not proc_flows(), f"{what}: flows installed: {proc_flows()}")
    e.sock.settimeout(0.2)
    try:
        data = e.sock.recv(65536)
        fail(f"{what}: the callee got '{data.decode().splitlines()[0]}'")
    except socket.timeout:
        pass


def reoffer(name, offerer, answerer, method, offer, answer, port_at_answerer, port_at_offerer,
            direction=("sendrecv", "sendrecv"), pts=("0",), addr=RELAY):
    """One exchange in a confirmed dialog: offer in a re-INVITE or UPDATE
    from offerer (Dialog), answer in its 2xx, ACK for INVITE. Checks both
    rewritten bodies."""
    cs = offerer.request(method, offer)
    req = callee_wait(answerer.ua, method, f"{name}: {method}")
    expect_sdp(f"{name}: offer forwarded", req.body, port_at_answerer, addr, direction[0], pts)
    answerer.ua.reply(req, 200, "OK", answer)
    r = offerer.final(method, cs)
    check(r.status == 200, f"{name}: {method} answered '{r}'")
    expect_sdp(f"{name}: answer forwarded", r.body, port_at_offerer, RELAY, direction[1], pts)
    if method == "INVITE":
        offerer.request("ACK", cseq=cs)
        callee_wait(answerer.ua, "ACK", f"{name}: ACK")


def scenario_reinvite():
    a = UA("c", "10.0.1.2", 5080, "alice", PROXY_C)
    e = UA("e", "10.0.2.2", 5070, "bob", PROXY_E)
    e.register("sip:bob@localhost")
    ra, re_ = Rtp("c", "10.0.1.2", 6000), Rtp("e", "10.0.2.2", 7000)
    ok("alice and bob are up; bob registered")

    refused(a, e, sdp("10.0.1.2", 6000, 1).replace("m=audio 6000 RTP/AVP 0", "m=audio 6000 RTP/AVP"),
            "no formats")
    refused(a, e, sdp("224.2.1.1/127", 6000, 1), "multicast address cannot be anchored")
    refused(a, e, sdp("10.0.1.2", 6000, 1).replace("RTP/AVP", "TCP/RTP/AVP"),
            "m= line 1: transport TCP/RTP/AVP cannot be relayed")
    ok("an SDP without formats, a multicast one and RTP over TCP are answered 488 with a "
       "Warning, not forwarded, and allocate nothing")

    # ---- late offer: INVITE without a body, offer in 200, answer in ACK ----
    da = Dialog.caller(a, "bob")
    cs = da.request("INVITE")
    inv = callee_wait(e, "INVITE")
    check(inv.body == "", f"late offer: the INVITE grew a body: {inv.body!r}")
    de = Dialog.callee(e, inv, rand_hex(4))
    cookie = call_handle(da.call_id)
    e.reply(inv, 200, "OK", sdp("10.0.2.2", 7000, 1), to_tag=de.local.rsplit("=", 1)[1])
    r = da.final("INVITE", cs)
    check(r.status == 200, f"late offer: '{r}'")
    to_a = expect_sdp("late offer: offer in the 200", r.body).port
    da.answered(r)
    da.request("ACK", sdp("10.0.1.2", 6000, 1), cseq=cs)
    ack = callee_wait(e, "ACK")
    to_e = expect_sdp("late offer: answer in the ACK", ack.body).port
    check(to_a != to_e, f"one relay port {to_a} for both legs")
    flows = expect_flows("late offer", cookie, 4)
    tot = Totals()
    tot.add(media("late offer", ra, to_a, re_, to_e, (20, 20), 19, 19))
    ok(f"late offer (INVITE without SDP): the 200's offer and the ACK's answer are anchored "
       f"(relay ports {to_a}, {to_e}), media both ways, counts equal the flows'")

    # ---- hold with a=sendonly, then a=inactive: the flows stay as they are ----
    reoffer("hold sendonly", da, de, "INVITE", sdp("10.0.1.2", 6000, 2, direction="sendonly"),
            sdp("10.0.2.2", 7000, 2, direction="recvonly"), to_e, to_a,
            ("sendonly", "recvonly"))
    same_flows("hold sendonly", flows, expect_flows("hold sendonly", cookie, 4))
    tot.add(media("hold sendonly", ra, to_a, re_, to_e, (20, 0), 0, 20))
    reoffer("hold inactive", da, de, "INVITE", sdp("10.0.1.2", 6000, 3, direction="inactive"),
            sdp("10.0.2.2", 7000, 3, direction="inactive"), to_e, to_a,
            ("inactive", "inactive"))
    same_flows("hold inactive", flows, expect_flows("hold inactive", cookie, 4))
    ok("re-INVITE hold with a=sendonly, then a=inactive: directions forwarded, "
       "relay ports and flows unchanged, the holder's media still relayed")

    # ---- RFC 2543 hold: c=0.0.0.0 keeps nothing towards the caller ----
    reoffer("hold 0.0.0.0", da, de, "INVITE", sdp("0.0.0.0", 6000, 4),
            sdp("10.0.2.2", 7000, 4), to_e, to_a, addr="0.0.0.0")
    held = expect_flows("hold 0.0.0.0", cookie, 2)
    if MODE == "kernel":
        check(set(held) == {f"{RELAY}:{to_a}", f"{RELAY}:{to_a + 1}"},
              f"hold 0.0.0.0: flows left on {sorted(held)}, want the caller's RTP and RTCP")
    tot.add(media("hold 0.0.0.0", ra, to_a, re_, to_e, (20, 20), 0, 19))
    ok("re-INVITE hold with c=0.0.0.0: forwarded as 0.0.0.0, the flows towards the caller "
       "removed, the caller's media still relayed (relearned)")

    reoffer("resume", da, de, "INVITE", sdp("10.0.1.2", 6000, 5), sdp("10.0.2.2", 7000, 5),
            to_e, to_a)
    flows = expect_flows("resume", cookie, 4)
    tot.add(media("resume", ra, to_a, re_, to_e, (20, 20), 19, 19))
    ok("resume: both directions relayed again on the same relay ports")

    # ---- glare: the callee offers while the caller's offer is outstanding ----
    cs = da.request("INVITE", sdp("10.0.1.2", 6000, 6))
    reinv = callee_wait(e, "INVITE", "glare: the caller's re-INVITE")
    expect_sdp("glare: the caller's offer", reinv.body, to_e)
    gcs = de.request("INVITE", sdp("10.0.2.2", 7000, 6))
    r = de.final("INVITE", gcs)
    de.ack_failure(r)
    check(r.status == 491 and r.first == "SIP/2.0 491 Request Pending",
          f"glare: the callee's re-INVITE answered '{r}', want 491 Request Pending")
    e.reply(reinv, 200, "OK", sdp("10.0.2.2", 7000, 6))
    r = da.final("INVITE", cs)
    check(r.status == 200, f"glare: the caller's re-INVITE answered '{r}'")
    expect_sdp("glare: the answer", r.body, to_a)
    da.request("ACK", cseq=cs)
    callee_wait(e, "ACK", "glare: ACK")
    same_flows("glare", flows, expect_flows("glare", cookie, 4))
    ok("glare: a re-INVITE offer while the other side's is outstanding is answered "
       "491 Request Pending by the proxy; the first exchange completes")

    # ---- an offer the caller declines leaves the media as it was ----
    cs = de.request("INVITE", sdp("10.0.2.2", 7002, 7, pts=("8",)))
    reinv = callee_wait(a, "INVITE", "declined re-INVITE")
    expect_sdp("declined re-INVITE", reinv.body, to_a, pts=("8",))
    a.reply(reinv, 488, "Not Acceptable Here")
    callee_wait(a, "ACK", "declined re-INVITE: the proxy's ACK of the 488")
    r = de.final("INVITE", cs)
    de.ack_failure(r)
    check(r.status == 488, f"declined re-INVITE: the callee got '{r}', want 488")
    declined = expect_flows("declined re-INVITE", cookie, 4)
    same_flows("declined re-INVITE", flows, declined)
    if MODE == "kernel":
        check(peer_of(declined, f"{RELAY}:{to_a}") == "10.0.2.2:7000",
              f"declined re-INVITE: the caller's flow sends to "
              f"{peer_of(declined, f'{RELAY}:{to_a}')}")
    tot.add(media("declined re-INVITE", ra, to_a, re_, to_e, (20, 20), 20, 20))
    ok("the caller declines the callee's re-INVITE with 488: flows unchanged, media as before")

    # ---- the callee moves to another port and codec ----
    re_.move(7002)
    re_.pt = ra.pt = 8
    reoffer("callee moves", de, da, "INVITE", sdp("10.0.2.2", 7002, 8, pts=("8",)),
            sdp("10.0.1.2", 6000, 7, pts=("8",)), to_a, to_e, pts=("8",))
    moved = expect_flows("callee moves", cookie, 4)
    same_flows("callee moves", flows, moved)
    if MODE == "kernel":
        check(peer_of(moved, f"{RELAY}:{to_a}") == "10.0.2.2:7002",
              f"callee moves: the flow from the caller still sends to "
              f"{peer_of(moved, f'{RELAY}:{to_a}')}")
    tot.add(media("callee moves", ra, to_a, re_, to_e, (20, 20), 19, 20))
    ok("the callee's re-INVITE to port 7002 and PCMA: same relay ports, the flows' peer "
       "switched in place (FLOW_SET), nothing lost towards the moved side")

    # ---- UPDATE in the confirmed dialog: the caller moves ----
    ra.move(6002)
    reoffer("UPDATE", da, de, "UPDATE", sdp("10.0.1.2", 6002, 8, pts=("8",)),
            sdp("10.0.2.2", 7002, 9, pts=("8",)), to_e, to_a, pts=("8",))
    updated = expect_flows("UPDATE", cookie, 4)
    same_flows("UPDATE", flows, updated)
    if MODE == "kernel":
        check(peer_of(updated, f"{RELAY}:{to_e}") == "10.0.1.2:6002",
              f"UPDATE: the flow from the callee still sends to {peer_of(updated, f'{RELAY}:{to_e}')}")
    tot.add(media("UPDATE", ra, to_a, re_, to_e, (20, 20), 20, 19))
    ok("UPDATE with an offer in the confirmed dialog: the caller's new port is followed in place")

    # ---- a refused re-offer changes nothing ----
    cs = da.request("UPDATE", sdp("224.2.1.1/127", 6002, 9, pts=("8",)))
    r = da.final("UPDATE", cs)
    check(r.status == 488, f"multicast UPDATE answered '{r}', want 488")
    same_flows("refused UPDATE", flows, expect_flows("refused UPDATE", cookie, 4))
    check(relay_sockets() == 4, f"refused UPDATE: {relay_sockets()} relay sockets, want 4")
    tot.add(media("refused UPDATE", ra, to_a, re_, to_e, (20, 20), 20, 20))
    reoffer("after the refusal", da, de, "UPDATE", sdp("10.0.1.2", 6002, 10, pts=("8",)),
            sdp("10.0.2.2", 7002, 10, pts=("8",)), to_e, to_a, pts=("8",))
    ok("a multicast UPDATE is answered 488 by the proxy and leaves the media as it was; "
       "the next offer goes through")

    hang_up(da, e, cookie, tot)
    ok(f"BYE: no flow and no relay socket left; the legs' counters {tot.want()} equal "
       "what the sinks got over the whole call")


def scenario_prack():
    a = UA("c", "10.0.1.2", 5080, "alice", PROXY_C)
    e = UA("e", "10.0.2.2", 5070, "bob", PROXY_E)
    e.register("sip:bob@localhost")
    ra, re_ = Rtp("c", "10.0.1.2", 6000), Rtp("e", "10.0.2.2", 7000)

    # ---- offer in the INVITE, answer in a reliable 183 ----
    da = Dialog.caller(a, "bob")
    cs = da.request("INVITE", sdp("10.0.1.2", 6000, 1), extra=["Supported: 100rel"])
    inv = callee_wait(e, "INVITE")
    to_e = expect_sdp("INVITE offer", inv.body).port
    cookie = call_handle(da.call_id)
    de = Dialog.callee(e, inv, rand_hex(4))
    tag = de.local.rsplit("=", 1)[1]
    rel = ["Require: 100rel", "RSeq: 1"]
    e.reply(inv, 183, "Session Progress", sdp("10.0.2.2", 7000, 1), to_tag=tag, extra=rel)
    p = a.recv("183", lambda m: m.status == 183)
    check(p.h("require") == "100rel" and p.h("rseq") == "1",
          f"183: Require '{p.h('require')}', RSeq '{p.h('rseq')}'")
    to_a = expect_sdp("183 answer", p.body).port
    da.answered(p)
    flows = expect_flows("183", cookie, 4)
    tot = Totals()
    tot.add(media("early media", ra, to_a, re_, to_e, (20, 20), 19, 19))
    ok(f"answer in a reliable 183 (Require: 100rel, RSeq: 1 forwarded): early media "
       f"anchored on relay ports {to_a}, {to_e} both ways")

    # ---- PRACK without a body ----
    pcs = da.request("PRACK", extra=["RAck: 1 1 INVITE"])
    pr = callee_wait(e, "PRACK")
    check(pr.h("rack") == "1 1 INVITE" and pr.body == "", f"PRACK: RAck '{pr.h('rack')}'")
    e.reply(pr, 200, "OK")
    check(da.final("PRACK", pcs).status == 200, "PRACK not answered 200")
    same_flows("PRACK", flows, expect_flows("PRACK", cookie, 4))
    ok("PRACK without a body and its 200: media untouched")

    # ---- a second reliable 1xx, and PRACK carrying a new offer ----
    e.reply(inv, 180, "Ringing", to_tag=tag, extra=["Require: 100rel", "RSeq: 2"])
    a.recv("180", lambda m: m.status == 180)
    ra.move(6002)
    pcs = da.request("PRACK", sdp("10.0.1.2", 6002, 2), extra=["RAck: 2 1 INVITE"])
    pr = callee_wait(e, "PRACK")
    expect_sdp("PRACK offer", pr.body, to_e)
    e.reply(pr, 200, "OK", sdp("10.0.2.2", 7000, 2))
    r = da.final("PRACK", pcs)
    check(r.status == 200, f"PRACK with an offer answered '{r}'")
    expect_sdp("PRACK's 200 answer", r.body, to_a)
    same_flows("PRACK offer", flows, expect_flows("PRACK offer", cookie, 4))
    tot.add(media("PRACK offer", ra, to_a, re_, to_e, (20, 20), 20, 19))
    ok("PRACK with a new offer (the caller moves to 6002), answer in its 200: "
       "same relay ports, the flows follow in place")

    # ---- UPDATE in the early dialog, from the callee ----
    re_.move(7004)
    reoffer("early UPDATE", de, da, "UPDATE", sdp("10.0.2.2", 7004, 3), sdp("10.0.1.2", 6002, 3),
            to_a, to_e)
    same_flows("early UPDATE", flows, expect_flows("early UPDATE", cookie, 4))
    tot.add(media("early UPDATE", ra, to_a, re_, to_e, (20, 20), 19, 20))
    ok("UPDATE with an offer in the early dialog (the callee moves to 7004): followed in place")

    # ---- 200 without a body: the negotiated media stays ----
    e.reply(inv, 200, "OK", to_tag=tag)
    r = da.final("INVITE", cs)
    check(r.status == 200 and r.body == "", f"200: '{r}' body {r.body!r}")
    da.answered(r)
    da.request("ACK", cseq=cs)
    callee_wait(e, "ACK")
    same_flows("200", flows, expect_flows("200", cookie, 4))
    tot.add(media("confirmed", ra, to_a, re_, to_e, (20, 20), 20, 20))
    ok("200 without a body confirms the call on the early media's flows")

    hang_up(de, a, cookie, tot)
    ok(f"the callee's BYE: no flow and no relay socket left; legs {tot.want()}")


def scenario_fork():
    a = UA("c", "10.0.1.2", 5080, "alice", PROXY_C)
    e1 = UA("e", "10.0.2.2", 5070, "bob", PROXY_E)
    e2 = UA("e", "10.0.2.2", 5072, "bob", PROXY_E)
    e1.register("sip:bob@localhost")
    e2.register("sip:bob@localhost")
    ra = Rtp("c", "10.0.1.2", 6000)
    r1, r2 = Rtp("e", "10.0.2.2", 7000), Rtp("e", "10.0.2.2", 7010)
    ok("bob registered two contacts")

    da = Dialog.caller(a, "bob")
    cs = da.request("INVITE", sdp("10.0.1.2", 6000, 1))
    i1, i2 = callee_wait(e1, "INVITE"), callee_wait(e2, "INVITE")
    to_e1 = expect_sdp("offer to the first contact", i1.body).port
    to_e2 = expect_sdp("offer to the second contact", i2.body).port
    cookie = call_handle(da.call_id)
    t1, t2 = rand_hex(4), rand_hex(4)
    e1.reply(i1, 183, "Session Progress", sdp("10.0.2.2", 7000, 1, user="one"), to_tag=t1)
    e2.reply(i2, 183, "Session Progress", sdp("10.0.2.2", 7010, 1, user="two"), to_tag=t2)
    got = {}
    for _ in range(2):
        p = a.recv("183", lambda m: m.status == 183)
        got[p.tag("to")] = expect_sdp("183", p.body).port
    check(set(got) == {t1, t2}, f"183s with To tags {set(got)}, want {t1}, {t2}")
    to_a1, to_a2 = got[t1], got[t2]
    ports = {to_a1, to_a2, to_e1, to_e2}
    check(len(ports) == 4, f"relay ports shared between branches: {to_a1} {to_e1} {to_a2} {to_e2}")
    flows = expect_flows("two early branches", cookie, 8)
    if MODE == "kernel":
        check({k.split(":")[1] for k in flows} == {str(p + o) for p in ports for o in (0, 1)},
              f"flows on {sorted(flows)}, want the relay ports {sorted(ports)} and +1")
    check(relay_sockets() == 8, f"two early branches: {relay_sockets()} relay sockets, want 8")
    media("early media, branch 1", ra, to_a1, r1, to_e1, (20, 20), 19, 19)
    media("early media, branch 2", ra, to_a2, r2, to_e2, (20, 20), 19, 19)
    ok(f"forked INVITE: each 183 got its own relay ports ({to_a1}/{to_e1}, {to_a2}/{to_e2}) "
       "and flows, early media of each branch reaches its own callee")

    tot = Totals()
    tot.add((19, 19))
    e2.reply(i2, 200, "OK", sdp("10.0.2.2", 7010, 1, user="two"), to_tag=t2)
    r = da.final("INVITE", cs)
    check(r.status == 200 and r.tag("to") == t2, f"200: '{r}' tag {r.tag('to')}")
    expect_sdp("200", r.body, to_a2)
    left = expect_flows("the second contact answered", cookie, 4)
    if MODE == "kernel":
        check({k.split(":")[1] for k in left} == {str(p + o) for p in (to_a2, to_e2)
                                                   for o in (0, 1)},
              f"flows left on {sorted(left)}")
    check(relay_sockets() == 4, f"after the answer: {relay_sockets()} relay sockets, want 4")
    lost = [LEG_LOST.search(line) for line in
            log_lines(rf"{re.escape(da.call_id)}.*media: leg \w+ stream 0: ")]
    check(len(lost) == 2 and all(lost) and {m[1] for m in lost} == {"caller", "callee"} and
          lost[0][2] == lost[1][2], f"leg lines at the answer {lost}, want the losing "
          f"branch's two matching {LEG_LOST.pattern}")
    ok("the second contact answers: the losing branch's flows and relay ports are freed "
       "by the time its 200 reaches the caller; its legs logged their 19 packets (end=lost)")

    cancel = callee_wait(e1, "CANCEL")
    e1.reply(cancel, 200, "OK")
    e1.reply(i1, 487, "Request Terminated", to_tag=t1)
    callee_wait(e1, "ACK", "ACK of the 487")
    da.answered(r)
    da.request("ACK", cseq=cs)
    callee_wait(e2, "ACK")
    tot.add(media("confirmed", ra, to_a2, r2, to_e2, (20, 20), 20, 20))
    media("the lost branch", ra, to_a1, r1, to_e1, (10, 10), 0, 0, flows=False)
    ok("the first contact is CANCELled; media flows on the winner only, "
       "the lost branch's ports relay nothing")

    hang_up(da, e2, cookie, tot)
    ok(f"BYE: no flow and no relay socket left; the winner's legs {tot.want()}")


def proxy_restart():
    """kill -9 of sipproxyd, then a new one on the same configuration and
    log; returns once it logged 'started'."""
    pid = int(os.environ["PROXY_PID"])
    os.kill(pid, signal.SIGKILL)
    # A zombie has closed its sockets already.
    wait_for("sipproxyd's death", lambda: not os.path.exists(f"/proc/{pid}") or
             open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z")
    started = len(log_lines("notice: started"))
    log = open(PROXY_LOG, "a")
    proc = subprocess.Popen(["ip", "netns", "exec", "rtpfwd-g", os.environ["SIPPROXYD"], "-c",
                             os.environ["PROXY_CONF"], "-f"], stdout=log, stderr=log)
    atexit.register(lambda: (proc.terminate(), proc.wait()))
    wait_for("the restarted sipproxyd", lambda: len(log_lines("notice: started")) > started)


def restart_parties():
    """The caller alice, the callee bob (registered) and their RTP
    endpoints, for the scenarios that restart sipproxyd (rtpfwd.ko only:
    the userspace relay's media stops with the process)."""
    check(MODE == "kernel", "restart needs the kernel backend")
    a = UA("c", "10.0.1.2", 5080, "alice", PROXY_C)
    e = UA("e", "10.0.2.2", 5070, "bob", PROXY_E)
    e.register("sip:bob@localhost")
    return a, e, Rtp("c", "10.0.1.2", 6000), Rtp("e", "10.0.2.2", 7000)


class Ringing:
    """A call from alice to bob that rings: the callee's 183 with SDP
    (p183) has reached the caller and 20 packets of early media crossed
    each way. The caller's dialog is left unanswered, so its To has no
    tag, as a CANCEL's must."""

    def __init__(self, a, e, ra, re_):
        self.da = Dialog.caller(a, "bob")
        self.cs = self.da.request("INVITE", sdp("10.0.1.2", 6000, 1))
        self.caller_via = self.da.last_via
        self.inv = callee_wait(e, "INVITE")
        self.to_e = expect_sdp("INVITE offer", self.inv.body).port
        self.cookie = call_handle(self.da.call_id)
        self.tag = rand_hex(4)
        e.reply(self.inv, 183, "Session Progress", sdp("10.0.2.2", 7000, 1), to_tag=self.tag)
        self.p183 = a.recv("183", lambda m: m.status == 183)
        self.to_a = expect_sdp("183 answer", self.p183.body).port
        self.tot = Totals()
        self.tot.add(media("early media", ra, self.to_a, re_, self.to_e, (20, 20), 19, 19))

    def confirm(self, e, r, ra, re_, flows):
        """The callee's 200 as the caller got it (r) after a restart
        confirms the call: the log says so, the caller's ACK reaches the
        callee, the flows are those it rang on, and media crosses both ways."""
        da = self.da
        wait_for("confirmed", lambda: log_lines(
            rf"{re.escape(da.call_id)}.*dialog: call {self.cookie:016x} confirmed"))
        da.answered(r)
        da.request("ACK", cseq=self.cs)
        callee_wait(e, "ACK")
        same_flows("confirmed", flows, expect_flows("confirmed", self.cookie, 4))
        self.tot.add(media("confirmed", ra, self.to_a, re_, self.to_e, (20, 20), 20, 20))

    def cancel(self, a):
        """9.1: the caller's CANCEL carries the INVITE's Request-URI, Via and CSeq number."""
        da = self.da
        a.send(f"CANCEL {da.target} SIP/2.0\r\nVia: {self.caller_via}\r\nMax-Forwards: 70\r\n"
               f"From: {da.local}\r\nTo: {da.remote}\r\nCall-ID: {da.call_id}\r\n"
               f"CSeq: {self.cs} CANCEL\r\nContent-Length: 0\r\n\r\n")


def scenario_restart():
    """A call ringing with early media survives kill -9 of sipproxyd: the
    kernel keeps relaying, the restarted daemon adopts the call and the
    callee's 200 confirms it."""
    a, e, ra, re_ = restart_parties()
    call = Ringing(a, e, ra, re_)
    da, cs, inv, cookie, tag = call.da, call.cs, call.inv, call.cookie, call.tag
    to_a, to_e, tot = call.to_a, call.to_e, call.tot
    da.answered(call.p183)
    flows = expect_flows("183", cookie, 4)
    ok(f"the call rings with early media on relay ports {to_a}, {to_e}")

    proxy_restart()
    wait_for("adoption", lambda: log_lines(
        rf"{re.escape(da.call_id)}.*dialog: call {cookie:016x} adopted"))
    same_flows("adopted", flows, expect_flows("adopted", cookie, 4))
    check(relay_sockets() == 4, f"adopted: {relay_sockets()} relay sockets, want 4")
    tot.add(media("after the restart", ra, to_a, re_, to_e, (20, 20), 20, 20))
    ok("kill -9 and restart of sipproxyd while ringing: the call is adopted with its flows "
       "and relay ports, early media keeps flowing")

    e.reply(inv, 200, "OK", sdp("10.0.2.2", 7000, 1), to_tag=tag)
    r = da.final("INVITE", cs)
    check(r.status == 200, f"200 after the restart: '{r}'")
    expect_sdp("200 after the restart", r.body, to_a)
    call.confirm(e, r, ra, re_, flows)
    ok("the callee's 200 reaches the caller through the restarted sipproxyd, rewritten to "
       "the same relay port, and confirms the call on the same flows")

    hang_up(da, e, cookie, tot)
    ok(f"BYE: no flow and no relay socket left; legs {tot.want()} count the whole call")


def main():
    scenarios = {"reinvite": scenario_reinvite, "prack": scenario_prack, "fork": scenario_fork,
                 "restart": scenario_restart}
    if len(sys.argv) != 2 or sys.argv[1] not in scenarios:
        sys.exit(__doc__)
    scenarios[sys.argv[1]]()


if __name__ == "__main__":
    main()
