// How old a cached quote may be before it is reported `stale`, and how long it is kept at all.
import { intervalForMarketState, type MarketStateIntervals } from '../upstream/refresh-plan.js';

/** A stored quote outlives its freshness so REST can still answer (marked stale) while the provider fails. */
export const QUOTE_RETENTION_SECONDS = 24 * 3600;

/** How old a quote may be before it is stale: a fixed bound, or one per quote. */
export type StaleAfter = number | ((quote: { readonly marketState: string | null }) => number);

/**
 * Stale past the configured quote lifetime (QUOTE_CACHE_TTL_SECONDS) or three missed refreshes at
 * the quote's market state's interval (closed and pre/post markets are refreshed less often).
 */
export function staleAfterPolicy(fetchIntervalMs: number, lifetimeMs: number, marketIntervals: MarketStateIntervals): StaleAfter {
  return (quote) => Math.max(lifetimeMs, 3 * intervalForMarketState(quote.marketState, marketIntervals, fetchIntervalMs));
}
