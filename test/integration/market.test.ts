// The market-data routes against the Yahoo stub, on real PostgreSQL and Redis: each route's
// shape and validation, cache lifetimes, unknown symbols, stale serving while the provider fails
// or rate-limits, PostgreSQL's copy after Redis lost the quotes, and the per-IP limit.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Redis } from 'ioredis';
import type { Quote } from '../../lib/quotes/quote.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { eventually } from '../support/processes.js';
import { startTestWeb, type TestWeb } from '../support/web.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const quoteShape = (symbol: string) => ({
  symbol,
  shortName: expect.any(String),
  price: expect.any(Number),
  change: expect.any(Number),
  changePercent: expect.any(Number),
  volume: expect.any(Number),
  marketState: 'REGULAR',
  currency: 'USD',
  exchange: expect.any(String),
  previousClose: expect.any(Number),
  open: expect.any(Number),
  dayHigh: expect.any(Number),
  dayLow: expect.any(Number),
  timestamp: expect.stringMatching(ISO),
  fetchedAt: expect.stringMatching(ISO),
  source: 'yahoo',
  seq: expect.any(Number),
  stale: false,
});

/** Waits for PostgreSQL's copy of `quote`: the web writes its REST misses through (it runs no archive writer). */
const archived = (web: TestWeb, quote: Quote) =>
  eventually(async () => {
    const rows = await web.context.orm.em.fork().getConnection().execute<Array<{ symbol: string; quote: Quote }>>('select symbol, quote from stock_quotes where symbol = ?', [quote.symbol]);
    return rows[0]?.quote.fetchedAt === quote.fetchedAt ? rows : undefined;
  }, 10_000);

