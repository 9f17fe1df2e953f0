#!/usr/bin/env python3
"""A small SIP user agent for what SIPp 3.6.1 and sipsak cannot do here:
digest SHA-256 (RFC 8760) and TLS. One request at a time, answering 401/407
once; prints the final status and exits 0 when it is the expected one.

  sipclient.py [--transport udp|tcp|tls] [--ca FILE --cert FILE --key FILE]
               --proxy HOST:PORT --user U --password P [--algorithm SHA-256]
               register CONTACT [EXPIRES] | message TO TEXT |
               message-to USER@HOST TEXT | options URI |
               call TO
"""
import argparse
import hashlib
import os
import re
import socket
import ssl
import sys

DOMAIN = "localhost"


class Transport:
    def __init__(self, kind, host, port, ca=None, cert=None, key=None):
        self.kind = kind
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.dest = (host, port)
        if kind == "udp":
            self.sock = socket.socket(family, socket.SOCK_DGRAM)
            self.sock.connect(self.dest)
        else:
            raw = socket.create_connection(self.dest, timeout=5)
            if kind == "tls":
                ctx = ssl.create_default_context(cafile=ca)
                ctx.check_hostname = False
                if cert:
                    ctx.load_cert_chain(cert, key)
                raw = ctx.wrap_socket(raw)
            self.sock = raw
        self.sock.settimeout(5)
        self.buf = b""
        self.local = self.sock.getsockname()

    def send(self, text):
        self.sock.sendall(text.encode()) if self.kind != "udp" else self.sock.send(text.encode())

    def recv(self):
        if self.kind == "udp":
            return self.sock.recv(65536).decode()
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                head = self.buf[:end].decode()
                m = re.search(r"(?im)^(content-length|l)\s*:\s*(\d+)", head)
                total = end + 4 + (int(m.group(2)) if m else 0)
                if len(self.buf) >= total:
                    msg, self.buf = self.buf[:total], self.buf[total:]
                    return msg.decode()
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buf += data


def header(msg, name):
    m = re.search(r"(?im)^" + name + r"\s*:\s*(.*)$", msg)
    return m.group(1).strip() if m else None


def headers(msg, name):
    return [v.strip() for v in re.findall(r"(?im)^" + name + r"\s*:\s*(.*)$", msg)]


def status(msg):
    return int(msg.split(" ", 2)[1])


