// A process's registry keeps Node's standard metrics, except those that walk every handle at each
// collection, and counts its open file descriptors as prom-client does, without blocking.
import { openSync, closeSync } from 'node:fs';
import { createProcessMetrics, HANDLE_WALKING_METRICS, INSTANCE_LABEL, ROLE_LABEL } from './process-metrics.js';

const valueOf = async (metrics: ReturnType<typeof createProcessMetrics>, name: string) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  return metric?.values[0];
};

describe('process metrics', () => {
  it("keeps Node's standard metrics, labelled with the process, without the handle-walking ones", async () => {
    const metrics = createProcessMetrics('worker');
    const names = (await metrics.registry.getMetricsAsJSON()).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['nodejs_heap_size_used_bytes', 'process_cpu_seconds_total', 'process_max_fds', 'process_open_fds']));
    for (const name of HANDLE_WALKING_METRICS) expect(names).not.toContain(name);
    expect((await valueOf(metrics, 'nodejs_heap_size_used_bytes'))?.labels).toMatchObject({ [ROLE_LABEL]: 'worker', [INSTANCE_LABEL]: metrics.instanceId });
  });

  it('counts the open file descriptors', async () => {
    const metrics = createProcessMetrics('web');
    const before = (await valueOf(metrics, 'process_open_fds'))!.value;
    const opened = Array.from({ length: 7 }, () => openSync('/dev/null', 'r'));
    try {
      expect((await valueOf(metrics, 'process_open_fds'))!.value).toBe(before + 7);
      expect((await valueOf(metrics, 'process_open_fds'))?.labels).toMatchObject({ [ROLE_LABEL]: 'web' });
    } finally {
      for (const fd of opened) closeSync(fd);
    }
    expect((await valueOf(metrics, 'process_open_fds'))!.value).toBe(before);
  });
});
