"""HTTP/2 requests for the proxy's tests: a well-behaved client on the h2 library, and malformed or demanding
requests written frame by frame. Prints the h2wire report.

usage: h2_requests.py HOST PORT SCENARIO [ARGS]
  normal N PINGS         h2's H2Connection: N GETs, 10 streams at a time, PINGS pings and a SETTINGS change
  concurrent N ACK       N streams at once; ACK "ack" acknowledges the server's SETTINGS first, "noack" never does
                         and sends all at once; prints "event refused count=..." then waits for a line on stdin
  slow                   /stall on stream 1, /fail on 3, /fast/N on 5, 7, 9: reads until 3 to 9 are done
  header-size N          one request with an N-byte field, then GET /after on stream 3
  malformed NAME         one malformed request (see MALFORMED), then GET /after on stream 3
  grpc PATH [NAME VALUE] one gRPC call (content-type application/grpc, te trailers, one empty message) to PATH,
                         with the field NAME: VALUE added if given
"""

import sys

from h2wire import Client, Stream, connect, event, get, print_report, wait_stdin

BASE = get("/m")


def replace(headers, name, value=None):
    """headers without the first field called name; with value, that field's value replaced instead."""
    out, done = [], False
    for n, v in headers:
        if n == name and not done:
            done = True
            if value is not None:
                out.append((n, value))
        else:
            out.append((n, v))
    return out


POST = get("/m", method="POST")

# name -> (header list, body frames: list of (payload, end_stream), trailers or None)
MALFORMED = {
    "connection": (BASE + [("connection", "keep-alive")], None, None),
    "keep-alive": (BASE + [("keep-alive", "timeout=5")], None, None),
    "proxy-connection": (BASE + [("proxy-connection", "keep-alive")], None, None),
    "transfer-encoding": (POST + [("transfer-encoding", "chunked")], [(b"3\r\nabc\r\n0\r\n\r\n", True)], None),
    "upgrade": (BASE + [("upgrade", "websocket")], None, None),
    "te-gzip": (BASE + [("te", "gzip")], None, None),
    "uppercase-name": (BASE + [("X-Upper", "1")], None, None),
    "uppercase-name-with-body": (POST + [("X-Upper", "1")], [(b"abc", False), (b"def", True)], None),
    "cr-in-value": (BASE + [("x-v", "a\rb")], None, None),
    "lf-in-value": (BASE + [("x-v", "a\nx-injected: 1")], None, None),
    "nul-in-value": (BASE + [("x-v", "a\x00b")], None, None),
    "nul-in-name": (BASE + [("x-\x00n", "1")], None, None),
    "no-method": (replace(BASE, ":method"), None, None),
    "no-path": (replace(BASE, ":path"), None, None),
    "no-scheme": (replace(BASE, ":scheme"), None, None),
    "repeated-path": (BASE + [(":path", "/other")], None, None),
    "repeated-method": ([(":method", "GET")] + BASE, None, None),
    "unknown-pseudo": ([(":foo", "bar")] + BASE, None, None),
    "pseudo-after-field": (BASE[:2] + [("x-a", "1")] + BASE[2:], None, None),
    "pseudo-in-trailers": (POST, [(b"abc", False)], [(":path", "/evil")]),
    "connection-in-trailers": (POST, [(b"abc", False)], [("connection", "close")]),
    "transfer-encoding-in-trailers": (POST, [(b"abc", False)], [("transfer-encoding", "chunked")]),
    "host-mismatch": (BASE + [("host", "other.test")], None, None),
    # H2.CL desync: 100 announced, 10 sent, then END_STREAM
    "content-length-short": (POST + [("content-length", "100")], [(b"0123456789", False), (b"", True)], None),
    # DATA beyond content-length: 10 announced, 10 sent, then 5 more with END_STREAM
    "content-length-excess": (POST + [("content-length", "10")], [(b"0123456789", False), (b"EXTRA", True)], None),
    # well-formed ones that must pass
    "te-trailers": (BASE + [("te", "trailers")], None, None),
    "authority-only": (BASE, None, None),
    "valid-trailers": (POST, [(b"abc", False), (b"def", False)], [("x-checksum", "42")]),
}


def malformed(c, name):
    headers, body, trailers = MALFORMED[name]
    c.request(1, headers, end_stream=body is None)
    for payload, end in body or []:
        c.data(1, payload, end_stream=end and trailers is None)
    if trailers is not None:
        c.request(1, trailers, end_stream=True)
    c.pump(lambda c: c.done(1))
    after(c)


