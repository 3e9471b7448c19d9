// Socket fan-out under load: N authenticated Socket.IO clients, each subscribed to S of T tickers,
// fed by the real pipeline (scheduler + worker + web as real processes, private Redis and
// PostgreSQL, the Yahoo stub upstream). Reports deliveries per second, received vs expected,
// latency from the stub's serve to the client's receipt (p50 / p95 / p99 / max), connect failures,
// and the web process's CPU and memory (RSS before / after connecting, and per socket), then a few
// lines that tell where the time goes. Stops by itself, exit code 0 on success.
//
// Usage: npm run build && node dist/bench/fanout.js [--clients 1000] [--subscriptions 10]
//          [--tickers 500] [--interval 1000] [--duration 20] [--warmup 5] [--client raw|socket.io]
//          [--procs auto] [--batch 200] [--connect-rate 300] [--webs 1] [--timeline] [--budget] [--burn 50] [--pin]
//   or as env: FANOUT_CLIENTS, FANOUT_SUBSCRIPTIONS, FANOUT_TICKERS, FANOUT_INTERVAL_MS,
//   FANOUT_DURATION_S, FANOUT_WARMUP_S, FANOUT_CLIENT, FANOUT_PROCS, FANOUT_BATCH, FANOUT_CONNECT_RATE,
//   FANOUT_WEBS, FANOUT_TIMELINE=1, FANOUT_BUDGET=1, FANOUT_BURN_PERCENT, FANOUT_PIN=1 (flags win).
//   --pin: the server side on core 0, the clients and the stub on core 1 (see pinCores).
//   Every socket is a user of its own (bench/support/bench-users.ts).
//   --connect-rate R: sockets open at R a second (open loop, across client processes) instead of in
//   batches, while quotes already flow (every ticker is on a watchlist, fetched from before the
//   first socket); reports the time until all are connected and subscribed and the connect time
//   per socket (p50 / p99). The issue-15 figure: --clients 3000 --connect-rate 300 (all within
//   11 s, p99 <= 500 ms). FANOUT_CONNECT_PROFILE=file.cpuprofile: CPU profile of the first web
//   process while the sockets connect, summarised.
//   --budget: the budget mode. The fan-out figures use an upstream budget of 1 000 requests/s,
//   which no real provider grants; --budget runs at the product's default instead
//   (UPSTREAM_REQUESTS_PER_SECOND unset: 5/s, or FANOUT_BUDGET_RPS) and adds what the budget is
//   about: symbols per request (mean), requests/s against the budget, tickers refreshed per second
//   as a share of what the budget allows, and the gap between two updates of one ticker on one
//   client (p50 / p99; raw clients only). For the issue-12 figures: --budget --interval 1000
//   --tickers 500 with --clients 200 --subscriptions 15 and --clients 1000 --subscriptions 10.
//   --burn N: one CPU burner per core, each busy N % of the time, over the whole run.
//   --interval: the scheduler's tick, ms. --duration / --warmup: seconds (warm-up starts once every
//   socket is connected and subscribed). --client: raw (default) speaks the Socket.IO protocol over
//   a bare `ws` socket and reads only ticker and price from each frame; socket.io uses the typed
//   client (lib/realtime/client.ts), which costs the shared CPUs ~50 % more per message (3000
//   clients: 28 % vs 18 % of a core per client process) and shows up in the latency. --procs: client processes (auto: 1 up to 1500 clients, else
//   2). --batch: sockets connecting at once, across client processes. --webs: web processes (the
//   sockets are spread over them; CPU and memory are their sums). --timeline: latency per second.
//   Investigation aids: FANOUT_WEB_PROFILE=file.cpuprofile (CPU profile of the first web process
//   over the window, summarised), FANOUT_WORKER_PROFILE=file.cpuprofile (the same of the worker), FANOUT_WEB_NODE_OPTIONS (more node options for the web
//   processes), FANOUT_DUMP=file.csv (one row per serve: publish, first and last receipt).
//
// How it measures: the clients run in child processes (bench/support/fanout-clients.ts), so the
// stub in this process keeps its own event loop. Each client records (ticker, price, Date.now())
// per stock_update; afterwards this process looks up when the stub served that price (each serve
// bumps the price by a cent, so the pair names one serve). Latency and received-vs-expected count
// only serves inside the measuring window; deliveries still arriving within a grace period after
// it are counted, later ones are missing. Expected = for every serve in the window, the number of
// sockets subscribed to that ticker. CPU comes from /proc/<pid>/stat over the window (100 % = one
// core), for every process of the run (and what ran outside it). Memory: the web process is
// started with --inspect so it can be made to run a full GC before each reading; RSS and JS heap
// (+ external) are read after it, before connecting and 2 s after the last socket subscribed.
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { availableParallelism } from 'node:os';
import { buildConfig } from '../config/index.js';
import { redisKeys } from '../lib/redis/keys.js';
import { percentile, startBenchSystem, type BenchSystem } from './support/bench-system.js';
import { createBenchUsers } from './support/bench-users.js';
import { connectInspector, type Inspector, type MemoryFigures } from './support/inspector.js';
import { assign, collectSamples, connectClients, sleep, startClientProcess, stopClientProcess, tell } from './support/client-processes.js';
import { CONNECT_STAGES, tickerName, type ClientKind } from './support/fanout-protocol.js';
import { benchCommandLine } from './support/command-line.js';

