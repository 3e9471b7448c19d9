// What every market-data provider offers the rest of Tickwire. A provider declares what it can do
// and throws only the typed errors of errors.ts; it never swallows one.
import type { Quote } from '../quotes/quote.js';

/** A quote as the provider gives it; the pipeline adds fetchedAt, seq and stale when storing it. */
export type ProviderQuote = Omit<Quote, 'fetchedAt' | 'seq' | 'stale'>;

export interface ProviderCapabilities {
  /** Most symbols one getQuotes call may carry (one upstream request). */
  readonly maxSymbolsPerRequest: number;
  /** Chart intervals the provider serves; every one of CHART_INTERVALS when absent. */
  readonly chartIntervals?: readonly ChartInterval[];
  /** For intervals only kept for recent history: the longest range they can cover, in days. */
  readonly chartMaxRangeDays?: Readonly<Partial<Record<ChartInterval, number>>>;
}

export interface QuoteBatch {
  readonly quotes: readonly ProviderQuote[];
  /** Symbols asked for that the upstream does not know. */
  readonly missing: readonly string[];
}

export interface SearchResult {
  readonly symbol: string;
  readonly name: string | null;
  readonly exchange: string | null;
  readonly type: string | null;
}

export const CHART_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'] as const;
export const CHART_INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'] as const;
export type ChartRange = (typeof CHART_RANGES)[number];
export type ChartInterval = (typeof CHART_INTERVALS)[number];

/** An answer (or part of one) whose fields can be read; providers read every answer defensively. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ChartPoint {
  /** ISO-8601 UTC. */
  readonly time: string;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly volume: number | null;
}

export interface QuoteProvider {
  readonly name: 'yahoo' | 'alphavantage' | 'simulated';
  readonly capabilities: ProviderCapabilities;
  /**
   * Latest quotes of up to `capabilities.maxSymbolsPerRequest` normalised symbols, in one upstream
   * request. Throws RateLimitedError or UpstreamError; unknown symbols come back in `missing`.
   */
  getQuotes(symbols: readonly string[]): Promise<QuoteBatch>;
  /** Symbols matching a free-text query (trimmed, not empty), best first. */
  search(query: string, limit: number): Promise<readonly SearchResult[]>;
  /** Daily (or finer) price history; throws SymbolNotFoundError for an unknown symbol. */
  chart(symbol: string, range: ChartRange, interval: ChartInterval): Promise<readonly ChartPoint[]>;
  /** The day's biggest gainers and losers, `count` (at least 1) of each. */
  movers(count: number): Promise<{ readonly gainers: readonly ProviderQuote[]; readonly losers: readonly ProviderQuote[] }>;
}
