// The local redis-server is configured as BullMQ needs, keeps its data across a restart, and
// every connection from our factories says when it drops and when it is back.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startLocalRedis } from '../../lib/local-infra/local-redis.js';
import { closeClients, createCacheClient, firstConnection } from '../../lib/redis/connections.js';
import { eventually, freePort } from '../support/processes.js';

const silent = pino({ level: 'silent' });

describe('local redis-server', () => {
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tickwire-redis-'));
    port = await freePort();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs with noeviction and an append-only file, and keeps data across a restart', async () => {
    let redis = await startLocalRedis({ dataDir: dir, port, logger: silent });
    const client = createCacheClient(redis.url, silent);
    try {
      await firstConnection(client, 5000);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      await client.set('survives', 'restart');
      await redis.stop();
      redis = await startLocalRedis({ dataDir: dir, port, logger: silent });
      await firstConnection(client, 5000);
      expect(await eventually(async () => (await client.get('survives').catch(() => undefined)) ?? undefined, 5000)).toBe('restart');
    } finally {
      await closeClients([client]);
      await redis.stop();
    }
  });

  it('connections log when they drop and when they are back', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line).msg) });
    let redis = await startLocalRedis({ dataDir: dir, port, logger: silent });
    const client = createCacheClient(redis.url, logger);
    try {
      await firstConnection(client, 5000);
      await redis.stop();
      await eventually(async () => (lines.includes('redis connection lost; reconnecting') ? true : undefined), 5000);
      redis = await startLocalRedis({ dataDir: dir, port, logger: silent });
      await eventually(async () => (lines.includes('redis connection restored') ? true : undefined), 5000);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await closeClients([client]);
      await redis.stop();
    }
  });
});