// ---------------------------------------------------------------------------------------------
// Parameters

const commandLine = benchCommandLine(import.meta.url);
const flags = commandLine.flags({
  clients: { type: 'string' },
  subscriptions: { type: 'string' },
  tickers: { type: 'string' },
  interval: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  procs: { type: 'string' },
  batch: { type: 'string' },
  'connect-rate': { type: 'string' },
  client: { type: 'string' },
  webs: { type: 'string' },
  timeline: { type: 'boolean' },
  budget: { type: 'boolean' },
  burn: { type: 'string' },
  pin: { type: 'boolean' },
});

function setting(name: keyof typeof flags, env: string, fallback: number): number {
  const raw = flags[name] ?? process.env[env];
  return raw === 'auto' ? fallback : commandLine.positive(typeof raw === 'string' ? raw : undefined, `--${name} / ${env}`, fallback);
}

const clients = Math.floor(setting('clients', 'FANOUT_CLIENTS', 1000));
const subscriptions = Math.floor(setting('subscriptions', 'FANOUT_SUBSCRIPTIONS', 10));
const tickers = Math.floor(setting('tickers', 'FANOUT_TICKERS', 500));
const intervalMs = setting('interval', 'FANOUT_INTERVAL_MS', 1000);
const durationMs = setting('duration', 'FANOUT_DURATION_S', 20) * 1000;
const warmupMs = Math.max(2000, setting('warmup', 'FANOUT_WARMUP_S', 5) * 1000);
const procs = Math.min(clients, Math.floor(setting('procs', 'FANOUT_PROCS', clients <= 1500 ? 1 : 2)));
const batchSize = Math.floor(setting('batch', 'FANOUT_BATCH', 200));
/** Sockets opened per second, across client processes; 0: in batches of `batchSize`. */
const connectRate = setting('connect-rate', 'FANOUT_CONNECT_RATE', 0);
const webCount = Math.floor(setting('webs', 'FANOUT_WEBS', 1));
const clientKind = (flags.client ?? process.env.FANOUT_CLIENT ?? 'raw') as ClientKind;
if (clientKind !== 'socket.io' && clientKind !== 'raw') commandLine.fail(`--client / FANOUT_CLIENT: socket.io or raw, not ${String(clientKind)}`);
/** Also print latency per second of the window (to tell steady queueing from pauses). */
const timeline = flags.timeline ?? process.env.FANOUT_TIMELINE === '1';
if (subscriptions > tickers) commandLine.fail(`subscriptions (${subscriptions}) cannot exceed tickers (${tickers})`);
/** The budget mode: the product's default upstream budget (or FANOUT_BUDGET_RPS) instead of 1 000/s. */
const budgetMode = flags.budget ?? process.env.FANOUT_BUDGET === '1';
const defaultRps = buildConfig({ NODE_ENV: 'test' }).quotes.upstreamRequestsPerSecond;
const budgetRps = budgetMode ? Math.floor(commandLine.positive(process.env.FANOUT_BUDGET_RPS, 'FANOUT_BUDGET_RPS', defaultRps)) : 1000;
const pin = flags.pin ?? process.env.FANOUT_PIN === '1';
if (pin && availableParallelism() < 2) commandLine.fail('--pin needs two cores');
const burnPercent = flags.burn ?? process.env.FANOUT_BURN_PERCENT ? setting('burn', 'FANOUT_BURN_PERCENT', 0) : 0;
/** Deliveries of serves late in the window may still arrive this long after it. */
const graceMs = Math.max(2000, 2 * intervalMs);
const CONNECT_TIMEOUT_MS = 20_000;
/** Two upstream requests closer than this are two waves reaching the web process as one burst. */
const CROWDED_MS = 20;

