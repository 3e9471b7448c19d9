// Workers started through the job catalogue, on real BullMQ and Redis: each job goes to the handler
// of its name, a job name outside the catalogue fails without retries, and a worker whose queue has
// a job with no handler, or with two, never starts.
import { Queue, QueueEvents, type Worker } from 'bullmq';
import { pino } from 'pino';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { openQueue, startQueueWorker, type JobHandler, type TypedQueue } from '../../lib/queues/queues.js';
import { createBullConnection } from '../../lib/redis/connections.js';
import { sharedUrls, uniqueName } from '../support/infra.js';
import { eventually } from '../support/processes.js';

const logger = pino({ level: 'silent' });

describe('queue worker (real BullMQ and Redis)', () => {
  const connection = createBullConnection(sharedUrls().redisUrl, logger);
  let settings: Parameters<typeof startQueueWorker>[2];
  let queue: TypedQueue<typeof QUEUE_NAMES.quotes>;
  let events: QueueEvents;
  let worker: Worker | undefined;

  beforeEach(async () => {
    settings = { connection, prefix: uniqueName('tw'), logger };
    queue = openQueue(QUEUE_NAMES.quotes, settings);
    events = new QueueEvents(QUEUE_NAMES.quotes, { connection: { url: sharedUrls().redisUrl }, prefix: settings.prefix });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
  afterAll(() => connection.quit());

  const echo: JobHandler<'fetch-quote'> = { name: 'fetch-quote', handle: async (job) => ({ handled: job.data.symbol }) };

  it('hands each job to the handler of its name', async () => {
    worker = startQueueWorker(QUEUE_NAMES.quotes, [echo], settings);
    const job = await queue.add('fetch-quote', { symbol: 'AAPL' });
    expect(await job.waitUntilFinished(events, 30_000)).toEqual({ handled: 'AAPL' });
    expect(await queue.getWorkers()).toHaveLength(1);
  });

  it('fails a job whose name is not in the catalogue, without retrying it', async () => {
    worker = startQueueWorker(QUEUE_NAMES.quotes, [echo], settings);
    // An untyped queue, as an older release would have added it.
    const untyped = new Queue(QUEUE_NAMES.quotes, { connection, prefix: settings.prefix });
    const stray = await untyped.add('retired-job', {}, { attempts: 3 });
    await untyped.close();
    await expect(stray.waitUntilFinished(events, 30_000)).rejects.toThrow(/no handler for job retired-job/);
    const failed = await eventually(async () => (await queue.getJob(stray.id!)) ?? undefined, 5000);
    expect(failed.attemptsMade).toBe(1);
  });

  it('refuses to start when a job of its queue has no handler', async () => {
    expect(() => startQueueWorker(QUEUE_NAMES.quotes, [], settings)).toThrow('no handler for job fetch-quote of queue quotes');
    await queue.add('fetch-quote', { symbol: 'MSFT' });
    expect(await queue.getWorkers()).toEqual([]);
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('refuses to start when a job has two handlers', async () => {
    expect(() => startQueueWorker(QUEUE_NAMES.quotes, [echo, { ...echo }], settings)).toThrow('job fetch-quote has two handlers');
    expect(await queue.getWorkers()).toEqual([]);
  });

  it('refuses a handler of another queue\'s job', () => {
    const tick = { name: 'schedule-tick', handle: async () => undefined } as unknown as JobHandler<'fetch-quote'>;
    expect(() => startQueueWorker(QUEUE_NAMES.quotes, [echo, tick], settings)).toThrow('job schedule-tick runs on queue schedule, not quotes');
  });
});
