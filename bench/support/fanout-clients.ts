// The client side of bench/fanout.ts, run as a child process (forked with `serialization:
// 'advanced'`, so typed arrays cross the IPC channel as they are): it opens its share of the
// sockets in batches, subscribes each, and while told to record keeps, per stock_update, only the
// ticker, the price in cents and Date.now(). Everything else (serve times, percentiles) is the
// parent's work, so the per-message cost here stays a few array writes on top of Socket.IO's own.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { connectTickwire, subscribe, type TickwireClientSocket } from '../../lib/realtime/client.js';
import type { StockUpdate } from '../../lib/realtime/events.js';
import { CONNECT_STAGES, tickerName, type ChildMessage, type ConnectOrder, type ConnectReport, type ParentMessage, type SamplesReport } from './fanout-protocol.js';

// ---------------------------------------------------------------------------------------------

const send = (message: ChildMessage) => process.send!(message);
const sockets: Array<TickwireClientSocket | WebSocket> = [];
const tickerIndex = new Map<string, number>();
const disconnects: Record<string, number> = {};
const loop = monitorEventLoopDelay({ resolution: 5 });

let recording = false;
let count = 0;
let ticker = new Int32Array(1 << 16);
let cents = new Int32Array(1 << 16);
let receivedAt = new Float64Array(1 << 16);
/** The receiving socket's index in this process (raw client), or -1 (socket.io client: one shared handler). */
let socketOf = new Int32Array(1 << 16);

function grow(): void {
  const bigger = <T extends Int32Array | Float64Array>(array: T): T => {
    const next = new (array.constructor as new (length: number) => T)(array.length * 2);
    next.set(array);
    return next;
  };
  ticker = bigger(ticker);
  cents = bigger(cents);
  receivedAt = bigger(receivedAt);
  socketOf = bigger(socketOf);
}

function record(symbol: string, price: number, now: number, socket = -1): void {
  if (count === ticker.length) grow();
  socketOf[count] = socket;
  ticker[count] = tickerIndex.get(symbol) ?? -1;
  cents[count] = Math.round(price * 100);
  receivedAt[count] = now;
  count += 1;
}

/** One handler shared by every socket: no closure per socket, minimal work per message. */
function onUpdate(update: StockUpdate): void {
  if (!recording) return;
  const now = Date.now();
  for (const symbol in update) {
    const price = update[symbol]!.price;
    if (price !== null) record(symbol, price, now);
  }
}

function onDisconnect(reason: string): void {
  disconnects[reason] = (disconnects[reason] ?? 0) + 1;
}

/** `stages`: when each of CONNECT_STAGES ended (performance.now()), raw client only. */
type Outcome = { ok: true; stages?: readonly number[] } | { ok: false; reason: string; connected: boolean };

/** A connection attempt ends once: the first outcome wins and stops its watchdog timer. */
function settleOnce(resolve: (outcome: Outcome) => void, cleanup: () => void): (outcome: Outcome) => void {
  let settled = false;
  return (outcome) => {
    if (settled) return;
    settled = true;
    cleanup();
    resolve(outcome);
  };
}

