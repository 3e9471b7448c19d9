// "Live demand": the tickers subscribed by live sockets, which the scheduler refreshes even when no
// watchlist holds them. Each web process publishes its own set (refcounted in memory, rewritten by
// a heartbeat, expiring with the process); the scheduler reads the union of all of them.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import type { RedisKeys } from '../redis/keys.js';

export interface LiveDemandPublisher {
  readonly instanceId: string;
  /** One more socket on this process subscribes to `symbol`. */
  add(symbol: string): void;
  /** One socket on this process left `symbol`. */
  remove(symbol: string): void;
  /** The symbols this process publishes, sorted. */
  symbols(): string[];
  /** Rewrites this process's whole set now (the heartbeat does it every `heartbeatMs`). */
  refresh(): Promise<void>;
  /** Stops the heartbeat and withdraws this process's share. */
  close(): Promise<void>;
}

export interface LiveDemandOptions {
  readonly instanceId?: string;
  readonly heartbeatMs?: number;
  /** How long a process's share outlives its last heartbeat; must exceed `heartbeatMs`. */
  readonly ttlMs?: number;
  readonly logger: Logger;
}

export function createLiveDemandPublisher(redis: Redis, keys: RedisKeys, options: LiveDemandOptions): LiveDemandPublisher {
  const { heartbeatMs = 2000, ttlMs = 6000, logger } = options;
  if (ttlMs <= heartbeatMs) throw new Error(`live demand ttlMs (${ttlMs}) must exceed heartbeatMs (${heartbeatMs})`);
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const key = keys.liveDemand(instanceId);
  const counts = new Map<string, number>();
  const log = logger.child({ liveDemand: instanceId });
  let failing = false;
  let closed = false;

  // The instance index expires too: every live process's heartbeat extends it, so it only
  // disappears (like every other key Tickwire writes) once no web process is left.
  // Redis trouble must never reach a socket handler: warn once per outage, the heartbeat repairs.
  const run = (work: Promise<unknown>): Promise<void> =>
    work.then(
      () => {
        if (failing) log.info('live demand published again');
        failing = false;
      },
      (error: unknown) => {
        const details = { err: error instanceof Error ? error.message : String(error) };
        if (failing) log.debug(details, 'live demand not published');
        else log.warn(details, 'live demand not published; the heartbeat will retry');
        failing = true;
      },
    );

  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    const symbols = [...counts.keys()];
    const transaction = redis.multi().del(key);
    if (symbols.length > 0) transaction.sadd(key, ...symbols).pexpire(key, ttlMs).sadd(keys.liveDemandInstances, instanceId).pexpire(keys.liveDemandInstances, ttlMs);
    return run(transaction.exec());
  };

  const heartbeat = setInterval(() => void refresh(), heartbeatMs);
  heartbeat.unref();

  return {
    instanceId,
    add(symbol) {
      const count = counts.get(symbol) ?? 0;
      counts.set(symbol, count + 1);
      if (count > 0 || closed) return;
      // The expiry goes with the first member, so a process that dies before its first heartbeat
      // still leaves nothing behind.
      void run(redis.multi().sadd(key, symbol).pexpire(key, ttlMs).sadd(keys.liveDemandInstances, instanceId).pexpire(keys.liveDemandInstances, ttlMs).exec());
    },
    remove(symbol) {
      const count = counts.get(symbol);
      if (count === undefined) return;
      if (count > 1) {
        counts.set(symbol, count - 1);
        return;
      }
      counts.delete(symbol);
      if (!closed) void run(redis.srem(key, symbol));
    },
    symbols: () => [...counts.keys()].sort(),
    refresh,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      counts.clear();
      await run(redis.multi().del(key).srem(keys.liveDemandInstances, instanceId).exec());
    },
  };
}

// In one step: the union of the given instances' sets, and the pruning of instances whose set has
// expired (their process died or has nothing subscribed). KEYS[1] is the instance index, KEYS[i+1]
// the set of ARGV[i].
const READ_AND_PRUNE = `
local live = {}
for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 1]) == 1 then
    table.insert(live, KEYS[i + 1])
  else
    redis.call('SREM', KEYS[1], id)
  end
end
if #live == 0 then return {} end
return redis.call('SUNION', unpack(live))
`;

/** Every ticker some live socket on some web process is subscribed to, sorted. */
export async function readLiveDemand(redis: Redis, keys: RedisKeys): Promise<string[]> {
  const instanceIds = await redis.smembers(keys.liveDemandInstances);
  if (instanceIds.length === 0) return [];
  const setKeys = instanceIds.map((id) => keys.liveDemand(id));
  const symbols: unknown = await redis.eval(READ_AND_PRUNE, setKeys.length + 1, keys.liveDemandInstances, ...setKeys, ...instanceIds);
  return Array.isArray(symbols) ? symbols.filter((symbol): symbol is string => typeof symbol === 'string').sort() : [];
}
