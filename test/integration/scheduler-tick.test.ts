// The scheduler's tick against real Redis and BullMQ: one job per ticker, in equal waves released
// by the scheduler's own timers (not delayed jobs), and a stop that abandons the rest of a tick.
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { createTickProcessor } from '../../apps/scheduler/tick.js';
import { createBullConnection } from '../../lib/redis/connections.js';
import { openQueue, type TypedQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { planWaves } from '../../lib/upstream/wave-plan.js';
import { createCacheClient, firstConnection } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createQuoteStore } from '../../lib/quotes/quote-store.js';
import { readLastRefreshes } from '../../lib/demand/refresh-log.js';
import type { UpstreamBudgetState } from '../../lib/upstream/upstream-gate.js';
import { sharedUrls, uniqueName } from '../support/infra.js';
import { sampleProviderQuote } from '../support/quotes.js';

const logger = pino({ level: 'silent' });
const symbols = Array.from({ length: 120 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const demand = async () => ({ symbols, watched: symbols.length, subscribers: new Map<string, number>() });
const tickJob = (id: string) => ({ id }) as Job;

describe('scheduler tick', () => {
  const connection = createBullConnection(sharedUrls().redisUrl, logger);
  let queue: TypedQueue<typeof QUEUE_NAMES.quotes>;

  beforeEach(() => {
    queue = openQueue(QUEUE_NAMES.quotes, { connection, prefix: uniqueName('tw') });
  });
  afterEach(() => queue.obliterate({ force: true }).then(() => queue.close()));
  afterAll(() => connection.quit());

  /** A tick whose budget is far above what 120 tickers need, with no refresh history: only the waves limit it. */
  const waveTick = (intervalMs: number, current = demand) =>
    createTickProcessor({
      demand: current,
      quotesQueue: queue,
      waves: { batchSize: 50, intervalMs },
      lastRefresh: async () => new Map(),
      onPlan: () => undefined,
      budget: {
        requestsPerSecond: 10_000,
        reserveShare: 0,
        marketIntervals: { closed: 0, pre: 0, post: 0 },
        state: async () => ({ pausedMs: 0 }),
      },
      logger,
    });

  it('queues one job per ticker in equal waves, each released on time by the scheduler, none delayed', async () => {
    const intervalMs = 1000;
    const tick = waveTick(intervalMs);
    const result = await tick.process(tickJob('tick-1'));
    expect(result).toMatchObject({ tickers: 120, waves: 3, released: 3 });

    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => job.data.symbol).sort()).toEqual(symbols);
    expect(await queue.getDelayedCount()).toBe(0);

    const byWave = new Map<string, Job[]>();
    for (const job of jobs) byWave.set(job.data.wave!.id, [...(byWave.get(job.data.wave!.id) ?? []), job]);
    expect([...byWave.keys()].sort()).toEqual(['tick-1:0', 'tick-1:1', 'tick-1:2']);
    for (const waveJobs of byWave.values()) {
      expect(waveJobs).toHaveLength(40);
      expect(waveJobs.every((job) => job.data.wave!.size === 40)).toBe(true);
    }
    // Timers never fire early, so each wave was queued no sooner than planned after the first
    // (the first one's own queueing time is the only slack).
    const planned = planWaves(symbols, { batchSize: 50, intervalMs }).map((wave) => wave.delayMs);
    const queuedAt = [0, 1, 2].map((index) => Math.min(...byWave.get(`tick-1:${index}`)!.map((job) => job.timestamp)));
    for (const index of [1, 2]) expect(queuedAt[index]! - queuedAt[0]!).toBeGreaterThanOrEqual(planned[index]! - 50);
  });

  it('makes one wave per batch however heavy the fan-out, each job knowing its wave and its size', async () => {
    // 60 live sockets on each of 120 tickers: 7 200 deliveries, still 3 waves of 40.
    const subscribers = new Map(symbols.map((symbol) => [symbol, 60]));
    const busy = async () => ({ symbols, watched: 0, subscribers });
    const tick = waveTick(400, busy);
    const result = await tick.process(tickJob('tick-1'));
    expect(result).toMatchObject({ tickers: 120, waves: 3, released: 3, largestWaveDeliveries: 2400 });

    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => job.data.symbol).sort()).toEqual(symbols);
    const sizes = new Map<string, number>();
    for (const job of jobs) sizes.set(job.data.wave!.id, (sizes.get(job.data.wave!.id) ?? 0) + 1);
    expect([...sizes.values()]).toEqual([40, 40, 40]);
    for (const job of jobs) expect(job.data.wave!.size).toBe(sizes.get(job.data.wave!.id));
  });

  it('does not queue a ticker again while its job is still waiting', async () => {
    const tick = waveTick(200);
    await tick.process(tickJob('tick-1'));
    await tick.process(tickJob('tick-2'));
    expect(await queue.getWaitingCount()).toBe(120);
  });

  describe('within the upstream budget', () => {
    const cache = createCacheClient(sharedUrls().redisUrl, logger);
    const live = Array.from({ length: 100 }, (_, i) => `L${String(i).padStart(3, '0')}`);
    const watched = Array.from({ length: 1000 }, (_, i) => `W${String(i).padStart(4, '0')}`);
    const open: UpstreamBudgetState = { pausedMs: 0 };
    const marketIntervals = { closed: 300_000, pre: 60_000, post: 60_000 };
    beforeAll(() => firstConnection(cache, 5000));
    afterAll(() => cache.quit());

    /** A tick at 60 requests a second over 100 ms: 6 requests, 300 tickers in full batches of 50. */
    function budgetedTick(keys: ReturnType<typeof redisKeys>, state: () => Promise<UpstreamBudgetState> = async () => open) {
      const subscribers = new Map(live.map((symbol) => [symbol, 2]));
      return createTickProcessor({
        demand: async () => ({ symbols: [...watched, ...live].sort(), watched: watched.length, subscribers }),
        quotesQueue: queue,
        waves: { batchSize: 50, intervalMs: 100 },
        lastRefresh: (list) => readLastRefreshes(cache, keys, list),
        onPlan: () => undefined,
        budget: { requestsPerSecond: 60, reserveShare: 0, marketIntervals, state },
        logger,
      });
    }

    it('refreshes live tickers every tick and the watchlist-only ones in rotation, in full batches, none starved', async () => {
      const keys = redisKeys(uniqueName('budget'));
      const store = createQuoteStore(cache, keys);
      const tick = budgetedTick(keys);
      const refreshes = new Map<string, number>();
      const base = Date.now();
      for (let round = 0; round < 10; round += 1) {
        const result = await tick.process(tickJob(`tick-${round}`));
        expect(result).toMatchObject({ tickers: 1100, allowed: 6, waves: 6, released: 6, deferred: 800 });
        const jobs = await queue.getJobs(['waiting']);
        const symbols = jobs.map((job) => job.data.symbol);
        expect(symbols).toHaveLength(300);
        expect(jobs.every((job) => job.data.wave!.size === 50)).toBe(true);
        for (const symbol of live) expect(symbols).toContain(symbol);
        // What a worker would do: store the quotes (the refresh log with them), and finish the jobs.
        await store.store(symbols.map((symbol) => sampleProviderQuote(symbol, { marketState: 'REGULAR' })), new Date(base + round * 1000));
        for (const symbol of symbols) refreshes.set(symbol, (refreshes.get(symbol) ?? 0) + 1);
        await queue.obliterate({ force: true });
      }
      // 200 watchlist-only tickers a tick: each of the 1 000 twice in 10 ticks.
      expect(watched.filter((symbol) => refreshes.get(symbol) !== 2)).toEqual([]);
      expect(live.filter((symbol) => refreshes.get(symbol) !== 10)).toEqual([]);
    });

    it('leaves tickers still queued out of the tick and counts the requests they owe against its budget', async () => {
      const keys = redisKeys(uniqueName('budget'));
      const tick = budgetedTick(keys);
      await tick.process(tickJob('tick-1'));
      // Nothing was fetched: all 300 still queued, owing 6 requests, the whole budget.
      expect(await tick.process(tickJob('tick-2'))).toMatchObject({ pending: 300, allowed: 0, waves: 0 });
      expect(await queue.getWaitingCount()).toBe(300);
    });

    it('releases nothing while the gate is paused for longer than the tick', async () => {
      const keys = redisKeys(uniqueName('budget'));
      const tick = budgetedTick(keys, async () => ({ pausedMs: 5_000 }));
      expect(await tick.process(tickJob('tick-1'))).toMatchObject({ allowed: 0, waves: 0, deferred: 1100 });
      expect(await queue.getWaitingCount()).toBe(0);
    });
  });

  it('stops releasing a tick in progress when stopped, and queues what it had released', async () => {
    const tick = waveTick(10_000);
    const running = tick.process(tickJob('tick-1'));
    // The first wave goes at once; the second is due 2.6 s later.
    while ((await queue.getWaitingCount()) < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    tick.stop();
    expect(await running).toMatchObject({ waves: 3, released: 1 });
    expect(await queue.getWaitingCount()).toBe(40);
  });
});
