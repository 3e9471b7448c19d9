import { Queue, type ConnectionOptions } from 'bullmq';
import type { QueueName } from './names.js';
import type { JobData, JobsOf } from './jobs.js';

/** Every Tickwire queue lives under one key prefix, so several deployments can share a Redis. */
export interface QueueSettings {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
}

export type TypedQueue<Q extends QueueName> = Queue<JobData<JobsOf<Q>>, unknown, JobsOf<Q>>;

export function openQueue<Q extends QueueName>(name: Q, settings: QueueSettings): TypedQueue<Q> {
  return new Queue(name, { connection: settings.connection, prefix: settings.prefix }) as TypedQueue<Q>;
}
