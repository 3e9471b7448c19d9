// The quote pipeline under load: for N tickers in demand it reports upstream requests per tick,
// the time from the tick to the last emit, and the largest wave of emits. Runs the real scheduler
// and worker processes against the Yahoo stub, with private Redis and PostgreSQL, and stops by itself.
// Usage: npm run build && node dist/bench/pipeline.js [tickers=100,1000,10000] [intervalMs=5000] [ticks=4]
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { redisKeys } from '../lib/redis/keys.js';
import { createLiveDemandPublisher } from '../lib/demand/live-demand.js';
import { startBenchSystem, type BenchSystem } from './support/bench-system.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const [sizesArg, intervalArg, ticksArg] = commandLine.positionals(['tickers', 'intervalMs', 'ticks']);
const sizes = (sizesArg ?? '100,1000,10000').split(',').map((size) => Math.floor(commandLine.positive(size, 'tickers')));
const intervalMs = commandLine.positive(intervalArg, 'intervalMs', 5000);
const ticksToMeasure = Math.floor(commandLine.positive(ticksArg, 'ticks', 4));
/** A "wave" is what lands on the web processes within this window (the burst one event loop sees). */
const WAVE_WINDOW_MS = 50;

interface TickFigures {
  requests: number;
  tickToLastEmitMs: number;
  largestWave: number;
  emits: number;
}

async function measure(system: BenchSystem, tickers: number): Promise<TickFigures[]> {
  const keys = redisKeys(system.prefix);
  const redis = new Redis(system.redisUrl);
  const listener = new Redis(system.redisUrl);
  const emits: number[] = [];
  // The emitter publishes each stock_update on the adapter's channel; counting them here counts emits.
  await listener.psubscribe(`${keys.socketIo}#*`);
  listener.on('pmessage', () => emits.push(Date.now()));
  const ticks: number[] = [];
  const events = new QueueEvents('schedule', { connection: { url: system.redisUrl }, prefix: system.prefix });
  events.on('active', () => ticks.push(Date.now()));
  await events.waitUntilReady();

  const demand = createLiveDemandPublisher(redis, keys, { instanceId: `bench-${tickers}`, logger: pino({ level: 'silent' }) });
  for (let i = 0; i < tickers; i += 1) demand.add(`B${i}`);
  await demand.refresh();

  // One warm-up tick, then the measured ones, then one more so the last measured tick is closed.
  const wanted = ticks.length + ticksToMeasure + 2;
  while (ticks.length < wanted) await new Promise((resolve) => setTimeout(resolve, 100));

  const figures = ticks.slice(-ticksToMeasure - 1, -1).map((start, index, measured) => {
    const end = measured[index + 1] ?? ticks.at(-1)!;
    const inTick = emits.filter((at) => at >= start && at < end);
    // Sliding window over the sorted emit times: the most emits within any WAVE_WINDOW_MS.
    let largestWave = 0;
    for (let first = 0, last = 0; last < inTick.length; last += 1) {
      while (inTick[last]! - inTick[first]! >= WAVE_WINDOW_MS) first += 1;
      largestWave = Math.max(largestWave, last - first + 1);
    }
    return {
      requests: system.stub.quoteRequests.filter((request) => request.at >= start && request.at < end).length,
      tickToLastEmitMs: inTick.length ? inTick.at(-1)! - start : Number.NaN,
      largestWave,
      emits: inTick.length,
    };
  });
  await demand.close();
  await events.close();
  listener.disconnect();
  redis.disconnect();
  return figures;
}

const rows: string[] = [];
for (const tickers of sizes) {
  const system = await startBenchSystem({ FETCH_INTERVAL_MS: String(intervalMs), UPSTREAM_REQUESTS_PER_SECOND: '1000', WORKER_CONCURRENCY: '200' });
  try {
    await system.start('worker');
    await system.start('scheduler');
    const figures = await measure(system, tickers);
    const avg = (pick: (f: TickFigures) => number) => Math.round(figures.reduce((sum, f) => sum + pick(f), 0) / figures.length);
    const max = (pick: (f: TickFigures) => number) => Math.max(...figures.map(pick));
    rows.push(
      `| ${tickers} | ${intervalMs} | ${figures.length} | ${avg((f) => f.requests)} (max ${max((f) => f.requests)}) | ${avg((f) => f.tickToLastEmitMs)} (max ${max((f) => f.tickToLastEmitMs)}) | ${max((f) => f.largestWave)} | ${avg((f) => f.emits)} |`,
    );
    console.log(rows.at(-1));
  } finally {
    await system.stop();
  }
}
console.log(['', '| tickers | interval ms | ticks | upstream requests / tick | tick → last emit ms | largest wave (emits within 50 ms) | emits / tick |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
