// Metrics across processes: registries published to the test run's real Redis, merged by the
// web's /metrics with the queue depths of real BullMQ queues.
import { pino } from 'pino';
import { closeClients, createBullConnection, createCacheClient, firstConnection, type Redis } from '../../lib/redis/connections.js';
import { redisKeys, type RedisKeys } from '../../lib/redis/keys.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { createQuoteEmitter } from '../../lib/realtime/emitter.js';
import { createProcessMetrics, type ProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createQuoteMetrics, type QuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { trackConnectedSockets } from '../../lib/metrics/socket-metrics.js';
import { createClusterMetrics, type ClusterMetrics, type CountedQueue } from '../../lib/metrics/cluster-metrics.js';
import { publishMetricsSnapshots, type SnapshotPublisher } from '../../lib/metrics/snapshot-publisher.js';
import { sharedUrls, uniqueName } from '../support/infra.js';
import { eventually, freePort } from '../support/processes.js';
import { parseExposition, samplesOf, total } from '../support/prometheus.js';
import { sampleQuote } from '../support/quotes.js';

const silent = pino({ level: 'silent' });
const INTERVAL_MS = 200;

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines, warnings: () => lines.filter((line) => line.level === 40).map((line) => line.msg) };
}

describe('metrics across processes (real Redis, real BullMQ)', () => {
  let redis: Redis;
  let bull: Redis;
  let keys: RedisKeys;
  let prefix: string;
  let cleanup: Array<() => Promise<unknown> | unknown>;

  beforeAll(async () => {
    redis = createCacheClient(sharedUrls().redisUrl, silent);
    bull = createBullConnection(sharedUrls().redisUrl, silent);
    await firstConnection(redis, 5000);
  });
  beforeEach(() => {
    prefix = uniqueName('metrics');
    keys = redisKeys(prefix);
    cleanup = [];
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
  });
  afterAll(() => closeClients([redis, bull]));

  /** A process of `role` with its quote metrics, publishing through `client` every INTERVAL_MS. */
  function startProcess(role: 'web' | 'worker' | 'scheduler', client: Redis = redis): { metrics: ProcessMetrics; quotes: QuoteMetrics; publisher: SnapshotPublisher } {
    const metrics = createProcessMetrics(role);
    const publisher = publishMetricsSnapshots(client, keys, metrics, { intervalMs: INTERVAL_MS, logger: silent });
    cleanup.push(() => publisher.close());
    return { metrics, quotes: createQuoteMetrics(metrics.registry), publisher };
  }

  function upstreamRequests(quotes: QuoteMetrics, count: number, outcome: 'ok' | 'rate_limited' = 'ok'): void {
    for (let i = 0; i < count; i += 1) quotes.upstream.observe({ provider: 'yahoo', operation: 'quotes', outcome, seconds: 0.05 });
  }

  function emitQuotes(quotes: QuoteMetrics, count: number): void {
    const emitter = quotes.countEmits(createQuoteEmitter(redis, keys.socketIo));
    for (let i = 0; i < count; i += 1) emitter.emitQuotes([sampleQuote('AAPL', { seq: i + 1 })]);
  }

  function scrapeOf(own: ProcessMetrics, queues: readonly CountedQueue[] = [], client: Redis = redis, timeoutMs = 2000): ClusterMetrics {
    return createClusterMetrics({ own, redis: client, keys, queues, timeoutMs, logger: silent });
  }

  const scrape = async (cluster: ClusterMetrics) => parseExposition(await cluster.render());

  it('keeps each process\'s series apart under its own instance and role', async () => {
    const first = startProcess('worker');
    const second = startProcess('worker');
    const scheduler = startProcess('scheduler');
    upstreamRequests(first.quotes, 2);
    upstreamRequests(second.quotes, 3);
    upstreamRequests(second.quotes, 1, 'rate_limited');
    emitQuotes(first.quotes, 4);
    emitQuotes(second.quotes, 5);
    await Promise.all([first.publisher.publish(), second.publisher.publish(), scheduler.publisher.publish()]);

    const web = startProcess('web');
    trackConnectedSockets(web.metrics.registry, () => 2);
    upstreamRequests(web.quotes, 7);
    const samples = await scrape(scrapeOf(web.metrics));

    const requests = { provider: 'yahoo', operation: 'quotes' };
    expect(total(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'ok', process: 'worker' })).toBe(5);
    // Per instance, not pre-summed: a process that leaves ends its series instead of making a sum drop.
    expect(total(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'ok', instance_id: first.metrics.instanceId })).toBe(2);
    expect(total(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'ok', instance_id: second.metrics.instanceId })).toBe(3);
    expect(total(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'rate_limited', process: 'worker' })).toBe(1);
    // Every outcome is there from the first request (one series per worker), at 0 until it happens.
    expect(samplesOf(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'error', process: 'worker' }).map((s) => s.value)).toEqual([0, 0]);
    // The web process's own requests stay apart from the workers', read live.
    expect(total(samples, 'tickwire_upstream_requests_total', { ...requests, outcome: 'ok', process: 'web' })).toBe(7);
    expect(total(samples, 'tickwire_upstream_request_duration_seconds_count', { ...requests, process: 'worker' })).toBe(6);
    expect(total(samples, 'tickwire_upstream_request_duration_seconds_bucket', { ...requests, process: 'worker', le: '+Inf' })).toBe(6);
    expect(total(samples, 'tickwire_quotes_emitted_total', { process: 'worker' })).toBe(9);
    expect(total(samples, 'tickwire_sockets_connected', { process: 'web' })).toBe(2);

    // Each process's start time is there once, under its own instance: never added up, never dropped.
    const starts = samplesOf(samples, 'process_start_time_seconds');
    expect(starts.map((s) => s.labels.instance_id).sort()).toEqual([first, second, scheduler, web].map((p) => p.metrics.instanceId).sort());
    expect(samplesOf(samples, 'process_start_time_seconds', { instance_id: first.metrics.instanceId })[0]).toMatchObject({ labels: { process: 'worker' } });
    expect(samplesOf(samples, 'nodejs_heap_size_used_bytes')).toHaveLength(4);

    expect(total(samples, 'tickwire_metrics_instances', { process: 'worker' })).toBe(2);
    expect(total(samples, 'tickwire_metrics_instances', { process: 'scheduler' })).toBe(1);
    expect(total(samples, 'tickwire_metrics_instances', { process: 'web' })).toBe(1);
  });

  it('reports the depth of real queues per state at scrape time', async () => {
    const quotes = openQueue(QUEUE_NAMES.quotes, { connection: bull, prefix });
    const schedule = openQueue(QUEUE_NAMES.schedule, { connection: bull, prefix });
    cleanup.push(() => Promise.all([quotes.close(), schedule.close()]));
    const cluster = scrapeOf(startProcess('web').metrics, [quotes, schedule]);

    await quotes.addBulk(['AAPL', 'MSFT', 'NVDA'].map((symbol) => ({ name: 'fetch-quote', data: { symbol } })));
    await schedule.add('schedule-tick', {}, { delay: 60_000 });
    let samples = await scrape(cluster);
    expect(total(samples, 'tickwire_queue_jobs', { queue: 'quotes', state: 'waiting' })).toBe(3);
    expect(total(samples, 'tickwire_queue_jobs', { queue: 'schedule', state: 'delayed' })).toBe(1);
    expect(total(samples, 'tickwire_queue_jobs', { queue: 'schedule', state: 'waiting' })).toBe(0);
    expect(samplesOf(samples, 'tickwire_queue_jobs', { queue: 'quotes' }).map((s) => s.labels.state)).toEqual(expect.arrayContaining(['active', 'prioritized', 'failed', 'completed']));

    // Read when scraped, not when the process started.
    await quotes.add('fetch-quote', { symbol: 'TSLA' });
    samples = await scrape(cluster);
    expect(total(samples, 'tickwire_queue_jobs', { queue: 'quotes', state: 'waiting' })).toBe(4);
  });

  it('drops a process that stopped publishing once its snapshot expires, and prunes it from the index', async () => {
    const live = startProcess('worker');
    // A process that dies: its Redis connection goes away with it, so it publishes no more.
    const doomedClient = createCacheClient(sharedUrls().redisUrl, silent);
    await firstConnection(doomedClient, 5000);
    const doomed = startProcess('worker', doomedClient);
    upstreamRequests(live.quotes, 2);
    upstreamRequests(doomed.quotes, 3);
    await Promise.all([live.publisher.publish(), doomed.publisher.publish()]);
    const cluster = scrapeOf(startProcess('web').metrics);
    expect(total(await scrape(cluster), 'tickwire_upstream_requests_total', { outcome: 'ok', process: 'worker' })).toBe(5);

    doomedClient.disconnect();
    const after = await eventually(async () => {
      const samples = await scrape(cluster);
      return total(samples, 'tickwire_metrics_instances', { process: 'worker' }) === 1 ? samples : undefined;
    }, 20 * INTERVAL_MS);
    expect(total(after, 'tickwire_upstream_requests_total', { outcome: 'ok', process: 'worker' })).toBe(2);
    expect(await redis.smembers(keys.metricsInstances)).not.toContain(doomed.metrics.instanceId);
    expect(await redis.smembers(keys.metricsInstances)).toContain(live.metrics.instanceId);
  });

  it('withdraws a process that shuts down at once, without waiting for the expiry', async () => {
    const leaving = startProcess('scheduler');
    await leaving.publisher.publish();
    const cluster = scrapeOf(startProcess('web').metrics);
    expect(total(await scrape(cluster), 'tickwire_metrics_instances', { process: 'scheduler' })).toBe(1);
    await leaving.publisher.close();
    expect(samplesOf(await scrape(cluster), 'tickwire_metrics_instances', { process: 'scheduler' })).toEqual([]);
    expect(await redis.exists(keys.metricsSnapshot(leaving.metrics.instanceId))).toBe(0);
  });

  it('leaves out a damaged snapshot and keeps the rest', async () => {
    const worker = startProcess('worker');
    upstreamRequests(worker.quotes, 4);
    await worker.publisher.publish();
    await redis.multi().set(keys.metricsSnapshot('broken'), '{"instanceId":', 'PX', 60_000).sadd(keys.metricsInstances, 'broken').exec();
    await redis.multi().set(keys.metricsSnapshot('odd'), JSON.stringify({ instanceId: 'odd', role: 'worker', metrics: [{ name: 'x', type: 'counter', aggregator: 'weird', help: 'x', values: [{ value: 1, labels: {} }, { value: null, labels: { kind: 'nan' } }, { value: 2 }] }] }), 'PX', 60_000).sadd(keys.metricsInstances, 'odd').exec();
    const samples = await scrape(scrapeOf(startProcess('web').metrics));
    expect(total(samples, 'tickwire_upstream_requests_total', { outcome: 'ok', process: 'worker' })).toBe(4);
    expect(samplesOf(samples, 'x')).toEqual([{ name: 'x', labels: {}, value: 1 }]);
  });

  it('neither throws nor hangs while Redis is away: publishing logs once, a scrape shows this process alone', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const deadCache = createCacheClient(deadUrl, silent);
    const deadBull = createBullConnection(deadUrl, silent);
    cleanup.push(() => closeClients([deadCache, deadBull]));
    const { logger, warnings } = recordingLogger();
    const metrics = createProcessMetrics('web');
    const publisher = publishMetricsSnapshots(deadCache, keys, metrics, { intervalMs: INTERVAL_MS, logger });
    cleanup.push(() => publisher.close());
    await publisher.publish();
    await publisher.publish();
    expect(warnings()).toEqual(['metrics not published; the next interval retries']);

    trackConnectedSockets(metrics.registry, () => 1);
    const queue = openQueue(QUEUE_NAMES.quotes, { connection: deadBull, prefix });
    queue.on('error', () => undefined);
    cleanup.push(() => queue.close());
    const samples = await scrape(scrapeOf(metrics, [queue], deadCache, 300));
    expect(total(samples, 'tickwire_sockets_connected', { process: 'web' })).toBe(1);
    expect(samplesOf(samples, 'tickwire_queue_jobs')).toEqual([]);
    expect(samplesOf(samples, 'tickwire_metrics_instances').map((s) => [s.labels.process, s.value])).toEqual([['web', 1]]);
  });
});
