"""Tunnels over one HTTP/2 stream, with the h2 library: WebSocket by extended CONNECT (RFC 8441) and a plain
CONNECT (RFC 9113 section 8.5). WebSocket frames (RFC 6455) are written and read by hand. Prints one JSON line.

usage: h2_tunnel.py HOST PORT SCENARIO ARG
  websocket PATH      extended CONNECT with :protocol websocket; then "info", three echoes, a ping and a close
  connect AUTHORITY   CONNECT to AUTHORITY, then an HTTP/1.1 request through the tunnel; prints the answer
  idle PATH           extended CONNECT with :protocol websocket, one echo, then a line "idle" and silence until a
                      line on stdin; then waits for the proxy to end the stream and prints how it ended
"""

import json
import os
import struct
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings

from h2wire import connect


class Tunnel:
    def __init__(self, host, port):
        self.sock = connect(host, port)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(
            client_side=True, header_encoding="utf-8", validate_outbound_headers=False))
        self.conn.initiate_connection()
        self.flush()
        self.data = b""
        self.response = None
        self.ended = False
        self.reset = None
        self.connect_protocol = None

    def flush(self):
        out = self.conn.data_to_send()
        if out:
            self.sock.sendall(out)

    def pump(self, until):
        while not until():
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit(json.dumps({"error": "connection closed"}))
            for e in self.conn.receive_data(chunk):
                if isinstance(e, h2.events.RemoteSettingsChanged):
                    s = e.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
                    if s is not None:
                        self.connect_protocol = s.new_value
                elif isinstance(e, h2.events.ResponseReceived):
                    self.response = dict(e.headers)
                elif isinstance(e, h2.events.DataReceived):
                    self.data += e.data
                    self.conn.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                elif isinstance(e, h2.events.StreamEnded):
                    self.ended = True
                elif isinstance(e, h2.events.ConnectionTerminated):
                    raise SystemExit(json.dumps({"error": "GOAWAY %s %r" % (e.error_code, e.additional_data)}))
                elif isinstance(e, h2.events.StreamReset):
                    self.reset = e.error_code
                    self.ended = True
            self.flush()

    def send(self, payload, end=False):
        """DATA in frames the server's SETTINGS allow, waiting for window when it is short."""
        while True:
            room = min(self.conn.max_outbound_frame_size, self.conn.local_flow_control_window(1))
            if room == 0 and payload:
                self.pump(lambda: self.conn.local_flow_control_window(1) > 0)
                continue
            piece, payload = payload[:room], payload[room:]
            self.conn.send_data(1, piece, end_stream=end and not payload)
            self.flush()
            if not payload:
                return


def ws_frame(opcode, payload):
    """A masked client frame (RFC 6455 section 5.2)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_read(t):
    """The next server frame (unmasked): (opcode, payload)."""
    def parse():
        d = t.data
        if len(d) < 2:
            return None
        n, at = d[1] & 0x7F, 2
        if n == 126:
            if len(d) < 4:
                return None
            n, at = struct.unpack("!H", d[2:4])[0], 4
        elif n == 127:
            if len(d) < 10:
                return None
            n, at = struct.unpack("!Q", d[2:10])[0], 10
        if len(d) < at + n:
            return None
        frame = (d[0] & 0x0F, d[at:at + n])
        t.data = d[at + n:]
        return frame

    result = []
    t.pump(lambda: result.append(parse()) or result[-1] is not None or t.ended)
    if result[-1] is None:
        raise SystemExit(json.dumps({"error": "stream ended inside a frame", "reset": t.reset}))
    return result[-1]


def websocket(t, authority, path):
    t.pump(lambda: t.connect_protocol is not None)
    t.conn.send_headers(1, [
        (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", path),
        (":authority", authority), ("sec-websocket-version", "13"), ("sec-websocket-protocol", "chat.v2, chat.v1"),
        ("origin", "http://app.example"),
    ])
    t.flush()
    t.pump(lambda: t.response is not None or t.ended)
    result = {"settings_enable_connect_protocol": t.connect_protocol, "response": t.response}
    if t.response is None or t.response.get(":status") != "200":
        return result
    t.send(ws_frame(1, b"info"))
    result["info"] = json.loads(ws_read(t)[1])
    echoes = []
    for word in (b"one", b"two", b"x" * 70000, os.urandom(1 << 20)):
        t.send(ws_frame(2, word))
        op, payload = ws_read(t)
        echoes.append(op == 2 and payload == word)
    result["echoes"] = echoes
    t.send(ws_frame(9, b"hi"))
    op, payload = ws_read(t)
    result["pong"] = payload.decode() if op == 10 else None
    t.send(ws_frame(8, struct.pack("!H", 4003) + b"over h2"))
    op, payload = ws_read(t)
    result["close"] = [struct.unpack("!H", payload[:2])[0], payload[2:].decode()] if op == 8 else None
    t.send(b"", end=True)
    t.pump(lambda: t.ended)
    result["ended"] = t.reset is None
    return result


def idle(t, authority, path):
    t.pump(lambda: t.connect_protocol is not None)
    t.conn.send_headers(1, [
        (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", path),
        (":authority", authority), ("sec-websocket-version", "13"),
    ])
    t.flush()
    t.pump(lambda: t.response is not None or t.ended)
    t.send(ws_frame(2, b"ping"))
    echoed = ws_read(t)[1] == b"ping"
    print("idle", flush=True)
    sys.stdin.readline()
    t.pump(lambda: t.ended)
    return {"status": t.response.get(":status"), "echoed": echoed, "ended": t.ended, "reset": t.reset}


def plain_connect(t, authority):
    t.conn.send_headers(1, [(":method", "CONNECT"), (":authority", authority)])
    t.flush()
    t.pump(lambda: t.response is not None or t.ended)
    result = {"response": t.response}
    if t.response is None or t.response.get(":status") != "200":
        t.pump(lambda: t.ended)
        result["body"] = t.data.decode("latin-1")
        return result
    t.send(b"GET /through HTTP/1.1\r\nHost: inside\r\nConnection: close\r\n\r\n", end=True)
    t.pump(lambda: t.ended)
    result["tunnelled"] = t.data.decode("latin-1")
    result["reset"] = t.reset
    return result


def main():
    host, port, scenario, arg = sys.argv[1:5]
    t = Tunnel(host, port)
    authority = "%s:%s" % (host, port)
    if scenario == "websocket":
        result = websocket(t, authority, arg)
    elif scenario == "idle":
        result = idle(t, authority, arg)
    else:
        result = plain_connect(t, arg)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
