// The fetch-quote processor: hands the job's ticker to the batcher (which shares one provider
// request among the jobs in flight) and turns the typed provider errors into queue actions:
// a rate limit pauses the whole queue without burning an attempt, an unknown symbol is given up.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { RateLimitedError, SymbolNotFoundError } from '../../../lib/providers/errors.js';
import type { JobData } from '../../../lib/queues/jobs.js';
import type { QuoteBatcher } from '../../../lib/quotes/quote-batcher.js';
import type { RefreshOutcome } from '../../../lib/quotes/refresh-quotes.js';
import { normalizeTicker } from '../../../lib/tickers/ticker.js';

export interface FetchQuoteDeps {
  readonly batcher: QuoteBatcher<RefreshOutcome>;
  /** Pauses every worker of the queue (BullMQ's queue.rateLimit). */
  readonly rateLimitQueue: (ms: number) => Promise<void>;
}

/** When the provider said "wait" without saying how long, and the gate had no better figure. */
const DEFAULT_PAUSE_MS = 1_000;

export function fetchQuoteProcessor({ batcher, rateLimitQueue }: FetchQuoteDeps) {
  return async (job: Job<JobData<'fetch-quote'>>): Promise<RefreshOutcome> => {
    const ticker = normalizeTicker(String(job.data?.symbol ?? ''));
    if (!ticker.ok || ticker.symbol !== job.data.symbol) throw new UnrecoverableError(`not a normalised ticker: ${String(job.data?.symbol)}`);
    try {
      return await batcher.request(ticker.symbol, job.data.wave);
    } catch (error) {
      if (error instanceof RateLimitedError) {
        await rateLimitQueue(error.retryAfterMs ?? DEFAULT_PAUSE_MS);
        throw Worker.RateLimitError();
      }
      if (error instanceof SymbolNotFoundError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
