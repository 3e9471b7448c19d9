// Yahoo answers (as yahoo-finance2 hands them over, unvalidated) into Tickwire's shapes. Every
// field is read defensively: a missing or odd field becomes null, never a guess.
import { UpstreamError } from '../errors.js';
import { isRecord, type ChartPoint, type ProviderQuote, type QuoteBatch, type SearchResult } from '../provider.js';

/** A finite number; Yahoo's `{ raw, fmt }` pairs give their raw value. */
export function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (isRecord(value)) return readNumber(value.raw);
  return null;
}

export function readString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * An ISO time from what Yahoo or the library gives: epoch seconds (raw answer), a Date (after the
 * library's coercion; possibly from another realm, so not checked with instanceof) or a string.
 */
export function readTime(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else if (isRecord(value) && typeof (value as { getTime?: unknown }).getTime === 'function') ms = (value as unknown as Date).getTime();
  else if (isRecord(value)) return readTime(value.raw);
  else return null;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** One Yahoo quote (v7 quote or screener entry); undefined when it has no symbol. */
export function mapYahooQuote(raw: unknown): ProviderQuote | undefined {
  if (!isRecord(raw)) return undefined;
  const symbol = readString(raw.symbol);
  if (!symbol) return undefined;
  return {
    symbol,
    shortName: readString(raw.shortName) ?? readString(raw.longName),
    price: readNumber(raw.regularMarketPrice),
    change: readNumber(raw.regularMarketChange),
    changePercent: readNumber(raw.regularMarketChangePercent),
    volume: readNumber(raw.regularMarketVolume),
    marketState: readString(raw.marketState),
    currency: readString(raw.currency),
    exchange: readString(raw.exchange),
    previousClose: readNumber(raw.regularMarketPreviousClose),
    open: readNumber(raw.regularMarketOpen),
    dayHigh: readNumber(raw.regularMarketDayHigh),
    dayLow: readNumber(raw.regularMarketDayLow),
    timestamp: readTime(raw.regularMarketTime),
    source: 'yahoo',
  };
}

function malformed(what: string): UpstreamError {
  return new UpstreamError('yahoo', `yahoo sent a malformed ${what} answer`);
}

/** The quotes asked for, in the order asked; symbols Yahoo did not answer for are `missing`. */
export function mapQuoteBatch(requested: readonly string[], results: unknown): QuoteBatch {
  if (!Array.isArray(results)) throw malformed('quote');
  const bySymbol = new Map(results.flatMap((raw) => mapYahooQuote(raw) ?? []).map((quote) => [quote.symbol, quote]));
  const asked = [...new Set(requested)];
  return { quotes: asked.flatMap((symbol) => bySymbol.get(symbol) ?? []), missing: asked.filter((symbol) => !bySymbol.has(symbol)) };
}

export function mapSearchResults(result: unknown, limit: number): SearchResult[] {
  if (!isRecord(result) || !Array.isArray(result.quotes)) throw malformed('search');
  return result.quotes
    .filter(isRecord)
    .flatMap((raw) => {
      // Yahoo mixes in entities without a ticker (e.g. private companies): nothing to quote there.
      const symbol = readString(raw.symbol);
      const name = readString(raw.shortname) ?? readString(raw.longname);
      return symbol ? [{ symbol, name, exchange: readString(raw.exchange), type: readString(raw.quoteType) }] : [];
    })
    .slice(0, limit);
}

/** yahoo-finance2's chart() in array mode: `{ meta, quotes: [{ date, open, high, low, close, volume }] }`. */
export function mapChartPoints(result: unknown): ChartPoint[] {
  if (!isRecord(result) || !Array.isArray(result.quotes)) throw malformed('chart');
  return result.quotes.filter(isRecord).flatMap((raw) => {
    const time = readTime(raw.date);
    return time ? [{ time, open: readNumber(raw.open), high: readNumber(raw.high), low: readNumber(raw.low), close: readNumber(raw.close), volume: readNumber(raw.volume) }] : [];
  });
}

/** A predefined screener's quotes (day_gainers, day_losers), best first. */
export function mapScreenerQuotes(result: unknown, count: number): ProviderQuote[] {
  if (!isRecord(result) || !Array.isArray(result.quotes)) throw malformed('screener');
  return result.quotes.flatMap((raw) => mapYahooQuote(raw) ?? []).slice(0, count);
}
