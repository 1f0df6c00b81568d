"""Interactive HTTP/2 clients for the proxy's tests: flow control, cancellation, graceful shutdown and the idle
timeout. They print "event ..." lines as things happen and, where a scenario says so, wait for a line on stdin
(the test's go-ahead); at the end they print the h2wire report.

usage: h2_flow.py HOST PORT SCENARIO [ARGS]
  download PATH      GET PATH granting no window beyond the initial 65,535 bytes: "event stalled received=N" once
                     that much arrived; after a line on stdin, grants 1 GiB and reads to the end
  stall PATH         GET PATH granting no window beyond the initial one ("event stalled received=N"), then waits
                     (60 s at most) for the stream to end: "event reset code=C" or "event ended"
  upload SIZE        POST SIZE bytes of the test pattern (byte i is i % 251) as fast as the windows allow; when
                     blocked with no WINDOW_UPDATE for 1 s: "event stalled sent=N", then waits for a line on stdin
  late-body          POST /late with content-length 5, HEADERS only ("event head-sent"); after a line on stdin,
                     DATA "hello" with END_STREAM
  cl-desync          POST /m with content-length 100 and 10 bytes of DATA ("event partial-sent"); after a line on
                     stdin, END_STREAM with no more data, then GET /after on stream 3
  uploads N SIZE FAST  N POSTs of SIZE bytes to /slow/I, sent as the windows allow until nothing moves for 1 s
                     ("event slow-stalled"); then a POST of FAST bytes to /fast on the same connection: "event
                     fast-done" when it is answered, or "event stalled fast_sent=N" when it cannot be sent; then
                     waits for a line on stdin and finishes every upload
  cancel             GET /big, RST_STREAM(CANCEL) after its first DATA ("event cancelled"), then GET /next
  shutdown           GET /hold ("event sent"); "event goaway code=C last=L" on GOAWAY, then GET /late on stream 3;
                     reads until the server closes
  idle               "event ready" after the SETTINGS exchange; then "ping" on stdin sends a PING ("event pong"
                     with the GOAWAY count), and any GOAWAY or close is reported at once ("event goaway",
                     "event closed")
"""

import select
import sys

from hyperframe.frame import PingFrame, SettingsFrame, WindowUpdateFrame

from h2wire import Client, event, get, wait_stdin

INITIAL_WINDOW = 65535


PATTERN = bytes(i % 251 for i in range(251 + 16384))


def pattern(start, n):
    """n bytes of the test pattern from offset start (byte i is i % 251); n <= 16384."""
    return PATTERN[start % 251:start % 251 + n]


def download(c, path):
    c.request(1, get(path))
    c.pump(lambda c: len(c.stream(1).body) >= INITIAL_WINDOW or c.done(1))
    event("stalled", received=len(c.stream(1).body))
    wait_stdin()
    c.window_update(0, 1 << 30)
    c.window_update(1, 1 << 30)
    c.pump(lambda c: c.done(1), timeout=30)


def stall(c, path):
    c.auto_window = False
    c.request(1, get(path))
    c.pump(lambda c: len(c.stream(1).body) >= INITIAL_WINDOW or c.done(1))
    event("stalled", received=len(c.stream(1).body))
    c.pump(lambda c: c.done(1), timeout=60)
    s = c.stream(1)
    if s.rst is not None:
        event("reset", code=s.rst)
    else:
        event("ended", closed=int(c.closed))


def upload(c, size):
    c.pump(lambda c: c.frames.get("SETTINGS", 0) >= 1)
    stream_window = c.server_settings.get(SettingsFrame.INITIAL_WINDOW_SIZE, INITIAL_WINDOW)
    updates = {0: 0, 1: 0}
    handle = c.handle

    def counting(f):
        if isinstance(f, WindowUpdateFrame) and f.stream_id in updates:
            updates[f.stream_id] += f.window_increment
        handle(f)

    c.handle = counting
    c.request(1, get("/upload", method="POST", extra=[("content-length", str(size))]), end_stream=False)
    sent, stalled = 0, False
    while sent < size and not c.closed and not c.done(1):
        avail = min(INITIAL_WINDOW + updates[0] - sent, stream_window + updates[1] - sent, 16384, size - sent)
        if avail > 0:
            c.data(1, pattern(sent, avail), end_stream=sent + avail == size)
            sent += avail
            continue
        f = c.read_frame(1.0 if not stalled else 30.0)
        if f is not None:
            c.handle(f)
        elif not c.closed and not stalled:
            stalled = True
            c.timed_out = False
            event("stalled", sent=sent)
            wait_stdin()
    c.pump(lambda c: c.done(1), timeout=30)
    return sent


def late_body(c):
    c.request(1, get("/late", method="POST", extra=[("content-length", "5")]), end_stream=False)
    event("head-sent")
    wait_stdin()
    c.data(1, b"hello", end_stream=True)
    c.pump(lambda c: c.done(1))


def cl_desync(c):
    c.request(1, get("/m", method="POST", extra=[("content-length", "100")]), end_stream=False)
    c.data(1, b"0123456789")
    event("partial-sent")
    wait_stdin()
    c.data(1, b"", end_stream=True)
    c.pump(lambda c: c.done(1))
    c.request(3, get("/after"))
    c.pump(lambda c: c.done(3))


