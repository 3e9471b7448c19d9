// Reads the metrics snapshots of every live process from Redis, dropping from the index the
// processes whose snapshot has expired (they stopped or died).
import type { Redis } from 'ioredis';
import type { Aggregator } from 'prom-client';
import type { RedisKeys } from '../redis/keys.js';
import type { MetricsJson, MetricsSnapshot } from './snapshot.js';

// In one step, so a process that publishes meanwhile is never pruned: the snapshots that exist,
// and the removal from the index of those that do not. KEYS[1] is the
// index, KEYS[i+1] the snapshot of ARGV[i].
const READ_AND_PRUNE = `
local live = {}
for i, id in ipairs(ARGV) do
  local snapshot = redis.call('GET', KEYS[i + 1])
  if snapshot then
    table.insert(live, snapshot)
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return live
`;

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
  const instanceIds = await redis.smembers(keys.metricsInstances);
  if (instanceIds.length === 0) return [];
  const snapshotKeys = instanceIds.map((id) => keys.metricsSnapshot(id));
  const found: unknown = await redis.eval(READ_AND_PRUNE, snapshotKeys.length + 1, keys.metricsInstances, ...snapshotKeys, ...instanceIds);
  if (!Array.isArray(found)) return [];
  return found.flatMap((text) => (typeof text === 'string' ? (parseSnapshot(text) ?? []) : []));
}
