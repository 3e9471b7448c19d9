// What one process publishes of its metrics (its registry as prom-client JSON, with who it is),
// and the reading of every live process's snapshot from Redis.
import type { Redis } from 'ioredis';
import type { Aggregator, MetricObjectWithValues, MetricValue } from 'prom-client';
import { readPresent, type PresenceKeys } from '../redis/presence.js';
import type { RedisKeys } from '../redis/keys.js';
import type { ProcessRole } from './process-metrics.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsSnapshot {
  readonly instanceId: string;
  readonly role: ProcessRole;
  /** ISO time of publication. */
  readonly publishedAt: string;
  readonly metrics: MetricsJson;
}

export const metricsPresenceKeys = (keys: RedisKeys): PresenceKeys => ({ index: keys.metricsInstances, entry: keys.metricsSnapshot });

/**
 * How long a snapshot outlives its publication: three intervals, so one or two publications lost
 * to a Redis hiccup do not drop a live process, while a dead one drops out soon after.
 */
export const snapshotTtlMs = (publishIntervalMs: number): number => 3 * publishIntervalMs;

const AGGREGATORS = new Set<Aggregator>(['omit', 'sum', 'first', 'min', 'max', 'average']);
const ROLES = new Set(['web', 'worker', 'scheduler']);

/**
 * A snapshot as the merge needs it, or undefined: another version of Tickwire (during a rolling
 * deploy) or a damaged key must cost its own series, never the whole scrape.
 */
export function parseSnapshot(text: string): MetricsSnapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const snapshot = value as Partial<MetricsSnapshot> | null;
  if (!snapshot || typeof snapshot.instanceId !== 'string' || !ROLES.has(String(snapshot.role)) || !Array.isArray(snapshot.metrics)) return undefined;
  const metrics: MetricsJson = snapshot.metrics
    .filter((metric) => metric && typeof metric.name === 'string' && typeof metric.type === 'string' && Array.isArray(metric.values))
    .map((metric) => ({
      ...metric,
      aggregator: AGGREGATORS.has(metric.aggregator) ? metric.aggregator : 'sum',
      // JSON turns NaN and Infinity into null: such a sample says nothing worth adding up.
      values: metric.values.filter((value) => typeof value?.value === 'number' && typeof value.labels === 'object' && value.labels !== null),
    }));
  return { instanceId: snapshot.instanceId, role: snapshot.role!, publishedAt: String(snapshot.publishedAt), metrics };
}

export async function readMetricsSnapshots(redis: Redis, keys: RedisKeys): Promise<MetricsSnapshot[]> {
  const found = await readPresent(redis, metricsPresenceKeys(keys), 'GET');
  return found.flatMap((text) => (typeof text === 'string' ? (parseSnapshot(text) ?? []) : []));
}
