// What the web's /metrics answers: this process's registry, the latest snapshot of every other
// live process (worker, scheduler, other web processes) and the queue depths read now, merged
// into one exposition. Every process's series carry its instance, so nothing is added up here.
import type { Queue } from 'bullmq';
import { AggregatorRegistry, Gauge, Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import { withTimeout } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import type { RedisKeys } from '../redis/keys.js';
import { INSTANCE_LABEL, ROLE_LABEL, type ProcessMetrics, type ProcessRole } from './process-metrics.js';
import { readMetricsSnapshots, type MetricsJson, type MetricsSnapshot } from './snapshot.js';

export interface ClusterMetrics {
  readonly contentType: string;
  /** The merged exposition; when Redis does not answer in time, this process's own series. */
  render(): Promise<string>;
}

export type CountedQueue = Pick<Queue, 'name' | 'getJobCounts'>;

export interface ClusterMetricsDeps {
  /** The scraped process's own metrics, read live rather than from its last snapshot. */
  readonly own: ProcessMetrics;
  /** A fail-fast client. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly queues: readonly CountedQueue[];
  /** Longest a scrape waits for Redis (snapshots, queue depths). */
  readonly timeoutMs: number;
  readonly logger: Logger;
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

export function createClusterMetrics({ own, redis, keys, queues, timeoutMs, logger }: ClusterMetricsDeps): ClusterMetrics {
  const log = logger.child({ component: 'metrics' });

  // Registries built afresh for each scrape, so two scrapes at once cannot mix their figures.
  // The queue depths describe the shared queues, not one process: only the scraped one reports them.
  async function queueDepth(): Promise<MetricsJson> {
    const registry = new Registry();
    const jobs = new Gauge({ name: 'tickwire_queue_jobs', help: 'Jobs in a BullMQ queue, by state, when metrics were scraped', labelNames: ['queue', 'state'], registers: [registry] });
    // A queue Redis cannot answer for in time has no series in this scrape, rather than stale
    // figures or a scrape that hangs: BullMQ's connection queues commands while Redis is away.
    const counts = await Promise.allSettled(queues.map((queue) => withTimeout(queue.getJobCounts(), timeoutMs, `${queue.name} job counts`)));
    counts.forEach((result, index) => {
      const queue = queues[index]!.name;
      if (result.status === 'rejected') log.warn({ queue, err: String(result.reason) }, 'queue depth not read for metrics');
      else for (const [state, count] of Object.entries(result.value)) jobs.set({ queue, state }, count);
    });
    return registry.getMetricsAsJSON();
  }

  function instanceCounts(roles: readonly ProcessRole[]): Promise<MetricsJson> {
    const registry = new Registry();
    const instances = new Gauge({
      name: 'tickwire_metrics_instances',
      help: 'Processes whose metrics this scrape merged, by role',
      labelNames: [ROLE_LABEL],
      registers: [registry],
    });
    for (const role of roles) instances.inc({ [ROLE_LABEL]: role });
    return registry.getMetricsAsJSON();
  }

  async function others(): Promise<MetricsSnapshot[]> {
    try {
      const snapshots = await withTimeout(readMetricsSnapshots(redis, keys), timeoutMs, 'metrics snapshots');
      return snapshots.filter((snapshot) => snapshot.instanceId !== own.instanceId);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'other processes left out of /metrics: their snapshots could not be read');
      return [];
    }
  }

  return {
    contentType: Registry.PROMETHEUS_CONTENT_TYPE,
    async render() {
      // Redis is asked for snapshots and queue depths at once, so an outage costs one timeout.
      const [ownMetrics, snapshots, depths] = await Promise.all([own.registry.getMetricsAsJSON(), others(), queueDepth()]);
      const instances = await instanceCounts([own.role, ...snapshots.map((snapshot) => snapshot.role)]);
      const sources = [ownMetrics, ...snapshots.map((snapshot) => snapshot.metrics), depths, instances];
      return AggregatorRegistry.aggregate(sources.map(keepPerInstance)).metrics();
    },
  };
}
