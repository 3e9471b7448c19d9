// The yahoo-finance2 (3.x) client as Tickwire configures it: its logs go to ours at debug level,
// no survey notices, no version check over the network, no result validation (an extra or
// missing field must not cost us a quote), and no crumb handling of its own (see crumb-flow.ts).
import { format } from 'node:util';
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import type { Logger } from '../../platform/logger.js';

export type YahooFinanceClient = InstanceType<typeof YahooFinance>;

/**
 * yahoo-finance2 queues every request in one process-wide queue (4 at a time by default). Pacing
 * is the job of our own upstream limiter, so the library's queue must not add hidden waits.
 */
const LIBRARY_CONCURRENCY = 256;

export function createYahooFinanceClient(logger: Logger): YahooFinanceClient {
  const log = logger.child({ lib: 'yahoo-finance2' });
  const toDebug = (...args: unknown[]) => log.debug(format(...args));
  const client = new YahooFinance({
    // Its own jar, not the module-wide default one; it stays empty as we strip Set-Cookie.
    cookieJar: new ExtendedCookieJar(),
    logger: { info: toDebug, warn: toDebug, error: toDebug, debug: toDebug, dir: toDebug },
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    validation: { logErrors: false, logOptionsErrors: false },
    versionCheck: false,
    queue: { concurrency: LIBRARY_CONCURRENCY },
  });
  // Modules that need a crumb make the library run its own crumb flow, whose state is global to
  // the process. We pass needsCrumb=false and add our session's crumb in module-fetch.ts instead.
  // `_fetch` is an internal of yahoo-finance2 3.x (pinned in package.json).
  const libraryFetch = client._fetch;
  client._fetch = function (this: YahooFinanceClient, urlBase, params, moduleOpts, func) {
    return libraryFetch.call(this, urlBase, params, moduleOpts, func, false);
  } as typeof libraryFetch;
  return client;
}
