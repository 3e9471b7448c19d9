// A process's own Prometheus registry. Every series carries the process's role (web, worker,
// scheduler) and its instance: the web's /metrics then passes each process's series through
// side by side, and Prometheus sums them (`sum by (process) (...)`). Summing in the exporter
// instead would make a counter drop whenever a process leaves, which `rate()` reads as a reset
// and turns into a spike; a per-instance series simply ends.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { newInstanceId } from '../redis/presence.js';

export const PROCESS_ROLES = ['web', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export type ProcessMetrics = ReturnType<typeof createProcessMetrics>;

export const ROLE_LABEL = 'process';
export const INSTANCE_LABEL = 'instance_id';

export function createProcessMetrics(role: ProcessRole) {
  const instanceId = newInstanceId();
  const registry = new Registry();
  registry.setDefaultLabels({ [ROLE_LABEL]: role, [INSTANCE_LABEL]: instanceId });
  collectDefaultMetrics({ register: registry });
  return { role, instanceId, registry } as const;
}
