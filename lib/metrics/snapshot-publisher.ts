// Publishes a process's metrics to Redis every few seconds, under a key of its own that expires
// unless republished, so the web's /metrics can merge every live process and a dead one drops out.
// Redis trouble never reaches the process: a failed publication is logged and the next one retries.
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import { outageLog } from '../platform/outage-log.js';
import type { RedisKeys } from '../redis/keys.js';
import type { ProcessMetrics } from './process-metrics.js';
import { snapshotTtlMs, type MetricsSnapshot } from './snapshot.js';

export interface SnapshotPublisher {
  /** Publishes now (the timer does it every interval); never rejects. */
  publish(): Promise<void>;
  /** Stops publishing and withdraws this process's snapshot. */
  close(): Promise<void>;
}

export function publishMetricsSnapshots(redis: Redis, keys: RedisKeys, metrics: ProcessMetrics, options: { intervalMs: number; logger: Logger }): SnapshotPublisher {
  const { intervalMs } = options;
  const ttlMs = snapshotTtlMs(intervalMs);
  const key = keys.metricsSnapshot(metrics.instanceId);
  const log = options.logger.child({ component: 'metrics' });
  const outage = outageLog(log, { done: 'metrics published', notDone: 'metrics not published', retry: 'the next interval retries' });
  let closed = false;
  let inFlight: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  async function publishOnce(): Promise<void> {
    const snapshot: MetricsSnapshot = { instanceId: metrics.instanceId, role: metrics.role, publishedAt: new Date().toISOString(), metrics: await metrics.registry.getMetricsAsJSON() };
    // The index expires with the last publisher, like every key Tickwire writes.
    const results = await redis.multi().set(key, JSON.stringify(snapshot), 'PX', ttlMs).sadd(keys.metricsInstances, metrics.instanceId).pexpire(keys.metricsInstances, ttlMs).exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (failed) throw failed;
    outage.succeeded();
  }

  const publish = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (inFlight) {
      // A slow Redis must not pile publications up: at most one more waits for the one in flight,
      // and every call meanwhile shares it (it reads the registry when it starts, so it is fresh).
      next ??= inFlight.then(() => {
        next = undefined;
        return publish();
      });
      return next;
    }
    inFlight = publishOnce()
      .catch(outage.failed)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const timer = setInterval(() => void publish(), intervalMs);
  timer.unref();
  // Appear as soon as Redis is there, without a warning for the connection still being made.
  if (redis.status === 'ready') void publish();
  else redis.once('ready', () => void publish());

  return {
    publish,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await next;
      await inFlight;
      await redis
        .multi()
        .del(key)
        .srem(keys.metricsInstances, metrics.instanceId)
        .exec()
        .catch((error: unknown) => log.debug({ err: String(error) }, 'metrics snapshot not withdrawn; it expires by itself'));
    },
  };
}
