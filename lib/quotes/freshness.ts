// How old a cached quote may be before it is reported `stale`, and how long it is kept at all.
import { intervalForMarketState, type MarketStateIntervals } from './refresh-plan.js';

/** API.md's default quote cache lifetime: a quote older than this (or than three missed refreshes) is stale. */
const QUOTE_LIFETIME_MS = 60_000;

/** A stored quote outlives its freshness so REST can still answer (marked stale) while the provider fails. */
export const QUOTE_RETENTION_SECONDS = 24 * 3600;

/** `lifetimeMs` is the configured quote lifetime (QUOTE_CACHE_TTL_SECONDS). */
export function staleAfterMs(fetchIntervalMs: number, lifetimeMs = QUOTE_LIFETIME_MS): number {
  return Math.max(lifetimeMs, 3 * fetchIntervalMs);
}

/**
 * How old a quote may be before it is stale: a fixed bound, or one per quote. A quote of a market
 * that is closed (or in pre/post-market) is refreshed less often (refresh-plan.ts), so it only goes
 * stale after three of its own, longer, intervals.
 */
export type StaleAfter = number | ((quote: { readonly marketState: string | null }) => number);

export function staleAfterPolicy(fetchIntervalMs: number, lifetimeMs: number, marketIntervals: MarketStateIntervals): StaleAfter {
  const normal = staleAfterMs(fetchIntervalMs, lifetimeMs);
  return (quote) => Math.max(normal, 3 * intervalForMarketState(quote.marketState, marketIntervals, fetchIntervalMs));
}

export function staleAfterFor(quote: { readonly marketState: string | null }, staleAfter: StaleAfter): number {
  return typeof staleAfter === 'number' ? staleAfter : staleAfter(quote);
}
