// The scheduler process: owns the repeating tick that turns demand (watchlists ∪ live sockets)
// into per-ticker fetch jobs.
import { loadConfig } from '../../config/index.js';
import { runProcess } from '../../lib/platform/run-process.js';
import { lowerCpuPriority } from '../../lib/platform/cpu-priority.js';
import { openConnections } from '../../lib/process/connections.js';
import { createProbeSet, watchDependencies } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { openQueue, startQueueWorker } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { createProvider } from '../../lib/providers/index.js';
import { createDemandReader } from '../../lib/demand/demand.js';
import { createProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createJobMetrics } from '../../lib/metrics/job-metrics.js';
import { publishMetricsSnapshots } from '../../lib/metrics/snapshot-publisher.js';
import { upsertSchedules } from './schedules.js';
import { createTickProcessor } from './tick.js';
import { readLastRefreshes } from '../../lib/demand/refresh-log.js';
import { symbolsPerRequest } from '../../lib/upstream/refresh-plan.js';
import { createUpstreamGate, upstreamBudgetOf } from '../../lib/upstream/upstream-gate.js';
import { recordPlannedTick } from '../../lib/upstream/budget-report.js';
import { createBudgetMetrics } from '../../lib/metrics/budget-metrics.js';

await runProcess('scheduler', loadConfig(), async ({ config, logger, shutdown }) => {
  const nice = lowerCpuPriority(config.backgroundNice);
  const metrics = createProcessMetrics('scheduler');
  const { orm, bull, cache, keys, queueSettings: settings, closeRedis } = await openConnections(config, logger, 2);
  const scheduleQueue = openQueue(QUEUE_NAMES.schedule, settings);
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, settings);
  const provider = createProvider(config, { redis: cache, keys, logger });
  const budgetMetrics = createBudgetMetrics(metrics.registry);
  // The scheduler never asks the provider; it reads the gate's pause and quota to plan within them.
  const gate = createUpstreamGate(cache, keys, provider.name, upstreamBudgetOf(config));
  const intervalMs = config.quotes.fetchIntervalMs;

  const tick = createTickProcessor({
    demand: createDemandReader({ orm, redis: cache, keys, timeoutMs: config.quotes.demandDatabaseTimeoutMs, logger }),
    quotesQueue,
    waves: {
      batchSize: symbolsPerRequest(provider.capabilities.maxSymbolsPerRequest, config.worker.concurrency),
      intervalMs,
    },
    lastRefresh: (symbols) => readLastRefreshes(cache, keys, symbols),
    budget: {
      requestsPerSecond: config.quotes.upstreamRequestsPerSecond,
      reserveShare: config.quotes.upstreamReserveShare,
      marketIntervals: config.quotes.marketStateIntervals,
      state: async () => {
        const state = await gate.state();
        budgetMetrics.recordQuota(state.quota?.remaining);
        return state;
      },
    },
    onPlan: async (plan, ages) => {
      budgetMetrics.recordTick(plan, ages);
      if (plan.deferred > 0) logger.debug({ due: plan.due, deferred: plan.deferred, allowed: plan.allowed }, 'demand exceeds the upstream budget; tickers take turns');
      const tick = { at: new Date().toISOString(), due: plan.due, allowedRequests: plan.allowed, plannedRequests: plan.waves, deferred: plan.deferred };
      await recordPlannedTick(cache, keys, tick, intervalMs);
    },
    logger,
  });
  const worker = startQueueWorker(QUEUE_NAMES.schedule, [{ name: 'schedule-tick', handle: (job) => tick.process(job) }], { ...settings, metrics: createJobMetrics(metrics.registry) }, { concurrency: 1 });

  await upsertSchedules(scheduleQueue, intervalMs);
  const probes = createProbeSet([databaseProbe(orm), redisProbe(bull)], logger, config.health.timeoutMs);
  const stopWatching = watchDependencies(probes, 5000);
  const snapshots = publishMetricsSnapshots(cache, keys, metrics, { intervalMs: config.metrics.publishIntervalMs, logger });

  // Stop releasing the current tick's waves first, so closing the worker does not wait for them.
  shutdown.add('tick waves', () => tick.stop());
  shutdown.add('tick worker', () => worker.close());
  shutdown.add('dependency watch', stopWatching);
  shutdown.add('queues', () => Promise.all([scheduleQueue.close(), quotesQueue.close()]));
  shutdown.add('metrics snapshots', () => snapshots.close());
  shutdown.add('redis', closeRedis);
  shutdown.add('database', () => orm.close());
  return { queues: [scheduleQueue.name, quotesQueue.name], fetchIntervalMs: intervalMs, provider: provider.name, nice };
});
