// Alpha Vantage (https://www.alphavantage.co/query): one symbol per quote request (GLOBAL_QUOTE),
// daily/weekly/monthly charts only, throttling reported inside HTTP 200 answers.
import { chartRangeStart } from '../chart-range.js';
import { SymbolNotFoundError, UpstreamError } from '../errors.js';
import { unexpectedStatus, type UpstreamFetch } from '../http.js';
import type { ChartInterval, QuoteProvider, ProviderQuote } from '../provider.js';
import { errorMessageOf, isKeyProblem, noticeError, PROVIDER } from './answer.js';
import { mapGlobalQuote, mapSymbolSearch, mapTimeSeries, mapTopMovers } from './mapping.js';

export const ALPHA_VANTAGE_URL = 'https://www.alphavantage.co/query';

/** The chart intervals Alpha Vantage's free series offer, and the series behind each. */
const SERIES: Partial<Record<ChartInterval, { fn: string; key: string }>> = {
  '1d': { fn: 'TIME_SERIES_DAILY', key: 'Time Series (Daily)' },
  '1wk': { fn: 'TIME_SERIES_WEEKLY', key: 'Weekly Time Series' },
  '1mo': { fn: 'TIME_SERIES_MONTHLY', key: 'Monthly Time Series' },
};
export const ALPHA_VANTAGE_CHART_INTERVALS = Object.keys(SERIES) as ChartInterval[];

export function createAlphaVantageProvider(apiKey: string, http: UpstreamFetch): QuoteProvider {
  /** One query API call: its parsed body and Error Message, once throttling notes and key problems became errors. */
  async function query(fn: string, params: Record<string, string>): Promise<{ body: unknown; error: string | undefined }> {
    const url = new URL(ALPHA_VANTAGE_URL);
    url.search = new URLSearchParams({ function: fn, ...params, apikey: apiKey }).toString();
    const response = await http(url);
    if (response.status !== 200) throw await unexpectedStatus(PROVIDER, url, response);
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      // The timeout also covers the body: a stalled answer ends here, as one that is not JSON does.
      const what = error instanceof SyntaxError ? 'is not JSON' : `could not be read: ${(error as Error).message}`;
      throw new UpstreamError(PROVIDER, `alphavantage ${fn} answer ${what}`, 200, { cause: error });
    }
    const notice = noticeError(body, apiKey);
    if (notice) throw notice;
    const error = errorMessageOf(body, apiKey);
    // A bad key would otherwise make every symbol look unknown and the data silently stop.
    if (error !== undefined && isKeyProblem(error)) throw failedCall(fn, error);
    return { body, error };
  }

  function failedCall(fn: string, message: string): UpstreamError {
    return new UpstreamError(PROVIDER, `alphavantage ${fn} failed: ${message}`, 200);
  }

  async function globalQuote(symbol: string): Promise<ProviderQuote | undefined> {
    const { body, error } = await query('GLOBAL_QUOTE', { symbol });
    if (error !== undefined) return undefined;
    if (!(typeof body === 'object' && body !== null && 'Global Quote' in body)) throw failedCall('GLOBAL_QUOTE', 'answer has no "Global Quote"');
    return mapGlobalQuote(symbol, body);
  }

  return {
    name: 'alphavantage',
    capabilities: { maxSymbolsPerRequest: 1, chartIntervals: ALPHA_VANTAGE_CHART_INTERVALS },

    async getQuotes(symbols) {
      const quotes: ProviderQuote[] = [];
      const missing: string[] = [];
      // One request per symbol (the API has no batch quote); callers send one at a time.
      for (const symbol of new Set(symbols)) {
        const quote = await globalQuote(symbol);
        if (quote) quotes.push(quote);
        else missing.push(symbol);
      }
      return { quotes, missing };
    },

    async search(text, limit) {
      const { body, error } = await query('SYMBOL_SEARCH', { keywords: text });
      if (error !== undefined) throw failedCall('SYMBOL_SEARCH', error);
      const results = mapSymbolSearch(body, limit);
      if (!results) throw failedCall('SYMBOL_SEARCH', 'answer has no "bestMatches"');
      return results;
    },

    async chart(symbol, range, interval) {
      const series = SERIES[interval];
      if (!series) {
        throw new UpstreamError(PROVIDER, `alphavantage charts only offer the intervals ${ALPHA_VANTAGE_CHART_INTERVALS.join(', ')}, not ${interval}`);
      }
      // compact = the last 100 bars: all a free key gets for daily series.
      const { body, error } = await query(series.fn, { symbol, outputsize: 'compact' });
      if (error !== undefined) throw new SymbolNotFoundError(PROVIDER, symbol);
      const points = mapTimeSeries(body, series.key, chartRangeStart(range));
      if (!points) throw failedCall(series.fn, `answer has no "${series.key}"`);
      return points;
    },

    async movers(count) {
      const { body, error } = await query('TOP_GAINERS_LOSERS', {});
      const movers = mapTopMovers(body, count);
      if (!movers) throw failedCall('TOP_GAINERS_LOSERS', error ?? 'answer has no top_gainers/top_losers');
      return movers;
    },
  };
}
