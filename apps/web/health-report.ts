// Composes API.md's health body from the live probes, the queue and the process's own state.
import type { Config } from '../../config/index.js';
import type { ProbeSet } from '../../lib/platform/health.js';
import { withTimeout } from '../../lib/platform/health.js';

export interface HealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly timestamp: string;
  readonly database: 'connected' | 'disconnected';
  readonly redis: 'connected' | 'disconnected';
  readonly queue: { readonly name: string; readonly state: 'connected' | 'unavailable'; readonly counts?: Record<string, number> };
  readonly upstream: { readonly provider: string; readonly state: string };
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
}

export interface HealthReporter {
  report(): Promise<HealthReport>;
}

export function createHealthReporter({ config, probes, queue }: HealthSources): HealthReporter {
  return {
    async report() {
      const [results, counts] = await Promise.all([
        probes.run(),
        withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), config.health.timeoutMs, 'queue').catch(() => undefined),
      ]);
      const database = results.database?.state ?? 'disconnected';
      const redis = results.redis?.state ?? 'disconnected';
      const failing = Object.entries(results)
        .filter(([, result]) => result.state === 'disconnected')
        .map(([dependency, result]) => ({ dependency, error: result.error ?? 'unreachable' }));
      return {
        status: failing.length ? 'unhealthy' : 'healthy',
        timestamp: new Date().toISOString(),
        database,
        redis,
        queue: counts ? { name: queue.name, state: 'connected', counts } : { name: queue.name, state: 'unavailable' },
        // The quote pipeline reports the provider's state here once it runs (issue: quote pipeline).
        upstream: { provider: config.quotes.provider, state: 'unknown' },
        failing,
        environment: config.env,
        version: config.version,
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
  };
}
