// Reading the latest quote per symbol from Redis. The pipeline writes it (quote-store.ts); REST and
// sockets read it here, with `stale` worked out from the quote's age at the moment of reading.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import type { Quote } from './quote.js';
import type { StaleAfter } from './freshness.js';

/** The quote with `stale` set when it is older than `staleAfterMs` allows (or was stored stale). */
export function withStaleness(quote: Quote, staleAfterMs: StaleAfter, now = Date.now()): Quote {
  const age = now - Date.parse(quote.fetchedAt);
  const bound = typeof staleAfterMs === 'number' ? staleAfterMs : staleAfterMs(quote);
  return { ...quote, stale: quote.stale || !(age <= bound) };
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
