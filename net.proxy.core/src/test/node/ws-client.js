// A WebSocket client for the tunnel tests, built on the ws package. Usage:
//   node ws-client.js conversation URL [CA_PEM]  subprotocols, permessage-deflate, headers, ordered text and binary
//                                               echoes up to 16 MiB, ping/pong, a close the server starts
//   node ws-client.js client-close URL           a close the client starts, with code and reason
//   node ws-client.js many URL N                 N sockets at once, each with its own ordered conversation
//   node ws-client.js idle URL                   an echo, then {"stage":"idle"} and silence until a line on stdin;
//                                               then another echo, {"stage":"echoed"}, and the close that follows
// Prints one JSON line with what happened; exits 1 with the reason on the first surprise.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const WebSocket = require('ws');

function open(url, options = {}) {
  const ws = new WebSocket(url, options.protocols || [], {
    perMessageDeflate: options.deflate === true,
    headers: options.headers || {},
    ca: options.ca,
    maxPayload: 64 << 20,
  });
  const inbox = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const m = { data: Buffer.from(data), isBinary };
    if (waiters.length) waiters.shift()(m);
    else inbox.push(m);
  });
  ws.next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((r) => waiters.push(r)));
  ws.closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('unexpected-response', (req, res) => reject(new Error('unexpected response ' + res.statusCode)));
  });
}

function check(ok, what) {
  if (!ok) throw new Error(what);
}

async function echo(ws, payload, isBinary) {
  ws.send(payload, { binary: isBinary });
  const m = await ws.next();
  check(m.isBinary === isBinary, 'message type changed');
  check(Buffer.compare(m.data, Buffer.from(payload)) === 0, 'echo differs for ' + payload.length + ' bytes');
}

async function conversation(url, caFile) {
  const ws = await open(url, {
    protocols: ['chat.v2', 'chat.v1'],
    deflate: true,
    headers: { Origin: 'http://app.example', 'X-Custom': 'kept' },
    ca: caFile ? fs.readFileSync(caFile) : undefined,
  });
  ws.send('info');
  const info = JSON.parse((await ws.next()).data.toString());
  const texts = [];
  for (let i = 0; i < 200; i++) ws.send('message ' + i);
  for (let i = 0; i < 200; i++) texts.push((await ws.next()).data.toString());
  check(texts.every((t, i) => t === 'message ' + i), 'text messages out of order');
  const sizes = [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20];
  for (const size of sizes) await echo(ws, crypto.randomBytes(size), true);
  const pong = new Promise((r) => ws.once('pong', (data) => r(data.toString())));
  ws.ping('are you there');
  const pongData = await pong;
  ws.send('burst:64:1000');
  for (let i = 0; i < 64; i++) {
    const m = await ws.next();
    check(m.data.length === 1000 && m.data[0] === i % 256, 'burst message ' + i + ' wrong');
  }
  ws.send('close:4002:server says bye');
  const closed = await ws.closed;
  return {
    protocol: ws.protocol,
    extensions: ws.extensions,
    info,
    texts: texts.length,
    binaries: sizes,
    pong: pongData,
    close: closed,
  };
}

async function clientClose(url) {
  const ws = await open(url);
  await echo(ws, 'hello', false);
  ws.close(4001, 'client says bye');
  return { close: await ws.closed };
}

async function many(url, n) {
  const sockets = await Promise.all(Array.from({ length: n }, () => open(url)));
  await Promise.all(
    sockets.map(async (ws, s) => {
      for (let i = 0; i < 20; i++) ws.send(s + ':' + i);
      for (let i = 0; i < 20; i++) {
        const t = (await ws.next()).data.toString();
        check(t === s + ':' + i, 'socket ' + s + ' got ' + t);
      }
      ws.close(1000);
      await ws.closed;
    }),
  );
  return { sockets: n };
}

async function idle(url) {
  const ws = await open(url);
  await echo(ws, 'before', false);
  process.stdout.write(JSON.stringify({ stage: 'idle' }) + '\n');
  await new Promise((r) => process.stdin.once('data', r));
  await echo(ws, 'after', false);
  process.stdout.write(JSON.stringify({ stage: 'echoed' }) + '\n');
  return { close: await ws.closed };
}

const [scenario, url, extra] = process.argv.slice(2);
const run = { conversation: () => conversation(url, extra), 'client-close': () => clientClose(url), many: () => many(url, Number(extra)), idle: () => idle(url) }[scenario];
run().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  },
  (e) => {
    process.stdout.write(JSON.stringify({ error: String(e && e.message) }) + '\n');
    process.exit(1);
  },
);
