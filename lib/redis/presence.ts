// Presence of live processes in Redis, for live demand and metrics snapshots: each instance keeps
// an entry under a key of its own that expires unless a heartbeat renews it, listed in an index set
// that expires with the last instance. Readers prune the index of instances whose entry expired.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChainableCommander, Redis } from 'ioredis';
import { outageLog } from '../platform/outage-log.js';
import type { Logger } from '../platform/logger.js';

/** Unique per process start, and readable: it names the process in Redis and in metrics labels. */
export const newInstanceId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface PresenceKeys {
  readonly index: string;
  entry(instanceId: string): string;
}

export type Presence = ReturnType<typeof announcePresence>;

async function execOrThrow(transaction: ChainableCommander): Promise<void> {
  const failed = (await transaction.exec())?.find(([error]) => error)?.[0];
  if (failed) throw failed;
}

export function announcePresence(redis: Redis, options: {
  readonly keys: PresenceKeys;
  readonly instanceId: string;
  readonly intervalMs: number;
  /** How long an entry outlives its last heartbeat; must exceed `intervalMs`. */
  readonly ttlMs: number;
  /** Adds the whole entry to the heartbeat's transaction; false when there is nothing to publish. */
  readonly entry: (transaction: ChainableCommander, key: string) => Promise<boolean> | boolean;
  readonly logger: Logger;
  /** The outage's log lines (see outageLog): Redis trouble is logged, never thrown. */
  readonly what: Parameters<typeof outageLog>[1];
}) {
  const { keys, instanceId, intervalMs, ttlMs } = options;
  if (ttlMs <= intervalMs) throw new Error(`presence ttlMs (${ttlMs}) must exceed the heartbeat interval (${intervalMs})`);
  const key = keys.entry(instanceId);
  const outage = outageLog(options.logger, options.what);
  const renew = (transaction: ChainableCommander) => transaction.pexpire(key, ttlMs).sadd(keys.index, instanceId).pexpire(keys.index, ttlMs);
  const run = (work: () => Promise<void>): Promise<void> => work().then(outage.succeeded, outage.failed);
  let closed = false;
  // Rewrites run one after another: `last` is the latest in the chain, `waiting` the one not started yet.
  let last = Promise.resolve();
  let waiting: Promise<void> | undefined;

  const rewrite = async (): Promise<void> => {
    const transaction = redis.multi().del(key);
    if (await options.entry(transaction, key)) renew(transaction);
    await execOrThrow(transaction);
  };

  /** Rewrites the entry now (the heartbeat does it every interval). */
  const refresh = (): Promise<void> => {
    // A slow Redis must not pile heartbeats up: at most one more waits for the one in flight,
    // and every call meanwhile shares it (it reads the entry when it starts, so it is fresh).
    waiting ??= last = last.then(() => {
      waiting = undefined;
      return closed ? undefined : run(rewrite);
    });
    return waiting;
  };

  const heartbeat = setInterval(() => void refresh(), intervalMs);
  heartbeat.unref();

  return {
    key,
    refresh,
    /** Writes a part of the entry now, renewing its expiry. */
    update: (build: (transaction: ChainableCommander) => ChainableCommander): Promise<void> =>
      closed ? Promise.resolve() : run(() => execOrThrow(renew(build(redis.multi())))),
    /** Stops the heartbeat and withdraws the entry. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      await last;
      await execOrThrow(redis.multi().del(key).srem(keys.index, instanceId)).catch((error: unknown) => options.logger.debug({ err: String(error) }, 'presence not withdrawn; it expires by itself'));
    },
  };
}

// In one step, so an instance that renews meanwhile is never pruned: every entry that exists, read
// with ARGV[1] (GET or HGETALL), and the removal from the index of those that do not. KEYS[1] is
// the index, KEYS[i] the entry of ARGV[i]. pcall: a damaged entry counts as absent.
const READ_AND_PRUNE = `
local found = {}
for i = 2, #ARGV do
  local entry = redis.pcall(ARGV[1], KEYS[i])
  if entry and type(entry) ~= 'table' or (type(entry) == 'table' and #entry > 0) then
    table.insert(found, entry)
  else
    redis.call('SREM', KEYS[1], ARGV[i])
  end
end
return found
`;

/** Every live instance's entry: a string for GET, a flat field/value list for HGETALL. */
export async function readPresent(redis: Redis, keys: PresenceKeys, read: 'GET' | 'HGETALL'): Promise<unknown[]> {
  const instanceIds = await redis.smembers(keys.index);
  if (instanceIds.length === 0) return [];
  const found: unknown = await redis.eval(READ_AND_PRUNE, instanceIds.length + 1, keys.index, ...instanceIds.map((id) => keys.entry(id)), read, ...instanceIds);
  return Array.isArray(found) ? found : [];
}
