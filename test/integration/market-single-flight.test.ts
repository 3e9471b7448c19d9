// Single flight for market data: however many requests, and however many web processes (here two
// apps on one Redis prefix and one database), a missing entry is fetched from the provider once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { uniqueName } from '../support/infra.js';
import { startTestWeb, type TestWeb } from '../support/web.js';

interface Answer {
  readonly status: number;
  readonly body: { symbol?: string; price?: number; seq?: number; code?: string; results?: unknown[] };
}

describe('single flight of market-data fetches', () => {
  let stub: YahooStub;
  let first: TestWeb;
  let second: TestWeb;
  const servers: Server[] = [];
  const origins: string[] = [];

  beforeAll(async () => {
    stub = await startYahooStub();
    const settings = { QUOTE_UPSTREAM_URL: stub.url, UPSTREAM_TIMEOUT_MS: '3000', UPSTREAM_REQUESTS_PER_SECOND: '100', PUBLIC_RATE_LIMIT_PER_MINUTE: '100000', REDIS_PREFIX: uniqueName('flight') };
    first = await startTestWeb(settings);
    // The second process of the same deployment: same Redis prefix, same database.
    second = await startTestWeb({ ...settings, DATABASE_URL: first.config.database.url });
    for (const web of [first, second]) {
      const server = createServer(web.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      origins.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await second?.close();
    await first?.close();
    await stub?.close();
  });
  beforeEach(() => {
    stub.clearFaults();
    stub.reset();
  });

  /** `count` requests at once, spread over the given origins in turn. */
  async function burst(path: string, count: number, over: readonly string[]): Promise<Answer[]> {
    return Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const response = await fetch(`${over[index % over.length]}${path}`);
        return { status: response.status, body: (await response.json()) as Answer['body'] };
      }),
    );
  }

  it('100 concurrent requests for a cold symbol make exactly 1 upstream quote request', async () => {
    // A slow upstream keeps the fetch in flight while every request arrives.
    stub.delay(300, { paths: ['quote'] });
    const answers = await burst('/api/stock/COLDA', 100, [origins[0]!]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(new Set(answers.map((answer) => `${answer.body.price}/${answer.body.seq}`)).size).toBe(1);
    expect(stub.counts.quote).toBe(1);
    expect(stub.quoteRequests.map((request) => request.symbols)).toEqual([['COLDA']]);
  });

  it('100 concurrent requests over two web processes make exactly 1 upstream quote request', async () => {
    stub.delay(300, { paths: ['quote'] });
    const answers = await burst('/api/stock/COLDB', 100, origins);
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(new Set(answers.map((answer) => `${answer.body.price}/${answer.body.seq}`)).size).toBe(1);
    expect(stub.counts.quote).toBe(1);
  });

  it('searches and charts are fetched once across both processes too', async () => {
    stub.delay(300, { paths: ['search', 'chart'] });
    const [searches, charts] = await Promise.all([burst('/api/search/tesla', 50, origins), burst('/api/stock/COLDG/chart?range=5d', 50, origins)]);
    expect([...searches, ...charts].every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(searches.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(stub.counts.search).toBe(1);
    expect(stub.counts.chart).toBe(1);
  });

  it('when the one fetch fails, the waiting requests fall back (503 here) instead of asking again', async () => {
    stub.delay(300, { paths: ['quote'] });
    stub.failNext(500, 100, { paths: ['quote'] });
    const answers = await burst('/api/stock/COLDH', 100, origins);
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(503));
    expect(answers.every((answer) => answer.body.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(stub.counts.quote).toBe(1);
  });
});
