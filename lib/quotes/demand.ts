// The tickers in demand right now: on any watchlist, or subscribed by a live socket on any web
// process, minus those the provider recently said it does not know.
import type { Redis } from 'ioredis';
import type { Orm } from '../db/orm.js';
import type { RedisKeys } from '../redis/keys.js';
import { watchedSymbols } from '../watchlists/watched-symbols.js';
import { readLiveSubscribers } from '../realtime/live-demand.js';
import type { UnknownSymbols } from './unknown-symbols.js';

export interface DemandSources {
  readonly orm: Orm;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly unknown: UnknownSymbols;
}

export interface Demand {
  readonly symbols: string[];
  readonly watched: number;
  /** Live sockets subscribed to each ticker, over every web process (its size: tickers in live demand). */
  readonly subscribers: ReadonlyMap<string, number>;
}

export async function currentDemand({ orm, redis, keys, unknown }: DemandSources): Promise<Demand> {
  const [watched, subscribers] = await Promise.all([watchedSymbols(orm), readLiveSubscribers(redis, keys)]);
  const all = [...new Set([...watched, ...subscribers.keys()])].sort();
  return { symbols: await unknown.withoutUnknown(all), watched: watched.length, subscribers };
}
