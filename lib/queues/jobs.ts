// The typed job catalogue: every job name with its queue and payload, so an enqueue and the
// handler that receives it (queues.ts) are checked together by the compiler.
import type { WaveHint } from '../quotes/quote-batcher.js';
import { QUEUE_NAMES, type QueueName } from './names.js';

/** Which queue each job runs on; a worker refuses to start without one handler per job of its queue. */
export const JOB_QUEUES = {
  'fetch-quote': QUEUE_NAMES.quotes,
  'schedule-tick': QUEUE_NAMES.schedule,
} as const satisfies Record<keyof JobPayloads, QueueName>;

export interface JobPayloads {
  /** Refresh one ticker; `wave` lets the worker send the jobs released together as one request. */
  'fetch-quote': { symbol: string; wave?: WaveHint };
  'schedule-tick': Record<string, never>;
}

export type JobName = keyof JobPayloads;
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUES)[N] extends Q ? N : never }[JobName];
