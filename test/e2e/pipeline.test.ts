// The quote pipeline end to end: web, worker and scheduler as real processes (as the Procfile runs
// them), the real yahoo-finance2 client talking to a local stub of Yahoo, real Redis and PostgreSQL,
// and socket.io-client as the user's browser would be.
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { Queue } from 'bullmq';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import type { ClientToServerEvents, ServerToClientEvents, StockUpdate } from '../../lib/realtime/events.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { createTestDatabase, sharedUrls, uniqueName, type TestDatabase } from '../support/infra.js';
import { eventually, freePort, type RunningProcess } from '../support/processes.js';
import { appEnv, startApp } from '../support/app-processes.js';

const INTERVAL_MS = 3000;
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The nice value of each thread of a process (Linux keeps one per thread: field 19 of its stat). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((thread) => {
    const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
    // The fields after the command name, which may itself hold spaces or parentheses; field 3 first.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
  });
}

describe('quote pipeline, end to end', () => {
  let database: TestDatabase;
  let stub: YahooStub;
  let env: Record<string, string>;
  const running: RunningProcess[] = [];
  const clients: Client[] = [];
  let webPort: number;
  let token: string;

  async function start(script: 'web' | 'worker' | 'scheduler', extra: Record<string, string> = {}): Promise<RunningProcess> {
    const child = await startApp(script, { ...env, ...extra });
    running.push(child);
    return child;
  }

  async function startWeb(): Promise<number> {
    const port = await freePort();
    await start('web', { PORT: String(port) });
    return port;
  }

  function connect(port: number): Promise<Client> {
    const socket: Client = io(`http://127.0.0.1:${port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
    clients.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  /** Resolves with the first update for each ticker received after the call. */
  function nextUpdates(socket: Client, tickers: readonly string[], timeoutMs: number): Promise<StockUpdate> {
    return new Promise((resolve, reject) => {
      const seen: StockUpdate = {};
      const timer = setTimeout(() => {
        socket.off('stock_update', onUpdate);
        reject(new Error(`no stock_update for ${tickers.filter((t) => !seen[t]).join(', ')} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onUpdate = (update: StockUpdate) => {
        Object.assign(seen, update);
        if (tickers.every((ticker) => seen[ticker])) {
          clearTimeout(timer);
          socket.off('stock_update', onUpdate);
          resolve(seen);
        }
      };
      socket.on('stock_update', onUpdate);
    });
  }

  const api = async (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`http://127.0.0.1:${webPort}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };

  /** Quote requests the stub served since `since`, and the symbols they carried. */
  const servedSince = (since: number) => stub.quoteRequests.filter((request) => request.at >= since && request.status === 200);

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    stub = await startYahooStub();
    env = appEnv(database.url, uniqueName('pipeline'), {
      QUOTE_UPSTREAM_URL: stub.url,
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '20',
      SOCKET_MAX_SUBSCRIPTIONS: '600',
    });
    webPort = await startWeb();
    await start('worker');
    await start('scheduler');
    const email = `${uniqueName('pipe')}@example.com`;
    await api('/api/auth/register', { method: 'POST', body: { email, password: 'password123' } });
    token = ((await api('/api/auth/login', { method: 'POST', body: { email, password: 'password123' } })).body as { token: string }).token;
  }, 180_000);

  afterAll(async () => {
    for (const socket of clients) socket.close();
    for (const child of running.reverse()) await child.stop('SIGTERM');
    await stub?.close();
    await database?.drop();
  }, 30_000);

  it('delivers a stock_update for each watched and subscribed ticker within an interval and 2 s', async () => {
    expect((await api('/api/stocks/watchlist', { method: 'POST', body: { tickers: ['AAPL', 'MSFT'] } })).status).toBe(201);
    const socket = await connect(webPort);
    const updates = nextUpdates(socket, ['AAPL', 'MSFT'], INTERVAL_MS + 2000);
    socket.emit('subscribe', ['AAPL', 'MSFT']);
    const received = await updates;
    for (const symbol of ['AAPL', 'MSFT']) {
      expect(received[symbol]).toMatchObject({ symbol, source: 'yahoo', stale: false, currency: 'USD' });
      expect(received[symbol]!.seq).toBeGreaterThanOrEqual(1);
      expect(typeof received[symbol]!.price).toBe('number');
      expect(new Date(received[symbol]!.fetchedAt).toISOString()).toBe(received[symbol]!.fetchedAt);
    }
  }, 20_000);

  it('runs the worker and the scheduler at BACKGROUND_NICE (every thread), and the web as it was started', () => {
    const [web, ...background] = running;
    const inherited = getPriority();
    const nice = Math.max(10, inherited);
    expect(new Set(threadNiceValues(web!.child.pid!))).toEqual(new Set([inherited]));
    for (const [name, child] of [['worker', background[0]!], ['scheduler', background[1]!]] as const) {
      expect(new Set(threadNiceValues(child.child.pid!))).toEqual(new Set([nice]));
      const ready = child.output().split('\n').find((line) => line.includes(`"msg":"${name} ready"`));
      expect(JSON.parse(ready!)).toMatchObject({ nice });
    }
  });

  it('serves Bull Board to operators only', async () => {
    const anonymous = await fetch(`http://127.0.0.1:${webPort}/admin/queues`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${webPort}/admin/queues`, { headers: { Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const operator = { Authorization: `Basic ${Buffer.from('admin:tickwire-admin').toString('base64')}` };
    const page = await fetch(`http://127.0.0.1:${webPort}/admin/queues`, { headers: operator });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const queues = await fetch(`http://127.0.0.1:${webPort}/admin/queues/api/queues`, { headers: operator });
    const listed = (await queues.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(listed.queues.map((queue) => queue.name).sort()).toEqual(['quotes', 'schedule']);
    expect(listed.queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });

  it('asks the upstream at most 10 times per tick for 500 tickers in demand', async () => {
    // AAPL and MSFT are already in demand (watchlist and a live socket): 498 more make 500.
    const tickers = [...Array.from({ length: 498 }, (_, i) => `Q${String(i).padStart(3, '0')}`), 'AAPL', 'MSFT'];
    const socket = await connect(webPort);
    const ack = await socket.timeout(5000).emitWithAck('subscribe', tickers);
    expect(ack.subscribed).toHaveLength(500);
    // Let the demand reach a tick, then watch three whole intervals.
    await eventually(async () => (servedSince(0).some((request) => request.symbols.includes('Q497')) ? true : undefined), 3 * INTERVAL_MS);
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS + 500));
    const queue = new Queue('schedule', { connection: { url: sharedUrls().redisUrl, maxRetriesPerRequest: null }, prefix: env.REDIS_PREFIX });
    const completed = (await queue.getJobs(['completed'])).filter((job) => job.processedOn! >= from).sort((a, b) => a.processedOn! - b.processedOn!);
    await queue.close();
    expect(completed.length).toBeGreaterThanOrEqual(2);
    // Each tick planned at most ceil(500 / 50) = 10 waves and released them all. A wave is one
    // request: the stub's requests are counted over the whole span, not per tick, since on a busy
    // machine one tick's last wave can be served after the next tick started, and a ticker whose
    // job is still queued sits a tick out (the scheduler's deduplication).
    const plans = completed.map((job) => job.returnvalue as { tickers: number; waves: number; released: number });
    for (const plan of plans) expect(plan).toEqual(expect.objectContaining({ waves: plan.released }));
    expect(Math.max(...plans.map((plan) => plan.waves))).toBeLessThanOrEqual(10);
    const served = stub.quoteRequests.filter((request) => request.at >= completed[0]!.processedOn! && request.status === 200);
    const symbols = served.flatMap((request) => request.symbols);
    expect(tickers.filter((ticker) => !symbols.includes(ticker))).toEqual([]);
    // Full batches: 50 symbols a request, the 500 in 10, whatever tick each request belongs to.
    expect(Math.max(...served.map((request) => request.symbols.length))).toBeLessThanOrEqual(50);
    expect(symbols.length / served.length).toBeGreaterThanOrEqual(45);
    // One worker process started: the crumb flow ran once at most.
    expect(stub.counts.crumb).toBeLessThanOrEqual(1);
    await socket.timeout(5000).emitWithAck('unsubscribe', tickers.slice(0, 498));
  }, 40_000);

  it('holds every request for Retry-After after a 429, fails no job, and resumes', async () => {
    const queue = new Queue('quotes', { connection: { url: sharedUrls().redisUrl, maxRetriesPerRequest: null }, prefix: env.REDIS_PREFIX });
    try {
      const failedBefore = await queue.getFailedCount();
      const socket = await connect(webPort);
      await socket.timeout(5000).emitWithAck('subscribe', ['AAPL', 'MSFT']);
      // The 500 tickers of the test before fill a tick with concurrent requests; one already on its
      // way when the 429 is answered is not held. Arm the 429 once a tick needs a single request.
      const settledFrom = Date.now();
      await eventually(async () => (servedSince(settledFrom).some((request) => !request.symbols.some((symbol) => symbol.startsWith('Q'))) ? true : undefined), 3 * INTERVAL_MS, 20);
      stub.rateLimit({ retryAfterSeconds: 5, times: 1 });
      const limited = await eventually(async () => stub.quoteRequests.find((request) => request.status === 429), 3 * INTERVAL_MS, 20);
      const resumed = await eventually(async () => stub.quoteRequests.find((request) => request.at > limited.at && request.status === 200), 5000 + 3 * INTERVAL_MS, 20);
      expect(resumed.at - limited.at).toBeGreaterThanOrEqual(5000);
      // Updates flow again: a quote fetched after the pause reaches the client.
      await eventually(
        () =>
          new Promise<true | undefined>((resolve) => {
            socket.once('stock_update', (update) => resolve(Object.values(update).some((quote) => Date.parse(quote.fetchedAt) >= resumed.at) ? true : undefined));
          }),
        3 * INTERVAL_MS,
        0,
      );
      expect(await queue.getFailedCount()).toBe(failedBefore);
    } finally {
      await queue.close();
    }
  }, 40_000);

  it('refreshes every ticker within two ticks after the worker is killed mid-tick and restarted', async () => {
    const tickers = Array.from({ length: 200 }, (_, i) => `K${String(i).padStart(3, '0')}`);
    const socket = await connect(webPort);
    await socket.timeout(5000).emitWithAck('subscribe', tickers);
    const worker = running.find((child) => child.output().includes('"msg":"worker ready"') && child.alive)!;
    // Mid-tick: some of a tick's waves served, not all.
    await eventually(async () => (servedSince(0).some((request) => request.symbols.includes('K000')) ? true : undefined), 3 * INTERVAL_MS, 5);
    worker.child.kill('SIGKILL');
    await new Promise((resolve) => worker.child.once('exit', resolve));
    await start('worker');
    const restarted = Date.now();
    const missing = await eventually(async () => {
      const served = new Set(servedSince(restarted).flatMap((request) => request.symbols));
      return tickers.every((ticker) => served.has(ticker)) ? [] : undefined;
    }, 2 * INTERVAL_MS);
    expect(missing).toEqual([]);
    socket.emit('unsubscribe', tickers);
  }, 40_000);

  it('reaches a client on a second web process, whichever of two workers fetched the quote', async () => {
    await start('worker');
    const secondWebPort = await startWeb();
    const socket = await connect(secondWebPort);
    const updates = nextUpdates(socket, ['AAPL', 'MSFT', 'NVDA'], INTERVAL_MS + 3000);
    socket.emit('subscribe', ['NVDA', 'AAPL', 'MSFT']);
    const received = await updates;
    expect(Object.keys(received).sort()).toEqual(['AAPL', 'MSFT', 'NVDA']);
  }, 40_000);
});
