"""A frame-level HTTP/2 client for the proxy's tests: it writes frames by hand (hyperframe, hpack), so it can send
what a well-behaved library refuses to, and records every frame the server sends back.

Results are printed as lines of space-separated key=value tokens (values percent-encoded), one "conn" line for the
connection and one "stream" line per stream; Http2Client.java parses them. Interactive scenarios also print
"event ..." lines while they run and may wait for a line on stdin.
"""

import hashlib
import os
import socket
import ssl
import sys
import urllib.parse

from hpack import Decoder, Encoder
from hyperframe.frame import (
    ContinuationFrame,
    DataFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    RstStreamFrame,
    SettingsFrame,
    WindowUpdateFrame,
)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def connect(host, port, timeout=10.0):
    """A TCP connection to the proxy; with H2_TLS_CA in the environment (a CA file), TLS verified against that CA
    with ALPN h2, which the server must choose."""
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    ca = os.environ.get("H2_TLS_CA")
    if not ca:
        return sock
    context = ssl.create_default_context(cafile=ca)
    context.set_alpn_protocols(["h2"])
    tls = context.wrap_socket(sock, server_hostname="localhost")
    if tls.selected_alpn_protocol() != "h2":
        raise SystemExit("ALPN chose %r, not h2" % tls.selected_alpn_protocol())
    return tls


def q(value):
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return urllib.parse.quote(str(value), safe="")


def event(name, **values):
    print("event " + name + "".join(" %s=%s" % (k, q(v)) for k, v in values.items()), flush=True)


def wait_stdin():
    """Blocks until the test writes a line on stdin; returns it."""
    return sys.stdin.readline().strip()


class Stream:
    def __init__(self, sid):
        self.sid = sid
        self.status = None
        self.informational = []
        self.headers = []
        self.trailers = None
        self.body = bytearray()
        self.end = False
        self.rst = None
        self.reset_sent = False


