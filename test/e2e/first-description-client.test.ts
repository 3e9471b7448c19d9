// The first description's style of client, unchanged, against the real web process.
import { pino } from 'pino';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/infra.js';
import { startProcess } from '../support/processes.js';
import { startWebProcess, type WebProcess } from '../support/app-processes.js';

describe('a client written for the first description', () => {
  let database: TestDatabase;
  let web: WebProcess;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    web = await startWebProcess(database.url, uniqueName('client'));
    port = web.port;
  }, 180_000);

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
