// The real, compiled web process (dist/apps/web/main.js) with sockets attached: a connected,
// subscribed client is disconnected on SIGTERM (`transport close`, so it would reconnect to
// another process), the live demand is withdrawn, and the process exits 0.
import { pino } from 'pino';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { readLiveSubscribers } from '../../lib/demand/live-demand.js';
import { subscribe } from '../../lib/realtime/client.js';
import { closeClients, createCacheClient, firstConnection, type Redis } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createTestDatabase, sharedUrls, uniqueName, type TestDatabase } from '../support/infra.js';
import { eventually } from '../support/processes.js';
import { startWebProcess, type WebProcess } from '../support/app-processes.js';
import { disconnection, SocketClients } from '../support/socket-web.js';

describe('the web process with sockets, from start to SIGTERM', () => {
  let database: TestDatabase;
  let web: WebProcess | undefined;
  let redis: Redis;
  const clients = new SocketClients();
  const prefix = uniqueName('sockets');
  const keys = redisKeys(prefix);

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    redis = createCacheClient(sharedUrls().redisUrl, pino({ level: 'silent' }));
    await firstConnection(redis, 5000);
  });

  afterAll(async () => {
    clients.closeAll();
    await web?.stop('SIGKILL');
    await closeClients([redis]);
    await database?.drop();
  });

  it('serves sockets on the HTTP port and closes them in order on SIGTERM', async () => {
    const running = await startWebProcess(database.url, prefix);
    web = running;
    const { url } = running;

    const registered = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `${prefix}@example.com`, password: 'correct horse battery' }),
    });
    expect(registered.status).toBe(201);
    const { token } = (await registered.json()) as { token: string };

    const socket = await clients.connected(url, token);
    expect(await subscribe(socket, ['AAPL'])).toEqual({ ok: true, subscribed: ['AAPL'], rejected: [] });
    await eventually(async () => ((await readLiveSubscribers(redis, keys)).has('AAPL') ? true : undefined), 5000, 50);

    const reason = disconnection(socket, 10_000);
    const exited = new Promise<number | null>((resolve) => web!.child.once('exit', resolve));
    web.child.kill('SIGTERM');
    expect(await reason).toBe('transport close');
    expect(await exited).toBe(0);
    expect(web.output()).not.toMatch(/shutdown (timed out|step failed)/);
    expect(await readLiveSubscribers(redis, keys)).toEqual(new Map());
    expect(await redis.smembers(keys.liveDemandInstances)).toEqual([]);
  });
});
