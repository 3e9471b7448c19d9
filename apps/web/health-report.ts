// Composes API.md's health body from the live probes, the queue and the process's own state.
import type { Config } from '../../config/index.js';
import type { ProbeSet } from '../../lib/platform/health.js';
import { withTimeout } from '../../lib/platform/health.js';
import type { UpstreamStatus, UpstreamStatusBoard } from '../../lib/upstream/upstream-status.js';
import type { WatchedDemandStatus } from '../../lib/demand/last-known-demand.js';
import type { BudgetReport } from '../../lib/upstream/budget-report.js';

export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly timestamp: string;
  readonly database: 'connected' | 'disconnected';
  readonly redis: 'connected' | 'disconnected';
  readonly queue: { readonly name: string; readonly state: 'connected' | 'unavailable'; readonly counts?: Record<string, number> };
  readonly upstream: UpstreamStatus;
  /** Whether the scheduler refreshes the watchlists as PostgreSQL has them now, or as last known at `asOf`. */
  readonly demand: WatchedDemandStatus;
  /** The upstream budget: whether the demand exceeds it, and the daily quota left; null when Redis did not say. */
  readonly budget: BudgetReport | null;
  /** Names of the dependencies that did not answer, with why; empty when healthy. */
  readonly failing: ReadonlyArray<{ readonly dependency: string; readonly error: string }>;
  readonly environment: string;
  readonly version: string;
  readonly uptimeSeconds: number;
}

export interface HealthSources {
  readonly config: Config;
  readonly probes: ProbeSet;
  readonly queue: { readonly name: string; getJobCounts(...types: string[]): Promise<Record<string, number>> };
  /** What the workers last learned of the provider. */
  readonly upstream: UpstreamStatusBoard;
  /** How current the scheduler's watchlist demand is. */
  readonly demand: () => Promise<WatchedDemandStatus>;
  /** How the demand compares with the upstream budget (the scheduler's last plan, the gate's quota). */
  readonly budget?: (() => Promise<BudgetReport>) | undefined;
}

export interface HealthReporter {
  report(): Promise<HealthReport>;
}

export function createHealthReporter({ config, probes, queue, upstream, demand, budget }: HealthSources): HealthReporter {
  const unknownUpstream: UpstreamStatus = { provider: config.quotes.provider, state: 'unknown', since: null, lastSuccessAt: null, lastError: null };
  return {
    async report() {
      const [results, counts, upstreamStatus, demandStatus, budgetReport] = await Promise.all([
        probes.run(),
        withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), config.health.timeoutMs, 'queue').catch(() => undefined),
        withTimeout(upstream.read(), config.health.timeoutMs, 'upstream').catch(() => unknownUpstream),
        withTimeout(demand(), config.health.timeoutMs, 'demand').catch((): WatchedDemandStatus => ({ watchlists: 'unknown', asOf: null })),
        budget ? withTimeout(budget(), config.health.timeoutMs, 'budget').catch(() => null) : Promise.resolve(null),
      ]);
      const database = results.database?.state ?? 'disconnected';
      const redis = results.redis?.state ?? 'disconnected';
      const failing = Object.entries(results)
        .filter(([, result]) => result.state === 'disconnected')
        .map(([dependency, result]) => ({ dependency, error: result.error ?? 'unreachable' }));
      return {
        status: failing.length ? 'unhealthy' : upstreamStatus.state === 'rate_limited' || upstreamStatus.state === 'failing' ? 'degraded' : 'healthy',
        timestamp: new Date().toISOString(),
        database,
        redis,
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
