// The tick processor: turns the current demand into one fetch job per ticker, released in waves
// across the interval. Deduplication per ticker means a ticker whose previous job is still
// waiting (or running) is not queued again, so a slow cycle never piles up.
//
// The waves are released by this process's own timers rather than as BullMQ delayed jobs: a
// delayed job becomes ready when Redis notices a blocking wait has timed out, which happens on
// Redis's clock tick (every 100 ms at the default `hz 10`), so delayed waves land on a 100 ms grid
// and neighbours merge into one burst twice the size. A timer here is accurate to a millisecond
// whatever the Redis configuration.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type { Logger } from '../../lib/platform/logger.js';
import type { TypedQueue } from '../../lib/queues/queues.js';
import type { QUEUE_NAMES } from '../../lib/queues/names.js';
import { fetchJobOptions } from '../../lib/queues/job-options.js';
import { planWaves, type WavePlanOptions } from '../../lib/quotes/wave-plan.js';
import type { Demand } from '../../lib/quotes/demand.js';

export interface TickDeps {
  readonly demand: () => Promise<Demand>;
  readonly quotesQueue: TypedQueue<typeof QUEUE_NAMES.quotes>;
  /** How waves are cut: the provider's batch size, the interval, the delivery cap and the budget. */
  readonly waves: Omit<WavePlanOptions, 'subscribers'>;
  readonly logger: Logger;
}

export interface TickResult {
  readonly tickers: number;
  readonly waves: number;
  /** Waves actually queued: fewer than `waves` only when the process stopped mid-tick. */
  readonly released: number;
  /** Socket deliveries the biggest wave should cause. */
  readonly largestWaveDeliveries: number;
  readonly watched: number;
  readonly live: number;
}

export interface TickProcessor {
  process(job: Job): Promise<TickResult>;
  /**
   * Stops releasing the rest of a tick in progress, so shutdown does not wait out the interval.
   * Nothing is lost: the next tick, on this or another scheduler, queues every ticker again.
   */
  stop(): void;
}

/** Waits until `at` (Date.now() ms); false when stopped first. */
async function waitUntil(at: number, signal: AbortSignal): Promise<boolean> {
  const wait = at - Date.now();
  if (signal.aborted) return false;
  if (wait <= 0) return true;
  try {
    await sleep(wait, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export function createTickProcessor({ demand, quotesQueue, waves: waveOptions, logger }: TickDeps): TickProcessor {
  const stopping = new AbortController();
  return {
    async process(job) {
      const current = await demand();
      const startedAt = Date.now();
      const waves = planWaves(current.symbols, { ...waveOptions, subscribers: current.subscribers });
      let released = 0;
      for (const [index, wave] of waves.entries()) {
        if (!(await waitUntil(startedAt + wave.delayMs, stopping.signal))) break;
        // The worker gathers a wave's jobs into one upstream request, and sends it as soon as all
        // of them are in rather than waiting out its batching window.
        const hint = { id: `${job.id}:${index}`, size: wave.symbols.length };
        await quotesQueue.addBulk(wave.symbols.map((symbol) => ({ name: 'fetch-quote' as const, data: { symbol, wave: hint }, opts: fetchJobOptions(symbol) })));
        released += 1;
      }
      const largest = Math.max(0, ...waves.map((wave) => wave.deliveries));
      const result = { tickers: current.symbols.length, waves: waves.length, released, watched: current.watched, live: current.subscribers.size, largestWaveDeliveries: largest };
      logger.debug(result, 'tick: fetch jobs queued');
      return result;
    },
    stop: () => stopping.abort(),
  };
}
