// The fetch-quote handler: hands the ticker to the batcher (a wave is one provider request) and
// turns typed provider errors into queue actions: a rate limit or used-up quota delays the job
// until the gate's pause ends, without burning an attempt; an unknown symbol is given up.
import { DelayedError, UnrecoverableError } from 'bullmq';
import { RateLimitedError, SymbolNotFoundError } from '../../../lib/providers/errors.js';
import type { JobHandler } from '../../../lib/queues/queues.js';
import type { QuoteBatcher } from '../../../lib/quotes/quote-batcher.js';
import type { RefreshOutcome } from '../../../lib/quotes/quote-pipeline.js';
import { normalizeTicker } from '../../../lib/tickers/ticker.js';

/** When the provider said "wait" without saying how long, and the gate had no better figure. */
const DEFAULT_PAUSE_MS = 1_000;

export function fetchQuoteHandler(batcher: QuoteBatcher<RefreshOutcome>): JobHandler<'fetch-quote'> {
  // The jobs of one request share its error: one resume time for all of them, so they come back
  // from the delayed set together and in order, and are one wave again.
  const resumeAt = new WeakMap<RateLimitedError, number>();
  const resumeTimeOf = (error: RateLimitedError) => {
    let at = resumeAt.get(error);
    if (at === undefined) resumeAt.set(error, (at = Date.now() + (error.retryAfterMs ?? DEFAULT_PAUSE_MS)));
    return at;
  };
  return {
    name: 'fetch-quote',
    async handle(job, token) {
      const ticker = normalizeTicker(String(job.data?.symbol ?? ''));
      if (!ticker.ok || ticker.symbol !== job.data.symbol) throw new UnrecoverableError(`not a normalised ticker: ${String(job.data?.symbol)}`);
      // A retry after a failure runs alone, later than its wave: it must not wait for the wave's
      // other jobs, long done. A job handed back by a pause keeps its wave (its attempts are unchanged).
      const wave = job.attemptsMade === 0 ? job.data.wave : undefined;
      try {
        return await batcher.request(ticker.symbol, wave);
      } catch (error) {
        if (error instanceof RateLimitedError) {
          await job.moveToDelayed(resumeTimeOf(error), token);
          throw new DelayedError();
        }
        if (error instanceof SymbolNotFoundError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
  };
}
