#!/usr/bin/node
// ws_peer: an independent WebSocket peer on Node's `ws` (npm, package-lock.json), to test our
// server and client against code that shares nothing with them.
//
// Client: node ws_peer.mjs --connect=ws://HOST:PORT/PATH [--compress] [--expect=deflate|none]
//                          [--timeout=SECONDS]
//   sends text, binary, empty and 1 MiB messages, a burst of small ones and a ping; checks each
//   echo (type and content) and the pong; closes with 1000. Prints one JSON line of results and
//   exits 0 only when every check passed. --compress offers permessage-deflate; --expect says
//   whether the server must accept it (default: deflate with --compress, none without).
// Server: node ws_peer.mjs --port=N [--compress]
//   an echo server on 127.0.0.1:N (0: a free port) that sends every message back as it came,
//   with permessage-deflate when --compress is given and the client offers it. Prints its port
//   on a line of its own once it accepts connections; SIGTERM stops it.
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';

const MESSAGE_LIMIT = 16 * 1024 * 1024;  // above the 1 MiB messages, so the peer never refuses ours
// ws leaves messages under 1 KiB uncompressed unless told otherwise; compress every one.
const deflate = { threshold: 0 };

// Deterministic bytes (xorshift32), so a failing run can be repeated exactly.
function pseudoRandomBytes(size, seed) {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

// [name, payload, isBinary]
function testMessages() {
  return [
    ['text', 'hello', false],
    ['unicode text', 'h\u00e9llo \u2713 \u{1f600}', false],
    ['binary', Buffer.from(Array.from({ length: 256 }, (_, i) => i)), true],
    ['empty text', '', false],
    ['empty binary', Buffer.alloc(0), true],
    ['1 MiB binary', pseudoRandomBytes(1 << 20, 14), true],
    ['1 MiB text', 'tornado websocket echo '.repeat(50000).slice(0, 1 << 20), false],
  ];
}

function describe(bytes, isBinary) {
  return `${isBinary ? 'binary' : 'text'} of ${bytes.length} bytes`;
}

// Why the received message is not the echo of the sent one, or null when it is.
function echoProblem(sent, sentBinary, received, receivedBinary) {
  const expected = Buffer.from(sent);
  if (receivedBinary !== sentBinary || !received.equals(expected)) {
    let at = 0;
    while (at < expected.length && at < received.length && expected[at] === received[at]) at++;
    return `sent ${describe(expected, sentBinary)}, got ${describe(received, receivedBinary)} differing at byte ${at}`;
  }
  return null;
}

// Resolves with the next value pushed, or rejects after timeout seconds.
class Inbox {
  constructor(timeout) { this.timeout = timeout; this.items = []; this.waiting = []; }
  push(item) { const waiter = this.waiting.shift(); if (waiter) waiter(item); else this.items.push(item); }
  next(what) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${this.timeout} s`)), this.timeout * 1000);
      this.waiting.push((item) => { clearTimeout(timer); resolve(item); });
    });
  }
}

async function runClient(url, compress, expect, timeout) {
  const checks = {};
  const result = { peer: 'ws', role: 'client', url, compression_offered: compress };
  try {
    const ws = new WebSocket(url, { perMessageDeflate: compress ? deflate : false, maxPayload: MESSAGE_LIMIT,
                                    handshakeTimeout: timeout * 1000 });
    const messages = new Inbox(timeout);
    const pongs = new Inbox(timeout);
    const closes = new Inbox(timeout);
    const errors = [];
    ws.on('message', (data, isBinary) => messages.push([data, isBinary]));
    ws.on('pong', (data) => pongs.push(data));
    ws.on('close', (code) => { messages.push(null); closes.push(code); });
    ws.on('error', (error) => errors.push(error));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });

    result.negotiated = ws.extensions || null;
    const answered = ws.extensions.startsWith('permessage-deflate') ? 'deflate' : 'none';
    checks.negotiation = answered === expect ? 'ok'
      : `expected ${expect}, the server answered ${JSON.stringify(ws.extensions)}`;

    const exchange = async (name, batch) => {
      for (const [payload, isBinary] of batch) ws.send(payload, { binary: isBinary });
      for (const [payload, isBinary] of batch) {
        const received = await messages.next('echo');
        if (received === null) throw new Error('the server closed the connection');
        const problem = echoProblem(payload, isBinary, received[0], received[1]);
        if (problem) { checks[name] = problem; return; }
      }
      checks[name] = 'ok';
    };
    for (const [name, payload, isBinary] of testMessages()) await exchange(name, [[payload, isBinary]]);
    await exchange('burst of 20', Array.from({ length: 20 }, (_, i) => [`message ${i} `.repeat(i + 1), false]));

    const pingData = Buffer.from('ping-14');
    ws.ping(pingData);
    const pong = await pongs.next('pong');
    checks.ping = pong.equals(pingData) ? 'ok' : `pong carried ${JSON.stringify(pong.toString())}`;

    ws.close(1000, 'done');
    result.close_code = await closes.next('close');
    checks.close = result.close_code === 1000 ? 'ok' : `the server closed with ${result.close_code}`;
    if (errors.length) checks.error = errors.map(String).join('; ');
  } catch (error) {
    checks.error = String(error);
  }
  result.checks = checks;
  result.ok = Object.values(checks).every((value) => value === 'ok');
  console.log(JSON.stringify(result));
  return result.ok ? 0 : 1;
}

function runServer(port, compress) {
  const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: compress ? deflate : false,
                                       maxPayload: MESSAGE_LIMIT });
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});  // ws closes the connection itself; the server goes on
  });
  server.on('listening', () => console.log(server.address().port));
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}

const { values } = parseArgs({
  options: {
    connect: { type: 'string' },
    port: { type: 'string' },
    compress: { type: 'boolean', default: false },
    expect: { type: 'string' },
    timeout: { type: 'string', default: '10' },
  },
});
const expect = values.expect ?? (values.compress ? 'deflate' : 'none');
if ((values.connect === undefined) === (values.port === undefined) || !['deflate', 'none'].includes(expect)) {
  console.error('usage: ws_peer.mjs --connect=URL | --port=N [--compress] [--expect=deflate|none] [--timeout=S]');
  process.exit(2);
}
if (values.connect !== undefined) {
  process.exitCode = await runClient(values.connect, values.compress, expect, Number(values.timeout));
} else {
  runServer(Number(values.port), values.compress);
}
