// /metrics on the real app: served to operators when credentials are configured, not at all
// otherwise (production without BULL_BOARD_USERNAME / BULL_BOARD_PASSWORD), like Bull Board.
import request from 'supertest';
import { pino } from 'pino';
import { createApp } from '../../apps/web/app.js';
import { createProcessMetrics } from '../../lib/metrics/process-metrics.js';
import { createHttpRequestMetrics } from '../../lib/metrics/http-metrics.js';
import { createClusterMetrics } from '../../lib/metrics/cluster-metrics.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { startTestWeb, type TestWeb } from '../support/web.js';
import { parseExposition, total } from '../support/prometheus.js';

const silent = pino({ level: 'silent' });

function appWithMetrics(web: TestWeb) {
  const metrics = createProcessMetrics('web');
  const cluster = createClusterMetrics({
    own: metrics,
    redis: web.context.cache,
    keys: redisKeys(web.config.redis.prefix),
    queues: [web.context.quotesQueue, web.context.scheduleQueue],
    timeoutMs: 2000,
    logger: silent,
  });
  return createApp({ config: web.config, logger: silent, context: web.context, metrics: { http: createHttpRequestMetrics(metrics.registry), cluster } });
}

describe('/metrics route', () => {
  const webs: TestWeb[] = [];
  afterAll(async () => {
    for (const web of webs) await web.close();
  });

  it('answers operators, with the latency of the real routes by pattern', async () => {
    const web = await startTestWeb();
    webs.push(web);
    const app = appWithMetrics(web);
    await request(app).get('/api/health').expect(200);
    const refused = await request(app).get('/metrics').expect(401).expect('WWW-Authenticate', /^Basic realm=/);
    expect(refused.body).toEqual({ error: expect.any(String), code: 'AUTH_REQUIRED' });
    await request(app).get('/metrics').auth('admin', 'wrong').expect(401);
    const response = await request(app).get('/metrics').auth('admin', 'tickwire-admin').expect(200);
    const samples = parseExposition(response.text);
    expect(total(samples, 'tickwire_http_request_duration_seconds_count', { method: 'GET', route: '/api/health', status_code: '200', process: 'web' })).toBe(1);
    expect(total(samples, 'tickwire_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status_code: '401' })).toBe(2);
  });

  it('is not served in production without operator credentials', async () => {
    const web = await startTestWeb({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-forty-characters!!' });
    webs.push(web);
    expect(web.config.operators.credentials).toBeUndefined();
    const app = appWithMetrics(web);
    await request(app).get('/metrics').expect(404);
    await request(app).get('/metrics').auth('admin', 'tickwire-admin').expect(404);
  });
});
