// How long the jobs of a BullMQ worker take, from the worker's own events: one histogram per
// queue, job name and outcome, so a slow provider or a slow tick shows without reading logs.
import type { Job, Worker } from 'bullmq';
import { Histogram, type Registry } from 'prom-client';

export type JobMetrics = ReturnType<typeof createJobMetrics>;

export function createJobMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'tickwire_job_duration_seconds',
    help: 'Time from a job starting to finishing on a worker, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'name', 'outcome'],
    // Fetch jobs wait up to a wave's batching window, then one provider request; ticks are quick.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const record = (queue: string, job: Job | undefined, outcome: 'completed' | 'failed') => {
    // A job without a start time never ran on this worker (e.g. failed as stalled elsewhere).
    if (!job?.processedOn) return;
    // finishedOn is unset when a failed attempt goes back for a retry.
    const seconds = Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
    duration.observe({ queue, name: job.name, outcome }, seconds);
  };

  return {
    /** Times every job `worker` completes or fails from now on (a rate-limited job is neither). */
    watch(worker: Worker) {
      worker.on('completed', (job) => record(worker.name, job, 'completed'));
      worker.on('failed', (job) => record(worker.name, job, 'failed'));
    },
  };
}
