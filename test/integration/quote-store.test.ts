// The quote store and the upstream gate against the test run's real Redis.
import { pino } from 'pino';
import { createCacheClient, closeClients, firstConnection, type Redis } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createQuoteStore } from '../../lib/quotes/quote-store.js';
import { QUOTE_RETENTION_SECONDS, quoteCacheReader } from '../../lib/quotes/quote-cache.js';
import { createUpstreamGate, type UpstreamRequestObserver } from '../../lib/upstream/upstream-gate.js';
import type { UpstreamGate } from '../../lib/upstream/upstream-gate.js';
import { readLastRefreshes } from '../../lib/demand/refresh-log.js';
import { unknownSymbols } from '../../lib/demand/unknown-symbols.js';
import { RateLimitedError, SymbolNotFoundError, UpstreamError } from '../../lib/providers/errors.js';
import type { ProviderQuote } from '../../lib/providers/provider.js';
import { sharedUrls, uniqueName } from '../support/infra.js';
import { eventually } from '../support/processes.js';
import { sampleProviderQuote } from '../support/quotes.js';

const quote = (symbol: string, price: number, timestamp = '2026-11-20T20:59:58.000Z'): ProviderQuote =>
  sampleProviderQuote(symbol, { price, timestamp, previousClose: null });

describe('quote store (real Redis)', () => {
  let redis: Redis;
  let keys: ReturnType<typeof redisKeys>;

  beforeAll(async () => {
    redis = createCacheClient(sharedUrls().redisUrl, pino({ level: 'silent' }));
    await firstConnection(redis, 5000);
  });
  beforeEach(() => {
    keys = redisKeys(uniqueName('store'));
  });
  afterAll(() => closeClients([redis]));

  it('numbers new quotes 1, 2, 3 and returns only those that changed', async () => {
    const store = createQuoteStore(redis, keys);
    const first = await store.store([quote('AAPL', 100), quote('MSFT', 300)], new Date());
    expect(first.map((q) => [q.symbol, q.seq])).toEqual([['AAPL', 1], ['MSFT', 1]]);
    const second = await store.store([quote('AAPL', 101, '2026-11-20T21:00:00.000Z'), quote('MSFT', 300)], new Date());
    expect(second.map((q) => [q.symbol, q.seq])).toEqual([['AAPL', 2]]);
  });

  it('stores an unchanged quote again with a fresher fetchedAt and the same seq', async () => {
    const store = createQuoteStore(redis, keys);
    await store.store([quote('AAPL', 100)], new Date('2026-11-20T21:00:00.000Z'));
    await store.store([quote('AAPL', 100)], new Date('2026-11-20T21:00:20.000Z'));
    const [cached] = await quoteCacheReader(redis, keys, { staleAfterMs: () => 60_000 }).getMany(['AAPL']);
    expect(cached).toMatchObject({ symbol: 'AAPL', price: 100, seq: 1, fetchedAt: '2026-11-20T21:00:20.000Z' });
  });

  it('drops a late quote older than the stored one', async () => {
    const store = createQuoteStore(redis, keys);
    await store.store([quote('AAPL', 101, '2026-11-20T21:00:00.000Z')], new Date());
    expect(await store.store([quote('AAPL', 99, '2026-11-20T20:00:00.000Z')], new Date())).toEqual([]);
    const [cached] = await quoteCacheReader(redis, keys, { staleAfterMs: () => 60_000 }).getMany(['AAPL']);
    expect(cached?.price).toBe(101);
  });

  it('counts each new quote once when workers race on the same symbol', async () => {
    const store = createQuoteStore(redis, keys);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.store([quote('AAPL', 100)], new Date())));
    expect(results.flat().map((q) => q.seq)).toEqual([1]);
  });

  it('keeps every quote key under a TTL and keeps the API shape, marking old quotes stale', async () => {
    const store = createQuoteStore(redis, keys);
    await store.store([quote('AAPL', 100)], new Date(Date.now() - 120_000));
    const ttl = await redis.ttl(keys.quote('AAPL'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(QUOTE_RETENTION_SECONDS);
    const [cached] = await quoteCacheReader(redis, keys, { staleAfterMs: () => 60_000 }).getMany(['AAPL']);
    expect(Object.keys(cached!).sort()).toEqual(
      ['symbol', 'shortName', 'price', 'change', 'changePercent', 'volume', 'marketState', 'currency', 'exchange', 'previousClose', 'open', 'dayHigh', 'dayLow', 'timestamp', 'fetchedAt', 'source', 'seq', 'stale'].sort(),
    );
    expect(cached).toMatchObject({ stale: true, previousClose: null });
  });

  it('logs each stored quote\'s refresh time and market state, read back for many symbols at once', async () => {
    const store = createQuoteStore(redis, keys);
    const at = new Date('2026-11-20T21:00:00.000Z');
    await store.store([{ ...quote('AAPL', 100), marketState: 'CLOSED' }, { ...quote('MSFT', 300), marketState: null }], at);
    const refreshes = await readLastRefreshes(redis, keys, ['AAPL', 'MSFT', 'NVDA']);
    expect([...refreshes]).toEqual([
      ['AAPL', { at: at.getTime(), marketState: 'CLOSED' }],
      ['MSFT', { at: at.getTime(), marketState: null }],
    ]);
    expect(await redis.ttl(keys.quoteRefreshes)).toBeGreaterThan(0);
  });

  it('remembers unknown symbols for a while, under a TTL', async () => {
    const unknown = unknownSymbols(redis, keys);
    await unknown.mark(['NOPE']);
    expect(await unknown.withoutUnknown(['AAPL', 'NOPE', 'MSFT'])).toEqual(['AAPL', 'MSFT']);
    expect(await redis.ttl(keys.unknownSymbol('NOPE'))).toBeGreaterThan(0);
  });
});

