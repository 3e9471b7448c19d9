// The providers against local stubs of their upstreams: the real yahoo-finance2 client talking to
// the Yahoo stub over HTTP, the Yahoo session kept in the test run's real Redis, and Alpha Vantage
// through a small stub of its /query endpoint. Nothing is mocked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Config } from '../../config/index.js';
import { RateLimitedError, SymbolNotFoundError, UpstreamError } from '../../lib/providers/errors.js';
import { createProvider } from '../../lib/providers/index.js';
import type { QuoteProvider } from '../../lib/providers/provider.js';
import { closeClients, createCacheClient, type Redis } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { sharedUrls, testConfig } from '../support/infra.js';

const logger = pino({ level: 'silent' });
let redis: Redis;

beforeAll(() => {
  redis = createCacheClient(sharedUrls().redisUrl, logger);
});
afterAll(async () => {
  await closeClients(redis ? [redis] : []);
});

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('yahoo provider (yahoo-finance2 against the Yahoo stub)', () => {
  let stub: YahooStub;

  beforeAll(async () => {
    stub = await startYahooStub();
  });
  afterAll(async () => {
    await stub?.close();
  });
  beforeEach(() => {
    stub.clearFaults();
    stub.reset();
  });

  /** A provider on its own Redis prefix (so its own session), unless `config` is shared. */
  function yahoo(config: Config = testConfig({ QUOTE_UPSTREAM_URL: stub.url, UPSTREAM_TIMEOUT_MS: '1000' })): QuoteProvider {
    return createProvider(config, { redis, keys: redisKeys(config.redis.prefix), logger });
  }

  it('declares what it can do', () => {
    expect(yahoo().capabilities).toEqual({ maxSymbolsPerRequest: 50, chartMaxRangeDays: expect.objectContaining({ '1m': 7 }) });
  });

  it('fetches 50 symbols in one quote request and maps every field', async () => {
    const symbols = Array.from({ length: 49 }, (_, i) => `T${String(i).padStart(2, '0')}`).concat('AAPL');
    const before = Date.now();
    const batch = await yahoo().getQuotes(symbols);
    expect(stub.counts.quote).toBe(1);
    expect(stub.quoteRequests).toHaveLength(1);
    expect(stub.quoteRequests[0]!.symbols).toHaveLength(50);
    expect(batch.missing).toEqual([]);
    expect(batch.quotes.map((quote) => quote.symbol)).toEqual(symbols);
    const apple = batch.quotes.find((quote) => quote.symbol === 'AAPL')!;
    expect(apple).toEqual({
      symbol: 'AAPL',
      shortName: 'Apple Inc.',
      price: expect.any(Number),
      change: expect.any(Number),
      changePercent: expect.any(Number),
      volume: expect.any(Number),
      marketState: 'REGULAR',
      currency: 'USD',
      exchange: 'NMS',
      previousClose: expect.any(Number),
      open: expect.any(Number),
      dayHigh: expect.any(Number),
      dayLow: expect.any(Number),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      source: 'yahoo',
    });
    expect(Date.parse(apple.timestamp!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(stub.servedAt('AAPL', apple.price!)).toBe(stub.quoteRequests[0]!.at);
  });

  it('sees a new price on every fetch', async () => {
    const provider = yahoo();
    const first = (await provider.getQuotes(['MSFT'])).quotes[0]!;
    const second = (await provider.getQuotes(['MSFT'])).quotes[0]!;
    expect(second.price).not.toBe(first.price);
    expect(second.volume!).toBeGreaterThan(first.volume!);
  });

  it('reports symbols the upstream does not know as missing', async () => {
    stub.unknown(['NOPE', 'GONE.L']);
    const batch = await yahoo().getQuotes(['AAPL', 'NOPE', 'GONE.L']);
    expect(batch.quotes.map((quote) => quote.symbol)).toEqual(['AAPL']);
    expect(batch.missing).toEqual(['NOPE', 'GONE.L']);
  });

  it('turns a 429 into RateLimitedError with Retry-After in ms', async () => {
    const provider = yahoo();
    await provider.getQuotes(['AAPL']); // session made first: this 429 hits the quote request
    stub.rateLimit({ retryAfterSeconds: 5, times: 1 });
    const error = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(5000);
    expect(stub.quoteRequests.at(-1)!.status).toBe(429);

    stub.rateLimit({ times: 1 });
    const bare = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(bare).toBeInstanceOf(RateLimitedError);
    expect((bare as RateLimitedError).retryAfterMs).toBeUndefined();
    // Nothing stuck: the next call works.
    expect((await provider.getQuotes(['AAPL'])).quotes).toHaveLength(1);
  });

  it('turns a 429 during the crumb flow into RateLimitedError too', async () => {
    stub.rateLimit({ retryAfterSeconds: 5, times: 1, paths: ['crumb'] });
    const provider = yahoo();
    const error = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(5000);
    expect(stub.counts.quote).toBe(0);
    // The failed flow is not cached: the next call runs it again and succeeds.
    expect((await provider.getQuotes(['AAPL'])).quotes).toHaveLength(1);
    expect(stub.counts.crumb).toBe(2);
  });

  it('turns a 5xx into UpstreamError with its status', async () => {
    const provider = yahoo();
    await provider.getQuotes(['AAPL']);
    stub.failNext(503, 1);
    const error = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(503);
    expect((error as Error).message).not.toMatch(/crumb=/);
  });

  it('gives up on a slow answer after the timeout with UpstreamError', async () => {
    const provider = yahoo(testConfig({ QUOTE_UPSTREAM_URL: stub.url, UPSTREAM_TIMEOUT_MS: '300' }));
    await provider.getQuotes(['AAPL']);
    // The answer would come after 20 s: an error well before it can only be the 300 ms timeout.
    stub.delay(20_000, { paths: ['quote'] });
    const started = Date.now();
    const error = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBeUndefined();
    expect((error as Error).message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('turns an unreachable upstream into UpstreamError', async () => {
    const closed = await startYahooStub();
    await closed.close();
    const error = await rejectionOf(yahoo(testConfig({ QUOTE_UPSTREAM_URL: closed.url })).getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(UpstreamError);
  });

  it('runs the crumb flow once per process and shares the session through Redis', async () => {
    const config = testConfig({ QUOTE_UPSTREAM_URL: stub.url });
    const first = yahoo(config);
    await Promise.all(Array.from({ length: 5 }, (_, i) => first.getQuotes([`C${i}`])));
    expect(stub.counts.crumb).toBe(1);
    expect(stub.counts.cookie).toBe(1);

    const key = redisKeys(config.redis.prefix).providerSession('yahoo');
    const stored = JSON.parse((await redis.get(key))!) as { cookie: string; crumb: string };
    expect(stored.cookie).toMatch(/^A3=/);
    expect(stored.crumb).toEqual(expect.any(String));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(24 * 60 * 60 * 1000);

    // A second process (a restart, another worker) on the same Redis reuses it.
    const second = yahoo(config);
    expect((await second.getQuotes(['AAPL'])).quotes).toHaveLength(1);
    expect(stub.counts.crumb).toBe(1);
  });

  it('redoes the crumb flow once when Yahoo rejects the crumb', async () => {
    const config = testConfig({ QUOTE_UPSTREAM_URL: stub.url });
    const provider = yahoo(config);
    await provider.getQuotes(['AAPL']);
    const key = redisKeys(config.redis.prefix).providerSession('yahoo');
    const oldCrumb = (JSON.parse((await redis.get(key))!) as { crumb: string }).crumb;

    stub.invalidateSessions();
    const batch = await provider.getQuotes(['AAPL', 'MSFT']);
    expect(batch.quotes).toHaveLength(2);
    expect(stub.counts.crumb).toBe(2);
    expect(stub.quoteRequests.map((request) => request.status)).toEqual([200, 401, 200]);
    const newCrumb = (JSON.parse((await redis.get(key))!) as { crumb: string }).crumb;
    expect(newCrumb).not.toBe(oldCrumb);

    // Another process still holding the old session in memory would get the new one from Redis.
    expect((await yahoo(config).getQuotes(['AAPL'])).quotes).toHaveLength(1);
    expect(stub.counts.crumb).toBe(2);
  });

  it('fails with UpstreamError, not a loop, when even a fresh session is refused', async () => {
    const provider = yahoo();
    await provider.getQuotes(['AAPL']);
    // Every crumb answer is refused: invalidate sessions as soon as they are issued.
    stub.failNext(401, 2, { paths: ['quote'] });
    const error = await rejectionOf(provider.getQuotes(['AAPL']));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(401);
    expect(stub.counts.quote).toBe(3);
  });

  it('searches', async () => {
    const results = await yahoo().search('micro', 5);
    expect(results).toEqual([{ symbol: 'MSFT', name: 'Microsoft Corporation', exchange: 'NMS', type: 'EQUITY' }]);
    expect(stub.counts.search).toBe(1);
    expect(await yahoo().search('^GSPC', 1)).toEqual([{ symbol: '^GSPC', name: 'S&P 500', exchange: 'SNP', type: 'INDEX' }]);
  });

  it('charts a range at an interval', async () => {
    const points = await yahoo().chart('AAPL', '1mo', '1d');
    expect(points.length).toBeGreaterThanOrEqual(28);
    expect(points.length).toBeLessThanOrEqual(32);
    const monthAgo = Date.now() - 32 * 86_400_000;
    for (const point of points) {
      expect(point).toEqual({ time: expect.any(String), open: expect.any(Number), high: expect.any(Number), low: expect.any(Number), close: expect.any(Number), volume: expect.any(Number) });
      expect(new Date(point.time).toISOString()).toBe(point.time);
      expect(Date.parse(point.time)).toBeGreaterThan(monthAgo);
    }
    const intraday = await yahoo().chart('MSFT', '1d', '5m');
    expect(intraday.length).toBeGreaterThan(200);
  });

  it('throws SymbolNotFoundError for the chart of an unknown symbol', async () => {
    stub.unknown(['NOPE']);
    const error = await rejectionOf(yahoo().chart('NOPE', '1mo', '1d'));
    expect(error).toBeInstanceOf(SymbolNotFoundError);
    expect((error as SymbolNotFoundError).symbol).toBe('NOPE');
  });

  it('lists the day movers from the screener', async () => {
    const movers = await yahoo().movers(3);
    expect(stub.counts.screener).toBe(2);
    expect(movers.gainers.map((quote) => quote.symbol)).toEqual(['SMCI', 'PLTR', 'COIN']);
    expect(movers.losers).toHaveLength(3);
    for (const quote of movers.gainers) expect(quote).toMatchObject({ source: 'yahoo', currency: 'USD', changePercent: expect.any(Number) });
    expect(movers.gainers[0]!.changePercent!).toBeGreaterThan(0);
    expect(movers.losers[0]!.changePercent!).toBeLessThan(0);
  });

  it('maps a 429 on search and chart too', async () => {
    stub.rateLimit({ retryAfterSeconds: 7, times: 2 });
    expect(((await rejectionOf(yahoo().search('apple', 3))) as RateLimitedError).retryAfterMs).toBe(7000);
    expect(((await rejectionOf(yahoo().chart('AAPL', '5d', '1h'))) as RateLimitedError).retryAfterMs).toBe(7000);
  });
});

// ---------------------------------------------------------------------------------------------

describe('alpha vantage provider (against a stub of /query)', () => {
  const KEY = 'AV-TEST-KEY-1234';
  let server: Server;
  let origin: string;
  const requests: URLSearchParams[] = [];
  let nextStatus: number | undefined;

  const answers: Record<string, (params: URLSearchParams) => unknown> = {
    GLOBAL_QUOTE: (params) => {
      const symbol = params.get('symbol');
      if (symbol === 'THROTTLED') return { Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.' };
      if (symbol === 'DAILYCAP') return { Information: 'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day.' };
      if (symbol === 'NOPE') return { 'Global Quote': {} };
      return {
        'Global Quote': {
          '01. symbol': symbol,
          '02. open': '188.9000',
          '03. high': '190.3000',
          '04. low': '188.1000',
          '05. price': '189.8400',
          '06. volume': '51234567',
          '07. latest trading day': '2026-11-20',
          '08. previous close': '188.6100',
          '09. change': '1.2300',
          '10. change percent': '0.6521%',
        },
      };
    },
    SYMBOL_SEARCH: () => ({ bestMatches: [{ '1. symbol': 'IBM', '2. name': 'International Business Machines Corp', '3. type': 'Equity', '4. region': 'United States' }] }),
    TIME_SERIES_DAILY: (params) => {
      if (params.get('symbol') === 'NOPE') return { 'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.' };
      const today = new Date().toISOString().slice(0, 10);
      return { 'Meta Data': {}, 'Time Series (Daily)': { [today]: { '1. open': '1.0', '2. high': '2.0', '3. low': '0.5', '4. close': '1.5', '5. volume': '1000' } } };
    },
    TOP_GAINERS_LOSERS: () => ({
      metadata: 'Top gainers, losers, and most actively traded US tickers',
      top_gainers: [{ ticker: 'UP', price: '2.5', change_amount: '1.0', change_percentage: '66.67%', volume: '1000' }],
      top_losers: [{ ticker: 'DOWN', price: '1.0', change_amount: '-1.0', change_percentage: '-50%', volume: '500' }],
      most_actively_traded: [],
    }),
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://stub.invalid');
      requests.push(url.searchParams);
      const status = nextStatus ?? 200;
      nextStatus = undefined;
      const answer = url.pathname === '/query' && url.searchParams.get('apikey') === KEY ? answers[url.searchParams.get('function') ?? ''] : undefined;
      const body = status !== 200 ? { error: 'boom' } : answer ? answer(url.searchParams) : { 'Error Message': 'the parameter apikey is invalid or missing.' };
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function alphaVantage(key = KEY): QuoteProvider {
    const config = testConfig({ QUOTE_PROVIDER: 'alphavantage', ALPHA_VANTAGE_API_KEY: key, QUOTE_UPSTREAM_URL: origin });
    return createProvider(config, { redis, keys: redisKeys(config.redis.prefix), logger });
  }

  it('quotes one symbol per request, with the key, and maps it', async () => {
    const provider = alphaVantage();
    expect(provider.capabilities.maxSymbolsPerRequest).toBe(1);
    const batch = await provider.getQuotes(['IBM']);
    expect(requests.at(-1)!.get('function')).toBe('GLOBAL_QUOTE');
    expect(requests.at(-1)!.get('apikey')).toBe(KEY);
    expect(batch).toEqual({
      quotes: [
        {
          symbol: 'IBM',
          shortName: null,
          price: 189.84,
          change: 1.23,
          changePercent: 0.6521,
          volume: 51234567,
          marketState: null,
          currency: null,
          exchange: null,
          previousClose: 188.61,
          open: 188.9,
          dayHigh: 190.3,
          dayLow: 188.1,
          timestamp: null,
          source: 'alphavantage',
        },
      ],
      missing: [],
    });
  });

  it('reports an empty Global Quote as missing', async () => {
    expect(await alphaVantage().getQuotes(['NOPE'])).toEqual({ quotes: [], missing: ['NOPE'] });
  });

  it('turns throttling notes into RateLimitedError', async () => {
    const perMinute = await rejectionOf(alphaVantage().getQuotes(['THROTTLED']));
    expect(perMinute).toBeInstanceOf(RateLimitedError);
    expect((perMinute as RateLimitedError).retryAfterMs).toBe(60_000);
    const daily = await rejectionOf(alphaVantage().getQuotes(['DAILYCAP']));
    expect(daily).toBeInstanceOf(RateLimitedError);
    expect((daily as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('fails loudly on a bad key, without repeating it', async () => {
    const error = await rejectionOf(alphaVantage('WRONG-KEY-5678').getQuotes(['IBM']));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).not.toContain('WRONG-KEY-5678');
  });

  it('turns an HTTP failure into UpstreamError without the key in the message', async () => {
    nextStatus = 502;
    const error = await rejectionOf(alphaVantage().getQuotes(['IBM']));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(502);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('searches, charts and lists movers', async () => {
    const provider = alphaVantage();
    expect(await provider.search('ibm', 5)).toEqual([{ symbol: 'IBM', name: 'International Business Machines Corp', exchange: null, type: 'Equity' }]);
    const points = await provider.chart('IBM', '1mo', '1d');
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ open: 1, high: 2, low: 0.5, close: 1.5, volume: 1000 });
    const movers = await provider.movers(5);
    expect(movers.gainers.map((quote) => quote.symbol)).toEqual(['UP']);
    expect(movers.losers.map((quote) => quote.symbol)).toEqual(['DOWN']);
  });

  it('throws SymbolNotFoundError for the chart of an unknown symbol, and refuses intraday intervals', async () => {
    const provider = alphaVantage();
    expect(await rejectionOf(provider.chart('NOPE', '1mo', '1d'))).toBeInstanceOf(SymbolNotFoundError);
    const before = requests.length;
    const intraday = await rejectionOf(provider.chart('IBM', '1d', '5m'));
    expect(intraday).toBeInstanceOf(UpstreamError);
    expect((intraday as Error).message).toMatch(/1d, 1wk, 1mo/);
    expect(requests.length).toBe(before);
  });
});
