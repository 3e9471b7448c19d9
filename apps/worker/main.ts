// The worker process: a BullMQ worker pool on the quotes queue. Jobs in flight together share
// batched provider requests; quotes go to the Redis cache, out through the Socket.IO emitter and,
// in batches every few seconds, to PostgreSQL's copy of the last known quotes.
import { Worker } from 'bullmq';
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { closeClients, createBullConnection, createCacheClient } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createProbeSet, watchDependencies } from '../../lib/platform/health.js';
import { redisProbe } from '../../lib/platform/probes.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { fetchWorkerLocking } from '../../lib/queues/job-options.js';
import { createProvider } from '../../lib/providers/index.js';
import { createQuoteBatcher } from '../../lib/quotes/quote-batcher.js';
import { createQuoteRefresher, type RefreshOutcome } from '../../lib/quotes/refresh-quotes.js';
import { createQuoteStore } from '../../lib/quotes/quote-store.js';
import { createUpstreamGate, upstreamBudgetOf } from '../../lib/quotes/upstream-gate.js';
import { unknownSymbols } from '../../lib/quotes/unknown-symbols.js';
import { symbolsPerRequest } from '../../lib/quotes/refresh-plan.js';
import { upstreamStatusBoard } from '../../lib/quotes/upstream-status.js';
import { createQuoteEmitter } from '../../lib/realtime/emitter.js';
import { initOrm } from '../../lib/db/orm.js';
import { quoteArchive } from '../../lib/quotes/quote-archive.js';
import { createArchiveWriter } from '../../lib/quotes/archive-writer.js';
import { createProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createQuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { createJobMetrics } from '../../lib/metrics/job-metrics.js';
import { publishMetricsSnapshots } from '../../lib/metrics/snapshot-publisher.js';
import { fetchQuoteProcessor } from './processors/fetch-quote.js';

/** How long a ticker without a wave (a retry) waits for others to share its request. */
const BATCH_WINDOW_MS = 50;

await runProcess('worker', loadConfig(), async ({ config, logger, shutdown }) => {
  const metrics = createProcessMetrics('worker');
  const quoteMetrics = createQuoteMetrics(metrics.registry);
  const keys = redisKeys(config.redis.prefix);
  const bull = createBullConnection(config.redis.url, logger);
  const workerConnection = createBullConnection(config.redis.url, logger, 'bullmq-worker');
  const cache = createCacheClient(config.redis.url, logger);
  // Publishing keeps its own connection that queues while Redis is away (the cache client fails fast).
  const publisher = createBullConnection(config.redis.url, logger, 'emitter');
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, { connection: bull, prefix: config.redis.prefix });
  const provider = createProvider(config, { redis: cache, keys, logger });
  const maxBatch = symbolsPerRequest(provider.capabilities.maxSymbolsPerRequest, config.worker.concurrency);
  // Connects on first use: the worker starts, and fetches, while PostgreSQL is away.
  const orm = await initOrm({ url: config.database.url, poolMax: 2, queryTimeoutMs: config.database.queryTimeoutMs }, logger);
  const archive = createArchiveWriter({ archive: quoteArchive(orm), flushIntervalMs: config.quotes.archiveFlushMs, logger });

  const refresh = createQuoteRefresher({
    provider,
    gate: createUpstreamGate(cache, keys, provider.name, { ...upstreamBudgetOf(config), logger, observer: quoteMetrics.upstream }),
    store: createQuoteStore(cache, keys),
    emitter: quoteMetrics.countEmits(createQuoteEmitter(publisher, keys.socketIo, (error) => logger.debug({ err: String(error) }, 'stock_update publish failed'))),
    unknown: unknownSymbols(cache, keys),
    status: upstreamStatusBoard(cache, keys, provider.name),
    logger,
    archive,
    observeBatch: (symbols) => quoteMetrics.observeBatch(symbols),
  });
  // A wave short of jobs after half an interval lost them to another worker process (or to a run
  // that died): it goes short rather than late. Capped well inside the shutdown timeout, which
  // waits for the jobs in flight.
  const waveTimeoutMs = Math.min(5000, Math.max(1000, Math.round(config.quotes.fetchIntervalMs / 2)));
  const batcher = createQuoteBatcher<RefreshOutcome>({ maxBatch, windowMs: BATCH_WINDOW_MS, waveTimeoutMs, fetchBatch: refresh });

  // No job limiter: the gate is the one throttle, per request, shared with every process.
  const worker = new Worker(QUEUE_NAMES.quotes, fetchQuoteProcessor({ batcher }), {
    connection: workerConnection,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    ...fetchWorkerLocking(config.quotes.fetchIntervalMs),
  });
  createJobMetrics(metrics.registry).watch(worker);
  worker.on('error', (error) => logger.warn({ err: error.message }, 'quotes worker error'));
  worker.on('failed', (job, error) => logger.warn({ job: job?.id, symbol: job?.data.symbol, attempts: job?.attemptsMade, err: error.message }, 'fetch job failed'));
  quotesQueue.on('error', (error) => logger.warn({ err: error.message }, 'quotes queue error'));
  const stopWatching = watchDependencies(createProbeSet([redisProbe(bull)], logger, config.health.timeoutMs), 5000);
  const snapshots = publishMetricsSnapshots(cache, keys, metrics, { intervalMs: config.metrics.publishIntervalMs, logger });

  // Stop taking jobs and let those in flight finish (BullMQ's close waits for them).
  shutdown.add('quotes worker', () => worker.close());
  shutdown.add('dependency watch', stopWatching);
  // After the jobs in flight: their quotes are in the last flush.
  shutdown.add('quote archive', () => archive.close());
  shutdown.add('queues', () => quotesQueue.close());
  shutdown.add('metrics snapshots', () => snapshots.close());
  shutdown.add('redis', () => closeClients([workerConnection, bull, cache, publisher]));
  shutdown.add('database', () => orm.close());
  return { queues: [quotesQueue.name], provider: provider.name, concurrency: config.worker.concurrency, maxBatch };
});
