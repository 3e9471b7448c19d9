import request from 'supertest';
import { startTestWeb, type TestWeb } from '../support/web.js';
import { upstreamStatusBoard } from '../../lib/upstream/upstream-status.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { recordPlannedTick } from '../../lib/upstream/budget-report.js';

describe('web app on real PostgreSQL and Redis', () => {
  let web: TestWeb;
  let app: TestWeb['app'];
  let config: TestWeb['config'];

  beforeAll(async () => {
    web = await startTestWeb();
    ({ app, config } = web);
  });

  afterAll(() => web?.close());

  it.each(['/api/health', '/health'])('GET %s reports healthy dependencies in the API.md shape', async (path) => {
    const response = await request(app).get(path).expect(200);
    expect(response.body).toEqual({
      status: 'healthy',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      database: 'connected',
      redis: 'connected',
      queue: { name: 'quotes', state: 'connected', counts: { waiting: 0, active: 0, delayed: 0, failed: 0 } },
      upstream: { provider: 'yahoo', state: 'unknown', since: null, lastSuccessAt: null, lastError: null },
      // No scheduler has read the watchlists for this app's prefix yet.
      demand: { watchlists: 'unknown', asOf: null },
      // No scheduler has planned on this Redis prefix, and no daily quota is configured.
      budget: { requestsPerSecond: config.quotes.upstreamRequestsPerSecond, overBudget: false, lastTick: null, quota: null },
      failing: [],
      environment: 'test',
      version: config.version,
      uptimeSeconds: expect.any(Number),
    });
  });

  it('reports a rate-limited provider as degraded, still 200, with what the workers last saw', async () => {
    const board = upstreamStatusBoard(web.context.cache, redisKeys(config.redis.prefix), 'yahoo');
    await board.record('ok');
    await board.record('rate_limited', 'yahoo is rate limiting requests');
    try {
      const response = await request(app).get('/api/health').expect(200);
      expect(response.body.status).toBe('degraded');
      expect(response.body.upstream).toMatchObject({ provider: 'yahoo', state: 'rate_limited', lastError: 'yahoo is rate limiting requests' });
      expect(Date.parse(response.body.upstream.lastSuccessAt)).not.toBeNaN();
    } finally {
      await web.context.cache.del(redisKeys(config.redis.prefix).upstreamState);
    }
  });

  it('says when the demand exceeds the upstream budget, from the scheduler\'s last plan, without degrading', async () => {
    const keys = redisKeys(config.redis.prefix);
    const tick = { at: new Date().toISOString(), due: 1100, allowedRequests: 6, plannedRequests: 6, deferred: 800 };
    await recordPlannedTick(web.context.cache, keys, tick, 60_000);
    try {
      const response = await request(app).get('/api/health').expect(200);
      expect(response.body.status).toBe('healthy');
      expect(response.body.budget).toEqual({ requestsPerSecond: config.quotes.upstreamRequestsPerSecond, overBudget: true, lastTick: tick, quota: null });
    } finally {
      await web.context.cache.del(keys.budgetPlan);
    }
  });

  it('counts queued jobs in the health report', async () => {
    await web.context.quotesQueue.add('fetch-quote', { symbol: 'AAPL' });
    const response = await request(app).get('/api/health').expect(200);
    expect(response.body.queue.counts.waiting).toBe(1);
    await web.context.quotesQueue.obliterate({ force: true });
  });

  it('answers /livez and /readyz, and stops being ready once shutdown begins', async () => {
    await request(app).get('/livez').expect(200, { status: 'alive' });
    await request(app).get('/readyz').expect(200, { status: 'ready', failing: [] });
    web.stopping = true;
    try {
      await request(app).get('/readyz').expect(503, { status: 'stopping' });
      await request(app).get('/livez').expect(200);
    } finally {
      web.stopping = false;
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
