// "Live demand": the tickers subscribed by live sockets, which the scheduler refreshes even when no
// watchlist holds them. Each web process publishes its share as a presence entry, a hash ticker →
// sockets (refcounted in memory, rewritten by the heartbeat); the scheduler adds up all of them to
// size its waves by the socket deliveries they will cause.
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { announcePresence, newInstanceId, readPresent, type PresenceKeys } from '../redis/presence.js';
import type { RedisKeys } from '../redis/keys.js';

export interface LiveDemandOptions {
  readonly instanceId?: string;
  readonly heartbeatMs?: number;
  /** How long a process's share outlives its last heartbeat; must exceed `heartbeatMs`. */
  readonly ttlMs?: number;
  readonly logger: Logger;
}

const presenceKeys = (keys: RedisKeys): PresenceKeys => ({ index: keys.liveDemandInstances, entry: keys.liveDemand });

export function createLiveDemandPublisher(redis: Redis, keys: RedisKeys, options: LiveDemandOptions) {
  const { heartbeatMs = 2000, ttlMs = 6000 } = options;
  const instanceId = options.instanceId ?? newInstanceId();
  const counts = new Map<string, number>();
  // Redis trouble never reaches a socket handler: the presence logs the outage, the heartbeat repairs.
  const share = announcePresence(redis, {
    keys: presenceKeys(keys),
    instanceId,
    intervalMs: heartbeatMs,
    ttlMs,
    entry: (transaction, key) => {
      if (counts.size > 0) transaction.hset(key, counts);
      return counts.size > 0;
    },
    logger: options.logger.child({ liveDemand: instanceId }),
    what: { done: 'live demand published', notDone: 'live demand not published', retry: 'the heartbeat will retry' },
  });

  // Presence changes (a ticker's first socket, its last) are written at once; the counts in
  // between only by the heartbeat, since the scheduler's wave sizing is fine with them 2 s old.
  return {
    add(symbol: string): void {
      const count = counts.get(symbol) ?? 0;
      counts.set(symbol, count + 1);
      // The expiry goes with the first member, so a process that dies before its first heartbeat
      // still leaves nothing behind.
      if (count === 0) void share.update((transaction) => transaction.hset(share.key, symbol, 1));
    },
    remove(symbol: string): void {
      const count = counts.get(symbol) ?? 0;
      if (count > 1) counts.set(symbol, count - 1);
      else if (counts.delete(symbol)) void share.update((transaction) => transaction.hdel(share.key, symbol));
    },
    refresh: share.refresh,
    async close(): Promise<void> {
      counts.clear();
      await share.close();
    },
  };
}

export type LiveDemandPublisher = ReturnType<typeof createLiveDemandPublisher>;

/** Every ticker some live socket on some web process is subscribed to, with its number of sockets. */
export async function readLiveSubscribers(redis: Redis, keys: RedisKeys): Promise<Map<string, number>> {
  const subscribers = new Map<string, number>();
  // Each entry is an HGETALL reply: ticker, sockets, ticker, sockets...
  for (const fields of (await readPresent(redis, presenceKeys(keys), 'HGETALL')) as string[][]) {
    for (let index = 0; index + 1 < fields.length; index += 2) {
      const [symbol, sockets] = [fields[index]!, Number(fields[index + 1])];
      if (Number.isFinite(sockets) && sockets > 0) subscribers.set(symbol, (subscribers.get(symbol) ?? 0) + sockets);
    }
  }
  return subscribers;
}
