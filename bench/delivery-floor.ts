// The delivery floor of issue 15's load on this machine: what sending the quotes alone costs, with
// nothing of Tickwire behind it (no upstream, worker, scheduler, Redis, adapter, token check or
// database). A bare server pinned to core 0 sends waves of --batch tickers, evenly spaced, so that
// every ticker goes out once per --interval, as the product's full batches do; each ticker's frame
// is encoded once and written to its subscribers. The clients (bare `ws` sockets in child
// processes, with this process) run on core 1, as `fanout.js --pin` runs them.
//
// Usage: npm run build && node dist/bench/delivery-floor.js [--server ws|socket.io] [--clients 3000]
//          [--subscriptions 10] [--tickers 500] [--batch 50] [--interval 1000] [--duration 20]
//          [--warmup 5] [--procs 2]
//   --server ws (default): a plain `ws` server (the WebSocket library under engine.io) writing a
//   wave's frames of one socket in one write, the least any server can do for this load with one
//   ticker per event, which API.md asks for. --server socket.io: the issue's "minimal socket.io
//   server emitting one ticker at a time" (io.to(room).emit per ticker, the in-memory adapter).
//   Reports the server's CPU (100 % = its one core, every thread), its writes and deliveries a
//   second, received against sent, latency from the wave's start to the client's receipt
//   (p50 / p95 / p99 / max), and how long the server's event loop spends writing one wave.
//   The issue-15 cases: --clients 3000 (1 s ticks) and --clients 10000 --interval 20000.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import { assign, nextChildMessage, shareOf } from './support/client-processes.js';
import { benchCommandLine } from './support/command-line.js';

const ROLE = process.env.DELIVERY_FLOOR_ROLE;
const symbolOf = (ticker: number) => `T${String(ticker).padStart(4, '0')}`;

/** API.md's example quote, so a frame is the size of a real stock_update; `sentAt` is the wave's start. */
function quoteOf(ticker: number, sentAt: number) {
  return {
    symbol: symbolOf(ticker), shortName: 'Apple Inc.', price: 189.84, change: 1.23, changePercent: 0.65, volume: 51234567,
    marketState: 'REGULAR', currency: 'USD', exchange: 'NMS', previousClose: 188.61, open: 188.9, dayHigh: 190.3, dayLow: 188.1,
    timestamp: '2026-11-20T20:59:58.000Z', fetchedAt: '2026-11-20T21:00:01.120Z', source: 'yahoo', seq: 1842, stale: false, sentAt,
  };
}

type Settings = { server: 'ws' | 'socket.io'; tickers: number; batch: number; intervalMs: number };
type Window = { startAt: number; endAt: number };
type ServerReport = { cpuPercent: number; writes: number; deliveries: number; waveMs: number[] };
type ClientReport = { received: number; histogram: Int32Array; connectFailures: number };
type ToServer = { type: 'start'; settings: Settings } | { type: 'window'; window: Window };
type FromChildren = { type: 'port'; port: number } | { type: 'connected'; connectFailures: number } | { type: 'report'; report: ServerReport } | { type: 'samples'; samples: ClientReport };
type ToClients = { type: 'connect'; port: number; server: Settings['server']; subscriptions: Int32Array; perSocket: number } | { type: 'window'; window: Window };

// ---------------------------------------------------------------------------------------------
// Server role

/** An unmasked text frame as a server sends it (RFC 6455 §5.2): header, then the payload. */
function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, length]) : Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, payload]);
}

type Subscriber = { readonly tcp: Socket; readonly pending: Buffer[] };

