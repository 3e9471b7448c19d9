// Every BullMQ worker of Tickwire starts here: one dispatch on the job name through the catalogue
// (as immich's job repository), and the options and listeners every worker shares (as novu's
// getStandardWorkerOptions), so the processes differ only in their handlers and concurrency.
import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { JobMetrics } from '../metrics/job-metrics.js';
import type { Logger } from '../platform/logger.js';
import type { Redis } from '../redis/connections.js';
import { jobNamesOf, JOB_QUEUES, type JobData, type JobName, type JobsOf } from './jobs.js';
import type { QueueName } from './names.js';

export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(job: Job<JobData<N>, unknown, N>, token?: string): Promise<unknown>;
}

export interface QueueWorkerSettings {
  /** The process's BullMQ connection: BullMQ duplicates it for the worker's blocking commands. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  readonly metrics?: JobMetrics | undefined;
}

export type QueueWorkerTuning = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>;

/** The handler of each job name of `queue`; throws when a job of the queue has none or two, or a handler is for another queue. */
export function handlersByName(queue: QueueName, handlers: readonly JobHandler[]): ReadonlyMap<string, JobHandler> {
  const byName = new Map<string, JobHandler>();
  for (const handler of handlers) {
    if (JOB_QUEUES[handler.name] !== queue) throw new Error(`job ${handler.name} runs on queue ${JOB_QUEUES[handler.name]}, not ${queue}`);
    if (byName.has(handler.name)) throw new Error(`job ${handler.name} has two handlers`);
    byName.set(handler.name, handler);
  }
  const missing = jobNamesOf(queue).filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`no handler for job ${missing.join(', ')} of queue ${queue}`);
  return byName;
}

export function startQueueWorker<Q extends QueueName>(queue: Q, handlers: ReadonlyArray<JobHandler<JobsOf<Q>>>, settings: QueueWorkerSettings, tuning: QueueWorkerTuning = {}): Worker {
  const byName = handlersByName(queue, handlers as readonly JobHandler[]);
  const { connection, prefix, logger, metrics } = settings;
  const worker = new Worker(
    queue,
    async (job: Job, token?: string) => {
      const handler = byName.get(job.name);
      // A job name outside the catalogue (left by another release) can never succeed here.
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} of queue ${queue}`);
      return handler.handle(job as Job<never, unknown, never>, token);
    },
    { connection, prefix, ...tuning },
  );
  metrics?.watch(worker);
  worker.on('error', (error) => logger.warn({ queue, err: error.message }, 'worker error'));
  worker.on('failed', (job, error) => logger.warn({ queue, job: job?.id, name: job?.name, data: job?.data, attempts: job?.attemptsMade, err: error.message }, `${job?.name ?? queue} job failed`));
  return worker;
}
