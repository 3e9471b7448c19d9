// `npm start`'s launcher end to end: local PostgreSQL and Redis, release step, the three
// processes from the Procfile; Ctrl-C (SIGINT to the process group, as a terminal sends it)
// stops everything; a second start finds the first one's data.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { pingRedis } from '../../lib/local-infra/local-redis.js';
import { eventually, ROOT } from '../support/processes.js';
import { interrupt, launcherPorts, leftovers, readiness, startLauncher, type LauncherPorts } from '../support/launcher.js';
import { uniqueName } from '../support/infra.js';

jest.setTimeout(180_000);

const dataDir = path.join(ROOT, '.data', 'test', uniqueName('launcher'));

const portOpen = (port: number) =>
  fetch(`http://127.0.0.1:${port}/livez`).then(
    () => true,
    () => false,
  );

describe('the launcher (npm start)', () => {
  let ports: LauncherPorts;

  beforeAll(async () => {
    ports = await launcherPorts();
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function runOnce(): Promise<string> {
    const launcher = startLauncher(ports, dataDir);
    const health = await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${ports.web}/api/health`);
      return response.status === 200 ? ((await response.json()) as { database: string; redis: string }) : undefined;
    }, 90_000, 250).catch((error: Error) => {
      throw new Error(`${error.message}\n${launcher.output().slice(-4000)}`);
    });
    expect(health).toMatchObject({ database: 'connected', redis: 'connected' });
    for (const name of ['web', 'worker', 'scheduler']) {
      await eventually(async () => (readiness(launcher.output(), name).count > 0 ? true : undefined), 20_000);
    }

    interrupt(launcher);
    expect(await launcher.exited).toBe(0);

    expect(await portOpen(ports.web)).toBe(false);
    expect(await pingRedis(ports.redis)).toBe(false);
    expect(leftovers(launcher.child.pid!, [dataDir, `127.0.0.1:${ports.redis}`])).toEqual([]);
    return launcher.output();
  }

  it('starts everything, stops everything on Ctrl-C, and keeps its data for the next start', async () => {
    const first = await runOnce();
    expect(first).toMatch(/"msg":"migrations applied"/);
    expect(first).toMatch(/"msg":"demo user created"/);

    const second = await runOnce();
    expect(second).toMatch(/"msg":"schema is up to date"/);
    expect(second).toMatch(/"msg":"demo user already exists"/);

    // Start the stopped cluster once more just to look inside: exactly one demo user.
    const { startEmbeddedPostgres } = await import('../../lib/local-infra/embedded-postgres.js');
    const { pino } = await import('pino');
    const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'development', 'postgres'), port: ports.postgres, logger: pino({ level: 'silent' }) });
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query(`select password_hash from users where email = 'demo@tickwire.dev' and username = 'demo'`);
      expect(rows).toHaveLength(1);
      expect(await bcrypt.compare('demo12345', rows[0].password_hash)).toBe(true);
    } finally {
      await client.end();
      await postgres.stop();
    }
  });
});