function open(url: string, token: string, tickers: string[], timeoutMs: number, index: number): Promise<Outcome> {
  const socket = connectTickwire(url, { token, transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
  sockets[index] = socket;
  return new Promise((resolve) => {
    const settle = settleOnce(resolve, () => clearTimeout(timer));
    // socket.io-client's own `timeout` reports a slow handshake as connect_error "timeout"; this
    // one also covers a subscribe whose ack never comes.
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout', connected: socket.connected }), 2 * timeoutMs + 1000);
    socket.on('stock_update', onUpdate);
    socket.once('connect_error', (error) => settle({ ok: false, reason: `connect_error: ${error.message}`, connected: false }));
    socket.once('connect', () => {
      socket.on('disconnect', onDisconnect);
      subscribe(socket, tickers, timeoutMs).then(
        (ack) => settle(ack.ok && ack.rejected.length === 0 ? { ok: true } : { ok: false, reason: `subscribe refused: ${ack.rejected[0]?.code ?? 'not ok'}`, connected: true }),
        (error: unknown) => settle({ ok: false, reason: `subscribe: ${error instanceof Error ? error.message : String(error)}`, connected: true }),
      );
    });
  });
}

// The raw client: Engine.IO 4 packets are text frames "<type><data>" (0 open, 2 ping, 3 pong,
// 4 message); a Socket.IO 5 packet rides in a message: "40" connect, "44" connect error, "42"
// event, "43<id>" ack. A stock_update frame is 42["stock_update",{"SYMBOL":{...,"price":N,...}}].
const UPDATE_PREFIX = '42["stock_update",{"';
const PRICE_FIELD = '"price":';
const ASCII_4 = 0x34;
const ASCII_2 = 0x32;

/** `index`: the socket's place in this process, kept across reconnects. `onLost`: called when the connection ends after a subscribe succeeded. */
function openRaw(url: string, token: string, tickers: string[], timeoutMs: number, index: number, onLost?: () => void): Promise<Outcome> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, skipUTF8Validation: true });
  sockets[index] = socket;
  let connected = false;
  let settled = false;
  let subscribed = false;
  const stages: number[] = [];
  socket.once('open', () => stages.push(performance.now()));
  return new Promise((resolve) => {
    const settle = settleOnce(resolve, () => {
      settled = true;
      clearTimeout(timer);
    });
    const timer = setTimeout(() => {
      settle({ ok: false, reason: connected ? 'subscribe: timeout' : 'connect_error: timeout', connected });
      if (!connected) socket.terminate();
    }, timeoutMs);
    socket.on('error', (error) => settle({ ok: false, reason: `connect_error: ${error.message}`, connected }));
    socket.on('close', () => {
      if (connected) onDisconnect(settled ? 'transport close' : 'transport close while subscribing');
      settle({ ok: false, reason: 'connect_error: closed', connected });
      if (subscribed && !stopping) onLost?.();
    });
    socket.on('message', (data: Buffer) => {
      // The hot path: an event frame while recording; anything else is rare.
      if (data[0] === ASCII_4 && data[1] === ASCII_2) {
        if (!recording) return;
        const text = data.toString('latin1');
        if (!text.startsWith(UPDATE_PREFIX)) return;
        const symbolEnd = text.indexOf('"', UPDATE_PREFIX.length);
        const priceAt = text.indexOf(PRICE_FIELD, symbolEnd);
        if (priceAt < 0) return;
        const price = Number.parseFloat(text.slice(priceAt + PRICE_FIELD.length, priceAt + PRICE_FIELD.length + 24));
        if (Number.isFinite(price)) record(text.slice(UPDATE_PREFIX.length, symbolEnd), price, Date.now(), index);
        return;
      }
      const text = data.toString();
      if (text === '2') socket.send('3');
      else if (text.startsWith('0')) {
        stages.push(performance.now());
        socket.send(`40${JSON.stringify({ token })}`);
      }
      else if (text.startsWith('44')) settle({ ok: false, reason: `connect_error: ${(JSON.parse(text.slice(2)) as { message?: string }).message}`, connected });
      else if (text.startsWith('40')) {
        connected = true;
        stages.push(performance.now());
        socket.send(`420${JSON.stringify(['subscribe', tickers])}`);
      } else if (text.startsWith('430')) {
        const [ack] = JSON.parse(text.slice(3)) as [{ ok: boolean; rejected: Array<{ code: string }> }];
        subscribed = ack.ok && ack.rejected.length === 0;
        stages.push(performance.now());
        settle(subscribed ? { ok: true, stages } : { ok: false, reason: `subscribe refused: ${ack.rejected[0]?.code ?? 'not ok'}`, connected });
      } else if (text.startsWith('41')) onDisconnect('io server disconnect');
    });
  });
}

