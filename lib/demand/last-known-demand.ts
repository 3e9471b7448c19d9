// The watchlists' share of demand, kept alive through a database outage: each tick that can read
// PostgreSQL within a short bound stores what it read in Redis; a tick that cannot uses that copy
// (with the time it was read), so quotes keep flowing while PostgreSQL is slow or away.
import type { Redis } from 'ioredis';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../platform/logger.js';
import { withTimeout } from '../platform/health.js';
import { outageLog } from '../platform/outage-log.js';
import type { RedisKeys } from '../redis/keys.js';
import { watchedSymbols } from '../watchlists/watched-symbols.js';

interface StoredWatched {
  readonly symbols: string[];
  readonly asOf: string;
}

/** How long the copy outlives its last refresh: long enough for any outage an operator would ride out. */
const KEEP_SECONDS = 7 * 86_400;

async function readLastKnownWatched(redis: Redis, keys: RedisKeys): Promise<StoredWatched | undefined> {
  const text = await redis.get(keys.lastKnownWatched);
  try {
    const parsed = JSON.parse(text ?? 'null') as Partial<StoredWatched> | null;
    if (!Array.isArray(parsed?.symbols) || typeof parsed.asOf !== 'string') return undefined;
    return { symbols: parsed.symbols.filter((symbol): symbol is string => typeof symbol === 'string'), asOf: parsed.asOf };
  } catch {
    return undefined;
  }
}

export interface WatchedReaderOptions {
  readonly orm: Orm;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** Longest a tick waits for PostgreSQL. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export function createWatchedReader({ orm, redis, keys, timeoutMs, logger }: WatchedReaderOptions) {
  // One query at a time: while PostgreSQL hangs, ticks do not pile up queries behind it (each
  // ends by the query timeout anyway); they use the copy until the one in flight settles.
  let inFlight: Promise<string[]> | undefined;
  const outage = outageLog(logger, { done: 'watchlists read from the database', notDone: 'watchlists not read from the database', retry: 'refreshing the last known demand' });

  return async () => {
    inFlight ??= watchedSymbols(orm).finally(() => (inFlight = undefined));
    try {
      const symbols = await withTimeout(inFlight, timeoutMs, 'watchlists');
      const asOf = new Date().toISOString();
      outage.succeeded();
      // Losing this write only makes the copy older; the tick goes on either way.
      await redis.set(keys.lastKnownWatched, JSON.stringify({ symbols, asOf } satisfies StoredWatched), 'EX', KEEP_SECONDS).catch(() => undefined);
      return symbols;
    } catch (error) {
      outage.failed(error);
      const stored = await readLastKnownWatched(redis, keys).catch(() => undefined);
      return stored?.symbols ?? [];
    }
  };
}

export interface WatchedDemandStatus {
  /** last_known: the scheduler is using the copy of `asOf`. */
  readonly watchlists: 'current' | 'last_known' | 'unknown';
  readonly asOf: string | null;
}

/** For health: the copy is refreshed every tick PostgreSQL answers, so one older than a few intervals is in use. */
export async function watchedDemandStatus(redis: Redis, keys: RedisKeys, fetchIntervalMs: number, now = Date.now()): Promise<WatchedDemandStatus> {
  const stored = await readLastKnownWatched(redis, keys);
  if (!stored) return { watchlists: 'unknown', asOf: null };
  const fresh = now - Date.parse(stored.asOf) <= Math.max(3 * fetchIntervalMs, 5000);
  return { watchlists: fresh ? 'current' : 'last_known', asOf: stored.asOf };
}
