// Faults of PostgreSQL and Redis seen by a client of the real processes (web, worker, scheduler,
// the Yahoo stub): while PostgreSQL is frozen or stopped, a subscribed socket keeps receiving
// every ticker (watched and live-only) at least every two intervals, database routes and the
// socket handshake of a user the web process does not remember answer 503 SERVICE_UNAVAILABLE
// within 5 s (one it remembers still connects while the server is frozen, not once it is
// stopped), and nothing stored is lost; while Redis is frozen, a login answers within 1.5 s and is
// still limited. This file runs its own PostgreSQL and Redis, so freezing them touches no other test file.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { startEmbeddedPostgres } from '../../lib/local-infra/embedded-postgres.js';
import { startLocalRedis } from '../../lib/local-infra/local-redis.js';
import { readPid } from '../../lib/local-infra/process-files.js';
import { subscribe } from '../../lib/realtime/client.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { appEnv, startApp } from '../support/app-processes.js';
import { freeze, longestWait, postmasterPid, recordUpdates, type UpdateLog } from '../support/faults.js';
import { uniqueName } from '../support/infra.js';
import { eventually, freePort, ROOT, type RunningProcess } from '../support/processes.js';
import { connectError, registerUser, sleep, SocketClients, type TestUser } from '../support/socket-web.js';

const INTERVAL_MS = 1500;
/**
 * How long each PostgreSQL outage lasts. Shorter than the issue's 30 s, and the property holds
 * the same: it spans five ticks, the connect timeout and the query timeout (3 s each by default)
 * more than twice, so every tick of it runs on the last known demand. DB_OUTAGE_TEST_MS=30000
 * runs the issue's full length.
 */
const OUTAGE_MS = Number(process.env.DB_OUTAGE_TEST_MS) || 8000;

jest.setTimeout(120_000 + 4 * OUTAGE_MS);
/** On the watchlist; MSFT is subscribed by no socket, so only the watchlists' demand keeps it fetched. */
const WATCHED = ['AAPL', 'MSFT'];
/** Subscribed by the socket: AAPL is also watched, NVDA is live demand only. */
const SUBSCRIBED = ['AAPL', 'NVDA'];
const ACCOUNT_LIMIT = 3;

const logger = pino({ level: 'silent' });
const dataDir = path.join(ROOT, '.data', 'test', uniqueName('db-outage'));

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
  elapsedMs: number;
}

