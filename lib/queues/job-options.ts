// Job options in one place: attempts, backoff with jitter, trimming of finished jobs, and ids that
// mean something (one deduplication id per ticker, so a slow cycle never piles up).
import type { JobsOptions } from 'bullmq';

/** While a ticker's fetch job is waiting, delayed or running, another one for it is not added. */
export const fetchDeduplicationId = (symbol: string) => `quote:${symbol}`;

export function fetchJobOptions(symbol: string): JobsOptions {
  return {
    // Upstream hiccups (5xx, timeouts) are retried a few times; rate limits do not count as attempts.
    attempts: 4,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    // Bull Board keeps some history to look at; Redis does not keep it forever.
    removeOnComplete: { age: 3_600, count: 1_000 },
    removeOnFail: { age: 24 * 3_600, count: 5_000 },
    deduplication: { id: fetchDeduplicationId(symbol) },
  };
}

/** The scheduler's own tick jobs: one per interval, only the last few kept. */
export const TICK_JOB_OPTIONS = { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } as const satisfies JobsOptions;

/**
 * Lock timing of the fetch workers, tied to the refresh interval: a running job renews its lock,
 * which lapses only when a worker dies or freezes; near half an interval, a killed worker's tickers
 * are back in time for the next tick rather than after the default 30 s. Jobs are idempotent.
 */
export function fetchWorkerLocking(fetchIntervalMs: number): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const lockDuration = Math.min(30_000, Math.max(2_000, Math.round(fetchIntervalMs / 2)));
  return { lockDuration, stalledInterval: Math.round(lockDuration / 2), maxStalledCount: 3 };
}
