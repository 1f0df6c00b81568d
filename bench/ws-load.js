// ws-load.js: WebSocket load for bench/websocket.sh against the ws origin of net.proxy.core/src/test/node/ws-server.js.
// Opens CONNS sockets to URL for SECONDS and prints "bytes N seconds S": the payload bytes moved. MODE echo keeps
// INFLIGHT binary messages of SIZE bytes out at the origin's echo (bytes counted both ways); MODE download has the
// origin stream SIZE-byte messages, INFLIGHT at a time (origin to client only: no client masking to pay for).
//   NODE_PATH=net.proxy.core/src/test/node/node_modules node bench/ws-load.js URL SECONDS CONNS SIZE INFLIGHT [MODE]
'use strict';
const WebSocket = require('ws');

const [url, seconds, conns, size, inflight, mode = 'echo'] = process.argv.slice(2);
const payload = Buffer.alloc(Number(size), 7);
let bytes = 0;
let open = 0;
let stopping = false;
const sockets = [];
const started = process.hrtime.bigint();

for (let i = 0; i < Number(conns); i++) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 << 20 });
  sockets.push(ws);
  ws.on('open', () => {
    open++;
    if (mode === 'download') {
      ws.send(`stream:${size}:${inflight}`);
      return;
    }
    for (let k = 0; k < Number(inflight); k++) ws.send(payload);
  });
  ws.on('message', (data) => {
    if (mode === 'download') {
      bytes += data.length;
      return;
    }
    bytes += 2 * data.length;
    if (!stopping) ws.send(payload);
  });
  ws.on('error', (e) => {
    console.error('ws-load: ' + e.message);
    process.exit(1);
  });
}
setTimeout(() => {
  stopping = true;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`bytes ${bytes} seconds ${elapsed.toFixed(3)} sockets ${open}`);
  for (const ws of sockets) ws.terminate();
  process.exit(0);
}, Number(seconds) * 1000);
