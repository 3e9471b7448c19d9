// Publishes a process's metrics to Redis every few seconds as a presence entry that expires unless
// republished, so the web's /metrics can merge every live process and a dead one drops out. A
// snapshot is the process's registry as prom-client JSON, with who it is.
import type { Redis } from 'ioredis';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Logger } from '../platform/logger.js';
import { announcePresence, type Presence, type PresenceKeys } from '../redis/presence.js';
import type { RedisKeys } from '../redis/keys.js';
import type { ProcessMetrics, ProcessRole } from './process-metrics.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsSnapshot {
  readonly instanceId: string;
  readonly role: ProcessRole;
  readonly metrics: MetricsJson;
}

export const metricsPresenceKeys = (keys: RedisKeys): PresenceKeys => ({ index: keys.metricsInstances, entry: keys.metricsSnapshot });

/** `publish()` publishes now (the timer does it every interval) and never rejects; `close()` withdraws the snapshot. */
export type SnapshotPublisher = Pick<Presence, 'close'> & { publish(): Promise<void> };

export function publishMetricsSnapshots(redis: Redis, keys: RedisKeys, metrics: ProcessMetrics, options: { intervalMs: number; logger: Logger }): SnapshotPublisher {
  const snapshots = announcePresence(redis, {
    keys: metricsPresenceKeys(keys),
    instanceId: metrics.instanceId,
    intervalMs: options.intervalMs,
    // Three intervals, so one or two publications lost to a Redis hiccup do not drop a live
    // process, while a dead one drops out soon after.
    ttlMs: 3 * options.intervalMs,
    async entry(transaction, key) {
      const { instanceId, role, registry } = metrics;
      const snapshot: MetricsSnapshot = { instanceId, role, metrics: await registry.getMetricsAsJSON() };
      transaction.set(key, JSON.stringify(snapshot));
      return true;
    },
    logger: options.logger.child({ component: 'metrics' }),
    what: { done: 'metrics published', notDone: 'metrics not published', retry: 'the next interval retries' },
  });
  // Appear as soon as Redis is there, without a warning for the connection still being made.
  if (redis.status === 'ready') void snapshots.refresh();
  else redis.once('ready', () => void snapshots.refresh());
  return { publish: snapshots.refresh, close: snapshots.close };
}