describe('upstream gate (real Redis)', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = createCacheClient(sharedUrls().redisUrl, pino({ level: 'silent' }));
    await firstConnection(redis, 5000);
  });
  afterAll(() => closeClients([redis]));

  // Everything goes through the gate's one door, call(): a request the provider answers, or one it
  // answers with a 429 (once `answered()` settles), whose rethrown error carries the pause in force.
  const request = (gate: UpstreamGate) => gate.call('quotes', async () => undefined);
  const rateLimited = (
    gate: UpstreamGate,
    retryAfterMs: number | undefined,
    answered: () => Promise<void> = async () => undefined,
  ) =>
    gate.call('quotes', async () => {
      await answered();
      throw new RateLimitedError('yahoo', retryAfterMs);
    }).then(
      () => Promise.reject(new Error('the 429 was not rethrown')),
      (error: RateLimitedError) => error.retryAfterMs,
    );

  it('closes for every process sharing the Redis after a rate limit, for the time asked', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const one = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100 });
    const other = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100 });
    await request(one);
    // A request already past the gate, whose 429 (asking less) comes after the pause below.
    let answerLate: (() => void) | undefined;
    const late = rateLimited(other, 100, () => new Promise<void>((resolve) => (answerLate = resolve)));
    await eventually(async () => answerLate, 5_000, 5);
    expect(await rateLimited(one, 5_000)).toBe(5_000);
    const refused = await request(other).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(4_000);
    // A shorter pause asked later never shortens the one in force.
    answerLate!();
    expect(await late).toBeGreaterThan(4_000);
  });

  it('keeps the longest of two pauses asked at the same moment, whichever is written last', async () => {
    for (const order of [[3_000, 500], [500, 3_000]]) {
      const keys = redisKeys(uniqueName('gate'));
      const gates = order.map(() => createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100 }));
      // Two 429s answered together, in two processes: neither may cut the other's pause short.
      await Promise.all(order.map((ms, index) => rateLimited(gates[index]!, ms)));
      expect(await redis.pttl(keys.upstreamPause)).toBeGreaterThan(2_500);
    }
  });

  it('logs each pause with its end on Redis\'s clock, and the end in force when a pause already lasts longer', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const logged: Array<{ pauseMs: number; pausedUntil: number }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const gate = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100, logger });
    const redisNow = async () => {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    // A request already past the gate, whose 429 (asking less) comes after the first pause.
    let answerLate: (() => void) | undefined;
    const late = rateLimited(gate, 500, () => new Promise<void>((resolve) => (answerLate = resolve)));
    await eventually(async () => answerLate, 5_000, 5);
    const before = await redisNow();
    await rateLimited(gate, 3_000);
    const after = await redisNow();
    answerLate!();
    await late;
    const [first, second] = logged;
    expect(first).toMatchObject({ pauseMs: 3_000 });
    expect(first!.pausedUntil).toBeGreaterThanOrEqual(before + 3_000);
    expect(first!.pausedUntil).toBeLessThanOrEqual(after + 3_000);
    // The key's value says the same end, for an operator reading Redis.
    expect(Number(await redis.get(keys.upstreamPause))).toBe(first!.pausedUntil);
    // The shorter pause asked later reports the one in force (PTTL rounds to the ms).
    expect(second!.pauseMs).toBeLessThan(3_000);
    expect(Math.abs(second!.pausedUntil - first!.pausedUntil)).toBeLessThanOrEqual(1);
  });

  it('backs off exponentially when the provider gives no Retry-After', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const gate = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100 });
    const first = (await rateLimited(gate, undefined))!;
    await redis.del(keys.upstreamPause);
    const second = (await rateLimited(gate, undefined))!;
    expect(first).toBeGreaterThanOrEqual(1_000);
    expect(first).toBeLessThanOrEqual(2_000);
    expect(second).toBeGreaterThanOrEqual(2_000);
    expect(second).toBeLessThanOrEqual(4_000);
  });

  it('starts the backoff afresh after a request the provider answers', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const gate = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100 });
    await rateLimited(gate, undefined);
    await redis.del(keys.upstreamPause);
    await rateLimited(gate, undefined);
    await redis.del(keys.upstreamPause);
    await request(gate);
    const afterSuccess = (await rateLimited(gate, undefined))!;
    expect(afterSuccess).toBeGreaterThanOrEqual(1_000);
    expect(afterSuccess).toBeLessThanOrEqual(2_000);
  });

  it('paces requests to the shared budget instead of refusing them', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const one = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 3 });
    const other = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 3 });
    const stamps: number[] = [];
    await Promise.all(Array.from({ length: 6 }, async (_, index) => {
      await request(index % 2 ? one : other);
      stamps.push(Date.now());
    }));
    stamps.sort((a, b) => a - b);
    // A second's worth (3) may go at once; the other three wait for tokens at three a second.
    expect(stamps[5]! - stamps[0]!).toBeGreaterThanOrEqual(900);
  });

  it('never lets more requests through than the daily quota, in any process, and says what is left', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const options = { requestsPerSecond: 1000, requestsPerDay: 4, quotaWindowMs: 3_600_000 };
    const gates = [createUpstreamGate(redis, keys, 'yahoo', options), createUpstreamGate(redis, keys, 'yahoo', options)];
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => request(gates[index % 2]!)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(4);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    const quotaRefusal = (error: unknown) =>
      error instanceof RateLimitedError && error.message.includes('daily quota') &&
      error.retryAfterMs! > 0 && error.retryAfterMs! <= 3_600_000;
    expect(refusals.every(quotaRefusal)).toBe(true);
    const state = await gates[0]!.state();
    expect(state.quota).toMatchObject({ limit: 4, used: 4, remaining: 0, windowMs: 3_600_000 });
    expect(state.pausedMs).toBe(0);
    // Without a quota, the state has none.
    expect((await createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 5 }).state()).quota).toBeUndefined();
  });

  it('tells its observer how each request that reached the provider ended, and not of those the pause held', async () => {
    const keys = redisKeys(uniqueName('gate'));
    const seen: Array<Parameters<UpstreamRequestObserver['observe']>[0]> = [];
    const gate = createUpstreamGate(redis, keys, 'yahoo', { requestsPerSecond: 100, observer: { observe: (request) => seen.push(request) } });
    const fail = (error: Error) => () => Promise.reject(error);
    expect(await gate.call('quotes', async () => 'fine')).toBe('fine');
    await expect(gate.call('chart', fail(new SymbolNotFoundError('yahoo', 'ZZZZ')))).rejects.toBeInstanceOf(SymbolNotFoundError);
    await expect(gate.call('search', fail(new UpstreamError('yahoo', 'bad gateway', 502)))).rejects.toBeInstanceOf(UpstreamError);
    await expect(gate.call('quotes', fail(new RateLimitedError('yahoo', 5_000)))).rejects.toBeInstanceOf(RateLimitedError);
    // Paused now: this one never reaches the provider, so it is no request.
    let reached = false;
    await expect(gate.call('quotes', async () => (reached = true))).rejects.toBeInstanceOf(RateLimitedError);
    expect(reached).toBe(false);
    expect(seen.map(({ provider, operation, outcome }) => [provider, operation, outcome])).toEqual([
      ['yahoo', 'quotes', 'ok'],
      ['yahoo', 'chart', 'not_found'],
      ['yahoo', 'search', 'error'],
      ['yahoo', 'quotes', 'rate_limited'],
    ]);
    expect(seen.every((request) => request.seconds >= 0 && request.seconds < 60)).toBe(true);
  });
});
