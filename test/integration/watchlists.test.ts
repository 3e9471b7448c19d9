// Both watchlist APIs of API.md against real PostgreSQL and Redis: contract shapes, validation,
// auth, isolation between users, the size limit (also under concurrency) and account deletion.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Quote } from '../../lib/quotes/quote.js';
import { startTestWeb, type TestWeb } from '../support/web.js';
import { sampleQuote } from '../support/quotes.js';

const LIMIT = 50;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('watchlist routes on real PostgreSQL and Redis', () => {
  let web: TestWeb;
  let app: TestWeb['app'];

  beforeAll(async () => {
    web = await startTestWeb({ MAX_WATCHLIST_SIZE: String(LIMIT), AUTH_LIMIT_PER_IP: '1000', AUTH_LIMIT_PER_ACCOUNT: '1000' });
    ({ app } = web);
  });

  afterAll(() => web?.close());

  interface TestUser {
    readonly id: number;
    readonly token: string;
    readonly auth: string;
  }

  async function newUser(): Promise<TestUser> {
    const tag = randomBytes(6).toString('hex');
    const response = await request(app)
      .post('/api/auth/register')
      .send({ email: `user_${tag}@example.com`, password: 'correct horse battery', username: `u_${tag}` })
      .expect(201);
    const token = response.body.token as string;
    expect(typeof token).toBe('string');
    expect(typeof response.body.user.id).toBe('number');
    return { id: response.body.user.id as number, token, auth: `Bearer ${token}` };
  }

  const symbolsOf = async (user: TestUser): Promise<string[]> => (await request(app).get('/api/stocks/watchlist').set('Authorization', user.auth).expect(200)).body;

  async function fill(user: TestUser, count: number, prefix = 'T'): Promise<string[]> {
    const tickers = Array.from({ length: count }, (_, index) => `${prefix}${index}`);
    const response = await request(app).post('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers }).expect(201);
    expect(response.body.addedCount).toBe(count);
    return tickers;
  }

  async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return web.context.orm.em.fork().getConnection().execute<T[]>(query, params);
  }

  it('/api/stocks/watchlist lists, adds (normalised, deduplicated), reports rejects and removes', async () => {
    const user = await newUser();
    await request(app).get('/api/stocks/watchlist').set('Authorization', user.auth).expect(200, []);

    const first = await request(app).post('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers: ['msft', ' aapl', 'MSFT'] }).expect(201);
    expect(first.body).toEqual({ success: true, addedCount: 2, requestedTickers: ['MSFT', 'AAPL'], rejected: [] });

    await request(app).get('/api/stocks/watchlist').set('Authorization', user.auth).expect(200, ['AAPL', 'MSFT']);

    const second = await request(app).post('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers: ['AAPL', 'brk-b'] }).expect(201);
    expect(second.body).toEqual({ success: true, addedCount: 1, requestedTickers: ['AAPL', 'BRK-B'], rejected: [] });

    const mixed = await request(app).post('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers: ['A B', 'gc=f'] }).expect(201);
    expect(mixed.body).toEqual({
      success: true,
      addedCount: 1,
      requestedTickers: ['GC=F'],
      rejected: [{ ticker: 'A B', code: 'INVALID_TICKER', reason: expect.any(String) }],
    });
    expect(mixed.body.rejected[0].reason.length).toBeGreaterThan(0);
    expect(await symbolsOf(user)).toEqual(['AAPL', 'BRK-B', 'GC=F', 'MSFT']);

    const removed = await request(app).delete('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers: ['AAPL', 'NOPE'] }).expect(200);
    expect(removed.body).toEqual({ success: true, removedCount: 1, requestedTickers: ['AAPL', 'NOPE'], rejected: [] });
    expect(await symbolsOf(user)).toEqual(['BRK-B', 'GC=F', 'MSFT']);
  });

  it('refuses malformed /api/stocks/watchlist bodies with 400 VALIDATION_FAILED and changes nothing', async () => {
    const user = await newUser();
    await fill(user, 3, 'KEEP');
    const before = await symbolsOf(user);
    expect(before).toEqual(['KEEP0', 'KEEP1', 'KEEP2']);

    const badCharacters = 'ticker may contain only letters, digits, ".", "=", "-" and a leading "^"';
    const notAList = [{ path: 'tickers', message: 'must be a string or an array of strings' }];
    const cases: Array<[string, unknown, Array<{ path: string; message: string }>]> = [
      ['an SQL-looking ticker', { tickers: ["AAPL'; DROP TABLE users;--"] }, [{ path: 'tickers.0', message: badCharacters }]],
      ['the same bad ticker twice', { tickers: ['x y', 'x y'] }, [{ path: 'tickers.0', message: badCharacters }, { path: 'tickers.1', message: badCharacters }]],
      ['an SQL-looking short ticker', { tickers: ["A';--"] }, [{ path: 'tickers.0', message: badCharacters }]],
      ['an empty ticker', { tickers: [''] }, [{ path: 'tickers.0', message: 'ticker is empty' }]],
      ['a 500-character ticker', { tickers: ['A'.repeat(500)] }, [{ path: 'tickers.0', message: 'must be at most 32 characters' }]],
      ['tickers as a number', { tickers: 42 }, notAList],
      ['tickers as an object', { tickers: { AAPL: true } }, notAList],
      ['nested arrays', { tickers: [['AAPL'], ['MSFT']] }, notAList],
      ['no body', undefined, [{ path: 'tickers', message: 'is required' }]],
      ['101 tickers', { tickers: Array.from({ length: 101 }, (_, index) => `X${index}`) }, [{ path: 'tickers', message: 'must name at most 100 tickers' }]],
    ];
    for (const [label, body, details] of cases) {
      for (const method of ['post', 'delete'] as const) {
        const call = request(app)[method]('/api/stocks/watchlist').set('Authorization', user.auth);
        const response = body === undefined ? await call : await call.send(body as object);
        try {
          expect(response.status).toBe(400);
          expect(response.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details });
        } catch (error) {
          throw new Error(`${method.toUpperCase()} with ${label}: ${(error as Error).message}`);
        }
      }
    }

    expect(await symbolsOf(user)).toEqual(before);
    const [table] = await sql<{ name: string | null }>(`select to_regclass('public.users')::text as name`);
    expect(table?.name).toBe('users');
    const [users] = await sql<{ count: string }>('select count(*)::text as count from users where id = ?', [user.id]);
    expect(users?.count).toBe('1');
  });

  it('refuses every watchlist route without a token (AUTH_REQUIRED) and with a garbage one (TOKEN_INVALID)', async () => {
    const routes: Array<[string, 'get' | 'post' | 'delete', string, object | undefined]> = [
      ['GET /api/stocks/watchlist', 'get', '/api/stocks/watchlist', undefined],
      ['POST /api/stocks/watchlist', 'post', '/api/stocks/watchlist', { tickers: ['AAPL'] }],
      ['DELETE /api/stocks/watchlist', 'delete', '/api/stocks/watchlist', { tickers: ['AAPL'] }],
      ['GET /api/watchlist', 'get', '/api/watchlist', undefined],
      ['POST /api/watchlist', 'post', '/api/watchlist', { symbol: 'AAPL' }],
      ['DELETE /api/watchlist/AAPL', 'delete', '/api/watchlist/AAPL', undefined],
    ];
    for (const [label, method, path, body] of routes) {
      for (const [authorization, code] of [
        [undefined, 'AUTH_REQUIRED'],
        ['Bearer not.a.jwt', 'TOKEN_INVALID'],
      ] as const) {
        let call = request(app)[method](path);
        if (authorization) call = call.set('Authorization', authorization);
        const response = body ? await call.send(body) : await call;
        try {
          expect(response.status).toBe(401);
          expect(response.body).toEqual({ error: expect.any(String), code });
        } catch (error) {
          throw new Error(`${label} (${authorization ?? 'no token'}): ${(error as Error).message}\nbody: ${JSON.stringify(response.body)}`);
        }
      }
    }
  });

  it("keeps users' lists apart: A can neither read nor change B's list", async () => {
    const a = await newUser();
    const b = await newUser();
    await request(app).post('/api/stocks/watchlist').set('Authorization', b.auth).send({ tickers: ['AAPL', 'MSFT'] }).expect(201);
    const bBefore = (await request(app).get('/api/watchlist').set('Authorization', b.auth).expect(200)).body;
    expect(bBefore.items.map((item: { symbol: string }) => item.symbol)).toEqual(['AAPL', 'MSFT']);

    await request(app).get('/api/stocks/watchlist').set('Authorization', a.auth).expect(200, []);
    await request(app).get('/api/watchlist').set('Authorization', a.auth).expect(200, { items: [], count: 0, limit: LIMIT });

    await request(app).post('/api/stocks/watchlist').set('Authorization', a.auth).send({ tickers: ['NVDA'] }).expect(201);
    await request(app).post('/api/watchlist').set('Authorization', a.auth).send({ symbol: 'TSLA' }).expect(201);
    const removed = await request(app).delete('/api/stocks/watchlist').set('Authorization', a.auth).send({ tickers: ['AAPL', 'MSFT'] }).expect(200);
    expect(removed.body.removedCount).toBe(0);
    const notFound = await request(app).delete('/api/watchlist/AAPL').set('Authorization', a.auth).expect(404);
    expect(notFound.body).toEqual({ error: expect.any(String), code: 'NOT_FOUND' });

    await request(app).get('/api/stocks/watchlist').set('Authorization', b.auth).expect(200, ['AAPL', 'MSFT']);
    await request(app).get('/api/watchlist').set('Authorization', b.auth).expect(200, bBefore);
    await request(app).get('/api/stocks/watchlist').set('Authorization', a.auth).expect(200, ['NVDA', 'TSLA']);
  });

  it('/api/watchlist lists items with cached quotes, adds idempotently and deletes by symbol', async () => {
    const user = await newUser();
    await request(app).get('/api/watchlist').set('Authorization', user.auth).expect(200, { items: [], count: 0, limit: LIMIT });

    const created = await request(app).post('/api/watchlist').set('Authorization', user.auth).send({ symbol: 'aapl' }).expect(201);
    expect(created.body).toEqual({ item: { symbol: 'AAPL', addedAt: expect.stringMatching(ISO) } });
    const addedAt = created.body.item.addedAt as string;
    expect(Math.abs(Date.parse(addedAt) - Date.now())).toBeLessThan(60_000);

    const again = await request(app).post('/api/watchlist').set('Authorization', user.auth).send({ symbol: ' AAPL ' }).expect(200);
    expect(again.body).toEqual({ item: { symbol: 'AAPL', addedAt } });

    await request(app)
      .get('/api/watchlist')
      .set('Authorization', user.auth)
      .expect(200, { items: [{ symbol: 'AAPL', addedAt, quote: null }], count: 1, limit: LIMIT });

    const quote: Quote = sampleQuote('AAPL', { shortName: 'Apple Inc.', seq: 1842 });
    await web.context.cache.set(`${web.config.redis.prefix}:quote:AAPL`, JSON.stringify(quote));
    await request(app)
      .get('/api/watchlist')
      .set('Authorization', user.auth)
      .expect(200, { items: [{ symbol: 'AAPL', addedAt, quote }], count: 1, limit: LIMIT });

    const deleted = await request(app).delete('/api/watchlist/aapl').set('Authorization', user.auth).expect(204);
    expect(deleted.text).toBe('');
    expect(deleted.body).toEqual({});
    const missing = await request(app).delete('/api/watchlist/aapl').set('Authorization', user.auth).expect(404);
    expect(missing.body).toEqual({ error: expect.any(String), code: 'NOT_FOUND' });
    await request(app).get('/api/watchlist').set('Authorization', user.auth).expect(200, { items: [], count: 0, limit: LIMIT });

    const badSymbol = await request(app).post('/api/watchlist').set('Authorization', user.auth).send({ symbol: 'bad symbol' }).expect(400);
    expect(badSymbol.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details: [{ path: 'symbol', message: expect.any(String) }] });
    const badPath = await request(app).delete('/api/watchlist/%24%24').set('Authorization', user.auth).expect(400);
    expect(badPath.body).toEqual({ error: expect.any(String), code: 'VALIDATION_FAILED', details: [{ path: 'symbol', message: expect.any(String) }] });
    await request(app).get('/api/stocks/watchlist').set('Authorization', user.auth).expect(200, []);
  });

  it('enforces MAX_WATCHLIST_SIZE with 409 WATCHLIST_FULL, all or nothing', async () => {
    const full = await newUser();
    const symbols = await fill(full, LIMIT);
    expect(await symbolsOf(full)).toEqual([...symbols].sort());

    const overStocks = await request(app).post('/api/stocks/watchlist').set('Authorization', full.auth).send({ tickers: ['NEW1'] }).expect(409);
    expect(overStocks.body).toEqual({ error: expect.any(String), code: 'WATCHLIST_FULL' });
    const overItems = await request(app).post('/api/watchlist').set('Authorization', full.auth).send({ symbol: 'NEW1' }).expect(409);
    expect(overItems.body).toEqual({ error: expect.any(String), code: 'WATCHLIST_FULL' });

    // Symbols already there may be "added" again on a full list.
    const readdStocks = await request(app).post('/api/stocks/watchlist').set('Authorization', full.auth).send({ tickers: ['T0', 't49'] }).expect(201);
    expect(readdStocks.body).toEqual({ success: true, addedCount: 0, requestedTickers: ['T0', 'T49'], rejected: [] });
    const readdItem = await request(app).post('/api/watchlist').set('Authorization', full.auth).send({ symbol: 't7' }).expect(200);
    expect(readdItem.body).toEqual({ item: { symbol: 'T7', addedAt: expect.stringMatching(ISO) } });
    expect((await symbolsOf(full)).length).toBe(LIMIT);

    const almost = await newUser();
    await fill(almost, LIMIT - 2);
    const tooMany = await request(app).post('/api/stocks/watchlist').set('Authorization', almost.auth).send({ tickers: ['NEW1', 'NEW2', 'NEW3'] }).expect(409);
    expect(tooMany.body.code).toBe('WATCHLIST_FULL');
    const afterRefusal = await symbolsOf(almost);
    expect(afterRefusal.length).toBe(LIMIT - 2);
    expect(afterRefusal.filter((symbol) => symbol.startsWith('NEW'))).toEqual([]);

    // Exactly up to the limit is fine, counting only the symbols not yet there.
    const upTo = await request(app).post('/api/stocks/watchlist').set('Authorization', almost.auth).send({ tickers: ['T0', 'NEW1', 'NEW2'] }).expect(201);
    expect(upTo.body.addedCount).toBe(2);
    expect((await symbolsOf(almost)).length).toBe(LIMIT);
  });

  it('never passes the limit under 20 concurrent POST /api/watchlist requests', async () => {
    const user = await newUser();
    await fill(user, LIMIT - 5);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => request(app).post('/api/watchlist').set('Authorization', user.auth).send({ symbol: `C${index}` })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201).length).toBe(5);
    expect(statuses.filter((status) => status === 409).length).toBe(15);
    for (const response of responses.filter((r) => r.status === 409)) expect(response.body.code).toBe('WATCHLIST_FULL');

    const added = responses.filter((r) => r.status === 201).map((r) => r.body.item.symbol as string);
    const list = await symbolsOf(user);
    expect(list.length).toBe(LIMIT);
    expect(list.filter((symbol) => symbol.startsWith('C')).sort()).toEqual([...added].sort());
  });

  it('never passes the limit under 20 concurrent POST /api/stocks/watchlist requests', async () => {
    const user = await newUser();
    await fill(user, LIMIT - 5);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => request(app).post('/api/stocks/watchlist').set('Authorization', user.auth).send({ tickers: [`C${index}`] })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201).length).toBe(5);
    expect(statuses.filter((status) => status === 409).length).toBe(15);
    for (const response of responses.filter((r) => r.status === 201)) expect(response.body.addedCount).toBe(1);
    for (const response of responses.filter((r) => r.status === 409)) expect(response.body.code).toBe('WATCHLIST_FULL');

    const list = await symbolsOf(user);
    expect(list.length).toBe(LIMIT);
    const [rows] = await sql<{ count: string }>('select count(*)::text as count from watchlist_items where user_id = ?', [user.id]);
    expect(rows?.count).toBe(String(LIMIT));
  });

  it("deleting a user removes their watchlist and refuses their old token with TOKEN_INVALID", async () => {
    const user = await newUser();
    const other = await newUser();
    await fill(user, 4);
    await fill(other, 2);
    const count = async (id: number) => (await sql<{ count: string }>('select count(*)::text as count from watchlist_items where user_id = ?', [id]))[0]?.count;
    expect(await count(user.id)).toBe('4');

    await sql('delete from users where id = ?', [user.id]);

    expect(await count(user.id)).toBe('0');
    expect(await count(other.id)).toBe('2');
    const refused = await request(app).get('/api/stocks/watchlist').set('Authorization', user.auth).expect(401);
    expect(refused.body).toEqual({ error: expect.any(String), code: 'TOKEN_INVALID' });
    await request(app).get('/api/stocks/watchlist').set('Authorization', other.auth).expect(200, ['T0', 'T1']);
  });
});
