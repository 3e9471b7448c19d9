// /metrics end to end: web, worker and scheduler as real processes against the Yahoo stub, real
// Redis and PostgreSQL; the web's /metrics shows what every process did, to operators only.
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import type { ClientToServerEvents, ServerToClientEvents, StockUpdate } from '../../lib/realtime/events.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/infra.js';
import { eventually, freePort, type RunningProcess } from '../support/processes.js';
import { appEnv, startApp, type AppName } from '../support/app-processes.js';
import { parseExposition, samplesOf, total, type Sample } from '../support/prometheus.js';

const INTERVAL_MS = 2000;
const PUBLISH_MS = 300;
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const OPERATOR = basic('admin', 'tickwire-admin');

describe('/metrics, end to end', () => {
  let database: TestDatabase;
  let stub: YahooStub;
  const running: RunningProcess[] = [];
  const clients: Client[] = [];
  let webPort: number;
  let token: string;

  const url = (path: string) => `http://127.0.0.1:${webPort}${path}`;

  async function start(app: AppName, env: Record<string, string>): Promise<void> {
    running.push(await startApp(app, env));
  }

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(url('/metrics'), { headers: OPERATOR });
    expect(response.status).toBe(200);
    return parseExposition(await response.text());
  }

  /** Scrapes until `check` accepts what it sees (snapshots arrive every PUBLISH_MS). */
  const scrapeUntil = (check: (samples: Sample[]) => boolean, timeoutMs = 10 * INTERVAL_MS) =>
    eventually(async () => {
      const samples = await scrape();
      return check(samples) ? samples : undefined;
    }, timeoutMs, PUBLISH_MS);

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    stub = await startYahooStub();
    webPort = await freePort();
    const env = appEnv(database.url, uniqueName('metrics'), {
      QUOTE_UPSTREAM_URL: stub.url,
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '50',
      METRICS_PUBLISH_MS: String(PUBLISH_MS),
    });
    await start('web', { ...env, PORT: String(webPort) });
    await start('worker', env);
    await start('scheduler', env);
    const email = `${uniqueName('metrics')}@example.com`;
    const json = { 'Content-Type': 'application/json' };
    await fetch(url('/api/auth/register'), { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'password123' }) });
    const login = await fetch(url('/api/auth/login'), { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'password123' }) });
    token = ((await login.json()) as { token: string }).token;
  }, 180_000);

  afterAll(async () => {
    for (const socket of clients) socket.close();
    for (const child of running.reverse()) await child.stop('SIGTERM');
    await stub?.close();
    await database?.drop();
  }, 30_000);

  it('refuses a scrape without operator credentials or with wrong ones', async () => {
    expect((await fetch(url('/metrics'))).status).toBe(401);
    expect((await fetch(url('/metrics'), { headers: basic('admin', 'nope') })).status).toBe(401);
    expect((await fetch(url('/metrics'), { headers: basic('someone', 'tickwire-admin') })).status).toBe(401);
    const response = await fetch(url('/metrics'), { headers: OPERATOR });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('shows what web, worker and scheduler did: requests, quotes, sockets, jobs, queues, processes', async () => {
    expect((await fetch(url('/api/stock/AAPL'))).status).toBe(200);
    expect((await fetch(url('/api/stock/MSFT'))).status).toBe(200);
    expect((await fetch(url('/api/search/apple'))).status).toBe(200);
    expect((await fetch(url('/api/nothing/here'))).status).toBe(404);

    const socket: Client = io(`http://127.0.0.1:${webPort}`, { auth: { token }, transports: ['websocket'], reconnection: false });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const subscribedAt = Date.now();
    // An update the worker fetched after the subscription: the snapshot of the REST fetch does not count.
    const fromWorker = new Promise<StockUpdate>((resolve) => {
      socket.on('stock_update', (update) => {
        if (Object.values(update).some((quote) => Date.parse(quote.fetchedAt) > subscribedAt)) resolve(update);
      });
    });
    await socket.timeout(5000).emitWithAck('subscribe', ['AAPL', 'NVDA']);
    await fromWorker;

    const samples = await scrapeUntil(
      (s) =>
        total(s, 'tickwire_quotes_emitted_total', { process: 'worker' }) > 0 &&
        total(s, 'tickwire_job_duration_seconds_count', { queue: 'quotes', process: 'worker' }) > 0 &&
        total(s, 'tickwire_job_duration_seconds_count', { queue: 'schedule', process: 'scheduler' }) > 0,
    );

    // Upstream requests per provider, from the worker (refresh) and from the web (REST misses).
    expect(total(samples, 'tickwire_upstream_requests_total', { provider: 'yahoo', operation: 'quotes', outcome: 'ok', process: 'worker' })).toBeGreaterThan(0);
    expect(total(samples, 'tickwire_upstream_requests_total', { provider: 'yahoo', operation: 'quotes', outcome: 'ok', process: 'web' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'tickwire_upstream_requests_total', { provider: 'yahoo', operation: 'search', outcome: 'ok', process: 'web' })).toBe(1);
    expect(total(samples, 'tickwire_upstream_request_duration_seconds_count', { provider: 'yahoo', process: 'worker' })).toBeGreaterThan(0);
    expect(samplesOf(samples, 'tickwire_upstream_requests_total', { outcome: 'rate_limited' }).length).toBeGreaterThan(0);

    expect(total(samples, 'tickwire_quotes_emitted_total', { process: 'worker' })).toBeGreaterThan(0);
    expect(total(samples, 'tickwire_sockets_connected', { process: 'web' })).toBeGreaterThanOrEqual(1);

    // HTTP latency by route pattern: two symbols, one series; never a raw URL.
    expect(total(samples, 'tickwire_http_request_duration_seconds_count', { method: 'GET', route: '/api/stock/:symbol', status_code: '200', process: 'web' })).toBe(2);
    expect(total(samples, 'tickwire_http_request_duration_seconds_count', { method: 'GET', route: '/api/search/:query', status_code: '200' })).toBe(1);
    expect(total(samples, 'tickwire_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    const routes = new Set(samplesOf(samples, 'tickwire_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((route) => /AAPL|MSFT|apple|nothing/.test(route ?? ''))).toEqual([]);

    // Job durations of both queues, from the processes that ran them.
    expect(total(samples, 'tickwire_job_duration_seconds_count', { queue: 'quotes', name: 'fetch-quote', outcome: 'completed', process: 'worker' })).toBeGreaterThan(0);
    expect(total(samples, 'tickwire_job_duration_seconds_count', { queue: 'schedule', name: 'schedule-tick', outcome: 'completed', process: 'scheduler' })).toBeGreaterThan(0);
    expect(total(samples, 'tickwire_job_duration_seconds_bucket', { queue: 'quotes', le: '+Inf' })).toBe(total(samples, 'tickwire_job_duration_seconds_count', { queue: 'quotes' }));

    // Queue depth per queue and state, read at scrape time; the schedule queue holds the next tick.
    for (const queue of ['quotes', 'schedule']) {
      expect(samplesOf(samples, 'tickwire_queue_jobs', { queue }).map((s) => s.labels.state)).toEqual(expect.arrayContaining(['waiting', 'active', 'delayed', 'prioritized', 'failed']));
    }
    expect(total(samples, 'tickwire_queue_jobs', { queue: 'schedule', state: 'delayed' })).toBeGreaterThanOrEqual(1);

    // Standard process metrics, once per process and never summed: three instances, three roles.
    const cpu = samplesOf(samples, 'process_cpu_user_seconds_total');
    expect(cpu.map((s) => s.labels.process).sort()).toEqual(['scheduler', 'web', 'worker']);
    expect(new Set(cpu.map((s) => s.labels.instance_id)).size).toBe(3);
    expect(samplesOf(samples, 'process_start_time_seconds')).toHaveLength(3);
    expect(samplesOf(samples, 'tickwire_metrics_instances').map((s) => [s.labels.process, s.value]).sort()).toEqual([
      ['scheduler', 1],
      ['web', 1],
      ['worker', 1],
    ]);
  }, 60_000);

  it('counts a 429 from the provider', async () => {
    const rateLimited = (samples: Sample[]) => total(samples, 'tickwire_upstream_requests_total', { provider: 'yahoo', outcome: 'rate_limited' });
    const before = rateLimited(await scrape());
    // AAPL and NVDA are still subscribed, so the next tick asks for them.
    stub.rateLimit({ retryAfterSeconds: 1, times: 1, paths: ['quote'] });
    await eventually(async () => (stub.quoteRequests.some((request) => request.status === 429) ? true : undefined), 3 * INTERVAL_MS, 50);
    const after = await scrapeUntil((samples) => rateLimited(samples) > before);
    expect(rateLimited(after)).toBe(before + 1);
    expect(total(after, 'tickwire_upstream_requests_total', { provider: 'yahoo', operation: 'quotes', outcome: 'rate_limited', process: 'worker' })).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
