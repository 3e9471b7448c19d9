// The repeating schedules this process owns. upsertJobScheduler is idempotent, so every scheduler
// process may call it at start: one job per interval is produced however many run, and a changed
// FETCH_INTERVAL_MS replaces the old cadence instead of adding a second one.
import type { TypedQueue } from '../../lib/queues/queues.js';
import type { QUEUE_NAMES } from '../../lib/queues/names.js';
import { TICK_JOB_OPTIONS } from '../../lib/queues/job-options.js';

/** The tick's scheduler id, kept in Redis: a new id would leave the old scheduler ticking too. */
const TICK_SCHEDULER_ID = 'schedule-tick';

export async function upsertSchedules(scheduleQueue: TypedQueue<typeof QUEUE_NAMES.schedule>, fetchIntervalMs: number): Promise<void> {
  await scheduleQueue.upsertJobScheduler(TICK_SCHEDULER_ID, { every: fetchIntervalMs }, { name: 'schedule-tick', data: {}, opts: TICK_JOB_OPTIONS });
}
