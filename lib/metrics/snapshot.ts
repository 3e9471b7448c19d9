// What one process publishes of its metrics: its registry as prom-client JSON, with who it is.
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { ProcessRole } from './process-metrics.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsSnapshot {
  readonly instanceId: string;
  readonly role: ProcessRole;
  /** ISO time of publication. */
  readonly publishedAt: string;
  readonly metrics: MetricsJson;
}

/**
 * How long a snapshot outlives its publication: three intervals, so one or two publications lost
 * to a Redis hiccup do not drop a live process, while a dead one drops out soon after.
 */
export const snapshotTtlMs = (publishIntervalMs: number): number => 3 * publishIntervalMs;
