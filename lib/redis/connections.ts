// Every Redis connection Tickwire opens comes from here, so each one retries forever with a
// capped, jittered delay and says in the log when it drops and when it is back.
import { Redis, type RedisOptions } from 'ioredis';
import { withTimeout } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import { reconnectDelay } from '../platform/reconnect-delay.js';

export type { Redis } from 'ioredis';

function create(url: string, logger: Logger, role: string, options: RedisOptions): Redis {
  const client = new Redis(url, { connectionName: `tickwire:${role}`, retryStrategy: reconnectDelay, ...options });
  const log = logger.child({ redis: role });
  let lost = false;
  client.on('ready', () => {
    if (lost) log.info('redis connection restored');
    else log.debug('redis connection ready');
    lost = false;
  });
  client.on('close', () => {
    if (!lost && client.status !== 'end') log.warn('redis connection lost; reconnecting');
    lost = true;
  });
  // ioredis emits 'error' for each failed reconnect; without a listener Node would crash the process.
  client.on('error', (error: Error) => log.debug({ err: error.message }, 'redis connection error'));
  return client;
}

/**
 * For BullMQ Queue/Worker/QueueEvents. BullMQ's blocking commands need `maxRetriesPerRequest: null`
 * and must keep queued commands while Redis is away, so jobs are not dropped on a blip.
 */
export function createBullConnection(url: string, logger: Logger): Redis {
  return create(url, logger, 'bullmq', { maxRetriesPerRequest: null, enableReadyCheck: false });
}

/**
 * For cache reads and writes: a request fails fast while Redis is away instead of queueing
 * behind the outage, so a REST handler can answer (stale or 503) rather than hang.
 */
export function createCacheClient(url: string, logger: Logger, role = 'cache'): Redis {
  return create(url, logger, role, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
}

/** The pair the Socket.IO Redis adapter needs: one to publish, one in subscriber mode. */
export function createPubSubPair(url: string, logger: Logger): { pub: Redis; sub: Redis } {
  return {
    pub: create(url, logger, 'pub', { maxRetriesPerRequest: null }),
    sub: create(url, logger, 'sub', { maxRetriesPerRequest: null }),
  };
}

/** Closes clients politely, falling back to disconnect when Redis is unreachable. */
export async function closeClients(clients: readonly Redis[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else if (client.status !== 'end') client.disconnect();
    }),
  );
}

/**
 * Waits (bounded) for a client's first connection, so a process does not call itself ready a few
 * milliseconds before its Redis is. Resolves false, rather than failing, when Redis is away:
 * the process starts anyway, reports it in health, and connects when Redis comes.
 */
export async function firstConnection(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  const ready = new Promise((resolve) => client.once('ready', resolve));
  return withTimeout(ready, timeoutMs, 'redis').then(() => true, () => false);
}
