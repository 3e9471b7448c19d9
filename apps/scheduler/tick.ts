// The tick processor: turns the current demand into one fetch job per ticker, released in waves
// across the interval. Deduplication per ticker means a ticker whose previous job is still
// waiting (or running) is not queued again, so a slow cycle never piles up.
import type { Job } from 'bullmq';
import type { Logger } from '../../lib/platform/logger.js';
import type { TypedQueue } from '../../lib/queues/queues.js';
import type { QUEUE_NAMES } from '../../lib/queues/names.js';
import { fetchJobOptions } from '../../lib/queues/job-options.js';
import { planWaves } from '../../lib/quotes/wave-plan.js';
import type { Demand } from '../../lib/quotes/demand.js';

export interface TickDeps {
  readonly demand: () => Promise<Demand>;
  readonly quotesQueue: TypedQueue<typeof QUEUE_NAMES.quotes>;
  readonly batchSize: number;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface TickResult {
  readonly tickers: number;
  readonly waves: number;
  readonly watched: number;
  readonly live: number;
}

export function createTickProcessor({ demand, quotesQueue, batchSize, intervalMs, logger }: TickDeps) {
  return async (job: Job): Promise<TickResult> => {
    const current = await demand();
    const waves = planWaves(current.symbols, batchSize, intervalMs);
    const jobs = waves.flatMap((wave, index) => {
      const hint = { id: `${job.id}:${index}`, size: wave.symbols.length };
      return wave.symbols.map((symbol) => ({ name: 'fetch-quote' as const, data: { symbol, wave: hint }, opts: fetchJobOptions(symbol, wave.delayMs) }));
    });
    if (jobs.length > 0) await quotesQueue.addBulk(jobs);
    const result = { tickers: current.symbols.length, waves: waves.length, watched: current.watched, live: current.live };
    logger.debug(result, 'tick: fetch jobs queued');
    return result;
  };
}
