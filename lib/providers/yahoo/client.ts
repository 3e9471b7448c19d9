// The yahoo-finance2 (3.x) client, configured through its public options only. No result validation:
// an extra or missing field must not cost us a quote. Its requests all go through the per-call fetch
// of module-fetch.ts, which owns the cookie and crumb (what its jar holds is not sent).
import { format } from 'node:util';
import YahooFinance from 'yahoo-finance2';
import type { Logger } from '../../platform/logger.js';

/** The library's own User-Agent, which it does not export: its requests and our crumb flow send it. */
export const YAHOO_USER_AGENT = 'Mozilla/5.0 (compatible; yahoo-finance2/3.15.4)';

/**
 * yahoo-finance2 queues every request in one process-wide queue (4 at a time by default). Pacing
 * is the job of our own upstream limiter, so the library's queue must not add hidden waits.
 */
const LIBRARY_CONCURRENCY = 256;

export function createYahooFinanceClient(logger: Logger) {
  const log = logger.child({ lib: 'yahoo-finance2' });
  const toDebug = (...args: unknown[]) => log.debug(format(...args));
  return new YahooFinance({
    logger: { info: toDebug, warn: toDebug, error: toDebug, debug: toDebug, dir: toDebug },
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    validation: { logErrors: false, logOptionsErrors: false },
    versionCheck: false,
    queue: { concurrency: LIBRARY_CONCURRENCY },
    fetchOptions: { headers: { 'User-Agent': YAHOO_USER_AGENT } },
  });
}
