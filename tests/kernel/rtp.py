#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP/RTP sender and counting receiver for the forward_*.sh tests.

  rtp.py send BIND DST COUNT [--ssrc N] [--seq N] [--skip A,B] [--pt N]
                             [--size BYTES] [--raw HEX] [--pps N]
  rtp.py recv BIND COUNT [--timeout SEC]

ENDPOINTs are ADDR:PORT or [ADDR6]:PORT. recv prints one line,
"packets=N bytes=N sources=EP[,EP...]", once COUNT packets arrived or the
timeout passed (then exit status 1); with COUNT 0 it waits the whole timeout
and expects nothing.
"""
import argparse
import socket
import struct
import sys
import time


def endpoint(text):
    if text.startswith("["):
        addr, port = text[1:].split("]:")
        return socket.AF_INET6, (addr, int(port))
    addr, port = text.rsplit(":", 1)
    return socket.AF_INET, (addr, int(port))


def fmt(family, addr):
    return f"[{addr[0]}]:{addr[1]}" if family == socket.AF_INET6 else f"{addr[0]}:{addr[1]}"


def rtp_packet(seq, ts, ssrc, pt, size):
    header = struct.pack("!BBHII", 0x80, pt & 0x7F, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    return header + bytes(max(0, size - len(header)))


def send(args):
    family, bind = endpoint(args.bind)
    _, dst = endpoint(args.dst)
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind(bind)
    skip = {int(s) for s in args.skip.split(",") if s}
    gap = 1.0 / args.pps if args.pps else 0
    seq = args.seq
    sent = 0
    while sent < args.count:
        if seq - args.seq in skip:
            seq += 1
            continue
        if args.raw is not None:
            data = bytes.fromhex(args.raw)
        else:
            data = rtp_packet(seq, seq * 160, args.ssrc, args.pt, args.size)
        sock.sendto(data, dst)
        sent += 1
        seq += 1
        if gap:
            time.sleep(gap)
    return 0


def recv(args):
    family, bind = endpoint(args.bind)
    sock = socket.socket(family, socket.SOCK_DGRAM)
    # FORCE: SO_RCVBUF is capped by net.core.rmem_max (208 KiB), which a
    # burst of a few hundred packets overflows while python is slow to read.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, 8 << 20)
    sock.bind(bind)
    deadline = time.monotonic() + args.timeout
    packets = nbytes = 0
    sources = []
    while args.count == 0 or packets < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            data, src = sock.recvfrom(65536)
        except socket.timeout:
            break
        packets += 1
        nbytes += len(data)
        text = fmt(family, src)
        if text not in sources:
            sources.append(text)
    print(f"packets={packets} bytes={nbytes} sources={','.join(sources) or '-'}", flush=True)
    return 0 if packets == args.count else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("bind")
    s.add_argument("dst")
    s.add_argument("count", type=int)
    s.add_argument("--ssrc", type=lambda v: int(v, 0), default=0x1234)
    s.add_argument("--seq", type=int, default=1000)
    s.add_argument("--skip", default="")
    s.add_argument("--pt", type=int, default=0)
    s.add_argument("--size", type=int, default=172)
    s.add_argument("--raw")
    s.add_argument("--pps", type=int, default=0)
    r = sub.add_parser("recv")
    r.add_argument("bind")
    r.add_argument("count", type=int)
    r.add_argument("--timeout", type=float, default=10)
    args = p.parse_args()
    return send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    sys.exit(main())