// ---------------------------------------------------------------------------------------------
// /proc readings

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime, in clock ticks. */
  readonly ticks: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    // After "pid (comm) ": state ppid ... utime (14th field) stime (15th).
    const rest = text.slice(close + 2).split(' ');
    return { pid, ppid: Number(rest[1]), comm: text.slice(text.indexOf('(') + 1, close), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** VmRSS of a process, in KB. */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

/** Busy and total ticks of the whole machine (all cores). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** This process and all its descendants, parents before children. */
function processTree(): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => procStat(Number(name)) ?? []);
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const tree: ProcStat[] = [];
  const visit = (stat: ProcStat) => {
    tree.push(stat);
    for (const child of children.get(stat.pid) ?? []) visit(child);
  };
  const self = procStat(process.pid);
  if (self) visit(self);
  return tree;
}

/** CPU ticks of this process and all its descendants, summed per label (named pids, else comm). */
function cpuByLabel(labels: ReadonlyMap<number, string>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const stat of processTree()) {
    const label = labels.get(stat.pid) ?? stat.comm;
    sums.set(label, (sums.get(label) ?? 0) + stat.ticks);
  }
  return sums;
}

/**
 * --pin: the server side (web, worker, scheduler, Redis, PostgreSQL, with every thread) on core 0,
 * the load (the client processes, this process with the stub, CPU burners) on core 1, as the
 * side-by-side comparisons with the reference implementation were measured. Processes forked later
 * (PostgreSQL backends) inherit their parent's core.
 */
function pinCores(loadPids: ReadonlySet<number>): void {
  for (const stat of processTree()) {
    const core = loadPids.has(stat.pid) || stat.pid === process.pid ? '1' : '0';
    execFileSync('taskset', ['-a', '-cp', core, String(stat.pid)], { stdio: 'ignore' });
  }
}

// ---------------------------------------------------------------------------------------------
// The worker's publishes, as the web processes receive them

/** Key of one serve: the ticker's index and the price in cents. */
const serveKey = (ticker: number, cents: number) => ticker * 2 ** 24 + cents;

/**
 * Records when each stock_update was published on Redis (first sighting per serve), so latency
 * can be split into serve → publish (worker) and publish → receipt (web and clients). Decodes
 * with notepack.io, the emitter's own msgpack codec (a dependency of @socket.io/redis-emitter);
 * without it, the split is left out.
 */
async function watchPublishes(redisUrl: string, prefix: string) {
  let decode: ((buffer: Buffer) => unknown) | undefined;
  try {
    decode = (createRequire(import.meta.url)('notepack.io') as { decode(buffer: Buffer): unknown }).decode;
  } catch {
    decode = undefined;
  }
  const publishedAt = new Map<number, number>();
  let recording = false;
  const listener = new Redis(redisUrl);
  if (decode) {
    await listener.psubscribe(`${redisKeys(prefix).socketIo}#*`);
    listener.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => {
      if (!recording) return;
      const now = Date.now();
      const [, packet] = decode(message) as [unknown, { data?: [string, Record<string, { price: number | null }>] }];
      const [event, update] = packet.data ?? [];
      if (event !== 'stock_update' || !update) return;
      for (const [symbol, quote] of Object.entries(update)) {
        if (quote.price === null) continue;
        const key = serveKey(Number(symbol.slice(3)), Math.round(quote.price * 100));
        if (!publishedAt.has(key)) publishedAt.set(key, now);
      }
    });
  }
  return {
    available: decode !== undefined,
    publishedAt,
    record: (on: boolean) => (recording = on),
    close: () => listener.disconnect(),
  };
}

/** perf_hooks' GC kinds: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks. */
const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental marking', 8: 'weak callbacks' };

function describeGcPauses(pauses: ReadonlyArray<readonly [number, number, number]>): string {
  const byKind = new Map<string, number[]>();
  for (const [, duration, kind] of pauses) byKind.set(GC_KINDS[kind] ?? `kind ${kind}`, [...(byKind.get(GC_KINDS[kind] ?? `kind ${kind}`) ?? []), duration]);
  if (byKind.size === 0) return 'none';
  return [...byKind.entries()]
    .map(([kind, durations]) => `${kind} ${durations.length} (total ${durations.reduce((a, b) => a + b, 0).toFixed(0)} ms, max ${Math.max(...durations).toFixed(1)} ms)`)
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// The run

const round = (value: number, digits = 0) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : Number.NaN);
const mb = (kb: number) => round(kb / 1024, 1);

