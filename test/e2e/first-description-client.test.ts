// The first description's style of client, unchanged, against the real web process.
import { pino } from 'pino';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { createTestDatabase, sharedUrls, uniqueName, type TestDatabase } from '../support/infra.js';
import { freePort, startProcess, type RunningProcess } from '../support/processes.js';

describe('a client written for the first description', () => {
  let database: TestDatabase;
  let web: RunningProcess;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    port = await freePort();
    web = startProcess('dist/apps/web/main.js', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      REDIS_URL: sharedUrls().redisUrl,
      REDIS_PREFIX: uniqueName('client'),
    });
    await web.waitForOutput(/"msg":"web ready"/);
  });

  afterAll(async () => {
    expect(await web?.stop('SIGTERM')).toBe(0);
    await database?.drop();
  });

  it('registers, logs in, adds, lists and removes tickers', async () => {
    const client = startProcess('test/clients/first-description-client.mjs', { API_URL: `http://127.0.0.1:${port}` });
    const code = await new Promise((resolve) => client.child.once('exit', resolve));
    expect(client.output()).toContain('first-description client: OK');
    expect(code).toBe(0);
  });
});
