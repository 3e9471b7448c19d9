// When each ticker was last refreshed, and its market state then: one hash field per symbol
// ("fetchedAt ms|marketState") written by the quote store's script, read in one HMGET per tick.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';

export interface LastRefresh {
  /** Date.now() ms of the fetch. */
  readonly at: number;
  /** The provider's market state then (Yahoo: REGULAR, PRE, POST, CLOSED...); null when it gives none. */
  readonly marketState: string | null;
}

/** The last refresh of each symbol that has one. */
export async function readLastRefreshes(redis: Redis, keys: RedisKeys, symbols: readonly string[]): Promise<Map<string, LastRefresh>> {
  const refreshes = new Map<string, LastRefresh>();
  if (symbols.length === 0) return refreshes;
  const values = await redis.hmget(keys.quoteRefreshes, ...symbols);
  symbols.forEach((symbol, index) => {
    const [at, ...state] = values[index]?.split('|') ?? [];
    if (at && Number.isFinite(Number(at))) refreshes.set(symbol, { at: Number(at), marketState: state.join('|') || null });
  });
  return refreshes;
}