console.log(
  `fan-out: ${clients} ${clientKind} clients x ${subscriptions} of ${tickers} tickers, ${intervalMs} ms ticks, ${webCount} web process(es), ${procs} client process(es), ` +
    `batches of ${batchSize}, warm-up ${warmupMs / 1000} s, measuring ${durationMs / 1000} s`,
);
const system = await startBenchSystem(
  {
    FETCH_INTERVAL_MS: String(intervalMs),
    // The budget mode runs at the default budget (the default reserve and batch size with it).
    ...(budgetMode ? (process.env.FANOUT_BUDGET_RPS ? { UPSTREAM_REQUESTS_PER_SECOND: String(budgetRps) } : {}) : { UPSTREAM_REQUESTS_PER_SECOND: '1000' }),
    WORKER_CONCURRENCY: '200',
    SOCKET_MAX_SUBSCRIPTIONS: String(Math.max(100, subscriptions)),
  },
  // Serve times must outlive the window plus the grace, whatever the interval.
  { stub: { servedHistory: Math.max(256, Math.ceil((durationMs + graceMs + warmupMs) / intervalMs) + 64) } },
);
const profileFile = process.env.FANOUT_WEB_PROFILE;
const workerProfileFile = process.env.FANOUT_WORKER_PROFILE;
const clientProcesses: ChildProcess[] = [];
const burners: ChildProcess[] = [];
if (burnPercent > 0) {
  const script = fileURLToPath(new URL('./support/cpu-burner.js', import.meta.url));
  for (let core = 0; core < availableParallelism(); core += 1) burners.push(fork(script, [String(burnPercent)], { stdio: 'ignore' }));
  console.log(`CPU burners: ${burners.length} (one per core), each busy ${burnPercent} % of the time`);
}
const inspectors: Inspector[] = [];
let publishes: Awaited<ReturnType<typeof watchPublishes>> | undefined;
let failed = false;
try {
  const watcher = await watchPublishes(system.redisUrl, system.prefix);
  publishes = watcher;
  // The inspector gives memory after a full GC (and, with FANOUT_WEB_PROFILE=file.cpuprofile, a
  // CPU profile over the window); FANOUT_WEB_NODE_OPTIONS adds options (e.g. "--max-semi-space-size=16").
  const webNodeOptions = [process.env.FANOUT_WEB_NODE_OPTIONS, '--inspect=127.0.0.1:0'].filter(Boolean).join(' ');
  const webs: Array<Awaited<ReturnType<BenchSystem['start']>>> = [];
  for (let i = 0; i < webCount; i += 1) webs.push(await system.start('web', webNodeOptions ? { NODE_OPTIONS: webNodeOptions } : {}));
  const worker = await system.start('worker', workerProfileFile ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {});
  const workerInspector = workerProfileFile ? await connectInspector(worker.output()) : undefined;
  const scheduler = await system.start('scheduler');
  const webPids = webs.map((running) => running.child.pid!);
  /** RSS of the web processes together. */
  const webRss = () => webPids.reduce((sum, pid) => sum + rssKb(pid), 0);
  for (const running of webs) inspectors.push(await connectInspector(running.output()));
  /** Memory of the web processes together after a full GC, in KB. */
  const webMemory = async () => {
    const figures = await Promise.all(inspectors.map((inspector) => inspector.memoryAfterGc()));
    const sum = (pick: (memory: MemoryFigures) => number) => figures.reduce((total, memory) => total + pick(memory), 0) / 1024;
    return { rss: sum((memory) => memory.rss), heap: sum((memory) => memory.heapUsed + memory.external) };
  };
  const tokens = await createBenchUsers(system.env.DATABASE_URL!, clients, connectRate ? Array.from({ length: tickers }, (_, index) => tickerName(index)) : []);
  for (let i = 0; i < procs; i += 1) clientProcesses.push(await startClientProcess());
  if (pin) pinCores(new Set([...clientProcesses, ...burners].map((child) => child.pid!)));
  if (connectRate) {
    // Quotes flow before the first socket: every ticker served at least once, and a tick more.
    const served = new Set<string>();
    while (served.size < tickers) {
      for (const request of system.stub.quoteRequests) for (const symbol of request.symbols) served.add(symbol);
      await sleep(200);
    }
    await sleep(intervalMs);
  }

  await sleep(1000);
  const before = await webMemory();

  // Connect: socket i goes to process i % procs; each process connects its share in batches.
  const assignments = assign(clients, subscriptions, tickers);
  const connectProfile = process.env.FANOUT_CONNECT_PROFILE;
  if (connectProfile) await inspectors[0]!.startProfile();
  const connectStart = Date.now();
  const webTicksAt = () => webPids.reduce((sum, pid) => sum + (procStat(pid)?.ticks ?? 0), 0);
  const webTicksBefore = webTicksAt();
  const connects = await connectClients(clientProcesses, {
    client: clientKind,
    urls: webs.map((running) => `http://127.0.0.1:${running.port}`),
    tokens,
    subscriptions,
    tickers,
    assignments,
    batchSize,
    ...(connectRate ? { ratePerSecond: connectRate } : {}),
    timeoutMs: CONNECT_TIMEOUT_MS,
  });
  const connectSeconds = (Date.now() - connectStart) / 1000;
  const webConnectCpu = Math.round(((webTicksAt() - webTicksBefore) / CLOCK_TICKS / connectSeconds) * 100);
  const connectProfileSummary = connectProfile ? await inspectors[0]!.stopProfile(connectProfile) : undefined;
  const connectMs = [...connects.flatMap((report) => [...report.connectMs])].sort((a, b) => a - b).map((ms) => Math.round(ms));
  const connected = connects.reduce((sum, report) => sum + report.connected, 0);
  const subscribeFailed = connects.reduce((sum, report) => sum + report.subscribeFailed, 0);
  const connectFailed = clients - connected;
  const failures: Record<string, number> = {};
  for (const report of connects) for (const [reason, count] of Object.entries(report.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  const subscribers = new Int32Array(tickers);
  for (const report of connects) report.subscribers.forEach((count, index) => (subscribers[index]! += count));
  console.log(
    `connected ${connected}/${clients} in ${connectSeconds.toFixed(1)} s${connectRate ? ` at ${connectRate}/s while quotes flow` : ''}; ` +
      `connect (open → subscribed) p50 / p99 / max ${percentile(connectMs, 50)} / ${percentile(connectMs, 99)} / ${connectMs.at(-1)} ms` +
      `${Object.keys(failures).length ? `; failures: ${JSON.stringify(failures)}` : ''}`,
  );
  const stageFigures = CONNECT_STAGES.map((name, stage) => {
    const spans = connects.flatMap((report) => [...report.stageMs].filter((_, at) => at % CONNECT_STAGES.length === stage)).sort((a, b) => a - b);
    return spans.length ? `${name} ${Math.round(percentile(spans, 50))} / ${Math.round(percentile(spans, 99))}` : undefined;
  });
  if (stageFigures.every(Boolean)) console.log(`connect steps, p50 / p99 ms: ${stageFigures.join(' · ')}`);
  console.log(`web CPU while connecting: ${webConnectCpu} % of a core`);
  if (connectProfileSummary) console.log(`web CPU profile while connecting (${connectProfile}): ${connectProfileSummary}`);

  await sleep(2000);
  const after = await webMemory();

  // Warm-up (demand reaches the scheduler, the first waves settle); recording starts a second
  // before the window, so no in-window delivery can slip past a client still reading the order.
  await sleep(warmupMs - 1000);
  for (const child of clientProcesses) tell(child, { type: 'record' });
  watcher.record(true);
  await sleep(1000);

  const labels = new Map<number, string>([
    [process.pid, 'bench (stub)'],
    ...webPids.map((pid) => [pid, 'web'] as [number, string]),
    [worker.child.pid!, 'worker'],
    [scheduler.child.pid!, 'scheduler'],
    ...clientProcesses.map((child, index) => [child.pid!, `clients ${index + 1}`] as [number, string]),
    ...burners.map((child) => [child.pid!, 'cpu burners'] as [number, string]),
  ]);
  if (profileFile) await inspectors[0]!.startProfile();
  if (workerInspector) await workerInspector.startProfile();
  await Promise.all(inspectors.map((inspector) => inspector.watchGc()));
  const windowStart = Date.now();
  const cpuStart = cpuByLabel(labels);
  const machineStart = machineTicks();
  let rssPeak = webRss();
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, webRss())), 500);
  await sleep(durationMs);
  clearInterval(rssTimer);
  const windowEnd = Date.now();
  const cpuEnd = cpuByLabel(labels);
  const machineEnd = machineTicks();
  const rssEnd = webRss();
  const profileSummary = profileFile ? await inspectors[0]!.stopProfile(profileFile) : undefined;
  const workerProfileSummary = workerInspector ? await workerInspector.stopProfile(workerProfileFile!) : undefined;
  workerInspector?.close();
  const gcPauses = (await Promise.all(inspectors.map((inspector) => inspector.gcPauses()))).flat();
  const stalls = (await Promise.all(inspectors.map((inspector) => inspector.stalls()))).flat();
  // Under load (quotes still flowing), without the garbage a GC would take: what the sockets keep.
  const underLoad = await webMemory();
  await sleep(graceMs);
  watcher.record(false);

  const reports = await collectSamples(clientProcesses);

  // The serves in the window: how many deliveries they owe, each one's position in its upstream
  // request (the worker emits a request's quotes in that order, so position tells how far back in
  // a wave's burst a delivery was), and whether that request came hard on the heels of the
  // previous one (two waves landing on the web process as one double burst).
  let expected = 0;
  let serves = 0;
  let requests = 0;
  let crowdedRequests = 0;
  const positions = new Map<number, Map<number, { position: number; crowded: boolean }>>();
  let previousRequestAt = Number.NEGATIVE_INFINITY;
  const requestGaps: number[] = [];
  for (const request of system.stub.quoteRequests) {
    if (request.status !== 200) continue;
    const gap = request.at - previousRequestAt;
    const crowded = gap < CROWDED_MS;
    previousRequestAt = request.at;
    if (request.at < windowStart || request.at >= windowEnd) continue;
    requestGaps.push(gap);
    requests += 1;
    if (crowded) crowdedRequests += 1;
    request.symbols.forEach((symbol, position) => {
      const ticker = Number(symbol.slice(3));
      serves += 1;
      expected += subscribers[ticker] ?? 0;
      let times = positions.get(ticker);
      if (!times) positions.set(ticker, (times = new Map()));
      times.set(request.at, { position, crowded });
    });
  }

  // Latencies of deliveries whose serve falls in the window; per serve, also the first receipt
  // (the pipeline's part: worker, Redis, the web process's receipt and first write).
  const windowSeconds = (windowEnd - windowStart) / 1000;
  const latencies: number[] = [];
  /** Per serve: first and last receipt, ms after the serve. */
  const receipts = new Map<number, { first: number; last: number }>();
  let unknownServes = 0;
  const perSecond: number[][] = [];
  const POSITION_GROUP = 10;
  const byPosition: number[][] = [];
  const byCrowding = { crowded: [] as number[], apart: [] as number[] };
  for (const report of reports) {
    for (let i = 0; i < report.count; i += 1) {
      const ticker = report.ticker[i]!;
      const servedAt = ticker < 0 ? undefined : system.stub.servedAt(tickerName(ticker), report.cents[i]! / 100);
      if (servedAt === undefined) {
        unknownServes += 1;
        continue;
      }
      if (servedAt < windowStart || servedAt >= windowEnd) continue;
      const latency = report.receivedAt[i]! - servedAt;
      latencies.push(latency);
      if (timeline) (perSecond[Math.floor((servedAt - windowStart) / 1000)] ??= []).push(latency);
      const place = positions.get(ticker)?.get(servedAt);
      if (place) {
        (byPosition[Math.floor(place.position / POSITION_GROUP)] ??= []).push(latency);
        (place.crowded ? byCrowding.crowded : byCrowding.apart).push(latency);
      }
      const serve = serveKey(ticker, report.cents[i]!);
      const seen = receipts.get(serve);
      if (!seen) receipts.set(serve, { first: latency, last: latency });
      else {
        seen.first = Math.min(seen.first, latency);
        seen.last = Math.max(seen.last, latency);
      }
    }
  }
  latencies.sort((a, b) => a - b);
  // Stages per serve: serve → publish on Redis (worker), publish → first receipt (web and one
  // client), first → last receipt (the fan-out to every subscriber, web and clients).
  const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);
  const firsts = sorted([...receipts.values()].map((seen) => seen.first));
  const spreads = sorted([...receipts.values()].map((seen) => seen.last - seen.first));
  const toPublish: number[] = [];
  const publishToFirst: number[] = [];
  for (const [serve, seen] of receipts) {
    const published = watcher.publishedAt.get(serve);
    const servedAt = system.stub.servedAt(tickerName(Math.floor(serve / 2 ** 24)), (serve % 2 ** 24) / 100);
    if (published === undefined || servedAt === undefined) continue;
    toPublish.push(published - servedAt);
    publishToFirst.push(servedAt + seen.first - published);
  }
  if (process.env.FANOUT_DUMP) {
    const rows = [...receipts.entries()].map(([serve, seen]) => {
      const ticker = Math.floor(serve / 2 ** 24);
      const servedAt = system.stub.servedAt(tickerName(ticker), (serve % 2 ** 24) / 100)!;
      return [servedAt - windowStart, ticker, positions.get(ticker)?.get(servedAt)?.position ?? -1, (watcher.publishedAt.get(serve) ?? Number.NaN) - servedAt, seen.first, seen.last].join(',');
    });
    writeFileSync(process.env.FANOUT_DUMP, `servedMs,ticker,position,publishMs,firstMs,lastMs\n${rows.sort().join('\n')}\n`);
  }
  toPublish.sort((a, b) => a - b);
  publishToFirst.sort((a, b) => a - b);
  const stage = (values: readonly number[]) => `${percentile(values, 50)} / ${percentile(values, 99)}`;

  const cpu = (label: string) => round((((cpuEnd.get(label) ?? 0) - (cpuStart.get(label) ?? 0)) / CLOCK_TICKS / windowSeconds) * 100);
  const machineBusy = round(((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * 100);
  // Whatever else ran on the machine meanwhile (another benchmark, a test run) skews the figures.
  const ownTicks = [...cpuEnd.entries()].reduce((sum, [label, ticks]) => sum + ticks - (cpuStart.get(label) ?? 0), 0);
  const outside = round(((machineEnd.busy - machineStart.busy - ownTicks) / CLOCK_TICKS / windowSeconds) * 100);
  const perSocket = (grown: number) => round(grown / Math.max(1, connected), 1);
  const disconnects: Record<string, number> = {};
  for (const report of reports) for (const [reason, count] of Object.entries(report.disconnects)) disconnects[reason] = (disconnects[reason] ?? 0) + count;
  if (timeline) {
    console.log('\nsecond of the window: deliveries, latency p50 / p99 / max ms');
    perSecond.forEach((values, second) => {
      values.sort((a, b) => a - b);
      console.log(`${String(second).padStart(3)}: ${String(values.length).padStart(6)}  ${percentile(values, 50)} / ${percentile(values, 99)} / ${values.at(-1)}`);
    });
  }
  console.log(`web GC pauses over the window: ${describeGcPauses(gcPauses)}`);
  const longest = [...stalls].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(
    `web event-loop stalls over 25 ms: ${stalls.length}` +
      (longest.length ? ` (longest, at second of the window: ${longest.map(([at, ms]) => `${ms} ms at ${((at - windowStart) / 1000).toFixed(1)} s`).join(', ')})` : ''),
  );
  if (profileSummary) console.log(`\nweb CPU profile over the window (${profileFile}): ${profileSummary}`);
  if (workerProfileSummary) console.log(`\nworker CPU profile over the window (${workerProfileFile}): ${workerProfileSummary}`);
  const slowConsumerCuts = webs.reduce((sum, running) => sum + (running.output().match(/slow consumer disconnected/g) ?? []).length, 0);

  if (budgetMode) {
    // What the budget allows: every request a full batch of the provider's 50 (Yahoo).
    const reserve = buildConfig({ NODE_ENV: 'test' }).quotes.upstreamReserveShare;
    const requestsPerSecond = requests / windowSeconds;
    const refreshesPerSecond = serves / windowSeconds;
    const allowed = budgetRps * 50;
    // Gap between two updates of one ticker on one socket (raw clients know their socket).
    const gaps: number[] = [];
    reports.forEach((report, process) => {
      const last = new Map<number, number>();
      const order = Array.from({ length: report.count }, (_, i) => i).sort((a, b) => report.receivedAt[a]! - report.receivedAt[b]!);
      for (const i of order) {
        if (report.socket[i]! < 0 || report.ticker[i]! < 0 || report.receivedAt[i]! < windowStart || report.receivedAt[i]! >= windowEnd) continue;
        const key = (process * 2 ** 20 + report.socket[i]!) * 2 ** 16 + report.ticker[i]!;
        const previous = last.get(key);
        if (previous !== undefined) gaps.push(report.receivedAt[i]! - previous);
        last.set(key, report.receivedAt[i]!);
      }
    });
    gaps.sort((a, b) => a - b);
    const rotationMs = (tickers / Math.max(1, Math.min(tickers, allowed * (1 - reserve) * (intervalMs / 1000)))) * intervalMs;
    console.log(
      [
        `budget: ${budgetRps} requests/s (reserve ${round(reserve * 100)} %), ${intervalMs} ms ticks, ${tickers} tickers live${burnPercent ? `, CPU burners at ${burnPercent} % of each core` : ''}`,
        `symbols per request (mean): ${round(serves / Math.max(1, requests), 1)}`,
        `requests: ${round(requestsPerSecond, 2)}/s vs the budget ${budgetRps}/s (${round((requestsPerSecond / budgetRps) * 100, 1)} %)`,
        `refresh rate: ${round(refreshesPerSecond, 1)} tickers/s = ${round((refreshesPerSecond / allowed) * 100, 1)} % of what the budget allows (${allowed}/s), ` +
          `${round((refreshesPerSecond / (allowed * (1 - reserve))) * 100, 1)} % of it after the reserve`,
        `gap between two updates of one ticker on one client, p50 / p99 / max ms: ${gaps.length ? `${percentile(gaps, 50)} / ${percentile(gaps, 99)} / ${gaps.at(-1)}` : 'n/a (raw clients only)'} ` +
          `(rotation ~${round(rotationMs)} ms; target p99 <= ${round(2 * rotationMs)} ms)`,
      ].join('\n'),
    );
  }
  const row =
    `| ${clients} | ${subscriptions} of ${tickers} | ${intervalMs} | ${connected} / ${connectFailed + subscribeFailed} | ${round(latencies.length / windowSeconds)} | ` +
    `${latencies.length} / ${expected} (${round((latencies.length / Math.max(1, expected)) * 100, 1)} %) | ` +
    `${percentile(latencies, 50)} / ${percentile(latencies, 95)} / ${percentile(latencies, 99)} / ${latencies.at(-1) ?? Number.NaN} | ` +
    `${cpu('web')} | ${mb(before.rss)} → ${mb(after.rss)} | ${perSocket(after.rss - before.rss)} (heap ${perSocket(after.heap - before.heap)}) |`;
  const otherCpu = [...new Set([...cpuEnd.keys()])]
    .filter((label) => label !== 'web')
    .map((label) => `${label} ${cpu(label)} %`)
    .join(', ');
  console.log(
    [
      '',
      '| clients | subscriptions | interval ms | connected / failed | deliveries/s | received / expected | latency p50 / p95 / p99 / max ms | web CPU % | web RSS MB before → after connecting | KB / socket (RSS, JS heap) |',
      '|---|---|---|---|---|---|---|---|---|---|',
      row,
      '',
      `window ${windowSeconds.toFixed(1)} s: ${serves} serves (${round(serves / windowSeconds)}/s); deliveries with an unknown serve: ${unknownServes}`,
      `stages per serve, p50 / p99 ms: serve → first receipt ${stage(firsts)}` +
        (watcher.available ? ` (serve → Redis publish ${stage(toPublish)}, publish → first receipt ${stage(publishToFirst)})` : '') +
        `; first → last receipt ${stage(spreads)}`,
      `latency p50 / p99 ms by position in the upstream request: ${[...byPosition.entries()]
        .map(([group, values]) => `${group * POSITION_GROUP + 1}-${(group + 1) * POSITION_GROUP} ${stage(sorted(values ?? []))}`)
        .join(', ')}`,
      `waves: gaps between upstream requests p10 / p50 / p90 ${[10, 50, 90].map((p) => percentile(sorted(requestGaps), p)).join(' / ')} ms ` +
        `(planned ~${round((intervalMs * 0.8) / Math.max(1, requests / (windowSeconds * 1000 / intervalMs)))} ms); ` +
        `${crowdedRequests} of ${requests} came < ${CROWDED_MS} ms after the previous one, latency p50 / p99 ms of their deliveries ` +
        `${stage(sorted(byCrowding.crowded))}, of the others ${stage(sorted(byCrowding.apart))}`,
      `web memory: after a full GC, RSS ${mb(before.rss)} → ${mb(after.rss)} MB and JS heap + external ${mb(before.heap)} → ${mb(after.heap)} MB before → after connecting; ` +
        `RSS at the end of the window ${mb(rssEnd)} MB, peak ${mb(rssPeak)} MB (no GC forced); after a full GC right after the window, quotes flowing, ` +
        `RSS ${mb(underLoad.rss)} MB = ${round((underLoad.rss - before.rss) / clients)} KB per socket`,
      `CPU over the window (100 % = one core; machine ${machineBusy} % of all cores busy): ${otherCpu}; outside this benchmark ${outside} %` +
        (outside > 10 ? ' (WARNING: something else was running, figures are skewed)' : ''),
      `client event-loop delay p50 / p99 / max ms: ${reports.map((report) => `${report.loopDelay.p50} / ${report.loopDelay.p99} / ${report.loopDelay.max}`).join('; ')}`,
      `connect: ${connectSeconds.toFixed(1)} s; failures ${JSON.stringify(failures)}; disconnects after connecting ${JSON.stringify(disconnects)}; slow-consumer cuts ${slowConsumerCuts}`,
    ].join('\n'),
  );
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const burner of burners) burner.kill('SIGTERM');
  await Promise.all(clientProcesses.map(stopClientProcess));
  for (const inspector of inspectors) inspector.close();
  publishes?.close();
  await system.stop();
}
process.exit(failed ? 1 : 0);
