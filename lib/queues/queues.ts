// Opening queues and starting workers, each from one place: every worker dispatches on the job
// name through the catalogue (as immich's job repository) and shares the options and listeners of
// every other (as novu's getStandardWorkerOptions), so processes differ only in handlers and tuning.
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job, type WorkerOptions } from 'bullmq';
import type { JobMetrics } from '../metrics/job-metrics.js';
import type { Logger } from '../platform/logger.js';
import { JOB_QUEUES, type JobName, type JobPayloads, type JobsOf } from './jobs.js';
import type { QueueName } from './names.js';

/** Every Tickwire queue lives under one key prefix, so several deployments can share a Redis. */
export interface QueueSettings {
  /** A worker given the process's BullMQ connection shares it; BullMQ opens its own for blocking commands. */
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** Told of a queue's errors: debug only, as the connection itself reports losing Redis. */
  readonly logger?: Logger;
}

export type TypedQueue<Q extends QueueName> = Queue<JobPayloads[JobsOf<Q>], unknown, JobsOf<Q>>;

export function openQueue<Q extends QueueName>(name: Q, { connection, prefix, logger }: QueueSettings): TypedQueue<Q> {
  const queue = new Queue(name, { connection, prefix }) as TypedQueue<Q>;
  if (logger) queue.on('error', (error) => logger.debug({ err: error.message, queue: name }, 'queue error'));
  return queue;
}

export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(job: Job<JobPayloads[N], unknown, N>, token?: string): Promise<unknown>;
}

export function startQueueWorker<Q extends QueueName>(
  queue: Q,
  handlers: ReadonlyArray<JobHandler<JobsOf<Q>>>,
  { connection, prefix, logger, metrics }: QueueSettings & { readonly logger: Logger; readonly metrics?: JobMetrics },
  tuning: Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> = {},
): Worker {
  // Startup fails when a job of the queue has no handler or two, or a handler is for another queue.
  const byName = new Map<string, JobHandler>();
  for (const handler of handlers as readonly JobHandler[]) {
    if (JOB_QUEUES[handler.name] !== queue) throw new Error(`job ${handler.name} runs on queue ${JOB_QUEUES[handler.name]}, not ${queue}`);
    if (byName.has(handler.name)) throw new Error(`job ${handler.name} has two handlers`);
    byName.set(handler.name, handler);
  }
  const missing = (Object.keys(JOB_QUEUES) as JobName[]).filter((name) => JOB_QUEUES[name] === queue && !byName.has(name));
  if (missing.length > 0) throw new Error(`no handler for job ${missing.join(', ')} of queue ${queue}`);
  const dispatch = async (job: Job, token?: string) => {
    const handler = byName.get(job.name);
    // A job name outside the catalogue (left by another release) can never succeed here.
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} of queue ${queue}`);
    return handler.handle(job as Job<never, unknown, never>, token);
  };
  const worker = new Worker(queue, dispatch, { connection, prefix, ...tuning });
  metrics?.watch(worker);
  worker.on('error', (error) => logger.warn({ queue, err: error.message }, 'worker error'));
  worker.on('failed', (job, error) => logger.warn({ queue, job: job?.id, data: job?.data, attempts: job?.attemptsMade, err: error.message }, `${job?.name ?? queue} job failed`));
  return worker;
}
