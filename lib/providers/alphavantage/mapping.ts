// Alpha Vantage's numbered-string fields ("05. price": "189.8400") into Tickwire's shapes.
import { isRecord, type ChartPoint, type ProviderQuote, type SearchResult } from '../provider.js';

/** A number from Alpha Vantage's strings ("189.8400", "0.6521%"); null when absent or not a number. */
export function readAvNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/%$/, '');
  if (text === '' || !/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(text)) return null;
  return Number(text);
}

const readAvString = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function emptyQuote(symbol: string): ProviderQuote {
  return {
    symbol,
    shortName: null,
    price: null,
    change: null,
    changePercent: null,
    volume: null,
    marketState: null,
    currency: null,
    exchange: null,
    previousClose: null,
    open: null,
    dayHigh: null,
    dayLow: null,
    timestamp: null,
    source: 'alphavantage',
  };
}

/**
 * GLOBAL_QUOTE's `Global Quote` object; undefined when it is empty (Alpha Vantage's way of saying
 * it does not know the symbol). It gives the trading day but not the time of the price, so
 * `timestamp` stays null rather than inventing one; currency and exchange are not given either.
 */
export function mapGlobalQuote(requested: string, body: unknown): ProviderQuote | undefined {
  const raw = isRecord(body) ? body['Global Quote'] : undefined;
  if (!isRecord(raw)) return undefined;
  const price = readAvNumber(raw['05. price']);
  if (price === null) return undefined;
  return {
    ...emptyQuote(readAvString(raw['01. symbol'])?.toUpperCase() ?? requested),
    price,
    change: readAvNumber(raw['09. change']),
    changePercent: readAvNumber(raw['10. change percent']),
    volume: readAvNumber(raw['06. volume']),
    previousClose: readAvNumber(raw['08. previous close']),
    open: readAvNumber(raw['02. open']),
    dayHigh: readAvNumber(raw['03. high']),
    dayLow: readAvNumber(raw['04. low']),
  };
}

/** SYMBOL_SEARCH's `bestMatches`, or undefined when the answer has none (malformed). */
export function mapSymbolSearch(body: unknown, limit: number): SearchResult[] | undefined {
  const matches = isRecord(body) ? body.bestMatches : undefined;
  if (!Array.isArray(matches)) return undefined;
  return matches
    .filter(isRecord)
    .flatMap((match): SearchResult[] => {
      const symbol = readAvString(match['1. symbol']);
      // `4. region` is a country, not an exchange: exchange stays null.
      return symbol ? [{ symbol, name: readAvString(match['2. name']), exchange: null, type: readAvString(match['3. type']) }] : [];
    })
    .slice(0, limit);
}

/** A TIME_SERIES_* answer's series (under `seriesKey`), oldest first, from `since` on; undefined when absent. */
export function mapTimeSeries(body: unknown, seriesKey: string, since: Date): ChartPoint[] | undefined {
  const series = isRecord(body) ? body[seriesKey] : undefined;
  if (!isRecord(series)) return undefined;
  const points: ChartPoint[] = [];
  for (const [day, bar] of Object.entries(series)) {
    const at = Date.parse(`${day}T00:00:00Z`);
    if (Number.isNaN(at) || at < since.getTime() || !isRecord(bar)) continue;
    points.push({
      time: new Date(at).toISOString(),
      open: readAvNumber(bar['1. open']),
      high: readAvNumber(bar['2. high']),
      low: readAvNumber(bar['3. low']),
      close: readAvNumber(bar['4. close']),
      volume: readAvNumber(bar['5. volume']),
    });
  }
  return points.sort((a, b) => a.time.localeCompare(b.time));
}

function mapMover(raw: unknown): ProviderQuote[] {
  if (!isRecord(raw)) return [];
  const symbol = readAvString(raw.ticker);
  if (!symbol) return [];
  return [
    {
      ...emptyQuote(symbol),
      price: readAvNumber(raw.price),
      change: readAvNumber(raw.change_amount),
      changePercent: readAvNumber(raw.change_percentage),
      volume: readAvNumber(raw.volume),
    },
  ];
}

/** TOP_GAINERS_LOSERS, or undefined when the answer lacks its lists. */
export function mapTopMovers(body: unknown, count: number): { gainers: ProviderQuote[]; losers: ProviderQuote[] } | undefined {
  if (!isRecord(body) || !Array.isArray(body.top_gainers) || !Array.isArray(body.top_losers)) return undefined;
  return { gainers: body.top_gainers.flatMap(mapMover).slice(0, count), losers: body.top_losers.flatMap(mapMover).slice(0, count) };
}
