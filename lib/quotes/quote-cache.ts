// The latest quote per symbol, in Redis. The pipeline writes it; REST and sockets read it.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import type { Quote } from './quote.js';

export interface QuoteCacheReader {
  /** Cached quotes in the order asked; null where none is cached (or Redis is away). */
  getMany(symbols: readonly string[]): Promise<Array<Quote | null>>;
}

export function quoteCacheReader(redis: Redis, keys: RedisKeys): QuoteCacheReader {
  return {
    async getMany(symbols) {
      if (symbols.length === 0) return [];
      const values = await redis.mget(symbols.map((symbol) => keys.quote(symbol)));
      return values.map((value) => {
        if (!value) return null;
        try {
          return JSON.parse(value) as Quote;
        } catch {
          return null;
        }
      });
    },
  };
}