/** Deletes every key of one prefix (the Redis is shared with other test files: no FLUSHALL). */
async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (found.length) deleted += await redis.del(...found);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('market-data routes against the Yahoo stub', () => {
  let stub: YahooStub;
  /** Default lifetimes (quote 60 s, search 1 h, chart 30 min, overview 5 min). */
  let web: TestWeb;
  /** Every lifetime 1 s. */
  let short: TestWeb;

  const settings = () => ({ QUOTE_UPSTREAM_URL: stub.url, UPSTREAM_TIMEOUT_MS: '3000', UPSTREAM_REQUESTS_PER_SECOND: '100', PUBLIC_RATE_LIMIT_PER_MINUTE: '100000' });

  beforeAll(async () => {
    stub = await startYahooStub();
    [web, short] = await Promise.all([
      startTestWeb(settings()),
      startTestWeb({ ...settings(), QUOTE_CACHE_TTL_SECONDS: '1', SEARCH_CACHE_TTL_SECONDS: '1', CHART_CACHE_TTL_SECONDS: '1', OVERVIEW_CACHE_TTL_SECONDS: '1' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([web?.close(), short?.close()]);
    await stub?.close();
  });
  beforeEach(() => {
    stub.clearFaults();
    stub.reset();
  });

  async function token(on: TestWeb): Promise<string> {
    const tag = randomBytes(6).toString('hex');
    const response = await request(on.app).post('/api/auth/register').send({ email: `m_${tag}@example.com`, password: 'correct horse battery' }).expect(201);
    return `Bearer ${response.body.token as string}`;
  }

  describe('shapes and validation', () => {
    it('GET /api/stock/:symbol answers the Quote of API.md, normalised, from Redis the second time', async () => {
      const first = await request(web.app).get('/api/stock/%20aapl').expect(200);
      expect(first.body).toEqual(quoteShape('AAPL'));
      expect(first.body.seq).toBeGreaterThanOrEqual(1);
      expect(stub.counts.quote).toBe(1);
      const second = await request(web.app).get('/api/stock/AAPL').expect(200);
      expect(second.body).toEqual(first.body);
      expect(stub.counts.quote).toBe(1);

      const index = await request(web.app).get(`/api/stock/${encodeURIComponent('^GSPC')}`).expect(200);
      expect(index.body).toMatchObject({ symbol: '^GSPC', shortName: 'S&P 500' });
    });

    it('refuses a malformed symbol with 400 VALIDATION_FAILED', async () => {
      const response = await request(web.app).get('/api/stock/A%20B').expect(400);
      expect(response.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details: [{ path: 'symbol', message: expect.any(String) }] });
      expect(stub.counts.quote).toBe(0);
    });

    it('GET /api/stocks/search/:ticker (first description) needs a token and answers { SYMBOL: Quote }', async () => {
      await request(web.app).get('/api/stocks/search/MSFT').expect(401);
      const auth = await token(web);
      const response = await request(web.app).get('/api/stocks/search/msft').set('Authorization', auth).expect(200);
      expect(response.body).toEqual({ MSFT: quoteShape('MSFT') });
      stub.unknown(['NOSUCH']);
      const missing = await request(web.app).get('/api/stocks/search/NOSUCH').set('Authorization', auth).expect(404);
      expect(missing.body).toEqual({ error: expect.any(String), code: 'SYMBOL_NOT_FOUND' });
    });

    it('GET /api/search/:query answers { query, results } and caches per normalised query', async () => {
      const response = await request(web.app).get('/api/search/apple').expect(200);
      expect(response.body).toEqual({ query: 'apple', results: [{ symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NMS', type: 'EQUITY' }] });
      const again = await request(web.app).get('/api/search/%20APPLE%20').expect(200);
      expect(again.body).toEqual({ query: 'APPLE', results: response.body.results });
      expect(stub.counts.search).toBe(1);
    });

    it.each([
      ['empty after trimming', '%20%20'],
      ['longer than 50 characters', 'a'.repeat(51)],
      ['not printable', 'ab%01cd'],
    ])('refuses a search query %s with 400', async (_why, query) => {
      const response = await request(web.app).get(`/api/search/${query}`).expect(400);
      expect(response.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details: [{ path: 'query', message: expect.any(String) }] });
      expect(stub.counts.search).toBe(0);
    });

    it('GET /api/stock/:symbol/chart answers daily points for a month by default, and the range and interval asked', async () => {
      const response = await request(web.app).get('/api/stock/aapl/chart').expect(200);
      expect(response.body).toMatchObject({ symbol: 'AAPL', range: '1mo', interval: '1d' });
      expect(response.body.points.length).toBeGreaterThanOrEqual(20);
      for (const point of response.body.points) {
        expect(point).toEqual({ time: expect.stringMatching(ISO), open: expect.any(Number), high: expect.any(Number), low: expect.any(Number), close: expect.any(Number), volume: expect.any(Number) });
      }
      const hourly = await request(web.app).get('/api/stock/AAPL/chart?range=5d&interval=1h').expect(200);
      expect(hourly.body).toMatchObject({ symbol: 'AAPL', range: '5d', interval: '1h' });
      expect(hourly.body.points.length).toBeGreaterThan(response.body.points.length);
      await request(web.app).get('/api/stock/AAPL/chart?range=1mo&interval=1d').expect(200);
      expect(stub.counts.chart).toBe(2);
    });

    it.each([
      ['an unknown range', 'range=2w', 'range'],
      ['an unknown interval', 'interval=7m', 'interval'],
      ['a repeated range', 'range=1d&range=5d', 'range'],
      ['1-minute bars for a year (Yahoo keeps 7 days)', 'range=1y&interval=1m', 'interval'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_why, query, path) => {
      const response = await request(web.app).get(`/api/stock/AAPL/chart?${query}`).expect(400);
      expect(response.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details: [{ path, message: expect.any(String) }] });
      expect(stub.counts.chart).toBe(0);
    });

    it('GET /api/market/overview answers the three indices and the day\'s gainers and losers as quotes', async () => {
      const response = await request(web.app).get('/api/market/overview').expect(200);
      const { asOf, indices, gainers, losers } = response.body as { asOf: string; indices: Quote[]; gainers: Quote[]; losers: Quote[] };
      expect(Object.keys(response.body).sort()).toEqual(['asOf', 'gainers', 'indices', 'losers']);
      expect(asOf).toMatch(ISO);
      expect(indices.map((quote) => quote.symbol)).toEqual(['^GSPC', '^DJI', '^IXIC']);
      expect(gainers.length).toBe(10);
      expect(losers.length).toBe(10);
      for (const quote of [...indices, ...gainers, ...losers]) expect(quote).toEqual(quoteShape(quote.symbol));
      expect(gainers.every((quote) => quote.changePercent! > 0)).toBe(true);
      expect(losers.every((quote) => quote.changePercent! < 0)).toBe(true);
      // The movers went through the quote store: a quote of one is now served from Redis.
      const screenerCalls = stub.counts.screener;
      const quoteCalls = stub.counts.quote;
      await request(web.app).get(`/api/stock/${gainers[0]!.symbol}`).expect(200);
      await request(web.app).get('/api/market/overview').expect(200);
      expect(stub.counts.screener).toBe(screenerCalls);
      expect(stub.counts.quote).toBe(quoteCalls);
    });

    it('unknown routes under /api still answer 404 NOT_FOUND', async () => {
      const response = await request(web.app).get('/api/stock/AAPL/news').expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });
  });

  describe('unknown symbols', () => {
    it('answer 404 SYMBOL_NOT_FOUND and are remembered, so the provider is not asked again', async () => {
      stub.unknown(['ZZNOPE']);
      const response = await request(web.app).get('/api/stock/zznope').expect(404);
      expect(response.body).toEqual({ error: expect.any(String), code: 'SYMBOL_NOT_FOUND' });
      expect(stub.counts.quote).toBe(1);
      await request(web.app).get('/api/stock/ZZNOPE').expect(404);
      await request(web.app).get('/api/stock/ZZNOPE/chart').expect(404);
      expect(stub.counts.quote).toBe(1);
      expect(stub.counts.chart).toBe(0);
      const ttl = await web.context.cache.ttl(redisKeys(web.config.redis.prefix).unknownSymbol('ZZNOPE'));
      expect(ttl).toBeGreaterThan(0);
    });

    it('found unknown by a chart are 404 too, for charts and quotes', async () => {
      stub.unknown(['ZZGONE']);
      await request(web.app).get('/api/stock/ZZGONE/chart').expect(404);
      await request(web.app).get('/api/stock/ZZGONE').expect(404);
      expect(stub.counts.chart).toBe(1);
      expect(stub.counts.quote).toBe(0);
    });
  });

  describe('cache lifetimes', () => {
    it('each answer is fetched again once its lifetime has passed, and every key has a TTL', async () => {
      const all = () => Promise.all([
        request(short.app).get('/api/stock/META').expect(200),
        request(short.app).get('/api/search/micro').expect(200),
        request(short.app).get('/api/stock/META/chart?range=5d').expect(200),
        request(short.app).get('/api/market/overview').expect(200),
      ]);
      const [quote] = await all();
      const counted = () => [stub.counts.search, stub.counts.chart, stub.counts.screener];
      const first = { ...stub.counts };
      await all();
      expect(stub.counts.quote).toBe(first.quote);
      expect(counted()).toEqual([first.search, first.chart, first.screener]);

      await sleep(1200);
      const [again] = await all();
      expect(stub.counts.quote).toBeGreaterThan(first.quote);
      expect(counted()).toEqual([first.search + 1, first.chart + 1, first.screener + 2]);
      expect(again!.body.seq).toBe(quote!.body.seq + 1);
      expect(again!.body.price).not.toBe(quote!.body.price);

      const prefix = short.config.redis.prefix;
      // BullMQ's own queue keys aside, every key Tickwire writes expires.
      const keys = (await keysOf(short.context.cache, prefix)).filter((key) => !/^[^:]+:(quotes|schedule):/.test(key));
      expect(keys).toEqual(expect.arrayContaining([`${prefix}:market:overview`, `${prefix}:quote:META`, `${prefix}:market:search:micro`]));
      const ttls = await Promise.all(keys.map((key) => short.context.cache.pttl(key)));
      expect(keys.filter((_, index) => ttls[index]! < 0)).toEqual([]);
    });
  });

  describe('while the provider fails', () => {
    it('serves the last known quote with stale: true when the upstream answers 5xx', async () => {
      const fresh = await request(short.app).get('/api/stock/IBM').expect(200);
      await sleep(1100);
      stub.failNext(500, 10, { paths: ['quote'] });
      const stale = await request(short.app).get('/api/stock/IBM').expect(200);
      expect(stale.body).toEqual({ ...fresh.body, stale: true });
      expect(stub.quoteRequests.at(-1)!.status).toBe(500);
    });

    it('serves the last known search, chart and overview (quotes stale: true) when the upstream answers 5xx', async () => {
      const [search, chart, overview] = await Promise.all([
        request(short.app).get('/api/search/netflix').expect(200),
        request(short.app).get('/api/stock/NFLX/chart').expect(200),
        request(short.app).get('/api/market/overview').expect(200),
      ]);
      await sleep(1100);
      stub.failNext(503, 20, { paths: ['search', 'chart', 'screener', 'quote'] });
      const [staleSearch, staleChart, staleOverview] = await Promise.all([
        request(short.app).get('/api/search/netflix').expect(200),
        request(short.app).get('/api/stock/NFLX/chart').expect(200),
        request(short.app).get('/api/market/overview').expect(200),
      ]);
      expect(staleSearch.body).toEqual(search.body);
      expect(staleSearch.headers.warning).toMatch(/^110 /);
      expect(staleChart.body).toEqual(chart.body);
      expect(staleChart.headers.warning).toMatch(/^110 /);
      expect(staleOverview.body.asOf).toBe(overview.body.asOf);
      expect(staleOverview.body.indices).toEqual(overview.body.indices.map((quote: Quote) => ({ ...quote, stale: true })));
      expect(staleOverview.body.gainers.every((quote: Quote) => quote.stale)).toBe(true);
      expect(search.headers.warning).toBeUndefined();
    });

    it('answers 503 UPSTREAM_UNAVAILABLE when there is no last known quote', async () => {
      stub.failNext(500, 10, { paths: ['quote'] });
      const response = await request(short.app).get('/api/stock/NEVERSEEN').expect(503);
      expect(response.body).toEqual({ error: expect.any(String), code: 'UPSTREAM_UNAVAILABLE' });
    });

    it('serves stale on a 429, then holds every request through the shared pause (503 with Retry-After when nothing is known)', async () => {
      const fresh = await request(short.app).get('/api/stock/GOOGL').expect(200);
      await sleep(1100);
      stub.rateLimit({ retryAfterSeconds: 30, times: 1, paths: ['quote'] });
      const stale = await request(short.app).get('/api/stock/GOOGL').expect(200);
      expect(stale.body).toEqual({ ...fresh.body, stale: true });
      const requests = stub.counts.quote;

      // The pause is shared (Redis): nothing goes upstream while it lasts.
      const again = await request(short.app).get('/api/stock/GOOGL').expect(200);
      expect(again.body.stale).toBe(true);
      const unknown = await request(short.app).get('/api/stock/NEVERSEEN2').expect(503);
      expect(unknown.body).toEqual({ error: expect.any(String), code: 'UPSTREAM_UNAVAILABLE' });
      const retryAfter = Number(unknown.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(25);
      expect(retryAfter).toBeLessThanOrEqual(30);
      await request(short.app).get('/api/search/paused').expect(503);
      expect(stub.counts.quote).toBe(requests);
      expect(stub.counts.search).toBe(0);

      await short.context.cache.del(redisKeys(short.config.redis.prefix).upstreamPause);
      await request(short.app).get('/api/stock/NEVERSEEN2').expect(200);
    });
  });

  describe('PostgreSQL copy', () => {
    it('answers after Redis lost the quote, without asking the provider, and puts it back in Redis', async () => {
      const fresh = await request(web.app).get('/api/stock/NVDA').expect(200);
      const rows = await archived(web, fresh.body);
      expect(rows).toEqual([{ symbol: 'NVDA', quote: { ...fresh.body } }]);

      expect(await deleteKeys(web.context.cache, web.config.redis.prefix)).toBeGreaterThan(0);
      stub.reset();
      const restored = await request(web.app).get('/api/stock/NVDA').expect(200);
      expect(restored.body).toEqual(fresh.body);
      expect(stub.counts.quote).toBe(0);
      const key = redisKeys(web.config.redis.prefix).quote('NVDA');
      expect(await web.context.cache.ttl(key)).toBeGreaterThan(0);
      // With its seq, so the pipeline's next quote of NVDA carries on from it.
      expect(JSON.parse((await web.context.cache.get(key))!).seq).toBe(fresh.body.seq);
    });

    it('serves an old copy marked stale when Redis lost the quote and the provider fails', async () => {
      const fresh = await request(short.app).get('/api/stock/TSLA').expect(200);
      await archived(short, fresh.body);
      await deleteKeys(short.context.cache, short.config.redis.prefix);
      await sleep(1100);
      stub.failNext(500, 10, { paths: ['quote'] });
      const stale = await request(short.app).get('/api/stock/TSLA').expect(200);
      expect(stale.body).toEqual({ ...fresh.body, stale: true });
      expect(stub.quoteRequests.at(-1)!.status).toBe(500);
    });
  });

  describe('per-IP limit', () => {
    let limited: TestWeb;
    beforeAll(async () => {
      limited = await startTestWeb({ ...settings(), PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(() => limited?.close());

    it('answers 429 RATE_LIMITED with Retry-After past the limit, per IP, across the market routes', async () => {
      await request(limited.app).get('/api/stock/AAPL').expect(200);
      await request(limited.app).get('/api/search/apple').expect(200);
      await request(limited.app).get('/api/stock/AAPL').expect(200);
      const refused = await request(limited.app).get('/api/stock/AAPL').expect(429);
      expect(refused.body).toEqual({ error: expect.any(String), code: 'RATE_LIMITED' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      await request(limited.app).get('/api/market/overview').expect(429);
      // Another client (behind the local proxy) has a budget of its own.
      await request(limited.app).get('/api/stock/AAPL').set('X-Forwarded-For', '203.0.113.9').expect(200);
      // Other routes are not counted.
      await request(limited.app).get('/api/health').expect(200);
    });
  });
});
