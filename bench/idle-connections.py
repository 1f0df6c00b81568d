#!/usr/bin/env python3
"""Memory of idle client connections: opens COUNT connections to a proxy, leaves them idle, and reports how much
the proxy's resident set grew per connection.

    bench/idle-connections.py --pid PID --count 10000 --mode h1|h2 HOST PORT

h1: each connection sends one keep-alive GET and reads its response, then stays open (an idle keep-alive connection).
h2: each connection sends the HTTP/2 client preface and an empty SETTINGS frame, reads the server's SETTINGS, and
acknowledges them (RFC 9113 §3.4), then stays open without a stream (an idle HTTP/2 connection).
The proxy's VmRSS (/proc/PID/status) is read before and after, once it stopped moving; the connections are closed at
the end. Needs only Python 3's standard library; the open-file limit must allow COUNT sockets here and in the proxy.
"""
import argparse
import selectors
import socket
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
SETTINGS_ACK = bytes([0, 0, 0, 4, 1, 0, 0, 0, 0])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def settled_rss(pid, seconds=3.0):
    """VmRSS once two readings a second apart agree within 64 KiB (at most `seconds` more)."""
    last = rss_kib(pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.0)  # a sampling period for a number that settles, not a wait for an event
        now = rss_kib(pid)
        if abs(now - last) < 64:
            return now
        last = now
    return last


def handshake(sock, mode, host, port):
    if mode == "h1":
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("closed before the response head")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("closed inside the response body")
            body += chunk
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
    else:
        sock.sendall(PREFACE + SETTINGS)
        data = b""
        while len(data) < 9:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("closed before SETTINGS")
            data += chunk
        if data[3] != 4 or data[4] & 1:
            raise RuntimeError("the first frame is not the server's SETTINGS")
        sock.sendall(SETTINGS_ACK)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--mode", choices=["h1", "h2"], required=True)
    p.add_argument("host")
    p.add_argument("port", type=int)
    a = p.parse_args()
    before = settled_rss(a.pid)
    socks = []
    try:
        for _ in range(a.count):
            s = socket.create_connection((a.host, a.port))
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            handshake(s, a.mode, a.host, a.port)
            socks.append(s)
        after = settled_rss(a.pid)
        # every connection must still be open: nothing readable (a close would be)
        sel = selectors.DefaultSelector()
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        closed = 0
        for key, _ in sel.select(timeout=0):
            if a.mode == "h1" or not key.fileobj.recv(65536):
                closed += 1
        grew = after - before
        print(f"mode={a.mode} connections={a.count} rss_before_kib={before} rss_after_kib={after} "
              f"grew_kib={grew} per_connection_bytes={grew * 1024 // a.count} closed_meanwhile={closed}")
    finally:
        for s in socks:
            s.close()


if __name__ == "__main__":
    main()
