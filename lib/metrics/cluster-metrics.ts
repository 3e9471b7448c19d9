// What the web's /metrics answers: this process's registry, the latest snapshot of every other
// live process (worker, scheduler, other web processes) and the queue depths read now, merged
// into one exposition. Every process's series carry its instance, so nothing is added up here.
import type { Queue } from 'bullmq';
import { AggregatorRegistry, Gauge, Registry, type Aggregator } from 'prom-client';
import type { Redis } from 'ioredis';
import { withTimeout } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import { readPresent } from '../redis/presence.js';
import type { RedisKeys } from '../redis/keys.js';
import { INSTANCE_LABEL, PROCESS_ROLES, ROLE_LABEL, type ProcessMetrics, type ProcessRole } from './process-metrics.js';
import { metricsPresenceKeys, type MetricsJson, type MetricsSnapshot } from './snapshot-publisher.js';

export type ClusterMetrics = ReturnType<typeof createClusterMetrics>;

export type CountedQueue = Pick<Queue, 'name' | 'getJobCounts'>;

const AGGREGATORS = new Set<Aggregator>(['omit', 'sum', 'first', 'min', 'max', 'average']);

/** A snapshot as the merge needs it, or undefined: a damaged key must cost its own series, never the whole scrape. */
function parseSnapshot(text: string): MetricsSnapshot | undefined {
  let snapshot: Partial<MetricsSnapshot> | null;
  try {
    snapshot = JSON.parse(text) as Partial<MetricsSnapshot> | null;
  } catch {
    return undefined;
  }
  if (!snapshot || typeof snapshot.instanceId !== 'string' || !Array.isArray(snapshot.metrics)) return undefined;
  if (!(PROCESS_ROLES as readonly unknown[]).includes(snapshot.role)) return undefined;
  const metrics: MetricsJson = snapshot.metrics
    .filter((metric) => metric && typeof metric.name === 'string' && typeof metric.type === 'string' && Array.isArray(metric.values))
    .map((metric) => ({
      ...metric,
      aggregator: AGGREGATORS.has(metric.aggregator) ? metric.aggregator : 'sum',
      // JSON turns NaN and Infinity into null: such a sample says nothing worth adding up.
      values: metric.values.filter((value) => typeof value?.value === 'number' && typeof value.labels === 'object' && value.labels !== null),
    }));
  return { instanceId: snapshot.instanceId, role: snapshot.role!, metrics };
}

/**
 * A metric whose every series carries its instance cannot collide with another process's, so it
 * passes through the merge as it is; prom-client would otherwise drop those it marks 'omit'
 * (the process start time), which only makes sense when processes share label sets.
 */
function keepPerInstance(metrics: MetricsJson): MetricsJson {
  return metrics.map((metric) =>
    metric.aggregator === 'omit' && metric.values.length > 0 && metric.values.every((value) => INSTANCE_LABEL in value.labels) ? { ...metric, aggregator: 'first' } : metric,
  );
}

export function createClusterMetrics({ own, redis, keys, queues, timeoutMs, logger }: {
  /** The scraped process's own metrics, read live rather than from its last snapshot. */
  readonly own: ProcessMetrics;
  /** A fail-fast client. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly queues: readonly CountedQueue[];
  /** Longest a scrape waits for Redis (snapshots, queue depths). */
  readonly timeoutMs: number;
  readonly logger: Logger;
}) {
  const log = logger.child({ component: 'metrics' });

  // A registry built afresh for each scrape, so two scrapes at once cannot mix their figures.
  function gaugeJson(name: string, help: string, labelNames: string[], fill: (gauge: Gauge) => void): Promise<MetricsJson> {
    const registry = new Registry();
    fill(new Gauge({ name, help, labelNames, registers: [registry] }));
    return registry.getMetricsAsJSON();
  }

  // The queue depths describe the shared queues, not one process: only the scraped one reports them.
  async function queueDepth(): Promise<MetricsJson> {
    // A queue Redis cannot answer for in time has no series in this scrape, rather than stale
    // figures or a scrape that hangs: BullMQ's connection queues commands while Redis is away.
    const counts = await Promise.allSettled(queues.map((queue) => withTimeout(queue.getJobCounts(), timeoutMs, `${queue.name} job counts`)));
    return gaugeJson('tickwire_queue_jobs', 'Jobs in a BullMQ queue, by state, when metrics were scraped', ['queue', 'state'], (jobs) =>
      counts.forEach((result, index) => {
        const queue = queues[index]!.name;
        if (result.status === 'rejected') log.warn({ queue, err: String(result.reason) }, 'queue depth not read for metrics');
        else for (const [state, count] of Object.entries(result.value)) jobs.set({ queue, state }, count);
      }),
    );
  }

  const instanceCounts = (roles: readonly ProcessRole[]) =>
    gaugeJson('tickwire_metrics_instances', 'Processes whose metrics this scrape merged, by role', [ROLE_LABEL], (instances) => {
      for (const role of roles) instances.inc({ [ROLE_LABEL]: role });
    });

  async function others(): Promise<MetricsSnapshot[]> {
    try {
      const found = await withTimeout(readPresent(redis, metricsPresenceKeys(keys), 'GET'), timeoutMs, 'metrics snapshots');
      const snapshots = found.flatMap((text) => (typeof text === 'string' ? (parseSnapshot(text) ?? []) : []));
      return snapshots.filter((snapshot) => snapshot.instanceId !== own.instanceId);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'other processes left out of /metrics: their snapshots could not be read');
      return [];
    }
  }

  return {
    contentType: Registry.PROMETHEUS_CONTENT_TYPE,
    /** The merged exposition; when Redis does not answer in time, this process's own series. */
    async render(): Promise<string> {
      // Redis is asked for snapshots and queue depths at once, so an outage costs one timeout.
      const [ownMetrics, snapshots, depths] = await Promise.all([own.registry.getMetricsAsJSON(), others(), queueDepth()]);
      const instances = await instanceCounts([own.role, ...snapshots.map((snapshot) => snapshot.role)]);
      const sources = [ownMetrics, ...snapshots.map((snapshot) => snapshot.metrics), depths, instances];
      return AggregatorRegistry.aggregate(sources.map(keepPerInstance)).metrics();
    },
  };
}