describe('PostgreSQL and Redis faults, seen by a client', () => {
  let postgresPort: number;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let redis: Awaited<ReturnType<typeof startLocalRedis>>;
  let stub: YahooStub;
  let web: RunningProcess & { url?: string };
  let url: string;
  const processes: RunningProcess[] = [];
  const clients = new SocketClients();
  let user: TestUser;
  /** Registered, never connected: no web process remembers it. */
  let stranger: TestUser;
  let updates: UpdateLog;

  const startPostgres = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort, logger });

  const call = async (route: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer> => {
    const startedAt = Date.now();
    const response = await fetch(`${url}${route}`, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // Well past the 5 s the issue allows, so a slow answer fails on the elapsed time, not here.
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: await response.json().catch(() => null), retryAfter: response.headers.get('retry-after'), elapsedMs: Date.now() - startedAt };
  };

  const healthy = () => eventually(async () => ((await call('/api/health')).status === 200 ? true : undefined), 60_000, 200);

  beforeAll(async () => {
    let redisPort: number;
    [postgresPort, redisPort] = await Promise.all([freePort(), freePort()]);
    [postgres, redis, stub] = await Promise.all([startPostgres(), startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: redisPort, logger }), startYahooStub()]);
    const orm = await initOrm({ url: postgres.url, poolMax: 1 }, logger);
    await applyMigrations(orm);
    await orm.close();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = appEnv(postgres.url, uniqueName('dbout'), {
      REDIS_URL: redis.url,
      QUOTE_UPSTREAM_URL: stub.url,
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '50',
      AUTH_LIMIT_PER_ACCOUNT: String(ACCOUNT_LIMIT),
      AUTH_LIMIT_PER_IP: '10000',
      HEALTH_TIMEOUT_MS: '1000',
      PORT: String(port),
    });
    web = await startApp('web', env);
    processes.push(web, ...(await Promise.all([startApp('worker', env), startApp('scheduler', env)])));

    [user, stranger] = await Promise.all([registerUser({ url }), registerUser({ url })]);
    for (const ticker of WATCHED) expect((await call('/api/watchlist', { method: 'POST', body: { symbol: ticker }, token: user.token })).status).toBe(201);
    const socket = await clients.connected(url, user.token);
    updates = recordUpdates(socket);
    expect((await subscribe(socket, SUBSCRIBED)).subscribed).toEqual(SUBSCRIBED);
    await updates.updatedAfter(SUBSCRIBED, Date.now(), 4 * INTERVAL_MS + 30_000);
  }, 180_000);

  afterAll(async () => {
    clients.closeAll();
    await Promise.all(processes.map((child) => child.stop('SIGTERM')));
    await Promise.all([postgres?.stop(), redis?.stop(), stub?.close()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A database route and login: 503 in API.md's shape with Retry-After, within 5 s, never 500. */
  async function expectDatabaseRoutesUnavailable(): Promise<void> {
    const answers = await Promise.all([
      call('/api/watchlist', { token: user.token }),
      call('/api/stocks/watchlist', { token: user.token }),
      call('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'correct horse battery' } }),
    ]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 503, body: { error: expect.any(String), code: 'SERVICE_UNAVAILABLE' } });
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.elapsedMs).toBeLessThan(5000);
    }
  }

  /**
   * The outage from `begin` to `end`: quotes keep flowing, the database's answers are 503, then all
   * is back. `remembered`: what a user who connected just before meets at once: the web process
   * still remembers it while its LISTEN connection stands (a frozen server, for the seconds its
   * heartbeat takes to give up), not once that connection has ended (a stopped server).
   */
  async function throughOutage(begin: () => Promise<void> | void, end: () => Promise<void> | void, remembered: 'connects' | 'refused'): Promise<void> {
    await healthy();
    (await clients.connected(url, user.token)).disconnect();
    await begin();
    const from = Date.now();
    try {
      if (remembered === 'connects') (await clients.connected(url, user.token)).disconnect();
      else expect((await connectError(clients.connect(url, { token: user.token }), 10_000)).data).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

      await expectDatabaseRoutesUnavailable();

      const refused = await connectError(clients.connect(url, { token: stranger.token }), 10_000);
      expect(refused.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) });

      // Health names the database, and says the scheduler runs on the demand it last knew.
      const health = await eventually(async () => {
        const answer = await call('/api/health');
        const body = answer.body as { database: string; demand: { watchlists: string; asOf: string | null } };
        return answer.status === 503 && body.demand.watchlists === 'last_known' ? body : undefined;
      }, 15_000, 250);
      expect(health.database).toBe('disconnected');
      expect(Date.parse(health.demand.asOf!)).toBeLessThanOrEqual(from);

      // The observation window itself: the outage has to last for the property to mean anything.
      await sleep(Math.max(0, from + OUTAGE_MS - Date.now()));
      await expectDatabaseRoutesUnavailable();
      const to = Date.now();
      // Each subscribed ticker reached the socket, and the watched-only one the upstream, at least every 2 intervals.
      const waits = Object.fromEntries(SUBSCRIBED.map((ticker) => [ticker, updates.longestWait(ticker, from, to)]));
      waits.MSFT = longestWait(stub.quoteRequests.filter((request) => request.status === 200 && request.symbols.includes('MSFT')).map((request) => request.at), from, to);
      for (const [ticker, wait] of Object.entries(waits)) expect(`${ticker}: ${wait <= 2 * INTERVAL_MS ? 'in time' : `${wait} ms without an update`}`).toBe(`${ticker}: in time`);
    } finally {
      await end();
    }

    // Everything answers again, and what was stored is still there.
    await healthy();
    const watchlist = await eventually(async () => {
      const answer = await call('/api/watchlist', { token: user.token });
      return answer.status === 200 ? (answer.body as { items: Array<{ symbol: string }> }) : undefined;
    }, 10_000, 200);
    expect(watchlist.items.map((item) => item.symbol).sort()).toEqual(WATCHED);
    expect((await call('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'correct horse battery' } })).status).toBe(200);
    await clients.connected(url, user.token);
    await eventually(async () => {
      const answer = await call('/api/health');
      return (answer.body as { demand: { watchlists: string } }).demand.watchlists === 'current' ? true : undefined;
    }, 15_000, 250);
  }

  it('keeps quotes flowing and answers 503 while PostgreSQL is frozen', async () => {
    let thaw: () => void = () => undefined;
    await throughOutage(
      async () => void (thaw = freeze(await postmasterPid(postgres.dataDir))),
      () => thaw(),
      'connects',
    );
  });

  it('keeps quotes flowing and answers 503 while PostgreSQL is stopped', async () => {
    await throughOutage(
      () => postgres.stop(),
      async () => void (postgres = await startPostgres()),
      'refused',
    );
  });

  it('answers a login within 1.5 s, still limited, while Redis is frozen', async () => {
    await healthy();
    const email = `${uniqueName('frozen')}@example.com`;
    const thaw = freeze((await readPid(path.join(dataDir, 'redis', 'redis.pid')))!);
    try {
      const answers: Answer[] = [];
      for (let attempt = 0; attempt <= ACCOUNT_LIMIT; attempt += 1) answers.push(await call('/api/auth/login', { method: 'POST', body: { email, password: 'not-the-password' } }));
      // The memory stand-in counts from the first attempt: the limit still trips on time.
      expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), 429]);
      expect(answers.at(-1)!.body).toMatchObject({ code: 'RATE_LIMITED' });
      for (const answer of answers) expect(answer.elapsedMs).toBeLessThan(1500);
    } finally {
      thaw();
    }
    await healthy();
  });
});
