// The worker process: a BullMQ worker pool on the quotes queue, its jobs batched into provider
// requests through the quote pipeline (the only process kind that runs the archive's write-behind).
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { lowerCpuPriority } from '../../lib/platform/cpu-priority.js';
import { openConnections } from '../../lib/process/connections.js';
import { createProbeSet, watchDependencies } from '../../lib/platform/health.js';
import { redisProbe } from '../../lib/platform/probes.js';
import { startQueueWorker } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { fetchWorkerLocking } from '../../lib/queues/job-options.js';
import { createQuoteBatcher } from '../../lib/quotes/quote-batcher.js';
import { createQuotePipeline, type RefreshOutcome } from '../../lib/quotes/quote-pipeline.js';
import { symbolsPerRequest } from '../../lib/upstream/refresh-plan.js';
import { createProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createQuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { createJobMetrics } from '../../lib/metrics/job-metrics.js';
import { publishMetricsSnapshots } from '../../lib/metrics/snapshot-publisher.js';
import { fetchQuoteHandler } from './processors/fetch-quote.js';

/** How long a ticker without a wave (a retry) waits for others to share its request. */
const BATCH_WINDOW_MS = 50;

await runProcess('worker', loadConfig(), async ({ config, logger, shutdown }) => {
  const nice = lowerCpuPriority(config.backgroundNice);
  const metrics = createProcessMetrics('worker');
  // The ORM connects on first use: the worker starts, and fetches, while PostgreSQL is away.
  const { orm, bull, cache, keys, queueSettings, closeRedis } = await openConnections(config, logger, 2);
  const pipeline = createQuotePipeline({ config, cache, publisher: bull, keys, orm, logger, metrics: createQuoteMetrics(metrics.registry), archive: 'write-behind' });
  const maxBatch = symbolsPerRequest(pipeline.provider.capabilities.maxSymbolsPerRequest, config.worker.concurrency);
  // A wave short of jobs after half an interval lost them to another worker (or a run that died):
  // it goes short rather than late. Capped well inside the shutdown timeout.
  const waveTimeoutMs = Math.min(5000, Math.max(1000, Math.round(config.quotes.fetchIntervalMs / 2)));
  const batcher = createQuoteBatcher<RefreshOutcome>({ maxBatch, windowMs: BATCH_WINDOW_MS, waveTimeoutMs, fetchBatch: pipeline.refresh });

  // No job limiter: the gate is the one throttle, per request, shared with every process.
  const worker = startQueueWorker(
    QUEUE_NAMES.quotes,
    [fetchQuoteHandler(batcher)],
    { ...queueSettings, metrics: createJobMetrics(metrics.registry) },
    { concurrency: config.worker.concurrency, ...fetchWorkerLocking(config.quotes.fetchIntervalMs) },
  );
  const stopWatching = watchDependencies(createProbeSet([redisProbe(bull)], logger, config.health.timeoutMs), 5000);
  const snapshots = publishMetricsSnapshots(cache, keys, metrics, { intervalMs: config.metrics.publishIntervalMs, logger });

  // Stop taking jobs and let those in flight finish (BullMQ's close waits for them).
  shutdown.add('quotes worker', () => worker.close());
  shutdown.add('dependency watch', stopWatching);
  // After the jobs in flight: their quotes are in the last flush.
  shutdown.add('quote archive', () => pipeline.close());
  shutdown.add('metrics snapshots', () => snapshots.close());
  shutdown.add('redis', closeRedis);
  shutdown.add('database', () => orm.close());
  return { queues: [worker.name], provider: pipeline.provider.name, concurrency: config.worker.concurrency, maxBatch, nice };
});
