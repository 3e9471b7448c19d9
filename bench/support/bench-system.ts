// A whole Tickwire for a benchmark: private PostgreSQL and Redis in a throwaway folder, the Yahoo
// stub as the upstream, and web / worker / scheduler as real processes, as the Procfile runs them.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildConfig } from '../../config/index.js';
import { createLogger } from '../../lib/platform/logger.js';
import { startLocalInfra } from '../../lib/local-infra/index.js';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { startYahooStub, type YahooStub, type YahooStubOptions } from '../../test/stubs/yahoo-stub.js';
import { freePort, ROOT, startProcess, type RunningProcess } from '../../test/support/processes.js';

export interface BenchSystem {
  readonly stub: YahooStub;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly env: Readonly<Record<string, string>>;
  start(app: 'web' | 'worker' | 'scheduler', extra?: Record<string, string>): Promise<RunningProcess & { port?: number }>;
  stop(): Promise<void>;
}

export interface BenchSystemOptions {
  /** Options of the Yahoo stub, e.g. a longer `servedHistory` for long latency measurements. */
  readonly stub?: YahooStubOptions;
}

export async function startBenchSystem(settings: Record<string, string>, options: BenchSystemOptions = {}): Promise<BenchSystem> {
  const dataDir = path.join(ROOT, '.data', 'bench', `run-${process.pid}`);
  const config = buildConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, LOCAL_POSTGRES_PORT: String(await freePort()), LOCAL_REDIS_PORT: String(await freePort()) }, { cwd: ROOT });
  const infra = await startLocalInfra(config, createLogger(config, 'bench-infra'));
  const orm = await initOrm({ url: infra.databaseUrl, poolMax: 1 });
  await applyMigrations(orm);
  await orm.close();
  const stub = await startYahooStub(options.stub);
  const prefix = 'bench';
  const env = { NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, REDIS_PREFIX: prefix, QUOTE_UPSTREAM_URL: stub.url, ...settings, ...overrides() };
  const running: RunningProcess[] = [];

  return {
    stub,
    redisUrl: infra.redisUrl,
    prefix,
    env,
    async start(app, extra = {}) {
      const port = app === 'web' ? await freePort() : undefined;
      // Ready lines are logged at info; everything else stays at the quieter level.
      const child = startProcess(`dist/apps/${app}/main.js`, { ...env, LOG_LEVEL: 'info', ...(port ? { PORT: String(port) } : {}), ...extra });
      running.push(child);
      await child.waitForOutput(new RegExp(`"msg":"${app} ready"`), 60_000);
      return Object.assign(child, { port });
    },
    async stop() {
      for (const child of running.reverse()) await child.stop('SIGTERM');
      await stub.close();
      await infra.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `BENCH_<NAME>=value` in the bench's own environment reaches every process it starts as
 * `<NAME>=value`, over the bench's settings: an A/B of one setting without editing the script.
 */
function overrides(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).flatMap(([name, value]) => (name.startsWith('BENCH_') && value !== undefined ? [[name.slice('BENCH_'.length), value]] : [])),
  );
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
