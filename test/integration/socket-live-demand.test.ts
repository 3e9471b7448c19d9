// Live demand on real Redis: two web processes' publishers, refcounts, the union the scheduler
// reads, self-healing after a lost key, expiry and pruning of a dead process's share, and close.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  createLiveDemandPublisher,
  readLiveSubscribers,
  type LiveDemandPublisher,
} from '../../lib/demand/live-demand.js';
import { closeClients, createCacheClient, firstConnection, type Redis } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { sharedUrls, uniqueName } from '../support/infra.js';
import { eventually } from '../support/processes.js';

const HEARTBEAT_MS = 100;
const TTL_MS = 400;

describe('live demand publishers and reader on real Redis', () => {
  const keys = redisKeys(uniqueName('tw'));
  const silent = pino({ level: 'silent' });
  const clients: Redis[] = [];
  const publishers: LiveDemandPublisher[] = [];
  let reader: Redis;

  async function client(): Promise<Redis> {
    const redis = createCacheClient(sharedUrls().redisUrl, silent);
    clients.push(redis);
    await firstConnection(redis, 5000);
    return redis;
  }

  async function publisher(instanceId: string, logger = silent, redis?: Redis): Promise<LiveDemandPublisher> {
    const created = createLiveDemandPublisher(redis ?? (await client()), keys, { instanceId, heartbeatMs: HEARTBEAT_MS, ttlMs: TTL_MS, logger });
    publishers.push(created);
    return created;
  }

  const read = async () => [...(await readLiveSubscribers(reader, keys)).keys()].sort();
  /** What one publisher has written, once its whole share is rewritten from its counts. */
  const share = async (publisher: LiveDemandPublisher, instanceId: string) => {
    await publisher.refresh();
    return reader.hgetall(keys.liveDemand(instanceId));
  };
  const until = (expected: string[]) => eventually(async () => ((await read()).join() === expected.join() ? true : undefined), 3000, 20);

  beforeAll(async () => {
    reader = await client();
  });

  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.close()));
    await closeClients(clients);
  });

  it('publishes the union of two processes, refcounted per process', async () => {
    const a = await publisher('web-a');
    const b = await publisher('web-b');
    a.add('AAPL');
    a.add('MSFT');
    b.add('MSFT');
    b.add('TSLA');
    await until(['AAPL', 'MSFT', 'TSLA']);
    expect((await reader.smembers(keys.liveDemandInstances)).sort()).toEqual(['web-a', 'web-b']);

    // Two sockets on A hold AAPL: the first leaving keeps it, the last removes it at once.
    a.add('AAPL');
    a.remove('AAPL');
    await until(['AAPL', 'MSFT', 'TSLA']);
    a.remove('AAPL');
    await until(['MSFT', 'TSLA']);
    // MSFT stays while B still has it.
    a.remove('MSFT');
    await until(['MSFT', 'TSLA']);
    expect(await share(a, 'web-a')).toEqual({});
    expect(await share(b, 'web-b')).toEqual({ MSFT: '1', TSLA: '1' });
    // Removing what was never added changes nothing.
    a.remove('NVDA');
    expect(await share(a, 'web-a')).toEqual({});

    await a.close();
    await b.close();
    await until([]);
    expect(await reader.smembers(keys.liveDemandInstances)).toEqual([]);
    expect(await reader.exists(keys.liveDemand('web-a'), keys.liveDemand('web-b'))).toBe(0);
  });

  it('rewrites its whole set on each heartbeat, so a lost key comes back', async () => {
    const a = await publisher('web-heal');
    a.add('GC=F');
    a.add('^GSPC');
    await until(['GC=F', '^GSPC']);
    await reader.del(keys.liveDemand('web-heal'));
    await reader.hset(keys.liveDemand('web-heal'), 'LEFTOVER', 1);
    await until(['GC=F', '^GSPC']);
    const ttl = await reader.pttl(keys.liveDemand('web-heal'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    await a.close();
    await until([]);
  });

  it("expires a dead process's share within the TTL and prunes its id, warning once", async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const alive = await publisher('web-alive');
    const doomedRedis = createCacheClient(sharedUrls().redisUrl, silent);
    await firstConnection(doomedRedis, 5000);
    const doomed = await publisher('web-doomed', capture, doomedRedis);
    alive.add('AAPL');
    doomed.add('DEAD');
    await until(['AAPL', 'DEAD']);

    // The process loses Redis for good (as if it had died): its heartbeats fail, its key expires.
    doomedRedis.disconnect();
    // The writes these cause fail too; the publisher still counts for when Redis returns.
    doomed.add('LATE');
    doomed.remove('DEAD');
    await until(['AAPL']);
    expect(await reader.smembers(keys.liveDemandInstances)).toEqual(['web-alive']);

    // Several failed heartbeats, one warning.
    const failures = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.msg.startsWith('live demand not published'));
    await eventually(async () => (failures().length > 3 ? true : undefined), 3000, 20);
    expect(failures().filter((entry) => entry.level === 40)).toHaveLength(1);

    // Once Redis is back, the heartbeat publishes what was counted meanwhile; then it is lost again.
    await doomedRedis.connect();
    await until(['AAPL', 'LATE']);
    doomedRedis.disconnect();
    await expect(doomed.close()).resolves.toBeUndefined();
    await until(['AAPL']);
    await alive.close();
  });

  it('adds up the sockets per ticker over processes', async () => {
    const a = await publisher('web-count-a');
    const b = await publisher('web-count-b');
    for (let i = 0; i < 3; i += 1) a.add('AAPL');
    a.add('MSFT');
    b.add('AAPL');
    // Counts past a ticker's first socket reach Redis with the next heartbeat.
    const expected = new Map([['AAPL', 4], ['MSFT', 1]]);
    await eventually(async () => ((await readLiveSubscribers(reader, keys)).get('AAPL') === 4 ? true : undefined), 3000, 20);
    expect(await readLiveSubscribers(reader, keys)).toEqual(expected);

    // A damaged share (not a hash) costs only itself, and its id is pruned.
    await reader.multi().sadd(keys.liveDemand('web-damaged'), 'TSLA').sadd(keys.liveDemandInstances, 'web-damaged').exec();
    expect(await readLiveSubscribers(reader, keys)).toEqual(expected);
    expect(await reader.sismember(keys.liveDemandInstances, 'web-damaged')).toBe(0);
    await reader.del(keys.liveDemand('web-damaged'));
    await a.close();
    await b.close();
    await until([]);
  });

  it('reads nothing when no process publishes', async () => {
    await expect(readLiveSubscribers(reader, redisKeys(uniqueName('tw')))).resolves.toEqual(new Map());
  });

  it('refuses a TTL that a heartbeat could not keep alive', () => {
    expect(() => createLiveDemandPublisher(reader, keys, { heartbeatMs: 1000, ttlMs: 1000, logger: silent })).toThrow(/ttlMs/);
  });
});
