// The typed job catalogue: every job name with its queue and payload, so an enqueue and the
// processor that receives it are checked together by the compiler.
import { QUEUE_NAMES } from './names.js';

export interface JobCatalogue {
  /** Refresh one ticker. `wave` tells the worker how many jobs were released with this one. */
  'fetch-quote': { queue: typeof QUEUE_NAMES.quotes; data: { symbol: string; wave?: { id: string; size: number } } };
  'schedule-tick': { queue: typeof QUEUE_NAMES.schedule; data: Record<string, never> };
}

export type JobName = keyof JobCatalogue;
export type JobData<N extends JobName> = JobCatalogue[N]['data'];
export type JobsOf<Q extends string> = { [N in JobName]: JobCatalogue[N]['queue'] extends Q ? N : never }[JobName];
