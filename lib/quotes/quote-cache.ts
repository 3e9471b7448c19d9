// The latest quote per symbol in Redis: how long it is kept, and how old it may be before it is
// reported `stale`. The pipeline writes it (quote-store.ts); REST and sockets read it here, with
// `stale` worked out from the quote's age at the moment of reading.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import { intervalForMarketState, type MarketStateIntervals } from '../upstream/refresh-plan.js';
import type { Quote } from './quote.js';

/** A stored quote outlives its freshness so REST can still answer (marked stale) while the provider fails. */
export const QUOTE_RETENTION_SECONDS = 24 * 3600;

/** How old a quote may be before it is stale, given its market state. */
export type StaleAfter = (quote: { readonly marketState: string | null }) => number;

/**
 * Stale past the configured quote lifetime (QUOTE_CACHE_TTL_SECONDS) or three missed refreshes at
 * the quote's market state's interval (closed and pre/post markets are refreshed less often).
 */
export function staleAfterPolicy(fetchIntervalMs: number, lifetimeMs: number, marketIntervals: MarketStateIntervals): StaleAfter {
  return (quote) => Math.max(lifetimeMs, 3 * intervalForMarketState(quote.marketState, marketIntervals, fetchIntervalMs));
}

export const fetchedWithin = (quote: Quote, ms: number, now = Date.now()) => now - Date.parse(quote.fetchedAt) <= ms;

/** The quote with `stale` set when it is older than `staleAfterMs` allows (or was stored stale). */
export function withStaleness(quote: Quote, staleAfterMs: StaleAfter, now = Date.now()): Quote {
  return { ...quote, stale: quote.stale || !fetchedWithin(quote, staleAfterMs(quote), now) };
}

export function parseStoredQuote(value: string | null, staleAfterMs: StaleAfter, now = Date.now()): Quote | null {
  if (!value) return null;
  try {
    return withStaleness(JSON.parse(value) as Quote, staleAfterMs, now);
  } catch {
    return null;
  }
}

export function quoteCacheReader(redis: Redis, keys: RedisKeys, options: { staleAfterMs: StaleAfter }) {
  return {
    /** Cached quotes in the order asked; null where none is cached (or Redis is away). */
    async getMany(symbols: readonly string[]): Promise<Array<Quote | null>> {
      if (symbols.length === 0) return [];
      const values = await redis.mget(symbols.map((symbol) => keys.quote(symbol)));
      const now = Date.now();
      return values.map((value) => parseStoredQuote(value, options.staleAfterMs, now));
    },
  };
}

export type QuoteCacheReader = ReturnType<typeof quoteCacheReader>;
