/**
 * Queue names. Jobs live in Redis under these names: renaming one orphans whatever is queued
 * under the old name, so a rename needs a plan (drain the old queue, then switch), not an edit.
 */
export const QUEUE_NAMES = {
  /** One fetch job per ticker in demand; processed by the worker pool. */
  quotes: 'quotes',
  /** The scheduler's repeating tick; processed by the scheduler process. */
  schedule: 'schedule',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