function startServer(settings: Settings): { port: Promise<number>; wave(first: number, sentAt: number): { writes: number; deliveries: number } } {
  if (settings.server === 'socket.io') {
    const io = new Server({ transports: ['websocket'], perMessageDeflate: false, serveClient: false });
    io.on('connection', (socket) => {
      socket.on('subscribe', (tickers: number[], ack: (ok: boolean) => void) => {
        void socket.join(tickers.map(symbolOf));
        ack(true);
      });
    });
    io.listen(0);
    return {
      port: once(io.httpServer, 'listening').then(() => (io.httpServer.address() as AddressInfo).port),
      wave(first, sentAt) {
        let deliveries = 0;
        for (let ticker = first; ticker < Math.min(first + settings.batch, settings.tickers); ticker += 1) {
          const symbol = symbolOf(ticker);
          deliveries += io.sockets.adapter.rooms.get(symbol)?.size ?? 0;
          io.to(symbol).emit('stock_update', { [symbol]: quoteOf(ticker, sentAt) });
        }
        return { writes: Number.NaN, deliveries };
      },
    };
  }
  const rooms = Array.from({ length: settings.tickers }, () => [] as Subscriber[]);
  const wss = new WebSocketServer({ port: 0, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws) => {
    ws.once('message', (data: Buffer) => {
      // ws keeps its net.Socket private; a bench may reach for it, as the product's direct writes do through engine.io.
      const subscriber: Subscriber = { tcp: (ws as unknown as { _socket: Socket })._socket, pending: [] };
      for (const ticker of data.toString('latin1').split(',')) rooms[Number(ticker)]?.push(subscriber);
      ws.send('ok');
    });
  });
  return {
    port: once(wss, 'listening').then(() => (wss.address() as AddressInfo).port),
    wave(first, sentAt) {
      const touched: Subscriber[] = [];
      let deliveries = 0;
      for (let ticker = first; ticker < Math.min(first + settings.batch, settings.tickers); ticker += 1) {
        const symbol = symbolOf(ticker);
        const frame = textFrame(Buffer.from(`42${JSON.stringify(['stock_update', { [symbol]: quoteOf(ticker, sentAt) }])}`));
        for (const subscriber of rooms[ticker]!) {
          if (subscriber.pending.length === 0) touched.push(subscriber);
          subscriber.pending.push(frame);
        }
        deliveries += rooms[ticker]!.length;
      }
      for (const { tcp, pending } of touched) {
        if (pending.length > 1) tcp.cork();
        for (const frame of pending) tcp.write(frame);
        if (pending.length > 1) tcp.uncork();
        pending.length = 0;
      }
      return { writes: touched.length, deliveries };
    },
  };
}

