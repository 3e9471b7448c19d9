// Jobs per queue and state (waiting, active, delayed, prioritized, failed, ...), read from BullMQ
// when /metrics is scraped. It describes the shared queues, not one process, so only the scraped
// web process reports it and no snapshot carries it.
import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';

export type CountedQueue = Pick<Queue, 'name' | 'getJobCounts'>;

export function trackQueueDepth(registry: Registry, queues: readonly CountedQueue[], options: { timeoutMs: number; logger: Logger }): void {
  new Gauge({
    name: 'tickwire_queue_jobs',
    help: 'Jobs in a BullMQ queue, by state, when metrics were scraped',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      // A queue Redis cannot answer for in time has no series in this scrape, rather than stale
      // figures or a scrape that hangs: BullMQ's connection queues commands while Redis is away.
      this.reset();
      const counts = await Promise.allSettled(queues.map((queue) => withTimeout(queue.getJobCounts(), options.timeoutMs, `${queue.name} job counts`)));
      counts.forEach((result, index) => {
        const queue = queues[index]!.name;
        if (result.status === 'rejected') {
          options.logger.warn({ queue, err: String(result.reason) }, 'queue depth not read for metrics');
          return;
        }
        for (const [state, count] of Object.entries(result.value)) this.set({ queue, state }, count);
      });
    },
  });
}
