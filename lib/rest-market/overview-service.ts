// The market overview for REST: the major indices and the day's biggest gainers and losers, as
// quotes. Built as one answer, cached OVERVIEW_CACHE_TTL_SECONDS, fetched once across processes;
// the quotes in it go through the pipeline's store (seq, `stock_update`, archive) like any other.
import { fetchedWithin, type QuoteCacheReader } from '../quotes/quote-cache.js';
import type { QuotePublish } from '../quotes/quote-pipeline.js';
import type { Quote } from '../quotes/quote.js';
import { isSymbolNotFound } from './market-errors.js';
import type { DocumentServiceDeps } from './serve-document.js';

/** S&P 500, Dow Jones Industrial Average, Nasdaq Composite. */
const MARKET_INDICES = ['^GSPC', '^DJI', '^IXIC'] as const;
/** Gainers and losers listed each. */
const MOVERS_PER_SIDE = 10;

export interface MarketOverview {
  readonly asOf: string;
  readonly indices: readonly Quote[];
  readonly gainers: readonly Quote[];
  readonly losers: readonly Quote[];
}

const present = (quotes: ReadonlyArray<Quote | null>): Quote[] => quotes.filter((quote): quote is Quote => quote !== null);

export function createOverviewService(deps: DocumentServiceDeps<MarketOverview> & {
  /** Fetches one symbol through the refresh use case; rejects with SymbolNotFoundError when unknown. */
  readonly fetchQuote: (symbol: string) => Promise<unknown>;
  readonly publish: QuotePublish;
  readonly reader: QuoteCacheReader;
  /** Index quotes younger than this in Redis are used as they are. */
  readonly quoteLifetimeMs: number;
}) {
  const { provider, call, fetchQuote, publish, reader, quoteLifetimeMs, keys, serve } = deps;
  const isFresh = (quote: Quote | null | undefined) => !!quote && fetchedWithin(quote, quoteLifetimeMs);

  async function load(): Promise<MarketOverview> {
    const cachedIndices = await reader.getMany(MARKET_INDICES);
    const toFetch = MARKET_INDICES.filter((_, index) => !isFresh(cachedIndices[index]));
    const [fetched, movers] = await Promise.all([
      Promise.allSettled(toFetch.map((symbol) => fetchQuote(symbol))),
      call('movers', () => provider.movers(MOVERS_PER_SIDE)),
    ]);
    // An index the provider does not know is left out; any other failure fails the whole overview.
    for (const result of fetched) if (result.status === 'rejected' && !isSymbolNotFound(result.reason)) throw result.reason;
    await publish([...movers.gainers, ...movers.losers], new Date());

    const gainers = movers.gainers.map((quote) => quote.symbol);
    const losers = movers.losers.map((quote) => quote.symbol);
    const stored = await reader.getMany([...MARKET_INDICES, ...gainers, ...losers]);
    const indexCount = MARKET_INDICES.length;
    return {
      asOf: new Date().toISOString(),
      indices: present(stored.slice(0, indexCount)),
      gainers: present(stored.slice(indexCount, indexCount + gainers.length)),
      losers: present(stored.slice(indexCount + gainers.length)),
    };
  }

  return {
    /** The overview; served stale (every quote `stale: true`) while the provider fails. */
    async overview(): Promise<MarketOverview> {
      const { value, stale } = await serve({ key: keys.marketOverview, load });
      if (!stale) return value;
      const markStale = (quotes: readonly Quote[]) => quotes.map((quote) => ({ ...quote, stale: true }));
      return { ...value, indices: markStale(value.indices), gainers: markStale(value.gainers), losers: markStale(value.losers) };
    },
  };
}
