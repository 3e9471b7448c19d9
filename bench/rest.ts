// REST throughput of one web process: requests per second and latency percentiles at a fixed
// number of requests in flight (a closed loop over keep-alive connections), for a cached quote,
// `/api/stocks/watchlist` and `/api/watchlist`. Runs the real web process on private Redis and
// PostgreSQL with the Yahoo stub as the upstream, stops by itself and prints a markdown table.
// Usage: npm run build && node dist/bench/rest.js [concurrency=50] [seconds=5] [watchlistSize=20]
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, startBenchSystem } from './support/bench-system.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const [concurrencyArg, secondsArg, sizeArg] = commandLine.positionals(['concurrency', 'seconds', 'watchlistSize']);
const concurrency = Math.floor(commandLine.positive(concurrencyArg, 'concurrency', 50));
const seconds = commandLine.positive(secondsArg, 'seconds', 5);
const watchlistSize = Math.floor(commandLine.positive(sizeArg, 'watchlistSize', 20));
/** Run before each measurement and discarded: connections opened, code paths warm. */
const WARM_UP_MS = 1000;

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

interface Figures {
  readonly requests: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** One GET; resolves with the status once the whole body has arrived. */
function get(agent: http.Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers, agent }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** `concurrency` loops, each sending its next request as soon as the last one is answered. */
async function closedLoop(port: number, scenario: Scenario, durationMs: number): Promise<{ latencies: number[]; errors: number; elapsedMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await get(agent, port, scenario.path, scenario.headers).catch(() => 0);
        latencies.push(performance.now() - sent);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, errors, elapsedMs };
}

async function measure(port: number, scenario: Scenario): Promise<Figures> {
  await closedLoop(port, scenario, WARM_UP_MS);
  const { latencies, errors, elapsedMs } = await closedLoop(port, scenario, seconds * 1000);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

async function call(port: number, method: string, path: string, body?: unknown, auth?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

// The per-IP limits would otherwise stop one client long before the web process does.
const system = await startBenchSystem({ PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000', AUTH_LIMIT_PER_IP: '100000', UPSTREAM_REQUESTS_PER_SECOND: '100' });
try {
  const web = await system.start('web');
  const port = web.port!;
  const registered = await call(port, 'POST', '/api/auth/register', { email: `bench-${Date.now()}@example.com`, password: 'bench-password-1' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const auth = `Bearer ${(registered.body as { token: string }).token}`;
  const tickers = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'TSLA', 'META', 'NFLX', 'IBM', ...Array.from({ length: 50 }, (_, i) => `BENCH${i}`)].slice(0, watchlistSize);
  const added = await call(port, 'POST', '/api/stocks/watchlist', { tickers }, auth);
  if (added.status !== 201) throw new Error(`watchlist add answered ${added.status}`);
  // Every quote cached (through the REST path itself), so /api/watchlist carries real quotes.
  for (const ticker of new Set(['AAPL', ...tickers])) {
    const quote = await call(port, 'GET', `/api/stock/${ticker}`);
    if (quote.status !== 200) throw new Error(`quote of ${ticker} answered ${quote.status}`);
  }
  const upstreamBefore = system.stub.counts.quote;

  const scenarios: Scenario[] = [
    { name: 'GET /api/stock/AAPL (cached quote, public)', path: '/api/stock/AAPL', headers: {} },
    { name: `GET /api/stocks/watchlist (${tickers.length} symbols)`, path: '/api/stocks/watchlist', headers: { authorization: auth } },
    { name: `GET /api/watchlist (${tickers.length} items with quotes)`, path: '/api/watchlist', headers: { authorization: auth } },
  ];
  const rows: string[] = [];
  for (const scenario of scenarios) {
    const figures = await measure(port, scenario);
    rows.push(
      `| ${scenario.name} | ${concurrency} | ${figures.requests} | ${figures.perSecond.toFixed(0)} | ${figures.p50.toFixed(1)} | ${figures.p99.toFixed(1)} | ${figures.max.toFixed(1)} | ${figures.errors} |`,
    );
  }
  console.log(`\nREST throughput: one web process, ${concurrency} requests in flight, ${seconds} s per route after ${WARM_UP_MS} ms of warm-up (load generator in the same machine)\n`);
  console.log('| route | in flight | requests | req/s | p50 ms | p99 ms | max ms | non-200 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  console.log(`\nupstream quote requests during the measurements: ${system.stub.counts.quote - upstreamBefore}`);
} finally {
  await system.stop();
}
