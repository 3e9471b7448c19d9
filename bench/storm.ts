// A 429 storm against the real scheduler and worker: the stub answers a share of the quote requests
// 429 for a while, once with Retry-After and once without, and this prints what the issue asks of
// the gate: requests inside a pause, symbols per request, and how soon after the storm (and after
// the last pause it caused) every ticker in demand was refreshed again, in intervals.
// Usage: npm run build && node dist/bench/storm.js [--tickers 200] [--interval 1000] [--storm-ms 30000]
//          [--share 0.3] [--rps N (default: the product's default budget)]
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { redisKeys } from '../lib/redis/keys.js';
import { createLiveDemandPublisher } from '../lib/demand/live-demand.js';
import type { StubQuoteRequest } from '../test/stubs/yahoo-stub.js';
import { IN_FLIGHT_GRACE_MS, loggedPauses, requestsInsidePauses } from '../test/support/logged-pauses.js';
import { startBenchSystem } from './support/bench-system.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const flags = commandLine.flags({ tickers: { type: 'string' }, interval: { type: 'string' }, 'storm-ms': { type: 'string' }, share: { type: 'string' }, rps: { type: 'string' } });
const tickerCount = Math.floor(commandLine.positive(flags.tickers, '--tickers', 200));
const intervalMs = commandLine.positive(flags.interval, '--interval', 1000);
const stormMs = commandLine.positive(flags['storm-ms'], '--storm-ms', 30_000);
const share = commandLine.positive(flags.share, '--share', 0.3);
if (share > 1) commandLine.fail(`--share: a share of the requests, at most 1: ${share}`);
/** The upstream budget, requests a second; undefined: the product's default. */
const rps = flags.rps === undefined ? undefined : commandLine.positive(flags.rps, '--rps', 0);
const RECOVERY_DEADLINE_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tickers = Array.from({ length: tickerCount }, (_, i) => `T${String(i).padStart(4, '0')}`);
const system = await startBenchSystem({ FETCH_INTERVAL_MS: String(intervalMs), ...(rps ? { UPSTREAM_REQUESTS_PER_SECOND: String(rps) } : {}) });
const redis = new Redis(system.redisUrl);
const demand = createLiveDemandPublisher(redis, redisKeys(system.prefix), { instanceId: 'bench-storm', logger: pino({ level: 'silent' }) });

/** When every ticker had been served (200) at least once since `since`; undefined past the deadline. */
async function everyTickerServedAt(since: number): Promise<number | undefined> {
  const deadline = Date.now() + RECOVERY_DEADLINE_MS;
  while (Date.now() < deadline) {
    const lastServe = new Map<string, number>();
    for (const request of system.stub.quoteRequests) {
      if (request.status !== 200 || request.receivedAt < since) continue;
      for (const symbol of request.symbols) if (!lastServe.has(symbol)) lastServe.set(symbol, request.at);
    }
    if (tickers.every((ticker) => lastServe.has(ticker))) return Math.max(...lastServe.values());
    await sleep(50);
  }
  return undefined;
}

try {
  const worker = await system.start('worker');
  await system.start('scheduler');
  for (const ticker of tickers) demand.add(ticker);
  await demand.refresh();
  if ((await everyTickerServedAt(0)) === undefined) throw new Error('the tickers were never all served before the storm');

  const rows: string[] = [];
  for (const retryAfterSeconds of [3, undefined]) {
    const label = retryAfterSeconds === undefined ? 'without Retry-After' : `Retry-After ${retryAfterSeconds} s`;
    const stormStart = Date.now();
    system.stub.rateLimitShare(share, { retryAfterSeconds });
    await sleep(stormMs);
    system.stub.clearFaults();
    const stormEnd = Date.now();
    // The pauses the worker set, each over the window Redis held it.
    const pauses = loggedPauses(worker.output(), stormStart).filter((pause) => pause.from <= stormEnd + IN_FLIGHT_GRACE_MS);
    const lastPauseEnd = Math.max(stormEnd, ...pauses.map((pause) => pause.until));
    const servedAt = await everyTickerServedAt(lastPauseEnd);
    const during: StubQuoteRequest[] = system.stub.quoteRequests.filter((request) => request.receivedAt >= stormStart && request.receivedAt <= stormEnd);
    const inside = requestsInsidePauses(during, pauses);
    const meanSymbols = during.reduce((sum, request) => sum + request.symbols.length, 0) / Math.max(1, during.length);
    const recovery = (from: number) => (servedAt === undefined ? `> ${RECOVERY_DEADLINE_MS} ms` : `${servedAt - from} ms = ${((servedAt - from) / intervalMs).toFixed(2)} intervals`);
    rows.push(
      `| ${label} | ${during.length} | ${during.filter((request) => request.status === 429).length} | ${pauses.length} (longest ${Math.max(0, ...pauses.map((pause) => pause.pauseMs))} ms) | ${inside.length} | ${meanSymbols.toFixed(1)} | ${lastPauseEnd - stormEnd} ms | ${recovery(lastPauseEnd)} | ${recovery(stormEnd)} |`,
    );
    console.log(rows.at(-1));
    // Calm between the two storms, so the second starts from a steady pipeline.
    await sleep(5 * intervalMs);
  }
  console.log(
    [
      '',
      `${tickerCount} tickers live, ${intervalMs} ms ticks, ${Math.round(share * 100)} % of requests answered 429 for ${stormMs} ms, budget ${rps ? `${rps}/s` : 'the default'}`,
      '| storm | requests | 429s | pauses | requests inside a pause | symbols / request | last pause ends after the storm | every ticker refreshed, from the last pause\'s end | … from the storm\'s end |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
} finally {
  await demand.close();
  redis.disconnect();
  await system.stop();
}
