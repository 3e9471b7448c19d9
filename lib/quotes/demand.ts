// The tickers in demand right now: on any watchlist, or subscribed by a live socket on any web
// process, minus those the provider recently said it does not know. The watchlists come from
// PostgreSQL, or, while it is slow or away, from the last known copy (last-known-demand.ts).
import type { Redis } from 'ioredis';
import type { Orm } from '../db/orm.js';
import type { RedisKeys } from '../redis/keys.js';
import { watchedSymbols } from '../watchlists/watched-symbols.js';
import { readLiveSubscribers } from '../realtime/live-demand.js';
import type { UnknownSymbols } from './unknown-symbols.js';
import type { WatchedDemand } from './last-known-demand.js';

export interface DemandSources {
  readonly orm: Orm;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly unknown: UnknownSymbols;
  /** Where the watchlists' tickers come from; default: PostgreSQL, unbounded. */
  readonly watched?: () => Promise<WatchedDemand>;
}

export interface Demand {
  readonly symbols: string[];
  readonly watched: number;
  /** Live sockets subscribed to each ticker, over every web process (its size: tickers in live demand). */
  readonly subscribers: ReadonlyMap<string, number>;
  /** When the watchlists' share was read from PostgreSQL (null: never). */
  readonly watchedAsOf?: string | null;
  /** True when PostgreSQL did not answer in time and the watchlists' share is the last known one. */
  readonly lastKnown?: boolean;
}

const fromDatabase = (orm: Orm) => async (): Promise<WatchedDemand> => ({ symbols: await watchedSymbols(orm), asOf: new Date().toISOString(), lastKnown: false });

export async function currentDemand({ orm, redis, keys, unknown, watched: readWatched = fromDatabase(orm) }: DemandSources): Promise<Demand> {
  const [watched, subscribers] = await Promise.all([readWatched(), readLiveSubscribers(redis, keys)]);
  const all = [...new Set([...watched.symbols, ...subscribers.keys()])].sort();
  return { symbols: await unknown.withoutUnknown(all), watched: watched.symbols.length, subscribers, watchedAsOf: watched.asOf, lastKnown: watched.lastKnown };
}