def after(c):
    """GET /after on stream 3: the connection still serves (unless the server closed it)."""
    if not c.closed and not c.goaways:
        c.request(3, get("/after"))
        c.pump(lambda c: c.done(3))
    c.report()


def normal(host, port, n, pings):
    import h2.config
    import h2.connection
    import h2.events

    sock = connect(host, port)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    streams, goaways, acks, closed = {}, [], [0], [False]
    sent_pings = 0

    def pump_until(done):
        while not done():
            data = sock.recv(1 << 16)
            if not data:
                closed[0] = True
                return
            for e in conn.receive_data(data):
                if isinstance(e, h2.events.ResponseReceived):
                    s = streams[e.stream_id]
                    s.headers = [(k, v) for k, v in e.headers]
                    s.status = int(dict(e.headers)[":status"])
                elif isinstance(e, h2.events.DataReceived):
                    streams[e.stream_id].body += e.data
                    conn.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    streams[e.stream_id].end = True
                elif isinstance(e, h2.events.StreamReset):
                    streams[e.stream_id].rst = e.error_code
                elif isinstance(e, h2.events.PingAckReceived):
                    acks[0] += 1
                elif isinstance(e, h2.events.ConnectionTerminated):
                    goaways.append((e.error_code, e.last_stream_id, e.additional_data or b""))
            sock.sendall(conn.data_to_send())

    i = 0
    while i < n:
        wave = []
        for _ in range(min(10, n - i)):
            sid = conn.get_next_available_stream_id()
            streams[sid] = Stream(sid)
            conn.send_headers(sid, get("/normal/%d" % i), end_stream=True)
            wave.append(sid)
            i += 1
        if sent_pings < pings:
            conn.ping(sent_pings.to_bytes(8, "big"))
            sent_pings += 1
        if i == n // 2:
            conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
        sock.sendall(conn.data_to_send())
        pump_until(lambda: closed[0] or goaways or all(streams[s].end or streams[s].rst is not None for s in wave))
    while sent_pings < pings:
        conn.ping(sent_pings.to_bytes(8, "big"))
        sent_pings += 1
    sock.sendall(conn.data_to_send())
    pump_until(lambda: closed[0] or goaways or acks[0] >= pings)
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    report = {"closed": int(closed[0]), "goaways": len(goaways), "ping_acks": acks[0]}
    if goaways:
        report.update(goaway=goaways[-1][0], last_stream=goaways[-1][1], debug=goaways[-1][2])
    print_report(report, streams)


def main(host, port, scenario, *args):
    if scenario == "normal":
        normal(host, port, int(args[0]), int(args[1]))
        return
    ack = not (scenario == "concurrent" and args[1] == "noack")
    c = Client(host, port, ack_settings=ack)
    if scenario == "concurrent":
        n = int(args[0])
        if ack:
            # our ACK goes out before the requests: the server's limit applies from there
            c.pump(lambda c: 3 in c.server_settings and c.settings_acks >= 1)
        out = b"".join(c.headers_frame(1 + 2 * i, get("/hold/%d" % i)).serialize() for i in range(n))
        for i in range(n):
            c.stream(1 + 2 * i)
        c.send(out)
        limit = c.server_settings.get(3, n) if ack else int(args[2])
        c.pump(lambda c: sum(1 for s in c.streams.values() if s.rst is not None) >= n - limit, timeout=5)
        event("refused", count=sum(1 for s in c.streams.values() if s.rst == 7))
        wait_stdin()
        c.pump(lambda c: all(c.done(1 + 2 * i) for i in range(n)))
        c.report()
    elif scenario == "slow":
        c.request(1, get("/stall"))
        c.request(3, get("/fail"))
        for sid in (5, 7, 9):
            c.request(sid, get("/fast/%d" % sid))
        c.pump(lambda c: all(c.done(s) for s in (3, 5, 7, 9)))
        c.report()
    elif scenario == "header-size":
        c.request(1, get("/big-header", extra=[("x-big", "b" * int(args[0]))]))
        c.pump(lambda c: c.done(1))
        after(c)
    elif scenario == "malformed":
        malformed(c, args[0])
    elif scenario == "grpc":
        extra = [("content-type", "application/grpc"), ("te", "trailers")] + ([(args[1], args[2])] if len(args) > 2 else [])
        c.request(1, get(args[0], method="POST", extra=extra), end_stream=False)
        c.data(1, b"\x00\x00\x00\x00\x00", end_stream=True)
        c.pump(lambda c: c.done(1))
        c.report()
    else:
        raise SystemExit("unknown scenario " + scenario)
    c.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