def uploads(c, n, size, fast):
    c.pump(lambda c: c.frames.get("SETTINGS", 0) >= 1)
    initial = c.server_settings.get(SettingsFrame.INITIAL_WINDOW_SIZE, INITIAL_WINDOW)
    todo, sent, updates = {}, {}, {0: 0}
    handle = c.handle

    def counting(f):
        if isinstance(f, WindowUpdateFrame) and f.stream_id in updates:
            updates[f.stream_id] += f.window_increment
        handle(f)

    c.handle = counting

    def start(sid, path, length):
        c.request(sid, get(path, method="POST", extra=[("content-length", str(length))]), end_stream=False)
        todo[sid], sent[sid], updates[sid] = length, 0, 0

    def send_until_blocked(wait):
        """Sends what the windows allow until nothing moved for wait seconds (False) or all is sent (True)."""
        while not c.closed:
            moved = False
            for sid in todo:
                conn_avail = INITIAL_WINDOW + updates[0] - sum(sent.values())
                avail = min(conn_avail, initial + updates[sid] - sent[sid], 16384, todo[sid] - sent[sid])
                if avail > 0:
                    c.data(sid, pattern(sent[sid], avail), end_stream=sent[sid] + avail == todo[sid])
                    sent[sid] += avail
                    moved = True
            if all(sent[s] == todo[s] for s in todo):
                return True
            if not moved:
                f = c.read_frame(wait)
                if f is None:
                    c.timed_out = False
                    return False
                c.handle(f)
        return False

    for i in range(n):
        start(1 + 2 * i, "/slow/%d" % i, size)
    send_until_blocked(1.0)
    event("slow-stalled", sent=sum(sent.values()), conn_window=INITIAL_WINDOW + updates[0] - sum(sent.values()))
    fast_id = 1 + 2 * n
    start(fast_id, "/fast", fast)
    sent_all = send_until_blocked(1.0)
    if sent_all:
        c.pump(lambda c: c.done(fast_id), timeout=5)
    if c.done(fast_id):
        event("fast-done", status=c.stream(fast_id).status)
    else:
        event("stalled", fast_sent=sent[fast_id])
    wait_stdin()
    send_until_blocked(30.0)
    c.pump(lambda c: all(c.done(sid) for sid in todo), timeout=30)
    return sent[fast_id]


def cancel(c):
    c.auto_window = False
    c.request(1, get("/big"))
    c.pump(lambda c: len(c.stream(1).body) > 0 or c.done(1))
    c.reset(1, 8)
    event("cancelled", received=len(c.stream(1).body))
    c.auto_window = True
    c.window_update(0, 1 << 20)
    c.request(3, get("/next"))
    c.pump(lambda c: c.done(3))


def shutdown(c):
    c.request(1, get("/hold"))
    event("sent")
    c.pump(lambda c: c.goaways)
    if c.goaways:
        event("goaway", code=c.goaways[0][0], last=c.goaways[0][1])
        c.request(3, get("/late"))  # above the GOAWAY's last stream: never processed (RFC 9113 6.8)
    c.pump(lambda c: c.done(1), timeout=30)
    c.wait_closed(timeout=30)


def idle(c):
    c.pump(lambda c: c.frames.get("SETTINGS", 0) >= 1 and c.settings_acks >= 1)
    event("ready")
    seen_goaways, pings = 0, 0
    while not c.closed:
        readable, _, _ = select.select([c.sock, sys.stdin], [], [], 60)
        if not readable:
            break
        if sys.stdin in readable:
            line = sys.stdin.readline().strip()
            if line == "ping":
                pings += 1
                c.frame(PingFrame(0, opaque_data=pings.to_bytes(8, "big")))
            elif not line:
                break
        if c.sock in readable:
            acks = c.ping_acks
            while True:
                f = c.read_frame(10)
                if f is not None:
                    c.handle(f)
                if f is None or not c.has_frame():
                    break
            if len(c.goaways) > seen_goaways:
                seen_goaways = len(c.goaways)
                event("goaway", code=c.goaways[-1][0], last=c.goaways[-1][1])
            if c.ping_acks > acks:
                event("pong", goaways=len(c.goaways))
    event("closed", closed=int(c.closed))


def main(host, port, scenario, *args):
    c = Client(host, port)
    extra = {}
    if scenario == "download":
        c.auto_window = False
        download(c, args[0])
    elif scenario == "stall":
        stall(c, args[0])
    elif scenario == "upload":
        extra["sent"] = upload(c, int(args[0]))
    elif scenario == "late-body":
        late_body(c)
    elif scenario == "cl-desync":
        cl_desync(c)
    elif scenario == "uploads":
        extra["fast_sent"] = uploads(c, int(args[0]), int(args[1]), int(args[2]))
    elif scenario == "cancel":
        cancel(c)
    elif scenario == "shutdown":
        shutdown(c)
    elif scenario == "idle":
        idle(c)
    else:
        raise SystemExit("unknown scenario " + scenario)
    c.report(**extra)
    c.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
