import request from 'supertest';
import { pino } from 'pino';
import { createApp } from '../../apps/web/app.js';
import { createHealthReporter } from '../../apps/web/health-report.js';
import { initOrm, type Orm } from '../../lib/db/orm.js';
import { createProbeSet } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { closeClients, createBullConnection, createCacheClient, type Redis } from '../../lib/redis/connections.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { testConfig } from '../support/infra.js';
import { eventually } from '../support/processes.js';

const logger = pino({ level: 'silent' });

describe('web app on real PostgreSQL and Redis', () => {
  const config = testConfig();
  let orm: Orm;
  let cache: Redis;
  let bull: Redis;
  let app: ReturnType<typeof createApp>;
  let stopping = false;
  let queue: ReturnType<typeof openQueue<'quotes'>>;

  beforeAll(async () => {
    orm = await initOrm({ url: config.database.url, poolMax: 2 });
    cache = createCacheClient(config.redis.url, logger);
    bull = createBullConnection(config.redis.url, logger);
    queue = openQueue(QUEUE_NAMES.quotes, { connection: bull, prefix: config.queues.prefix });
    await eventually(async () => (cache.status === 'ready' ? true : undefined), 5000);
    const probes = createProbeSet([databaseProbe(orm), redisProbe(cache)], logger, config.health.timeoutMs);
    app = createApp({ config, logger, health: createHealthReporter({ config, probes, queue }), isStopping: () => stopping });
  });

  afterAll(async () => {
    await queue?.close();
    await closeClients([cache, bull]);
    await orm?.close();
  });

  it.each(['/api/health', '/health'])('GET %s reports healthy dependencies in the API.md shape', async (path) => {
    const response = await request(app).get(path).expect(200);
    expect(response.body).toEqual({
      status: 'healthy',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      database: 'connected',
      redis: 'connected',
      queue: { name: 'quotes', state: 'connected', counts: { waiting: 0, active: 0, delayed: 0, failed: 0 } },
      upstream: { provider: 'yahoo', state: 'unknown' },
      failing: [],
      environment: 'test',
      version: config.version,
      uptimeSeconds: expect.any(Number),
    });
  });

  it('counts queued jobs in the health report', async () => {
    await queue.add('fetch-quote', { symbol: 'AAPL' });
    const response = await request(app).get('/api/health').expect(200);
    expect(response.body.queue.counts.waiting).toBe(1);
    await queue.obliterate({ force: true });
  });

  it('answers /livez and /readyz, and stops being ready once shutdown begins', async () => {
    await request(app).get('/livez').expect(200, { status: 'alive' });
    await request(app).get('/readyz').expect(200, { status: 'ready', failing: [] });
    stopping = true;
    try {
      await request(app).get('/readyz').expect(503, { status: 'stopping' });
      await request(app).get('/livez').expect(200);
    } finally {
      stopping = false;
    }
  });

  it('answers unknown /api routes with 404 NOT_FOUND in the error shape', async () => {
    const response = await request(app).get('/api/no/such/route?x=1').expect(404);
    expect(response.body).toEqual({ error: 'No route for GET /api/no/such/route', code: 'NOT_FOUND' });
  });

  it('refuses malformed JSON with 400 INVALID_JSON', async () => {
    const response = await request(app).post('/api/anything').set('Content-Type', 'application/json').send('{"tickers": [').expect(400);
    expect(response.body).toEqual({ error: 'The request body is not valid JSON', code: 'INVALID_JSON' });
  });

  it('refuses a 1 MB body with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ tickers: ['A'.repeat(1024 * 1024)] });
    const response = await request(app).post('/api/anything').set('Content-Type', 'application/json').send(body).expect(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
