// A process's own Prometheus registry. Every series carries the process's role (web, worker,
// scheduler) and its instance: the web's /metrics then passes each process's series through
// side by side, and Prometheus sums them (`sum by (process) (...)`). Summing in the exporter
// instead would make a counter drop whenever a process leaves, which `rate()` reads as a reset
// and turns into a spike; a per-instance series simply ends.
import { readdir } from 'node:fs/promises';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { newInstanceId } from '../redis/presence.js';

export const PROCESS_ROLES = ['web', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export type ProcessMetrics = ReturnType<typeof createProcessMetrics>;

export const ROLE_LABEL = 'process';
export const INSTANCE_LABEL = 'instance_id';

/**
 * Default metrics that walk every handle of the process at each collection (each publish and each
 * scrape): with 20 000 sockets in a process they held the event loop for ~22 ms every time, and
 * what they count there is the sockets, which `tickwire_sockets_connected` says.
 */
export const HANDLE_WALKING_METRICS = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total'];

const OPEN_FDS = 'process_open_fds';

/**
 * prom-client's `process_open_fds`, listed off the event loop: its readdirSync of /proc/self/fd
 * held the loop for ~25 ms with 20 000 sockets open, the async listing for under 4 ms.
 */
function readOpenFdsAsynchronously(registry: Registry): void {
  // Linux only, as prom-client's own.
  if (!registry.getSingleMetric(OPEN_FDS)) return;
  registry.removeSingleMetric(OPEN_FDS);
  new Gauge({
    name: OPEN_FDS,
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      // Less the one the listing itself holds open.
      const fds = await readdir('/proc/self/fd').catch(() => undefined);
      if (fds) this.set(fds.length - 1);
    },
  });
}

export function createProcessMetrics(role: ProcessRole) {
  const instanceId = newInstanceId();
  const registry = new Registry();
  registry.setDefaultLabels({ [ROLE_LABEL]: role, [INSTANCE_LABEL]: instanceId });
  collectDefaultMetrics({ register: registry });
  for (const name of HANDLE_WALKING_METRICS) registry.removeSingleMetric(name);
  readOpenFdsAsynchronously(registry);
  return { role, instanceId, registry } as const;
}
