#!/usr/bin/env python3
"""One TCP connection to the proxy, held open while stdin lasts. Each line
of stdin is a size N: an OPTIONS for the proxy's domain (sip:localhost,
from a foreign user, so no challenge) of exactly N bytes, padded with a
text/plain body, goes out on the connection, and one line comes
back on stdout: the final status code of the answer, "closed" when the
proxy closed or reset the connection instead, "timeout", or "refused"
when the connection could not be made.

  stream_conn.py HOST PORT
"""
import socket
import sys


def options(host, size, seq):
    """An OPTIONS of exactly @size bytes (the body grows to fit)."""
    def head(body):
        return (
            "OPTIONS sip:localhost SIP/2.0\r\n"
            f"Via: SIP/2.0/TCP {host}:9;branch=z9hG4bK-sc{seq}\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:probe@example.org>;tag=sc\r\n"
            "To: <sip:localhost>\r\n"
            f"Call-ID: stream-conn-{seq}@{host}\r\n"
            f"CSeq: {seq} OPTIONS\r\n"
            "Content-Type: text/plain\r\n"
            f"Content-Length: {body}\r\n\r\n"
        )

    # The body's length has as many digits as it takes: try each count.
    for digits in range(1, 8):
        body = size - len(head(0)) + 1 - digits
        if body >= 0 and len(head(body)) + body == size:
            return (head(body) + "x" * body).encode()
    sys.exit(f"no OPTIONS of {size} bytes")


def final_status(sock, buf):
    """The first final status line read, or None at EOF."""
    while True:
        while b"\r\n\r\n" in buf[0]:
            head, _, rest = buf[0].partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() in (b"content-length", b"l"):
                    length = int(value)
            if len(rest) < length:
                break
            buf[0] = rest[length:]
            code = int(head.split(b" ", 2)[1])
            if code >= 200:
                return code
        data = sock.recv(65536)
        if not data:
            return None
        buf[0] += data


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    try:
        sock = socket.create_connection((host, port), timeout=5)
    except ConnectionRefusedError:
        # Nobody listens (the proxy died): every line's outcome.
        for _ in sys.stdin:
            print("refused", flush=True)
        return
    buf = [b""]
    for seq, line in enumerate(sys.stdin, 1):
        try:
            sock.sendall(options(host, int(line), seq))
            code = final_status(sock, buf)
            out = "closed" if code is None else str(code)
        except (ConnectionResetError, BrokenPipeError):
            out = "closed"
        except socket.timeout:
            out = "timeout"
        print(out, flush=True)


main()
