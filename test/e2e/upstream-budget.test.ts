// The upstream budget end to end: web, worker and scheduler as real processes, the real
// yahoo-finance2 client against the stub, real Redis and PostgreSQL. Market hours (a closed
// market's tickers rest, and come back on REGULAR), a 429 storm (no request inside a pause,
// batches stay whole, every ticker refreshed again soon after), and a daily quota (never
// exceeded; health and metrics say what is left; REST past it answers stale or 503).
import type { StubQuoteRequest } from '../stubs/yahoo-stub.js';
import { loggedPauses, requestsInsidePauses } from '../support/logged-pauses.js';
import { eventually } from '../support/processes.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import { parseExposition, total } from '../support/prometheus.js';

const INTERVAL_MS = 1000;
const CLOSED_INTERVAL_MS = 12_000;
const OPERATOR = { Authorization: `Basic ${Buffer.from('admin:tickwire-admin').toString('base64')}` };

describe('upstream budget, end to end', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline('budget', {
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '20',
      QUOTE_CLOSED_INTERVAL_MS: String(CLOSED_INTERVAL_MS),
      SOCKET_MAX_SUBSCRIPTIONS: '300',
    });
  }, 180_000);
  afterAll(() => pipeline?.stop(), 30_000);

  const ok = (request: StubQuoteRequest) => request.status === 200;
  const servedSince = (symbol: string, since: number) => pipeline.stub.quoteRequests.filter((request) => ok(request) && request.receivedAt >= since && request.symbols.includes(symbol));

  it('refreshes a closed market\'s ticker at the closed interval while an open one keeps the interval, and again every tick once it says REGULAR', async () => {
    const { stub } = pipeline;
    stub.setMarketState(['SHUT'], 'CLOSED');
    const socket = await pipeline.connect();
    await socket.timeout(5000).emitWithAck('subscribe', ['OPEN', 'SHUT']);
    const closedAt = (await eventually(async () => servedSince('SHUT', 0)[0], 10 * INTERVAL_MS)).at;
    // Six ticks refresh OPEN; SHUT, resting for 12 s, at most twice even if ticks come 5 s apart.
    await eventually(async () => (servedSince('OPEN', closedAt + 1).length >= 6 ? true : undefined), 60_000);
    expect(servedSince('OPEN', closedAt + 1).length).toBeGreaterThanOrEqual(6);
    expect(servedSince('SHUT', closedAt + 1).length).toBeLessThanOrEqual(2);

    stub.setMarketState(['SHUT'], 'REGULAR');
    const reopened = Date.now();
    // Its next refresh (within its closed interval) says REGULAR: from then on, every tick again.
    const regularAt = (await eventually(async () => servedSince('SHUT', reopened)[0], CLOSED_INTERVAL_MS + 20 * INTERVAL_MS)).at;
    await eventually(async () => (servedSince('OPEN', regularAt + 1).length >= 5 ? true : undefined), 60_000);
    expect(servedSince('SHUT', regularAt + 1).length).toBeGreaterThanOrEqual(servedSince('OPEN', regularAt + 1).length - 1);
    socket.emit('unsubscribe', ['OPEN', 'SHUT']);
  }, 120_000);

  it('holds every request through each pause of a 429 storm, with and without Retry-After, keeps batches whole, and refreshes every ticker soon after', async () => {
    const { stub } = pipeline;
    const tickers = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`);
    const socket = await pipeline.connect();
    expect((await socket.timeout(5000).emitWithAck('subscribe', tickers)).subscribed).toHaveLength(200);
    const everyTickerServedSince = (since: number) =>
      eventually(async () => {
        const served = new Set(stub.quoteRequests.filter((request) => ok(request) && request.receivedAt >= since).flatMap((request) => request.symbols));
        return tickers.every((ticker) => served.has(ticker)) ? true : undefined;
      }, 30_000);
    await everyTickerServedSince(0);

    const stormStart = Date.now();
    for (const retryAfterSeconds of [3, undefined]) {
      const phaseStart = Date.now();
      stub.rateLimitShare(0.3, { retryAfterSeconds });
      await eventually(async () => (stub.quoteRequests.filter((request) => request.status === 429 && request.at >= phaseStart).length >= 4 ? true : undefined), 60_000);
      stub.clearFaults();
      // The last pause may outlast the storm by its own length; then two intervals refresh everyone.
      await everyTickerServedSince(Date.now());
    }

    const during = stub.quoteRequests.filter((request) => request.receivedAt >= stormStart);
    // The pauses the workers set, each over the window Redis held it.
    const pauses = loggedPauses(pipeline.processes.worker.output(), stormStart);
    expect(pauses.length).toBeGreaterThanOrEqual(8);
    expect(pauses.some((pause) => pause.pauseMs === 3000)).toBe(true);
    const inside = requestsInsidePauses(during, pauses).map(({ request, pause }) => ({ receivedAt: request.receivedAt, symbols: request.symbols.length, pause }));
    expect(inside).toEqual([]);
    // Whole waves: a paused wave comes back as one request, never cut into pieces. A tick plans
    // the n tickers due into ceil(n / 50) equal requests, so when a busy machine makes ticks
    // overlap held waves (151 due: 4 of ~38) the mean falls below 50 with nothing cut; waves cut
    // on time windows, as before the budget had one owner, averaged 14-22 symbols.
    const sizes = during.map((request) => request.symbols.length);
    const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    expect({ wholeWaves: mean >= 30, mean, sizes }).toMatchObject({ wholeWaves: true });
    socket.emit('unsubscribe', tickers);
  }, 180_000);
});

describe('daily upstream quota, end to end', () => {
  const QUOTA = 4;
  let pipeline: Pipeline;

  beforeAll(async () => {
    // A one-second quote lifetime: a quote fetched earlier in the test is soon a REST miss again.
    pipeline = await startPipeline('quota', { FETCH_INTERVAL_MS: String(INTERVAL_MS), UPSTREAM_REQUESTS_PER_DAY: String(QUOTA), QUOTE_CACHE_TTL_SECONDS: '1', METRICS_PUBLISH_MS: '300' });
  }, 180_000);
  afterAll(() => pipeline?.stop(), 30_000);

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${pipeline.url}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };

  it('never lets more requests through than the quota, answers REST past it stale or 503, and says what is left', async () => {
    const { stub } = pipeline;
    // Live demand too: the scheduler plans within the same quota as REST.
    const socket = await pipeline.connect();
    await socket.timeout(5000).emitWithAck('subscribe', ['LIVE']);
    const answers = [];
    for (const symbol of ['AAPL', 'MSFT', 'NVDA', 'IBM', 'TSLA', 'META']) answers.push({ symbol, ...(await get(`/api/stock/${symbol}`)) });
    const refused = answers.filter((answer) => answer.status === 503);
    // Six symbols, four requests at most: at least two refused, in API.md's shape with a Retry-After.
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const known = answers.find((answer) => answer.status === 200)!;
    expect(known).toBeDefined();
    // Once its quote is older than its lifetime, the known symbol is served stale rather than refused.
    const stale = await eventually(async () => {
      const answer = await get(`/api/stock/${known.symbol}`);
      return answer.status === 200 && answer.body?.stale === true ? answer : undefined;
    }, 20_000, 250);
    expect(stale.body).toMatchObject({ symbol: known.symbol, stale: true });

    expect(stub.quoteRequests.length).toBeLessThanOrEqual(QUOTA);
    const health = await get('/api/health');
    expect(health.body?.budget).toMatchObject({ quota: { limit: QUOTA, used: QUOTA, remaining: 0 } });
    // The scheduler publishes the quota left and its plan with its metrics; each request's size is counted where it was sent.
    const samples = await eventually(async () => {
      const response = await fetch(`${pipeline.url}/metrics`, { headers: OPERATOR });
      const scraped = parseExposition(await response.text());
      const quotaSeen = scraped.some((sample) => sample.name === 'tickwire_upstream_quota_remaining') && total(scraped, 'tickwire_upstream_quota_remaining') === 0;
      // Every request counted once it reached the provider, by whichever process sent it (snapshots lag a little).
      return quotaSeen && total(scraped, 'tickwire_upstream_symbols_per_request_count') === stub.quoteRequests.length ? scraped : undefined;
    }, 20_000, 300);
    expect(total(samples, 'tickwire_tick_requests_allowed')).toBe(0);
    expect(samples.some((sample) => sample.name === 'tickwire_tick_tickers_deferred')).toBe(true);
    expect(samples.some((sample) => sample.name === 'tickwire_quote_refresh_age_seconds' && sample.labels.stat === 'p99')).toBe(true);
    // Still within the quota after the scheduler had its ticks.
    expect(stub.quoteRequests.length).toBeLessThanOrEqual(QUOTA);
  }, 90_000);
});
