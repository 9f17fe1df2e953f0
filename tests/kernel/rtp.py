#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP/RTP sender and counting receiver for the forward_*.sh tests.

  rtp.py send BIND DST COUNT [--ssrc N] [--seq N] [--skip A,B] [--pt N]
                             [--size BYTES] [--raw HEX] [--pps N]
                             [--rtcp PT[,PT...]] [--ts-jitter N]
                             [--garbage SEED] [--udp-length N]
                             [--hold N:FILE]
  rtp.py sends < LINES
  rtp.py recv BIND[,BIND...] COUNT [--timeout SEC] [--idle SEC]
  rtp.py tap DEV

ENDPOINTs are ADDR:PORT or [ADDR6]:PORT.

send sends COUNT packets. By default they are RTP (version 2, payload type
--pt, sequence numbers from --seq leaving out the offsets in --skip,
timestamp 160 per sequence number, --size bytes of UDP payload). --ts-jitter
adds N to the timestamp of every odd sequence number, a timing irregularity
of N clock units the receiver's jitter estimate must see. --rtcp sends RTCP
packets instead, of the packet types PT in turn (--size rounded down to
32-bit words, at least 8 bytes); --raw sends the given bytes (possibly
none); --garbage sends --size random bytes from the seed, never looking
like RTP version 2. --udp-length sends through a raw socket (IPv4 only) with
N in the UDP header's length field instead of the true length. --hold
holds packet N (counted from 0) and the rest until FILE exists, then paces
on from there: a test acting mid-stream is sure the stream has not ended,
however late a loaded host lets it act. A hold over 60 s fails the send.

sends runs one send per line of stdin, whose words are that send's
arguments, in order and in one process: in the emulated VM every python
start costs about a second, more than sending the packets.

recv prints one line, "packets=N bytes=N sources=EP[,EP...]", once COUNT
packets arrived or the timeout passed (then exit status 1); with COUNT 0 it
waits the whole timeout and expects nothing, or with --idle stops SEC seconds
after the latest packet (exit status 0 if any came). BIND may list several
endpoints, comma-separated: COUNT is then their total, and the line of each
is printed in turn.

tap opens a packet socket on DEV that never reads, so every packet DEV
receives stays cloned; it prints "ready" once bound and runs until killed.
"""
import argparse
import os
import random
import selectors
import shlex
import socket
import struct
import sys
import time

# Not exported by python's socket module; asm-generic/socket.h.
SO_RCVBUFFORCE = 33
ETH_P_ALL = 3
RTP_TS_STEP = 160


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


def rtcp_packet(pt, ssrc, size):
    """An RTCP packet of SIZE bytes (RFC 3550 6.4): length in words minus one."""
    words = max(2, size // 4)
    header = struct.pack("!BBHI", 0x80, pt, words - 1, ssrc)
    return header + bytes(4 * words - len(header))


def garbage(rng, size):
    """Random bytes whose first byte's version bits are 0, 1 or 3, never 2."""
    data = bytearray(rng.randbytes(size))
    if data:
        data[0] = (data[0] & 0x3F) | (rng.choice((0, 1, 3)) << 6)
    return bytes(data)


def payloads(args):
    """The COUNT payloads send() transmits, in order."""
    skip = {int(s) for s in args.skip.split(",") if s}
    rng = random.Random(args.garbage)
    seq = args.seq
    sent = 0
    while sent < args.count:
        if seq - args.seq in skip:
            seq += 1
            continue
        if args.raw is not None:
            yield bytes.fromhex(args.raw)
        elif args.garbage is not None:
            yield garbage(rng, args.size)
        elif args.rtcp:
            yield rtcp_packet(args.rtcp[sent % len(args.rtcp)], args.ssrc, args.size)
        else:
            ts = seq * RTP_TS_STEP + (args.ts_jitter if seq % 2 else 0)
            yield rtp_packet(seq, ts, args.ssrc, args.pt, args.size)
        sent += 1
        seq += 1


