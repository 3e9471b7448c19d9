// web, worker and scheduler as real processes on a PostgreSQL and a Redis of this test's own, so
// the test can stop and restart them: health turns 503 naming the missing part, no process
// exits, and health is 200 again within 5 s of the part coming back.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../lib/local-infra/embedded-postgres.js';
import { startLocalRedis } from '../../lib/local-infra/local-redis.js';
import { eventually, freePort, ROOT, startProcess, type RunningProcess } from '../support/processes.js';
import { uniqueName } from '../support/infra.js';

jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });
const dataDir = path.join(ROOT, '.data', 'test', uniqueName('outage'));

interface Health {
  status: number;
  body: { status: string; database: string; redis: string; failing: Array<{ dependency: string }> };
}

describe('health through a Redis and a PostgreSQL outage', () => {
  let redisPort: number;
  let postgresPort: number;
  let webPort: number;
  let redis: Awaited<ReturnType<typeof startLocalRedis>>;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let processes: Record<'web' | 'worker' | 'scheduler', RunningProcess>;

  const startRedis = () => startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: redisPort, logger });
  const startPostgres = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort, logger });
  const health = async (): Promise<Health> => {
    const response = await fetch(`http://127.0.0.1:${webPort}/api/health`);
    return { status: response.status, body: (await response.json()) as Health['body'] };
  };
  const allAlive = () => Object.values(processes).every((p) => p.alive);

  beforeAll(async () => {
    [redisPort, postgresPort, webPort] = await Promise.all([freePort(), freePort(), freePort()]);
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(webPort), HOST: '127.0.0.1', DATABASE_URL: postgres.url, REDIS_URL: redis.url, HEALTH_TIMEOUT_MS: '1000' };
    processes = {
      web: startProcess('dist/apps/web/main.js', env),
      worker: startProcess('dist/apps/worker/main.js', env),
      scheduler: startProcess('dist/apps/scheduler/main.js', env),
    };
    await Promise.all(Object.entries(processes).map(([name, p]) => p.waitForOutput(new RegExp(`"msg":"${name} ready"`))));
  }, 180_000);

  afterAll(async () => {
    const codes = await Promise.all(Object.values(processes ?? {}).map((p) => p.stop('SIGTERM')));
    await Promise.all([redis?.stop(), postgres?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
    // Each process shut down in order and exited cleanly.
    expect(codes).toEqual([0, 0, 0]);
  });

  it('is healthy with both dependencies up', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'healthy', database: 'connected', redis: 'connected', failing: [] });
  });

  /** Stops one dependency, checks health and the processes while it is away, brings it back. */
  async function outage(dependency: 'redis' | 'database', stop: () => Promise<void>, restart: () => Promise<void>): Promise<void> {
    await stop();
    const down = await eventually(async () => {
      const h = await health();
      return h.status === 503 ? h : undefined;
    }, 10_000);
    const other = dependency === 'redis' ? 'database' : 'redis';
    expect(down.body).toMatchObject({ status: 'unhealthy', [dependency]: 'disconnected', [other]: 'connected' });
    expect(down.body.failing.map((f) => f.dependency)).toEqual([dependency]);

    // A while without the dependency: every process stays up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(allAlive()).toBe(true);

    await restart();
    await eventually(async () => ((await health()).status === 200 ? true : undefined), 5000, 100);
    expect(allAlive()).toBe(true);
  }

  it('answers 503 naming redis while Redis is down, and recovers within 5 s of its return', async () => {
    await outage(
      'redis',
      () => redis.stop(),
      async () => void (redis = await startRedis()),
    );
    await processes.web.waitForOutput(/redis connection lost/);
    await processes.web.waitForOutput(/redis connection restored/);
    await processes.worker.waitForOutput(/redis connection restored/);
  });

  it('answers 503 naming the database while PostgreSQL is down, and recovers within 5 s of its return', async () => {
    await outage(
      'database',
      () => postgres.stop(),
      async () => void (postgres = await startPostgres()),
    );
    await processes.web.waitForOutput(/database is unreachable/);
    await processes.web.waitForOutput(/database is reachable again/);
  });
});