function runServerRole(): void {
  let window: Window | undefined;
  process.on('message', async (message: ToServer) => {
    if (message.type === 'window') {
      window = message.window;
      return;
    }
    const { settings } = message;
    const server = startServer(settings);
    process.send!({ type: 'port', port: await server.port });
    const waves = Math.ceil(settings.tickers / settings.batch);
    const spacingMs = settings.intervalMs / waves;
    const report: ServerReport = { cpuPercent: 0, writes: 0, deliveries: 0, waveMs: [] };
    let cpuAtStart: { usage: NodeJS.CpuUsage; at: number } | undefined;
    const startedAt = Date.now();
    // Waves at planned times, not a drifting setInterval: wave n starts at startedAt + n × spacing.
    const next = (n: number) => {
      const sentAt = Date.now();
      const inWindow = window !== undefined && sentAt >= window.startAt && sentAt < window.endAt;
      if (inWindow) cpuAtStart ??= { usage: process.cpuUsage(), at: performance.now() };
      else if (cpuAtStart) {
        const cpu = process.cpuUsage(cpuAtStart.usage);
        report.cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - cpuAtStart.at)) * 100;
        process.send!({ type: 'report', report });
        return;
      }
      const t0 = performance.now();
      const sent = server.wave((n % waves) * settings.batch, sentAt);
      if (inWindow) {
        report.waveMs.push(performance.now() - t0);
        report.writes += sent.writes;
        report.deliveries += sent.deliveries;
      }
      setTimeout(() => next(n + 1), Math.max(0, startedAt + (n + 1) * spacingMs - Date.now()));
    };
    next(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Client role

function runClientsRole(): void {
  const histogram = new Int32Array(60_000);
  let window: Window | undefined;
  let received = 0;
  let connectFailures = 0;
  const onFrame = (text: string) => {
    const at = text.lastIndexOf('"sentAt":');
    if (at < 0 || !window) return;
    const sentAt = Number.parseInt(text.slice(at + 9, at + 9 + 13), 10);
    if (sentAt < window.startAt || sentAt >= window.endAt) return;
    received += 1;
    histogram[Math.min(histogram.length - 1, Date.now() - sentAt)]! += 1;
  };
  const open = (port: number, server: Settings['server'], tickers: number[]) =>
    new Promise<boolean>((resolve) => {
      const path = server === 'ws' ? '/' : '/socket.io/?EIO=4&transport=websocket';
      const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false, skipUTF8Validation: true });
      const timer = setTimeout(() => resolve(false), 30_000);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      socket.on('error', () => done(false));
      if (server === 'ws') socket.once('open', () => socket.send(tickers.join(',')));
      // Engine.IO 4 over a bare WebSocket: 0 open, 2 ping → 3 pong, 4 message; Socket.IO 40 connect, 42 event, 43 ack.
      socket.on('message', (data: Buffer) => {
        const text = data.toString('latin1');
        if (text.startsWith('42')) onFrame(text);
        else if (text === 'ok' || text.startsWith('430')) done(true);
        else if (text === '2') socket.send('3');
        else if (text.startsWith('0{')) socket.send('40');
        else if (text.startsWith('40')) socket.send(`420${JSON.stringify(['subscribe', tickers])}`);
      });
    });
  process.on('message', async (message: ToClients) => {
    if (message.type === 'window') {
      window = message.window;
      setTimeout(() => process.send!({ type: 'samples', samples: { received, histogram, connectFailures } satisfies ClientReport }), message.window.endAt - Date.now() + 3000);
      return;
    }
    const sockets = message.subscriptions.length / message.perSocket;
    // 200 handshakes at a time: quick, and no listen-queue overflow on the server.
    for (let first = 0; first < sockets; first += 200) {
      const batch = Array.from({ length: Math.min(200, sockets - first) }, (_, i) => Array.from(message.subscriptions.subarray((first + i) * message.perSocket, (first + i + 1) * message.perSocket)));
      const outcomes = await Promise.all(batch.map((tickers) => open(message.port, message.server, tickers)));
      connectFailures += outcomes.filter((ok) => !ok).length;
    }
    process.send!({ type: 'connected', connectFailures });
  });
}

// ---------------------------------------------------------------------------------------------
// The run

function percentileOf(histogram: Int32Array, total: number, p: number): number {
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms += 1) {
    seen += histogram[ms]!;
    if (seen >= total * p) return ms;
  }
  return histogram.length;
}