def udp_socket(args, family, bind):
    """A UDP socket, or a raw one whose datagrams carry a UDP header of ours."""
    if args.udp_length is None:
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.bind(bind)
        return sock, lambda data: data
    if family != socket.AF_INET:
        raise SystemExit("rtp.py: --udp-length is IPv4 only")
    _, dst = endpoint(args.dst)
    sock = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_UDP)
    sock.bind((bind[0], 0))
    # Checksum 0: none, which IPv4 allows.
    return sock, lambda data: struct.pack("!HHHH", bind[1], dst[1], args.udp_length, 0) + data


def wait_file(path, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit(f"rtp.py: no {path} after {timeout} s")
        time.sleep(0.01)


def send(args):
    family, bind = endpoint(args.bind)
    _, dst = endpoint(args.dst)
    sock, datagram = udp_socket(args, family, bind)
    gap = 1.0 / args.pps if args.pps else 0
    hold_at, hold_file = args.hold or (None, None)
    # Paced against a schedule, not by sleeping a gap after each send, so a
    # slow python under emulation keeps the average rate.
    start = time.monotonic()
    for i, data in enumerate(payloads(args)):
        if i == hold_at:
            wait_file(hold_file, 60)
            # The schedule starts again here: no burst to make up the hold.
            start = time.monotonic() - i * gap
        if gap:
            delay = start + i * gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        sock.sendto(datagram(data), dst)
    return 0


def sends(parser):
    for line in sys.stdin:
        words = shlex.split(line)
        if words:
            send(parser.parse_args(["send"] + words))
    return 0


def recv(args):
    binds = []
    sel = selectors.DefaultSelector()
    for text in args.bind.split(","):
        family, bind = endpoint(text)
        sock = socket.socket(family, socket.SOCK_DGRAM)
        # FORCE: SO_RCVBUF is capped by net.core.rmem_max (208 KiB), which a
        # burst of a few hundred packets overflows while python is slow to read.
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
        sock.bind(bind)
        seen = {"family": family, "packets": 0, "bytes": 0, "sources": []}
        binds.append(seen)
        sel.register(sock, selectors.EVENT_READ, seen)
    deadline = time.monotonic() + args.timeout
    packets = 0
    while args.count == 0 or packets < args.count:
        left = deadline - time.monotonic()
        if packets and args.idle:
            left = min(left, args.idle)
        if left <= 0:
            break
        ready = sel.select(left)
        if not ready:
            break
        # One datagram from each ready socket per round: what reached one
        # port first is not left unread for another's later packets.
        for key, _ in ready:
            if args.count and packets == args.count:
                break
            data, src = key.fileobj.recvfrom(65536)
            seen = key.data
            packets += 1
            seen["packets"] += 1
            seen["bytes"] += len(data)
            text = fmt(seen["family"], src)
            if text not in seen["sources"]:
                seen["sources"].append(text)
    for seen in binds:
        print(f"packets={seen['packets']} bytes={seen['bytes']} "
              f"sources={','.join(seen['sources']) or '-'}", flush=True)
    if args.idle and args.count == 0:
        return 0 if packets else 1
    return 0 if packets == args.count else 1


def tap(args):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    sock.bind((args.dev, 0))
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def hold(text):
    n, sep, path = text.partition(":")
    if not sep or not n.isdigit() or not path:
        raise argparse.ArgumentTypeError(f"want N:FILE: {text}")
    return int(n), path


def rtcp_types(text):
    """RFC 5761 section 4: RTCP packet types are 192..223 here."""
    types = [int(t) for t in text.split(",")]
    if not all(192 <= t <= 223 for t in types):
        raise argparse.ArgumentTypeError(f"RTCP packet types are 192..223: {text}")
    return types


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
    s.add_argument("--rtcp", type=rtcp_types, metavar="PT[,PT...]")
    s.add_argument("--ts-jitter", type=int, default=0)
    s.add_argument("--garbage", type=int, metavar="SEED")
    s.add_argument("--udp-length", type=int, metavar="N")
    s.add_argument("--hold", type=hold, metavar="N:FILE")
    sub.add_parser("sends")
    r = sub.add_parser("recv")
    r.add_argument("bind")
    r.add_argument("count", type=int)
    r.add_argument("--timeout", type=float, default=10)
    r.add_argument("--idle", type=float, default=0)
    t = sub.add_parser("tap")
    t.add_argument("dev")
    args = p.parse_args()
    if args.cmd == "sends":
        return sends(p)
    return {"send": send, "recv": recv, "tap": tap}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
