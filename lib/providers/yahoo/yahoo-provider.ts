// The default provider: Yahoo Finance through yahoo-finance2 3.x, with our own session handling
// (cookie + crumb shared through Redis) and typed errors.
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.js';
import { chartRangeStart } from '../chart-range.js';
import { RateLimitedError, SymbolNotFoundError, UpstreamError } from '../errors.js';
import { upstreamFetch } from '../http.js';
import type { QuoteProvider } from '../provider.js';
import { createYahooFinanceClient } from './client.js';
import { runCrumbFlow } from './crumb-flow.js';
import { mapChartPoints, mapQuoteBatch, mapScreenerQuotes, mapSearchResults } from './mapping.js';
import { SessionRejectedError, yahooModuleFetch } from './module-fetch.js';
import { createSessionManager } from './session-manager.js';
import { redisSessionStore } from './session.js';

export interface YahooProviderOptions {
  readonly timeoutMs: number;
  /** Origin replacing Yahoo's hosts (a local stub, an egress proxy). */
  readonly upstreamUrl: string | undefined;
  readonly redis: Redis;
  /** Redis key of the shared session: keys.providerSession('yahoo'). */
  readonly sessionKey: string;
  readonly logger: Logger;
}

/** Yahoo answers up to this many symbols in one v7 quote request without trouble. */
export const YAHOO_MAX_SYMBOLS_PER_REQUEST = 50;
/** The screener refuses larger pages. */
const SCREENER_MAX_COUNT = 250;
/**
 * The quote fields we map. Asking for them only (Yahoo adds its core fields anyway) shrinks the
 * answer and, above all, the per-quote work of yahoo-finance2's schema coercion, which dominates
 * the CPU cost of a quote.
 */
const QUOTE_FIELDS = [
  'symbol',
  'shortName',
  'longName',
  'regularMarketPrice',
  'regularMarketChange',
  'regularMarketChangePercent',
  'regularMarketVolume',
  'marketState',
  'currency',
  'exchange',
  'regularMarketPreviousClose',
  'regularMarketOpen',
  'regularMarketDayHigh',
  'regularMarketDayLow',
  'regularMarketTime',
] as const;
/**
 * Yahoo keeps intraday bars for recent history only and refuses (422) a chart reaching further
 * back: 1-minute bars for 7 days, other sub-hourly bars for 60 days, hourly bars for 730 days.
 */
export const YAHOO_CHART_MAX_RANGE_DAYS = { '1m': 7, '2m': 60, '5m': 60, '15m': 60, '30m': 60, '90m': 60, '60m': 730, '1h': 730 } as const;

const MAX_MESSAGE_LENGTH = 300;

/**
 * Whatever a Yahoo call throws, as a provider error. Ours pass through; yahoo-finance2's own (plain
 * Error, HTTPError, FailedYahooValidationError, "Unexpected result") are answers we cannot use.
 */
function toProviderError(error: unknown, operation: string): Error {
  if (error instanceof RateLimitedError || error instanceof SymbolNotFoundError || error instanceof UpstreamError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // The library puts whole answers in some messages ("Unexpected result: {...}").
  const short = message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
  return new UpstreamError('yahoo', `yahoo ${operation} failed: ${short}`, undefined, { cause: error });
}

export function createYahooProvider(options: YahooProviderOptions): QuoteProvider {
  const logger = options.logger.child({ provider: 'yahoo' });
  const http = upstreamFetch({ provider: 'yahoo', timeoutMs: options.timeoutMs, upstreamUrl: options.upstreamUrl });
  const client = createYahooFinanceClient(logger);
  const sessions = createSessionManager(redisSessionStore(options.redis, options.sessionKey, logger), () => runCrumbFlow(http), logger);
  const sessionless = yahooModuleFetch(http, undefined);

  /** Runs `work` with the current session; when Yahoo rejects it, replaces it and tries once more. */
  async function withSession<T>(work: (fetchWithSession: typeof fetch) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = await sessions.current();
      try {
        return await work(yahooModuleFetch(http, session));
      } catch (error) {
        if (!(error instanceof SessionRejectedError)) throw error;
        // Even after the last try: the next call starts from scratch, not with a refused session.
        await sessions.invalidate(session);
        if (attempt === 2) throw error;
        logger.info({ status: error.status }, 'yahoo rejected the session; running the crumb flow again');
      }
    }
  }

  return {
    name: 'yahoo',
    capabilities: { maxSymbolsPerRequest: YAHOO_MAX_SYMBOLS_PER_REQUEST, search: true, chart: true, movers: true, chartMaxRangeDays: YAHOO_CHART_MAX_RANGE_DAYS },

    async getQuotes(symbols) {
      if (symbols.length === 0) return { quotes: [], missing: [] };
      try {
        const results: unknown = await withSession((fetch) =>
          client.quote([...symbols], { fields: [...QUOTE_FIELDS], return: 'array' }, { fetch, validateResult: false }),
        );
        return mapQuoteBatch(symbols, results);
      } catch (error) {
        throw toProviderError(error, 'quote');
      }
    },

    async search(query, limit) {
      try {
        const result: unknown = await client.search(query, { quotesCount: limit, newsCount: 0 }, { fetch: sessionless, validateResult: false });
        return mapSearchResults(result, limit);
      } catch (error) {
        throw toProviderError(error, 'search');
      }
    },

    async chart(symbol, range, interval) {
      try {
        const result: unknown = await client.chart(symbol, { period1: chartRangeStart(range), interval, return: 'array' }, { fetch: sessionless, validateResult: false });
        return mapChartPoints(result);
      } catch (error) {
        // Yahoo answers 404 ("No data found, symbol may be delisted") for a symbol it does not know.
        if (error instanceof UpstreamError && error.status === 404) throw new SymbolNotFoundError('yahoo', symbol);
        throw toProviderError(error, 'chart');
      }
    },

    async movers(count) {
      const pageSize = Math.min(count, SCREENER_MAX_COUNT);
      try {
        const [gainers, losers] = await withSession((fetch) =>
          Promise.all(
            (['day_gainers', 'day_losers'] as const).map(
              (scrIds): Promise<unknown> => client.screener({ scrIds, count: pageSize }, undefined, { fetch, validateResult: false }),
            ),
          ),
        );
        return { gainers: mapScreenerQuotes(gainers, count), losers: mapScreenerQuotes(losers, count) };
      } catch (error) {
        throw toProviderError(error, 'movers');
      }
    },
  };
}
