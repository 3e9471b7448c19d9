// Composes API.md's health body from the live probes, the queue and the process's own state.
import type { z } from 'zod';
import type { Config } from '../../config/index.js';
import { withTimeout, type ProbeSet } from '../../lib/platform/health.js';
import type { UpstreamStatus, UpstreamStatusBoard } from '../../lib/upstream/upstream-status.js';
import type { WatchedDemandStatus } from '../../lib/demand/last-known-demand.js';
import type { BudgetReport } from '../../lib/upstream/budget-report.js';
import type { healthReportSchema } from './schemas/responses/health.js';

interface HealthSources {
  readonly config: Config;
  readonly probes: ProbeSet;
  readonly queue: { readonly name: string; getJobCounts(...types: string[]): Promise<Record<string, number>> };
  readonly upstream: UpstreamStatusBoard;
  /** How current the scheduler's watchlist demand is. */
  readonly demand: () => Promise<WatchedDemandStatus>;
  /** How the demand compares with the upstream budget (the scheduler's last plan, the gate's quota). */
  readonly budget: () => Promise<BudgetReport>;
}

export function createHealthReporter({ config, probes, queue, upstream, demand, budget }: HealthSources) {
  const unknownUpstream: UpstreamStatus = { provider: config.quotes.provider, state: 'unknown', since: null, lastSuccessAt: null, lastError: null };
  return {
    async report(): Promise<z.infer<typeof healthReportSchema>> {
      const [results, counts, upstreamStatus, demandStatus, budgetReport] = await Promise.all([
        probes.run(),
        withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), config.health.timeoutMs, 'queue').catch(() => undefined),
        withTimeout(upstream.read(), config.health.timeoutMs, 'upstream').catch(() => unknownUpstream),
        withTimeout(demand(), config.health.timeoutMs, 'demand').catch((): WatchedDemandStatus => ({ watchlists: 'unknown', asOf: null })),
        withTimeout(budget(), config.health.timeoutMs, 'budget').catch(() => null),
      ]);
      const failing = Object.entries(results)
        .filter(([, result]) => result.state === 'disconnected')
        .map(([dependency, result]) => ({ dependency, error: result.error ?? 'unreachable' }));
      return {
        status: failing.length ? 'unhealthy' : upstreamStatus.state === 'rate_limited' || upstreamStatus.state === 'failing' ? 'degraded' : 'healthy',
        timestamp: new Date().toISOString(),
        database: results.database?.state ?? 'disconnected',
        redis: results.redis?.state ?? 'disconnected',
        queue: counts ? { name: queue.name, state: 'connected', counts } : { name: queue.name, state: 'unavailable' },
        // The provider's trouble degrades the service (cached quotes go stale) without making it unhealthy.
        upstream: upstreamStatus,
        demand: demandStatus,
        // A demand beyond the budget is a sizing matter, not an outage: it is reported, not degraded.
        budget: budgetReport,
        failing,
        environment: config.env,
        version: config.version,
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
  };
}
