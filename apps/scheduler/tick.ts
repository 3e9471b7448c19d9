// The tick processor: plans the tick within the upstream budget (refresh-plan.ts) and releases
// one fetch job per ticker in waves across the interval, each wave one upstream request. A ticker
// whose previous job is still queued (deduplication per ticker) is left out, and the requests that
// job still owes count against the budget, so a slow cycle never piles up.
//
// The waves are released by this process's timers, not as BullMQ delayed jobs: those become ready
// on Redis's clock tick (100 ms at the default `hz 10`), so neighbouring waves would merge.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type { Logger } from '../../lib/platform/logger.js';
import type { TypedQueue } from '../../lib/queues/queues.js';
import type { QUEUE_NAMES } from '../../lib/queues/names.js';
import { fetchDeduplicationId, fetchJobOptions } from '../../lib/queues/job-options.js';
import { planWaves, type WavePlanOptions } from '../../lib/upstream/wave-plan.js';
import type { Demand } from '../../lib/demand/demand.js';
import type { LastRefresh } from '../../lib/demand/refresh-log.js';
import { planRefresh, requestsAllowed } from '../../lib/upstream/refresh-plan.js';
import type { BudgetSettings, MarketStateIntervals } from '../../lib/upstream/refresh-plan.js';
import type { UpstreamBudgetState } from '../../lib/upstream/upstream-gate.js';

export interface TickDeps {
  readonly demand: () => Promise<Demand>;
  readonly quotesQueue: TypedQueue<typeof QUEUE_NAMES.quotes>;
  readonly waves: Omit<WavePlanOptions, 'subscribers'>;
  readonly lastRefresh: (symbols: readonly string[]) => Promise<ReadonlyMap<string, LastRefresh>>;
  /** The budget's settings (the interval is the waves' own) and the gate's state. */
  readonly budget: Omit<BudgetSettings, 'intervalMs'> & {
    readonly marketIntervals: MarketStateIntervals;
    state(): Promise<UpstreamBudgetState>;
  };
  /** Told of each plan as soon as it is made (metrics, health), with the demand's refresh ages. */
  readonly onPlan: (plan: TickPlanSummary, refreshAgesMs: readonly number[]) => void | Promise<void>;
  readonly logger: Logger;
}

/** With the plan's counts: tickers due, deferred by the budget (the rotation), resting (closed markets). */
export interface TickResult extends Omit<ReturnType<typeof planRefresh>, 'symbols'> {
  readonly tickers: number;
  readonly waves: number;
  /** Waves actually queued: fewer than `waves` only when the process stopped mid-tick. */
  readonly released: number;
  /** Socket deliveries the biggest wave should cause. */
  readonly largestWaveDeliveries: number;
  readonly watched: number;
  readonly live: number;
  /** Requests the budget allowed (after the reserve, the quota and what earlier jobs still owe). */
  readonly allowed: number;
  /** Tickers whose previous job is still queued. */
  readonly pending: number;
}

/** What a tick planned, before it releases its waves. */
export type TickPlanSummary = Omit<TickResult, 'released'>;

/** Waits until `at` (Date.now() ms); false when stopped first. */
const waitUntil = (at: number, signal: AbortSignal): Promise<boolean> =>
  signal.aborted ? Promise.resolve(false) : sleep(Math.max(0, at - Date.now()), undefined, { signal }).then(() => true, () => false);

export function createTickProcessor({ demand, quotesQueue, waves: waveOptions, lastRefresh, budget, onPlan, logger }: TickDeps) {
  const stopping = new AbortController();
  const { batchSize, intervalMs } = waveOptions;

  /** The tickers whose fetch job is still waiting, delayed or running. */
  async function pendingOf(symbols: readonly string[]): Promise<Set<string>> {
    const ids = await Promise.all(symbols.map((symbol) => quotesQueue.getDeduplicationJobId(fetchDeduplicationId(symbol))));
    return new Set(symbols.filter((_, index) => ids[index]));
  }

  return {
    async process(job: Job): Promise<TickResult> {
      const current = await demand();
      const startedAt = Date.now();
      const [pending, refreshes] = await Promise.all([pendingOf(current.symbols), lastRefresh(current.symbols)]);
      const state = await budget.state();
      const owed = Math.ceil(pending.size / batchSize);
      const requests = requestsAllowed({ ...budget, intervalMs }, state, owed, startedAt);
      const { symbols: planned, ...counts } = planRefresh({
        symbols: current.symbols.filter((symbol) => !pending.has(symbol)),
        subscribers: current.subscribers,
        lastRefresh: refreshes,
        requests,
        batchSize,
        intervalMs,
        marketIntervals: budget.marketIntervals,
        now: startedAt,
      });
      // The plan fits the budget, one batch a request; the waves start once a pause ends.
      const spreadOver = { intervalMs: intervalMs - state.pausedMs, subscribers: current.subscribers };
      const waves = planWaves(planned, { ...waveOptions, ...spreadOver });
      const summary: TickPlanSummary = {
        tickers: current.symbols.length,
        waves: waves.length,
        watched: current.watched,
        live: current.subscribers.size,
        largestWaveDeliveries: Math.max(0, ...waves.map((wave) => wave.deliveries)),
        allowed: requests,
        pending: pending.size,
        ...counts,
      };
      // The refresh log holds the demanded tickers ever refreshed, so its ages are the demand's.
      const ages = [...refreshes.values()].map((last) => Math.max(0, startedAt - last.at));
      const reported = Promise.resolve(onPlan(summary, ages));
      await reported.catch((error: unknown) => logger.warn({ err: String(error) }, 'tick plan not reported'));
      // The waves' schedule starts once the plan is made, so the reads it took do not squeeze the first waves together.
      const releaseFrom = Date.now() + state.pausedMs;
      let released = 0;
      for (const [index, wave] of waves.entries()) {
        if (!(await waitUntil(releaseFrom + wave.delayMs, stopping.signal))) break;
        // The worker sends a wave's jobs as one upstream request as soon as all of them are in.
        const hint = { id: `${job.id}:${index}`, size: wave.symbols.length };
        await quotesQueue.addBulk(wave.symbols.map((symbol) => ({ name: 'fetch-quote' as const, data: { symbol, wave: hint }, opts: fetchJobOptions(symbol) })));
        released += 1;
      }
      const result: TickResult = { ...summary, released };
      logger.debug(result, 'tick: fetch jobs queued');
      return result;
    },
    /** Stops releasing the rest of a tick, so shutdown does not wait out the interval; the next tick queues every ticker again. */
    stop: () => stopping.abort(),
  };
}
