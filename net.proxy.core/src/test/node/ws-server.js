// A WebSocket origin for the tunnel tests, built on the ws package: it echoes every message with its type, and
// answers a few text commands. Usage: node ws-server.js [--tls CERT KEY]; prints {"port": N} once listening.
//   "info"             -> a JSON text message: the upgrade request's headers, the chosen subprotocol, extensions
//   "close:CODE:REASON" -> the server closes with that code and reason
//   "burst:N:SIZE"     -> the server sends N binary messages of SIZE bytes, each filled with its index (mod 256)
//   "stream:SIZE:K"    -> the server sends binary messages of SIZE bytes without end, K in flight, until the close
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const tls = args[0] === '--tls';
const server = tls
  ? https.createServer({ cert: fs.readFileSync(args[1]), key: fs.readFileSync(args[2]) })
  : http.createServer();
server.on('request', (req, res) => {
  res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
  res.end('upgrade required\n');
});
const wss = new WebSocketServer({
  server,
  maxPayload: 64 << 20,
  perMessageDeflate: { threshold: 0 },
  handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : protocols.values().next().value || false),
});
wss.on('connection', (ws, req) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString();
      if (text === 'info') {
        ws.send(JSON.stringify({ headers: req.headers, protocol: ws.protocol, extensions: ws.extensions }));
        return;
      }
      if (text.startsWith('close:')) {
        const [, code, reason] = text.split(':');
        ws.close(Number(code), reason);
        return;
      }
      if (text.startsWith('stream:')) {
        const [, size, k] = text.split(':').map(Number);
        const payload = Buffer.alloc(size, 3);
        const next = (err) => {
          if (!err && ws.readyState === ws.OPEN) ws.send(payload, { binary: true }, next);
        };
        for (let i = 0; i < k; i++) next();
        return;
      }
      if (text.startsWith('burst:')) {
        const [, n, size] = text.split(':').map(Number);
        for (let i = 0; i < n; i++) {
          ws.send(Buffer.alloc(size, i % 256), { binary: true });
        }
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.stdin.on('end', () => process.exit(0)); // the test closed our stdin: stop
process.stdin.resume();
