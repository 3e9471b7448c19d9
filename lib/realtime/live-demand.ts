// "Live demand": the tickers subscribed by live sockets, which the scheduler refreshes even when no
// watchlist holds them. Each web process publishes its own share as a hash ticker → sockets
// (refcounted in memory, rewritten by a heartbeat, expiring with the process); the scheduler reads
// the union of all of them, with the subscriber counts added up, to size its waves by the socket
// deliveries they will cause.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { outageLog } from '../platform/outage-log.js';
import type { RedisKeys } from '../redis/keys.js';

export interface LiveDemandPublisher {
  readonly instanceId: string;
  /** One more socket on this process subscribes to `symbol`. */
  add(symbol: string): void;
  /** One socket on this process left `symbol`. */
  remove(symbol: string): void;
  /** The symbols this process publishes, sorted. */
  symbols(): string[];
  /** Rewrites this process's whole share now (the heartbeat does it every `heartbeatMs`). */
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
  let closed = false;

  // The instance index expires too: every live process's heartbeat extends it, so it only
  // disappears (like every other key Tickwire writes) once no web process is left.
  // Redis trouble must never reach a socket handler: warn once per outage, the heartbeat repairs.
  const outage = outageLog(log, { done: 'live demand published', notDone: 'live demand not published', retry: 'the heartbeat will retry' });
  const run = (work: Promise<unknown>): Promise<void> => work.then(outage.succeeded, outage.failed);

  // Presence changes (a ticker's first socket, its last) are written at once; the counts in
  // between only by the heartbeat, since the scheduler's wave sizing is fine with them 2 s old.
  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    const transaction = redis.multi().del(key);
    if (counts.size > 0) transaction.hset(key, counts).pexpire(key, ttlMs).sadd(keys.liveDemandInstances, instanceId).pexpire(keys.liveDemandInstances, ttlMs);
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
      void run(redis.multi().hset(key, symbol, 1).pexpire(key, ttlMs).sadd(keys.liveDemandInstances, instanceId).pexpire(keys.liveDemandInstances, ttlMs).exec());
    },
    remove(symbol) {
      const count = counts.get(symbol);
      if (count === undefined) return;
      if (count > 1) {
        counts.set(symbol, count - 1);
        return;
      }
      counts.delete(symbol);
      if (!closed) void run(redis.hdel(key, symbol));
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

// In one step: every live instance's share added up, and the pruning of instances whose share has
// expired (their process died or has nothing subscribed). KEYS[1] is the instance index, KEYS[i+1]
// the share of ARGV[i]. A share still written as a plain set (a web process of the previous
// release, during a rolling deploy) counts one socket per ticker.
const READ_AND_PRUNE = `
local totals = {}
local order = {}
local function count(symbol, sockets)
  if totals[symbol] == nil then
    totals[symbol] = 0
    table.insert(order, symbol)
  end
  totals[symbol] = totals[symbol] + sockets
end
for i, id in ipairs(ARGV) do
  local key = KEYS[i + 1]
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'hash' then
    local fields = redis.call('HGETALL', key)
    for j = 1, #fields, 2 do count(fields[j], tonumber(fields[j + 1]) or 1) end
  elseif kind == 'set' then
    for _, symbol in ipairs(redis.call('SMEMBERS', key)) do count(symbol, 1) end
  else
    redis.call('SREM', KEYS[1], id)
  end
end
local flat = {}
for _, symbol in ipairs(order) do
  table.insert(flat, symbol)
  table.insert(flat, totals[symbol])
end
return flat
`;

/** Every ticker some live socket on some web process is subscribed to, with its number of sockets. */
export async function readLiveSubscribers(redis: Redis, keys: RedisKeys): Promise<Map<string, number>> {
  const instanceIds = await redis.smembers(keys.liveDemandInstances);
  const subscribers = new Map<string, number>();
  if (instanceIds.length === 0) return subscribers;
  const shareKeys = instanceIds.map((id) => keys.liveDemand(id));
  const flat: unknown = await redis.eval(READ_AND_PRUNE, shareKeys.length + 1, keys.liveDemandInstances, ...shareKeys, ...instanceIds);
  if (!Array.isArray(flat)) return subscribers;
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const [symbol, sockets] = [flat[index], Number(flat[index + 1])];
    if (typeof symbol === 'string' && Number.isFinite(sockets) && sockets > 0) subscribers.set(symbol, sockets);
  }
  return subscribers;
}

/** Every ticker some live socket on some web process is subscribed to, sorted. */
export async function readLiveDemand(redis: Redis, keys: RedisKeys): Promise<string[]> {
  return [...(await readLiveSubscribers(redis, keys)).keys()].sort();
}
