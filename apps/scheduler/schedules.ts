// The repeating schedules this process owns. upsertJobScheduler is idempotent, so every scheduler
// process may call it at start: one job per interval is produced however many run, and a changed
// FETCH_INTERVAL_MS replaces the old cadence instead of adding a second one.
import type { TypedQueue } from '../../lib/queues/queues.js';
import type { QUEUE_NAMES } from '../../lib/queues/names.js';
import { TICK_JOB_OPTIONS } from '../../lib/queues/job-options.js';

/** BullMQ types a scheduler's id as a job name; ours is named after the job it produces. */
export const QUOTE_REFRESH_SCHEDULER = 'schedule-tick';

export async function upsertSchedules(scheduleQueue: TypedQueue<typeof QUEUE_NAMES.schedule>, fetchIntervalMs: number): Promise<void> {
  await scheduleQueue.upsertJobScheduler(QUOTE_REFRESH_SCHEDULER, { every: fetchIntervalMs }, { name: 'schedule-tick', data: {}, opts: TICK_JOB_OPTIONS });
}
