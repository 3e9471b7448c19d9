// A local stand-in for Yahoo Finance, speaking the endpoints yahoo-finance2 3.x and our crumb flow
// call, with faults to inject (429, 5xx, slowness, unknown symbols, rejected sessions) and
// counters to assert on. Quotes change on every serve (a cent up, unless setPrice holds the price),
// and the stub remembers when it served each price, so a benchmark can measure latency from the
// upstream to a client. No jest imports here: benchmarks load it from dist/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubEndpoint = 'cookie' | 'crumb' | 'quote' | 'search' | 'chart' | 'screener';

export interface StubQuoteRequest {
  /** Date.now() when the answer was sent. */
  readonly at: number;
  /** Date.now() when the request arrived. */
  readonly receivedAt: number;
  readonly symbols: readonly string[];
  readonly status: number;
}

export interface YahooStubOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  /** How many of each symbol's latest serves `servedAt` remembers (default 256). */
  readonly servedHistory?: number;
}

/** Which endpoints a fault applies to; all of them when absent. */
export interface FaultScope {
  readonly paths?: readonly StubEndpoint[];
}

export interface YahooStub {
  /** Origin to use as QUOTE_UPSTREAM_URL, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  /** Requests received per endpoint, faulted ones included. */
  readonly counts: Readonly<Record<StubEndpoint, number>>;
  /** Every quote request answered, in order, whatever its status. */
  readonly quoteRequests: readonly StubQuoteRequest[];
  /** The next `times` requests (default: until clearFaults) answer 429, with Retry-After when given. */
  rateLimit(options?: { retryAfterSeconds?: number; times?: number } & FaultScope): void;
  /**
   * A storm: from now until clearFaults, a `share` of the requests (0..1, spread evenly: 0.3 is 3
   * in every 10) answer 429, with Retry-After when given.
   */
  rateLimitShare(share: number, options?: { retryAfterSeconds?: number } & FaultScope): void;
  /** The next `times` requests (default 1) answer `status` (e.g. 500, 503). */
  failNext(status: number, times?: number, scope?: FaultScope): void;
  /** Every answer waits `ms` first, until clearFaults or delay(0). */
  delay(ms: number, scope?: FaultScope): void;
  /** These symbols become unknown: left out of quote answers, 404 for charts. */
  unknown(symbols: readonly string[]): void;
  /** Every cookie and crumb issued so far is refused from now on (401 "Invalid Crumb"). */
  invalidateSessions(): void;
  /** The marketState served for these symbols from now on (REGULAR for the others); undefined: back to REGULAR. */
  setMarketState(symbols: readonly string[], state: string | undefined): void;
  /** Drops rate limits, failures, delays and unknown symbols (market states stay as set). */
  clearFaults(): void;
  /** Zeroes the counters and forgets the recorded quote requests (the objects stay the same). */
  reset(): void;
  /** When the stub served `price` for `symbol` (Date.now() ms), if among its latest serves; undefined while the price is held. */
  servedAt(symbol: string, price: number): number | undefined;
  /**
   * Holds `symbol` at `price` from its next serve on (volume and market time still move, so each
   * serve is still a new quote), to make a price fall or jump on demand; `undefined` lets it climb
   * again from where it would have been.
   */
  setPrice(symbol: string, price: number | undefined): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Deterministic quote data

function hashSymbol(symbol: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i += 1) {
    hash ^= symbol.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

interface SymbolState {
  readonly hash: number;
  /** Price before the first serve, in cents; each serve adds one cent. */
  readonly baseCents: number;
  serves: number;
  /** Set by setPrice: the price served instead of the climbing one. */
  heldCents: number | undefined;
  /** Ring of serve times: serve n is at index n % length. */
  readonly servedTimes: Float64Array;
}

/** A provider's name with markup in it: clients must show it as text, never parse or run it. */
export const MARKUP_NAME = '<img src=x onerror="window.__injected=1"><b>Markup</b> & Co.';

const NAMES: Readonly<Record<string, string>> = {
  AAPL: 'Apple Inc.',
  MSFT: 'Microsoft Corporation',
  GOOGL: 'Alphabet Inc.',
  AMZN: 'Amazon.com, Inc.',
  NVDA: 'NVIDIA Corporation',
  TSLA: 'Tesla, Inc.',
  META: 'Meta Platforms, Inc.',
  NFLX: 'Netflix, Inc.',
  IBM: 'International Business Machines Corporation',
  '^GSPC': 'S&P 500',
  '^DJI': 'Dow Jones Industrial Average',
  '^IXIC': 'NASDAQ Composite',
  MRKP: MARKUP_NAME,
};

const GAINERS = ['SMCI', 'PLTR', 'COIN', 'RIVN', 'SOFI', 'MARA', 'HOOD', 'UPST', 'AFRM', 'DKNG'];
const LOSERS = ['WBA', 'INTC', 'PARA', 'BA', 'LCID', 'NKLA', 'PTON', 'SNAP', 'CVNA', 'BYND'];

const cents = (value: number) => Math.round(value) / 100;
const isIndex = (symbol: string) => symbol.startsWith('^');

function describe(symbol: string): { shortName: string; longName: string } {
  const name = NAMES[symbol] ?? `${symbol} Stub Corp.`;
  return { shortName: name, longName: name };
}

/** A Yahoo v7 quote object, with the fields Yahoo sends for a US equity or index. */
function yahooQuote(symbol: string, priceCents: number, previousCents: number, volume: number, marketTimeSeconds: number, marketState = 'REGULAR'): Record<string, unknown> {
  const index = isIndex(symbol);
  const change = priceCents - previousCents;
  return {
    language: 'en-US',
    region: 'US',
    quoteType: index ? 'INDEX' : 'EQUITY',
    typeDisp: index ? 'Index' : 'Equity',
    quoteSourceName: 'Nasdaq Real Time Price',
    triggerable: true,
    customPriceAlertConfidence: 'HIGH',
    currency: 'USD',
    exchange: index ? 'SNP' : 'NMS',
    ...describe(symbol),
    messageBoardId: `finmb_${hashSymbol(symbol)}`,
    exchangeTimezoneName: 'America/New_York',
    exchangeTimezoneShortName: 'EST',
    gmtOffSetMilliseconds: -18_000_000,
    market: 'us_market',
    esgPopulated: false,
    marketState,
    regularMarketChangePercent: Math.round((change / previousCents) * 100 * 10_000) / 10_000,
    regularMarketPrice: cents(priceCents),
    regularMarketTime: marketTimeSeconds,
    regularMarketChange: cents(change),
    regularMarketOpen: cents(previousCents + 5),
    regularMarketDayHigh: cents(Math.max(priceCents, previousCents + 5)),
    regularMarketDayLow: cents(Math.min(priceCents, previousCents - 5)),
    regularMarketVolume: volume,
    regularMarketPreviousClose: cents(previousCents),
    bid: cents(priceCents - 1),
    ask: cents(priceCents + 1),
    bidSize: 3,
    askSize: 4,
    fullExchangeName: index ? 'SNP' : 'NasdaqGS',
    financialCurrency: 'USD',
    averageDailyVolume3Month: 50_000_000,
    fiftyTwoWeekLow: cents(previousCents * 0.7),
    fiftyTwoWeekHigh: cents(previousCents * 1.3),
    sourceInterval: 15,
    exchangeDataDelayedBy: 0,
    tradeable: false,
    cryptoTradeable: false,
    hasPrePostMarketData: !index,
    firstTradeDateMilliseconds: 345_479_400_000,
    priceHint: 2,
    symbol,
  };
}

/** Fields Yahoo sends whatever `fields` asks for. */
const CORE_FIELDS = new Set([
  'language', 'region', 'quoteType', 'typeDisp', 'quoteSourceName', 'triggerable', 'customPriceAlertConfidence',
  'currency', 'exchange', 'marketState', 'exchangeTimezoneName', 'exchangeTimezoneShortName', 'gmtOffSetMilliseconds',
  'market', 'esgPopulated', 'sourceInterval', 'exchangeDataDelayedBy', 'tradeable', 'cryptoTradeable', 'priceHint',
  'fullExchangeName', 'firstTradeDateMilliseconds', 'hasPrePostMarketData', 'symbol',
]);

/** A quote cut down as Yahoo does for `fields=...`: the core fields plus those asked for. */
function onlyFields(quote: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(quote).filter(([name]) => CORE_FIELDS.has(name) || fields.has(name)));
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

interface StatusFault {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  remaining: number;
  readonly paths: readonly StubEndpoint[] | undefined;
}

const applies = (paths: readonly StubEndpoint[] | undefined, endpoint: StubEndpoint) => !paths || paths.includes(endpoint);

function endpointOf(pathname: string): StubEndpoint | undefined {
  if (pathname === '/' || pathname.startsWith('/quote/')) return 'cookie';
  if (pathname === '/v1/test/getcrumb') return 'crumb';
  if (pathname === '/v7/finance/quote') return 'quote';
  if (pathname === '/v1/finance/search') return 'search';
  if (pathname.startsWith('/v8/finance/chart/')) return 'chart';
  if (pathname === '/v1/finance/screener/predefined/saved') return 'screener';
  return undefined;
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (response.destroyed || response.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain;charset=utf-8' : 'application/json;charset=utf-8';
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

const yahooError = (root: string, code: string, description: string) => ({ [root]: { result: null, error: { code, description } } });

const CHART_STEP_SECONDS: Readonly<Record<string, number>> = {
  '1m': 60,
  '2m': 120,
  '5m': 300,
  '15m': 900,
  '30m': 1800,
  '60m': 3600,
  '90m': 5400,
  '1h': 3600,
  '1d': 86_400,
  '5d': 432_000,
  '1wk': 604_800,
  '1mo': 2_592_000,
  '3mo': 7_862_400,
};
const MAX_CHART_POINTS = 500;

// ---------------------------------------------------------------------------------------------

export async function startYahooStub(options: YahooStubOptions = {}): Promise<YahooStub> {
  const history = Math.max(1, options.servedHistory ?? 256);
  const counts: Record<StubEndpoint, number> = { cookie: 0, crumb: 0, quote: 0, search: 0, chart: 0, screener: 0 };
  const quoteRequests: StubQuoteRequest[] = [];
  const symbols = new Map<string, SymbolState>();
  const unknownSymbols = new Set<string>();
  let faults: StatusFault[] = [];
  let storm: { share: number; retryAfterSeconds: number | undefined; paths: readonly StubEndpoint[] | undefined; seen: number } | undefined;
  const marketStates = new Map<string, string>();
  let slow: { ms: number; paths: readonly StubEndpoint[] | undefined } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  // Sessions: A3 cookie value → the crumb issued for it (undefined until /getcrumb).
  const sessions = new Map<string, string | undefined>();
  let sessionCounter = 0;

  function stateOf(symbol: string): SymbolState {
    let state = symbols.get(symbol);
    if (!state) {
      const hash = hashSymbol(symbol);
      state = { hash, baseCents: isIndex(symbol) ? 500_000 + (hash % 3_000_000) : 1000 + (hash % 49_000), serves: 0, heldCents: undefined, servedTimes: new Float64Array(history) };
      symbols.set(symbol, state);
    }
    return state;
  }

  const priceCentsOf = (state: SymbolState) => state.heldCents ?? state.baseCents + state.serves;

  /** One serve of a symbol: a cent higher than the last (or the held price), more volume, market time = now. */
  function serveQuote(symbol: string, now: number, fields: ReadonlySet<string> | undefined): Record<string, unknown> {
    const state = stateOf(symbol);
    state.serves += 1;
    state.servedTimes[state.serves % history] = now;
    const volume = 1_000_000 + (state.hash % 100_000) + state.serves * 100;
    const quote = yahooQuote(symbol, priceCentsOf(state), state.baseCents, volume, Math.floor(now / 1000), marketStates.get(symbol));
    return fields ? onlyFields(quote, fields) : quote;
  }

  function takeFault(endpoint: StubEndpoint): Pick<StatusFault, 'status' | 'retryAfterSeconds'> | undefined {
    if (storm && applies(storm.paths, endpoint)) {
      const n = storm.seen++;
      if (Math.floor((n + 1) * storm.share) > Math.floor(n * storm.share)) return { status: 429, retryAfterSeconds: storm.retryAfterSeconds };
    }
    const fault = faults.find((candidate) => candidate.remaining > 0 && applies(candidate.paths, endpoint));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  function hasValidSession(request: IncomingMessage, crumb: string | null): boolean {
    const a3 = cookieValue(request, 'A3');
    return a3 !== undefined && crumb !== null && sessions.has(a3) && sessions.get(a3) === crumb;
  }

  function answerCookie(response: ServerResponse, pathname: string): void {
    sessionCounter += 1;
    const a3 = `d=AQABBstub${sessionCounter}x${Date.now().toString(36)}&S=AQAAA`;
    sessions.set(a3, undefined);
    const setCookie = `A3=${a3}; Expires=${new Date(Date.now() + 365 * 86_400_000).toUTCString()}; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`;
    // fc.yahoo.com answers 404 with the cookie; a quote page answers 200.
    send(response, pathname === '/' ? 404 : 200, pathname === '/' ? 'Not Found' : '<html><body>quote</body></html>', { 'set-cookie': [setCookie] });
  }

  function answerCrumb(request: IncomingMessage, response: ServerResponse): void {
    const a3 = cookieValue(request, 'A3');
    if (a3 === undefined || !sessions.has(a3)) {
      send(response, 401, yahooError('finance', 'Unauthorized', 'Invalid Cookie'));
      return;
    }
    const crumb = sessions.get(a3) ?? `stubCrumb${sessionCounter}.${(hashSymbol(a3) % 100_000).toString(36)}`;
    sessions.set(a3, crumb);
    send(response, 200, crumb);
  }

  /** Answers a quote request; the status sent, for the record. */
  function answerQuote(request: IncomingMessage, response: ServerResponse, url: URL, requested: string[], now: number): number {
    if (!hasValidSession(request, url.searchParams.get('crumb'))) {
      send(response, 401, yahooError('finance', 'Unauthorized', 'Invalid Crumb'));
      return 401;
    }
    const fieldList = url.searchParams.get('fields');
    const fields = fieldList ? new Set(fieldList.split(',')) : undefined;
    const result = requested.filter((symbol) => !unknownSymbols.has(symbol)).map((symbol) => serveQuote(symbol, now, fields));
    send(response, 200, { quoteResponse: { result, error: null } });
    return 200;
  }

  function answerSearch(response: ServerResponse, url: URL): void {
    const query = (url.searchParams.get('q') ?? '').trim().toUpperCase();
    const limit = Number(url.searchParams.get('quotesCount') ?? 6);
    const matches = Object.keys(NAMES).filter((symbol) => query !== '' && (symbol.startsWith(query) || NAMES[symbol]!.toUpperCase().includes(query)));
    // Any other ticker-like query finds itself, as every symbol is quotable here.
    if (matches.length === 0 && /^\^?[A-Z0-9.=-]+$/.test(query) && !unknownSymbols.has(query)) matches.push(query);
    const quotes: Array<Record<string, unknown>> = matches.slice(0, limit).map((symbol, index) => ({
      exchange: isIndex(symbol) ? 'SNP' : 'NMS',
      shortname: describe(symbol).shortName,
      quoteType: isIndex(symbol) ? 'INDEX' : 'EQUITY',
      symbol,
      index: 'quotes',
      score: 20_000 - index,
      typeDisp: isIndex(symbol) ? 'Index' : 'Equity',
      longname: describe(symbol).longName,
      exchDisp: isIndex(symbol) ? 'S&P' : 'NASDAQ',
      isYahooFinance: true,
    }));
    // Yahoo mixes in entities with no ticker (private companies); clients must skip them.
    if (quotes.length > 0) quotes.push({ index: 'quotes', name: `${query} Private Holdings`, permalink: 'private-holdings', isYahooFinance: false });
    send(response, 200, {
      explains: [],
      count: quotes.length,
      quotes,
      news: [],
      nav: [],
      lists: [],
      researchReports: [],
      screenerFieldResults: [],
      totalTime: 12,
      timeTakenForQuotes: 6,
      timeTakenForNews: 0,
      timeTakenForAlgowatchlist: 0,
      timeTakenForPredefinedScreener: 0,
      timeTakenForCrunchbase: 0,
      timeTakenForNav: 0,
      timeTakenForResearchReports: 0,
      timeTakenForScreenerField: 0,
      timeTakenForCulturalAssets: 0,
      timeTakenForSearchLists: 0,
    });
  }

  function answerChart(response: ServerResponse, url: URL, pathname: string): void {
    const symbol = decodeURIComponent(pathname.slice('/v8/finance/chart/'.length)).toUpperCase();
    if (!symbol || unknownSymbols.has(symbol)) {
      send(response, 404, yahooError('chart', 'Not Found', 'No data found, symbol may be delisted'));
      return;
    }
    const interval = url.searchParams.get('interval') ?? '1d';
    const step = CHART_STEP_SECONDS[interval];
    const period2 = Number(url.searchParams.get('period2') ?? Math.floor(Date.now() / 1000));
    const period1 = Number(url.searchParams.get('period1') ?? period2 - 30 * 86_400);
    if (!step || !Number.isFinite(period1) || !Number.isFinite(period2) || period1 >= period2) {
      send(response, 400, yahooError('chart', 'Bad Request', `Invalid input - interval=${interval} is not supported or the period is empty`));
      return;
    }
    const state = stateOf(symbol);
    const first = Math.max(Math.ceil(period1 / step) * step, Math.floor(period2 / step) * step - (MAX_CHART_POINTS - 1) * step);
    const timestamp: number[] = [];
    const bars = { open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
    for (let at = first; at <= period2; at += step) {
      // A gentle wave around the base price: deterministic per symbol and time.
      const wave = (t: number) => cents(state.baseCents * (1 + 0.05 * Math.sin(t / (step * 7) + (state.hash % 100))));
      const open = wave(at);
      const close = wave(at + step);
      timestamp.push(at);
      bars.open.push(open);
      bars.close.push(close);
      bars.high.push(Math.max(open, close) + 0.5);
      bars.low.push(Math.min(open, close) - 0.5);
      bars.volume.push(100_000 + ((state.hash + at) % 50_000));
    }
    const meta = {
      currency: 'USD',
      symbol,
      exchangeName: isIndex(symbol) ? 'SNP' : 'NMS',
      fullExchangeName: isIndex(symbol) ? 'SNP' : 'NasdaqGS',
      instrumentType: isIndex(symbol) ? 'INDEX' : 'EQUITY',
      firstTradeDate: 345_479_400,
      regularMarketTime: Math.floor(Date.now() / 1000),
      hasPrePostMarketData: true,
      gmtoffset: -18_000,
      timezone: 'EST',
      exchangeTimezoneName: 'America/New_York',
      regularMarketPrice: cents(priceCentsOf(state)),
      chartPreviousClose: cents(state.baseCents),
      priceHint: 2,
      dataGranularity: interval,
      range: '',
      validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
    };
    const result =
      timestamp.length > 0
        ? { meta, timestamp, indicators: { quote: [bars], adjclose: [{ adjclose: [...bars.close] }] } }
        : { meta, indicators: { quote: [{}] } };
    send(response, 200, { chart: { result: [result], error: null } });
  }

  function answerScreener(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (!hasValidSession(request, url.searchParams.get('crumb'))) {
      send(response, 401, yahooError('finance', 'Unauthorized', 'Invalid Crumb'));
      return;
    }
    const id = url.searchParams.get('scrIds');
    if (id !== 'day_gainers' && id !== 'day_losers') {
      send(response, 400, yahooError('finance', 'Bad Request', `Invalid scrIds ${id}`));
      return;
    }
    const count = Math.max(0, Math.min(Number(url.searchParams.get('count') ?? 25), 250));
    const list = (id === 'day_gainers' ? GAINERS : LOSERS).slice(0, count);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const quotes = list.map((symbol, rank) => {
      const previous = 1000 + (hashSymbol(symbol) % 19_000);
      // Best first: gainers by falling gain, losers by falling loss.
      const percent = (id === 'day_gainers' ? 1 : -1) * (15 - rank * 1.25);
      return yahooQuote(symbol, Math.round(previous * (1 + percent / 100)), previous, 5_000_000 + rank * 1000, nowSeconds);
    });
    send(response, 200, {
      finance: {
        result: [
          {
            id: `${id}_stub`,
            title: id === 'day_gainers' ? 'Day Gainers' : 'Day Losers',
            description: 'Stub screener',
            canonicalName: id.toUpperCase(),
            criteriaMeta: { size: count, offset: 0, sortField: 'percentchange', sortType: id === 'day_gainers' ? 'DESC' : 'ASC', quoteType: 'EQUITY', criteria: [], topOperator: 'AND' },
            rawCriteria: '',
            start: 0,
            count: quotes.length,
            total: quotes.length,
            quotes,
            useRecords: false,
            predefinedScr: true,
            versionId: 1,
            creationDate: 1_700_000_000_000,
            lastUpdated: Date.now(),
            isPremium: false,
            iconUrl: '',
          },
        ],
        error: null,
      },
    });
  }

  function parseSymbols(url: URL): string[] {
    return (url.searchParams.get('symbols') ?? '')
      .split(',')
      .map((symbol) => symbol.trim().toUpperCase())
      .filter((symbol) => symbol !== '');
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stub.invalid');
    const endpoint = endpointOf(url.pathname);
    if (!endpoint) {
      send(response, 404, yahooError('finance', 'Not Found', `no stub for ${url.pathname}`));
      return;
    }
    counts[endpoint] += 1;
    const requested = endpoint === 'quote' ? parseSymbols(url) : [];
    const receivedAt = Date.now();
    const record = (status: number, at = Date.now()) => {
      if (endpoint === 'quote') quoteRequests.push({ at, receivedAt, symbols: requested, status });
    };

    if (slow && slow.ms > 0 && applies(slow.paths, endpoint)) await wait(slow.ms);
    // The client may have given up meanwhile (its timeout): nothing to answer, nothing served.
    if (response.destroyed || request.socket.destroyed) return;

    const fault = takeFault(endpoint);
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      const body = fault.status === 429 ? 'Too Many Requests' : yahooError('finance', 'Internal Server Error', `stub failure ${fault.status}`);
      record(fault.status);
      send(response, fault.status, body, headers);
      return;
    }

    switch (endpoint) {
      case 'cookie':
        return answerCookie(response, url.pathname);
      case 'crumb':
        return answerCrumb(request, response);
      case 'quote': {
        // One clock reading for the prices served and the record, so servedAt and `at` agree.
        const now = Date.now();
        record(answerQuote(request, response, url, requested, now), now);
        return;
      }
      case 'search':
        return answerSearch(response, url);
      case 'chart':
        return answerChart(response, url, url.pathname);
      case 'screener':
        return answerScreener(request, response, url);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    quoteRequests,
    rateLimit({ retryAfterSeconds, times = Number.POSITIVE_INFINITY, paths } = {}) {
      faults.push({ status: 429, retryAfterSeconds, remaining: times, paths });
    },
    rateLimitShare(share, { retryAfterSeconds, paths } = {}) {
      storm = { share: Math.max(0, Math.min(1, share)), retryAfterSeconds, paths, seen: 0 };
    },
    setMarketState(list, state) {
      for (const symbol of list) {
        if (state === undefined) marketStates.delete(symbol.toUpperCase());
        else marketStates.set(symbol.toUpperCase(), state);
      }
    },
    failNext(status, times = 1, scope = {}) {
      faults.push({ status, retryAfterSeconds: undefined, remaining: times, paths: scope.paths });
    },
    delay(ms, scope = {}) {
      slow = { ms, paths: scope.paths };
    },
    unknown(list) {
      for (const symbol of list) unknownSymbols.add(symbol.toUpperCase());
    },
    invalidateSessions() {
      sessions.clear();
    },
    clearFaults() {
      faults = [];
      storm = undefined;
      slow = undefined;
      unknownSymbols.clear();
    },
    reset() {
      for (const endpoint of Object.keys(counts) as StubEndpoint[]) counts[endpoint] = 0;
      quoteRequests.length = 0;
    },
    servedAt(symbol, price) {
      const state = symbols.get(symbol.toUpperCase());
      if (!state || state.heldCents !== undefined) return undefined;
      const serve = Math.round(price * 100) - state.baseCents;
      if (serve < 1 || serve > state.serves || state.serves - serve >= history) return undefined;
      return state.servedTimes[serve % history];
    },
    setPrice(symbol, price) {
      stateOf(symbol.toUpperCase()).heldCents = price === undefined ? undefined : Math.round(price * 100);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
