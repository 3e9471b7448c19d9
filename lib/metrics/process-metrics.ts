// A process's own Prometheus registry. Every series carries the process's role (web, worker,
// scheduler), so the web's /metrics can add up the series of processes with the same job while
// keeping the roles apart; Node's standard process metrics also carry the instance, because
// adding up two processes' heap sizes or start times would mean nothing.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Registry, collectDefaultMetrics } from 'prom-client';

export type ProcessRole = 'web' | 'worker' | 'scheduler';

export interface ProcessMetrics {
  readonly role: ProcessRole;
  /** Unique per process start: names its snapshot in Redis and labels its process metrics. */
  readonly instanceId: string;
  readonly registry: Registry;
}

/** Label of the process role on every series of a process's registry. */
export const ROLE_LABEL = 'process';
/** Label of the instance on the standard process metrics. */
export const INSTANCE_LABEL = 'instance_id';

export function createProcessMetrics(role: ProcessRole, options: { instanceId?: string; processMetrics?: boolean } = {}): ProcessMetrics {
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const registry = new Registry();
  registry.setDefaultLabels({ [ROLE_LABEL]: role });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, labels: { [INSTANCE_LABEL]: instanceId } });
  return { role, instanceId, registry };
}
