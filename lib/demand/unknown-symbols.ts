// Symbols the provider said it does not know are remembered for a while, so neither the scheduler
// nor a retry asks for them again on every tick.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';

/** Long enough to stop wasting requests; short enough that a new listing is picked up the same day. */
const UNKNOWN_SYMBOL_TTL_SECONDS = 3600;

export function unknownSymbols(redis: Redis, keys: RedisKeys) {
  return {
    async mark(symbols: readonly string[]): Promise<void> {
      if (symbols.length === 0) return;
      const pipeline = redis.pipeline();
      for (const symbol of symbols) pipeline.set(keys.unknownSymbol(symbol), '1', 'EX', UNKNOWN_SYMBOL_TTL_SECONDS);
      await pipeline.exec();
    },
    /** The symbols not currently marked unknown, in the order given. */
    async withoutUnknown(symbols: readonly string[]): Promise<string[]> {
      if (symbols.length === 0) return [];
      const marks = await redis.mget(symbols.map((symbol) => keys.unknownSymbol(symbol)));
      return symbols.filter((_, index) => !marks[index]);
    },
  };
}

export type UnknownSymbols = ReturnType<typeof unknownSymbols>;