class Client:
    """One connection. auto_window: grant back every DATA byte received (a normal reader)."""

    def __init__(self, host, port, settings=None, ack_settings=True, auto_window=True, timeout=10.0):
        self.sock = connect(host, port, timeout)
        self.timeout = timeout
        self.encoder = Encoder()
        self.decoder = Decoder(max_header_list_size=1 << 24)
        self.decoder.max_allowed_table_size = 1 << 16
        self.ack_settings = ack_settings
        self.auto_window = auto_window
        self.buf = b""
        self.streams = {}
        self.goaways = []
        self.closed = False
        self.timed_out = False
        self.frames = {}
        self.ping_acks = 0
        self.settings_acks = 0
        self.server_settings = {}
        self.block = None  # (stream id, flags, fragments) of a header block being received
        self.send(PREFACE + SettingsFrame(0, settings=settings or {}).serialize())

    # ---- sending -----------------------------------------------------------------------------------------------

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            self.closed = True
            return False

    def frame(self, f):
        return self.send(f.serialize())

    def block_of(self, headers):
        """An HPACK header block; headers is a list of (name, value), str or bytes, sent exactly as given."""
        return self.encoder.encode([(n if isinstance(n, bytes) else n.encode("latin-1"),
                                     v if isinstance(v, bytes) else v.encode("latin-1")) for n, v in headers],
                                   huffman=False)

    def headers_frame(self, sid, headers, end_stream=True):
        flags = ["END_HEADERS"] + (["END_STREAM"] if end_stream else [])
        return HeadersFrame(sid, data=self.block_of(headers), flags=flags)

    def request(self, sid, headers, end_stream=True):
        self.streams.setdefault(sid, Stream(sid))
        return self.frame(self.headers_frame(sid, headers, end_stream))

    def data(self, sid, payload, end_stream=False):
        return self.frame(DataFrame(sid, data=payload, flags=["END_STREAM"] if end_stream else []))

    def reset(self, sid, code=8):
        self.stream(sid).reset_sent = True
        return self.frame(RstStreamFrame(sid, error_code=code))

    def window_update(self, sid, n):
        return self.frame(WindowUpdateFrame(sid, window_increment=n))

    # ---- receiving ---------------------------------------------------------------------------------------------

    def read_frame(self, timeout):
        """The next frame, or None when the connection closed or nothing came within timeout."""
        self.sock.settimeout(timeout)
        while True:
            if len(self.buf) >= 9:
                f, length = Frame.parse_frame_header(memoryview(self.buf[:9]))
                if len(self.buf) >= 9 + length:
                    f.parse_body(memoryview(self.buf[9:9 + length]))
                    self.buf = self.buf[9 + length:]
                    return f
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                self.timed_out = True
                return None
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return None
            self.buf += chunk

    def has_frame(self):
        """Whether a whole frame is already buffered (select() on the socket would not say so)."""
        if len(self.buf) < 9:
            return False
        return len(self.buf) >= 9 + int.from_bytes(self.buf[:3], "big")

    def pump(self, until=lambda c: False, timeout=None):
        """Handles frames until until(self) holds, the connection closes, or nothing comes for timeout seconds.
        Returns whether until(self) held."""
        timeout = self.timeout if timeout is None else timeout
        while not until(self):
            if self.closed:
                return False
            f = self.read_frame(timeout)
            if f is None:
                return until(self)
            self.handle(f)
        return True

    def handle(self, f):
        name = type(f).__name__.replace("Frame", "").upper()
        self.frames[name] = self.frames.get(name, 0) + 1
        if isinstance(f, SettingsFrame):
            if "ACK" in f.flags:
                self.settings_acks += 1
            else:
                self.server_settings.update(f.settings)
                if self.ack_settings:
                    self.frame(SettingsFrame(0, flags=["ACK"]))
        elif isinstance(f, PingFrame):
            if "ACK" in f.flags:
                self.ping_acks += 1
            else:
                self.frame(PingFrame(0, opaque_data=f.opaque_data, flags=["ACK"]))
        elif isinstance(f, GoAwayFrame):
            self.goaways.append((f.error_code, f.last_stream_id, f.additional_data))
        elif isinstance(f, RstStreamFrame):
            s = self.stream(f.stream_id)
            if s.rst is None:
                s.rst = f.error_code  # the first: a reset stream answers later frames with STREAM_CLOSED
        elif isinstance(f, HeadersFrame):
            self.block = (f.stream_id, set(f.flags), [f.data])
            if "END_HEADERS" in f.flags:
                self.headers_done()
        elif isinstance(f, ContinuationFrame):
            self.block[2].append(f.data)
            if "END_HEADERS" in f.flags:
                self.headers_done()
        elif isinstance(f, DataFrame):
            s = self.stream(f.stream_id)
            s.body += f.data
            if "END_STREAM" in f.flags:
                s.end = True
            n = f.flow_controlled_length
            if self.auto_window and n > 0:
                self.window_update(0, n)
                if not s.end and not s.reset_sent:
                    self.window_update(f.stream_id, n)

    def headers_done(self):
        sid, flags, fragments = self.block
        self.block = None
        fields = self.decoder.decode(b"".join(fragments), raw=True)
        fields = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in fields]
        s = self.stream(sid)
        status = dict(fields).get(":status")
        if status is not None and status.startswith("1"):
            s.informational.append(int(status))
        elif status is not None and s.status is None:
            s.status = int(status)
            s.headers = fields
        else:
            s.trailers = fields
        if "END_STREAM" in flags:
            s.end = True

    def stream(self, sid):
        return self.streams.setdefault(sid, Stream(sid))

    def done(self, sid):
        s = self.streams.get(sid)
        return s is not None and (s.end or s.rst is not None)

    def goaway_code(self):
        return self.goaways[-1][0] if self.goaways else None

    def wait_closed(self, timeout=None):
        """Reads until the server closes the connection (True) or nothing comes for timeout seconds (False)."""
        self.pump(timeout=timeout)
        return self.closed

    # ---- the result --------------------------------------------------------------------------------------------

    def report(self, **extra):
        conn = {
            "closed": int(self.closed),
            "timeout": int(self.timed_out),
            "goaways": len(self.goaways),
            "ping_acks": self.ping_acks,
            "settings_acks": self.settings_acks,
        }
        if self.goaways:
            code, last, debug = self.goaways[-1]
            conn.update(goaway=code, last_stream=last, debug=debug)
            conn["first_goaway_last_stream"] = self.goaways[0][1]
        for name, n in sorted(self.frames.items()):
            conn["frames." + name] = n
        for k, v in self.server_settings.items():
            conn["setting.%d" % k] = v
        conn.update(extra)
        print_report(conn, self.streams)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def get(path, authority="proxy.test", method="GET", extra=()):
    """The header list of a simple request."""
    return [(":method", method), (":scheme", "http"), (":authority", authority), (":path", path)] + list(extra)


def print_report(conn, streams):
    """Prints the "conn" line and one "stream" line per Stream of streams (a dict by id)."""
    print("conn" + "".join(" %s=%s" % (k, q(v)) for k, v in conn.items()), flush=True)
    for sid in sorted(streams):
        s = streams[sid]
        out = {"id": sid, "status": s.status if s.status is not None else "",
               "rst": s.rst if s.rst is not None else "", "end": int(s.end), "length": len(s.body),
               "informational": ",".join(map(str, s.informational)),
               "sha256": hashlib.sha256(s.body).hexdigest(), "body": bytes(s.body[:512])}
        for n, v in s.headers:
            out["h." + n] = v
        for n, v in s.trailers or []:
            out["t." + n] = v
        print("stream" + "".join(" %s=%s" % (k, q(v)) for k, v in out.items()), flush=True)