async function main(): Promise<void> {
  const commandLine = benchCommandLine(import.meta.url);
  const flags = commandLine.flags({
    server: { type: 'string' }, clients: { type: 'string' }, subscriptions: { type: 'string' }, tickers: { type: 'string' }, batch: { type: 'string' },
    interval: { type: 'string' }, duration: { type: 'string' }, warmup: { type: 'string' }, procs: { type: 'string' },
  });
  const server = flags.server ?? 'ws';
  if (server !== 'ws' && server !== 'socket.io') commandLine.fail(`--server: ws or socket.io, not ${server}`);
  if (availableParallelism() < 2) commandLine.fail('needs two cores (the server on one, the clients on the other)');
  const whole = (name: keyof typeof flags, fallback: number) => Math.floor(commandLine.positive(flags[name], `--${name}`, fallback));
  const clients = whole('clients', 3000);
  const perSocket = whole('subscriptions', 10);
  const settings: Settings = { server: server as Settings['server'], tickers: whole('tickers', 500), batch: whole('batch', 50), intervalMs: whole('interval', 1000) };
  const durationMs = whole('duration', 20) * 1000;
  const warmupMs = whole('warmup', 5) * 1000;
  const procs = whole('procs', 2);
  if (perSocket > settings.tickers) commandLine.fail('--subscriptions: more than --tickers');

  // Generous: connecting 10 000 sockets and the whole window, with room to spare; a child that dies ends the run at once.
  const replyOf = <T extends FromChildren['type']>(child: ChildProcess, type: T) => nextChildMessage<FromChildren, T>(child, type, warmupMs + durationMs + 10 * 60_000);
  const script = fileURLToPath(import.meta.url);
  const serverChild = fork(script, [], { env: { ...process.env, DELIVERY_FLOOR_ROLE: 'server' }, serialization: 'advanced' });
  const clientChildren = Array.from({ length: procs }, () => fork(script, [], { env: { ...process.env, DELIVERY_FLOOR_ROLE: 'clients' }, serialization: 'advanced' }));
  try {
    // The server's every thread on core 0; the clients and this process on core 1.
    for (const [pid, core] of [[serverChild.pid!, '0'], [process.pid, '1'], ...clientChildren.map((child) => [child.pid!, '1'] as const)] as const) {
      execFileSync('taskset', ['-a', '-cp', core, String(pid)], { stdio: 'ignore' });
    }
    const portReply = replyOf(serverChild, 'port');
    serverChild.send({ type: 'start', settings } satisfies ToServer);
    const { port } = await portReply;
    // The same fixed-seed draw as fanout.js, so both benches subscribe alike.
    const all = assign(clients, perSocket, settings.tickers);
    const connectedAt = performance.now();
    const connects = await Promise.all(
      clientChildren.map((child, index) => {
        const subscriptions = shareOf(all, perSocket, Array.from({ length: clients }, (_, socket) => socket).filter((socket) => socket % procs === index));
        const reply = replyOf(child, 'connected');
        child.send({ type: 'connect', port, server: settings.server, subscriptions, perSocket } satisfies ToClients);
        return reply;
      }),
    );
    const connectS = (performance.now() - connectedAt) / 1000;
    const window: Window = { startAt: Date.now() + warmupMs, endAt: Date.now() + warmupMs + durationMs };
    const serverReply = replyOf(serverChild, 'report');
    const clientReplies = clientChildren.map((child) => replyOf(child, 'samples'));
    for (const child of [serverChild, ...clientChildren]) child.send({ type: 'window', window });
    const { report } = await serverReply;
    const clientReports = (await Promise.all(clientReplies)).map((reply) => reply.samples);

    const histogram = new Int32Array(60_000);
    for (const client of clientReports) client.histogram.forEach((count, ms) => (histogram[ms]! += count));
    const received = clientReports.reduce((sum, client) => sum + client.received, 0);
    const waveMs = [...report.waveMs].sort((a, b) => a - b);
    const wave = (p: number) => (waveMs[Math.min(waveMs.length - 1, Math.floor(p * waveMs.length))] ?? 0).toFixed(1);
    const seconds = durationMs / 1000;
    const latency = [0.5, 0.95, 0.99, 1].map((p) => percentileOf(histogram, received, p)).join(' / ');
    console.log(
      [
        `delivery floor: ${settings.server} server, ${clients} sockets x ${perSocket} of ${settings.tickers} tickers, waves of ${settings.batch} every ${(settings.intervalMs / Math.ceil(settings.tickers / settings.batch)).toFixed(0)} ms; connected in ${connectS.toFixed(1)} s, ${connects.reduce((sum, c) => sum + c.connectFailures, 0)} failed`,
        '',
        '| server CPU (one core) | writes/s | deliveries/s | received / sent | latency p50 / p95 / p99 / max ms | one wave on the event loop p50 / p99 ms |',
        '|---|---|---|---|---|---|',
        `| ${report.cpuPercent.toFixed(1)} % | ${Number.isNaN(report.writes) ? 'not counted' : Math.round(report.writes / seconds)} | ${Math.round(report.deliveries / seconds)} | ${received} / ${report.deliveries} | ${latency} | ${wave(0.5)} / ${wave(0.99)} |`,
      ].join('\n'),
    );
  } finally {
    for (const child of [serverChild, ...clientChildren]) child.kill('SIGKILL');
  }
}

if (ROLE === 'server') runServerRole();
else if (ROLE === 'clients') runClientsRole();
else await main();
