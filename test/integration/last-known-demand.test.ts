// The watchlists' demand through a database outage: the reader keeps a copy in Redis each time
// PostgreSQL answers, hands it out (with its time) when PostgreSQL does not, and health's view of
// that copy: current within a few intervals, "last known" past them.
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { applyMigrations, initOrm, type Orm } from '../../lib/db/orm.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createWatchedReader, watchedDemandStatus } from '../../lib/demand/last-known-demand.js';
import { createTestDatabase, sharedUrls, uniqueName, type TestDatabase } from '../support/infra.js';
import { freePort } from '../support/processes.js';

const logger = pino({ level: 'silent' });

describe('last known watchlist demand', () => {
  const keys = redisKeys(uniqueName('lkd'));
  let redis: Redis;
  let database: TestDatabase;
  let orm: Orm;
  let unreachable: Orm;

  beforeAll(async () => {
    redis = new Redis(sharedUrls().redisUrl);
    database = await createTestDatabase();
    orm = await initOrm({ url: database.url, poolMax: 1 }, logger);
    await applyMigrations(orm);
    await orm.em.fork().getConnection().execute(`insert into users (email, username, password_hash, created_at) values ('w@example.com', 'watcher', 'x', now())`);
    await orm.em.fork().getConnection().execute(`insert into watchlist_items (user_id, symbol, added_at) select id, s, now() from users, unnest(array['MSFT','AAPL']) s`);
    unreachable = await initOrm({ url: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/nowhere`, poolMax: 1 }, logger);
  });
  afterAll(async () => {
    await redis.del(keys.lastKnownWatched);
    await redis.quit();
    await Promise.all([orm?.close(), unreachable?.close()]);
    await database?.drop();
  });

  it('is unknown to health before any read', async () => {
    expect(await watchedDemandStatus(redis, keys, 1000)).toEqual({ watchlists: 'unknown', asOf: null });
  });

  it('reads PostgreSQL and keeps a copy; without PostgreSQL it hands out that copy with its time', async () => {
    const read = (from: Orm) => createWatchedReader({ orm: from, redis, keys, timeoutMs: 2000, logger })();
    expect(await read(orm)).toEqual(['AAPL', 'MSFT']);
    const { asOf } = await watchedDemandStatus(redis, keys, 1000);
    expect(asOf).toEqual(expect.any(String));

    // The unreachable database can only have been answered from the copy, which keeps its time.
    expect(await read(unreachable)).toEqual(['AAPL', 'MSFT']);
    const soon = Date.parse(asOf!) + 1000;
    expect(await watchedDemandStatus(redis, keys, 1000, soon)).toEqual({ watchlists: 'current', asOf });
  });

  it('tells health "last known" once the copy is older than three intervals', async () => {
    const asOf = '2026-12-01T10:00:00.000Z';
    await redis.set(keys.lastKnownWatched, JSON.stringify({ symbols: ['AAPL'], asOf }));
    expect(await watchedDemandStatus(redis, keys, 2000, Date.parse(asOf) + 6000)).toEqual({ watchlists: 'current', asOf });
    expect(await watchedDemandStatus(redis, keys, 2000, Date.parse(asOf) + 6001)).toEqual({ watchlists: 'last_known', asOf });
  });
});