def digest(challenge, alg, user, password, method, uri):
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if alg == "SHA-256" else \
        (lambda s: hashlib.md5(s.encode()).hexdigest())
    cnonce, nc = os.urandom(8).hex(), "00000001"
    ha1 = h(f"{user}:{fields['realm']}:{password}")
    ha2 = h(f"{method}:{uri}")
    resp = h(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
    return (f'Digest username="{user}", realm="{fields["realm"]}", nonce="{fields["nonce"]}", '
            f'uri="{uri}", response="{resp}", algorithm={alg}, cnonce="{cnonce}", '
            f'opaque="{fields.get("opaque", "")}", qop=auth, nc={nc}')


class Agent:
    def __init__(self, args):
        host, port = args.proxy.rsplit(":", 1)
        self.args = args
        self.tp = Transport(args.transport, host.strip("[]"), int(port), args.ca, args.cert,
                            args.key)
        self.call_id = os.urandom(8).hex() + "@sipclient"
        self.tag = os.urandom(4).hex()
        self.cseq = 0

    def via(self):
        host, port = self.tp.local[0], self.tp.local[1]
        host = f"[{host}]" if ":" in host else host
        return (f"SIP/2.0/{self.args.transport.upper()} {host}:{port};"
                f"branch=z9hG4bK{os.urandom(6).hex()};rport")

    def request(self, method, uri, to, extra="", body="", auth=None, cseq=None):
        if cseq is None:
            self.cseq += 1
        lines = [f"{method} {uri} SIP/2.0", f"Via: {self.via()}", "Max-Forwards: 70",
                 f"From: <sip:{self.args.user_aor or self.args.user}@{DOMAIN}>;tag={self.tag}",
                 f"To: {to}",
                 f"Call-ID: {self.call_id}", f"CSeq: {cseq or self.cseq} {method}"]
        if auth:
            lines.append(auth)
        if extra:
            lines.append(extra)
        lines.append(f"Content-Length: {len(body.encode())}")
        self.tp.send("\r\n".join(lines) + "\r\n\r\n" + body)
        return lines[1]

    def final(self):
        while True:
            msg = self.tp.recv()
            if msg.startswith("SIP/2.0") and status(msg) >= 200:
                return msg

    def ack_failure(self, uri, resp, via):
        to = header(resp, "To")
        self.tp.send(f"ACK {uri} SIP/2.0\r\n{via}\r\nMax-Forwards: 70\r\n"
                     f"From: <sip:{self.args.user_aor or self.args.user}@{DOMAIN}>;"
                     f"tag={self.tag}\r\nTo: {to}\r\n"
                     f"Call-ID: {self.call_id}\r\nCSeq: {self.cseq} ACK\r\n"
                     "Content-Length: 0\r\n\r\n")

    def send(self, method, uri, to, extra="", body=""):
        via = self.request(method, uri, to, extra, body)
        resp = self.final()
        code = status(resp)
        if code in (401, 407):
            if method == "INVITE":
                self.ack_failure(uri, resp, via)
            name = "WWW-Authenticate" if code == 401 else "Proxy-Authenticate"
            mine = [c for c in headers(resp, name)
                    if f"algorithm={self.args.algorithm}" in c]
            if not mine:
                print(f"no {self.args.algorithm} challenge in {code}", file=sys.stderr)
                return resp
            cred = digest(mine[0], self.args.algorithm, self.args.user, self.args.password,
                          method, uri)
            hdr = "Authorization" if code == 401 else "Proxy-Authorization"
            via = self.request(method, uri, to, extra, body, auth=f"{hdr}: {cred}")
            resp = self.final()
        self.last_via = via
        return resp


def call(agent, to_user):
    uri = f"sip:{to_user}@{DOMAIN}"
    host, port = agent.tp.local[0], agent.tp.local[1]
    sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio 40000 RTP/AVP 0\r\n")
    contact = f"Contact: <sip:{agent.args.user}@{host}:{port};transport={agent.args.transport}>"
    resp = agent.send("INVITE", uri, f"<{uri}>", contact + "\r\nContent-Type: application/sdp",
                      sdp)
    if status(resp) != 200:
        return resp
    # The dialog: Route set from Record-Route (reversed), remote target from Contact.
    rr = []
    for value in headers(resp, "Record-Route"):
        rr += [v.strip() for v in value.split(",")]
    routes = "\r\n".join(f"Route: {r}" for r in reversed(rr))
    target = re.search(r"<([^>]+)>", header(resp, "Contact")).group(1)
    to = header(resp, "To")
    invite_cseq = agent.cseq
    agent.request("ACK", target, to, routes, cseq=invite_cseq)
    agent.request("BYE", target, to, routes)
    return agent.final()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--transport", default="udp", choices=["udp", "tcp", "tls"])
    p.add_argument("--proxy", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--algorithm", default="SHA-256", choices=["SHA-256", "MD5"])
    p.add_argument("--ca")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--expect", type=int, default=200)
    p.add_argument("--q", help="register: the contact's q value")
    p.add_argument("--user-aor", help="register this user's AOR instead of --user's")
    p.add_argument("command")
    p.add_argument("rest", nargs="*")
    args = p.parse_args()
    agent = Agent(args)
    if args.command == "register":
        expires = args.rest[1] if len(args.rest) > 1 else "300"
        aor = f"sip:{args.user_aor or args.user}@{DOMAIN}"
        contact = "*" if args.rest[0] == "*" else f"<{args.rest[0]}>"
        if args.q:
            contact += f";q={args.q}"
        resp = agent.send("REGISTER", f"sip:{DOMAIN}", f"<{aor}>",
                          f"Contact: {contact}\r\nExpires: {expires}")
    elif args.command == "message":
        uri = f"sip:{args.rest[0]}@{DOMAIN}"
        resp = agent.send("MESSAGE", uri, f"<{uri}>", "Content-Type: text/plain", args.rest[1])
    elif args.command == "message-to":
        uri = f"sip:{args.rest[0]}"
        resp = agent.send("MESSAGE", uri, f"<{uri}>", "Content-Type: text/plain", args.rest[1])
    elif args.command == "options":
        resp = agent.send("OPTIONS", args.rest[0], f"<{args.rest[0]}>")
    elif args.command == "call":
        resp = call(agent, args.rest[0])
    else:
        p.error("unknown command")
    code = status(resp)
    print(resp.split("\r\n", 1)[0])
    for line in resp.split("\r\n"):
        if line.lower().startswith("contact"):
            print(line)
    sys.exit(0 if code == args.expect else 1)


if __name__ == "__main__":
    main()