async function connectAll(order: ConnectOrder): Promise<ConnectReport> {
  const names = Array.from({ length: order.tickers }, (_, index) => tickerName(index));
  names.forEach((name, index) => tickerIndex.set(name, index));
  const total = order.assignments.length / order.subscriptions;
  const subscribers = new Int32Array(order.tickers);
  const failures: Record<string, number> = {};
  const connectMs: number[] = [];
  const stageMs: number[] = [];
  let connected = 0;
  let subscribeFailed = 0;
  const connectOne = (socket: number) => {
    const base = socket * order.subscriptions;
    const mine = Array.from(order.assignments.subarray(base, base + order.subscriptions));
    const symbols = mine.map((index) => names[index]!);
    const url = socket % order.urls.length;
    const startedAt = performance.now();
    const opened =
      order.client === 'raw'
        ? openRaw(order.urls[url]!, order.tokens[socket]!, symbols, order.timeoutMs, socket, order.failover ? () => failOver(order, socket, url, symbols) : undefined)
        : open(order.urls[url]!, order.tokens[socket]!, symbols, order.timeoutMs, socket);
    return opened.then((outcome) => {
      if (outcome.ok || outcome.connected) connected += 1;
      if (outcome.ok) {
        connectMs.push(performance.now() - startedAt);
        if (outcome.stages?.length === CONNECT_STAGES.length) outcome.stages.forEach((at, stage) => stageMs.push(at - (stage === 0 ? startedAt : outcome.stages![stage - 1]!)));
        for (const index of mine) subscribers[index]! += 1;
      } else {
        failures[outcome.reason] = (failures[outcome.reason] ?? 0) + 1;
        if (outcome.connected) subscribeFailed += 1;
      }
    });
  };
  if (order.ratePerSecond) {
    // Open loop, as arriving users are: each socket opens on schedule, whether the earlier ones are done or not.
    const startedAt = performance.now();
    const opening: Array<Promise<void>> = [];
    for (let socket = 0; socket < total; socket += 1) {
      const wait = startedAt + (socket * 1000) / order.ratePerSecond - performance.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      opening.push(connectOne(socket));
    }
    await Promise.all(opening);
  } else {
    for (let first = 0; first < total; first += order.batchSize) {
      await Promise.all(Array.from({ length: Math.min(order.batchSize, total - first) }, (_, offset) => connectOne(first + offset)));
    }
  }
  return { type: 'connected', connected, failures, subscribeFailed, subscribers, connectMs: Float64Array.from(connectMs), stageMs: Float64Array.from(stageMs) };
}

// ---------------------------------------------------------------------------------------------
// Fail-over (ConnectOrder.failover)

const failover = { lost: [] as number[], back: 0, failures: {} as Record<string, number>, backMs: [] as number[] };
let stopping = false;

/** socket.io-client's Backoff at its defaults: 1 s doubling per attempt, ±50 %, at most 5 s. */
function reconnectDelay(attempt: number): number {
  const ms = 1000 * 2 ** attempt;
  return Math.min(5000, ms + (Math.random() * 2 - 1) * 0.5 * ms);
}

/** Socket `socket`, lost from urls[from], tries the next web process until one takes it back. */
function failOver(order: ConnectOrder, socket: number, from: number, symbols: string[]): void {
  failover.lost[from] = (failover.lost[from] ?? 0) + 1;
  const lostAt = performance.now();
  const attempt = (tries: number, url: number) =>
    setTimeout(() => {
      void openRaw(order.urls[url]!, order.tokens[socket]!, symbols, order.timeoutMs, socket, () => failOver(order, socket, url, symbols)).then((outcome) => {
        if (outcome.ok) {
          failover.back += 1;
          failover.backMs.push(performance.now() - lostAt);
          return;
        }
        failover.failures[outcome.reason] = (failover.failures[outcome.reason] ?? 0) + 1;
        if (!stopping) attempt(tries + 1, (url + 1) % order.urls.length);
      });
    }, reconnectDelay(tries));
  attempt(0, (from + 1) % order.urls.length);
}

function report(): SamplesReport {
  recording = false;
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const samples: SamplesReport = {
    type: 'samples',
    count,
    ticker: ticker.slice(0, count),
    cents: cents.slice(0, count),
    receivedAt: receivedAt.slice(0, count),
    socket: socketOf.slice(0, count),
    disconnects,
    loopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
  };
  count = 0;
  return samples;
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message).then(send);
      return;
    case 'record':
      count = 0;
      loop.reset();
      loop.enable();
      recording = true;
      return;
    case 'report':
      send(report());
      return;
    case 'failover':
      send({ type: 'failover', lost: [...failover.lost].map((count) => count ?? 0), back: failover.back, failures: failover.failures, backMs: Float64Array.from(failover.backMs) });
      return;
    case 'stop':
      stopping = true;
      for (const socket of sockets) {
        if (socket instanceof WebSocket) socket.close();
        else socket?.disconnect();
      }
      // Let the close frames go out, then leave (the parent kills us if this hangs).
      setTimeout(() => process.exit(0), 300);
      return;
  }
});
// The parent is gone (crashed or killed): do not linger with thousands of open sockets.
process.on('disconnect', () => setTimeout(() => process.exit(0), 300));
if (!process.send) throw new Error('fanout-clients runs as a child of bench/fanout.js');
send({ type: 'ready' });
