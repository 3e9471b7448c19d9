// The default provider: Yahoo Finance through yahoo-finance2 3.x, with our own session handling
// (cookie + crumb shared through Redis) and typed errors.
import { chartRangeStart } from '../chart-range.js';
import { RateLimitedError, SymbolNotFoundError, UpstreamError } from '../errors.js';
import type { UpstreamFetch } from '../http.js';
import type { ProviderDeps } from '../index.js';
import type { QuoteProvider } from '../provider.js';
import { createYahooFinanceClient } from './client.js';
import { runCrumbFlow } from './crumb-flow.js';
import { mapChartPoints, mapQuoteBatch, mapScreenerQuotes, mapSearchResults } from './mapping.js';
import { SessionRejectedError, yahooModuleFetch } from './module-fetch.js';
import { createSessionManager } from './session-manager.js';
import { redisSessionStore } from './session.js';

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
 * Runs one Yahoo call, whatever it throws as a provider error. Ours pass through; yahoo-finance2's
 * own (plain Error, HTTPError, FailedYahooValidationError, "Unexpected result") are answers we cannot use.
 */
async function asProviderErrors<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimitedError || error instanceof SymbolNotFoundError || error instanceof UpstreamError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // The library puts whole answers in some messages ("Unexpected result: {...}").
    const short = message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
    throw new UpstreamError('yahoo', `yahoo ${operation} failed: ${short}`, undefined, { cause: error });
  }
}

export function createYahooProvider(http: UpstreamFetch, deps: ProviderDeps): QuoteProvider {
  const logger = deps.logger.child({ provider: 'yahoo' });
  const client = createYahooFinanceClient(logger);
  const sessions = createSessionManager(redisSessionStore(deps.redis, deps.keys.providerSession('yahoo'), logger), () => runCrumbFlow(http), logger);
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
    capabilities: { maxSymbolsPerRequest: YAHOO_MAX_SYMBOLS_PER_REQUEST, chartMaxRangeDays: YAHOO_CHART_MAX_RANGE_DAYS },

    async getQuotes(symbols) {
      if (symbols.length === 0) return { quotes: [], missing: [] };
      return asProviderErrors('quote', async () => {
        const results: unknown = await withSession((fetch) =>
          client.quote([...symbols], { fields: [...QUOTE_FIELDS], return: 'array' }, { fetch, validateResult: false }),
        );
        return mapQuoteBatch(symbols, results);
      });
    },

    search: (query, limit) =>
      asProviderErrors('search', async () => {
        const result: unknown = await client.search(query, { quotesCount: limit, newsCount: 0 }, { fetch: sessionless, validateResult: false });
        return mapSearchResults(result, limit);
      }),

    chart: (symbol, range, interval) =>
      asProviderErrors('chart', async () => {
        const result: unknown = await client
          .chart(symbol, { period1: chartRangeStart(range), interval, return: 'array' }, { fetch: sessionless, validateResult: false })
          .catch((error: unknown) => {
            // Yahoo answers 404 ("No data found, symbol may be delisted") for a symbol it does not know.
            throw error instanceof UpstreamError && error.status === 404 ? new SymbolNotFoundError('yahoo', symbol) : error;
          });
        return mapChartPoints(result);
      }),

    movers: (count) =>
      asProviderErrors('movers', async () => {
        const [gainers, losers] = await withSession((fetch) =>
          Promise.all(
            (['day_gainers', 'day_losers'] as const).map(
              (scrIds): Promise<unknown> => client.screener({ scrIds, count: Math.min(count, SCREENER_MAX_COUNT) }, undefined, { fetch, validateResult: false }),
            ),
          ),
        );
        return { gainers: mapScreenerQuotes(gainers, count), losers: mapScreenerQuotes(losers, count) };
      }),
  };
}
