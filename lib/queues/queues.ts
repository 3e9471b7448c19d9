import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import type { QueueName } from './names.js';
import type { JobData, JobsOf } from './jobs.js';

/** Every Tickwire queue lives under one key prefix, so several deployments can share a Redis. */
export interface QueueSettings {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** Told of the queue's errors: debug only, as the connection itself reports losing Redis. */
  readonly logger?: Logger;
}

export type TypedQueue<Q extends QueueName> = Queue<JobData<JobsOf<Q>>, unknown, JobsOf<Q>>;

export function openQueue<Q extends QueueName>(name: Q, { connection, prefix, logger }: QueueSettings): TypedQueue<Q> {
  const queue = new Queue(name, { connection, prefix }) as TypedQueue<Q>;
  if (logger) queue.on('error', (error) => logger.debug({ err: error.message, queue: name }, 'queue error'));
  return queue;
}
