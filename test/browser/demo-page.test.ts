// The demo page at `/` in a real headless Chromium, against the real web, worker and scheduler
// processes (compiled, as the Procfile runs them), real PostgreSQL and Redis, and the Yahoo stub:
// sign-up, the watchlist, live prices moving up and down, API errors, an invalid and an expiring
// token, a phone-sized screen; all under helmet's default CSP with no console error.
// DEMO_SCREENSHOT=docs/demo.png saves a screenshot of the page with live prices.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { pino } from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { MARKUP_NAME, startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/infra.js';
import { eventually, freePort, ROOT, type RunningProcess } from '../support/processes.js';
import { appEnv, startApp, type AppName } from '../support/app-processes.js';
import { findOrInstall, type SystemCommand } from '../../lib/local-infra/system-command.js';

const INTERVAL_MS = 1500;
/** Long enough for a subscription to reach a tick and the quote to come back, on a busy machine. */
const QUOTE_WAIT_MS = 4 * INTERVAL_MS + 10_000;
const STALE_AFTER_MS = 8000;
const JWT_SECRET = 'demo-page-test-secret-of-at-least-32-characters';
const PASSWORD = 'password123';

/** What went wrong in a page: console errors, uncaught exceptions, CSP violations. */
interface PageProblems {
  readonly console: string[];
  readonly exceptions: string[];
  readonly csp: string[];
}

interface OpenPage {
  readonly page: Page;
  readonly problems: PageProblems;
}

// Functions handed to page.evaluate run in Chromium, but the tests compile without the DOM
// library: the few page globals they touch are declared here, as narrowly as they are used.
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  querySelector(selector: string): PageElement;
  getAttribute(name: string): string | null;
}
declare const window: { __reportCspViolation(text: string): void; __flashes: string[] };
declare const document: {
  addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
  addEventListener(type: 'animationstart', listener: (event: { target: unknown; animationName: string }) => void): void;
  readonly documentElement: { readonly scrollWidth: number };
};
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare function getComputedStyle(element: unknown): { readonly display: string };

const CHROMIUM: SystemCommand = {
  command: 'chromium',
  packages: ['chromium', 'fonts-dejavu-core'],
  missing: () => new Error('chromium is not installed (Debian/Ubuntu: apt-get install chromium) and the browser tests need it: install it or set CHROMIUM_PATH'),
};

describe('demo page in Chromium', () => {
  let database: TestDatabase;
  let stub: YahooStub;
  let browser: Browser;
  let base: string;
  const running: RunningProcess[] = [];
  const contexts: BrowserContext[] = [];

  async function start(app: AppName, env: Record<string, string>): Promise<void> {
    running.push(await startApp(app, env, 30_000));
  }

  beforeAll(async () => {
    // The system's Chromium, installed like redis-server (as root on Debian) when it is missing.
    const executablePath = process.env.CHROMIUM_PATH ?? findOrInstall(CHROMIUM, pino({ level: 'info' }));
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] }).catch((error: unknown) => {
      throw new Error(`Chromium did not start from ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH): ${String(error)}`);
    });
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    stub = await startYahooStub();
    const port = await freePort();
    // No CORS_ORIGINS for the page's origin: the page is served by the web process itself.
    const env = appEnv(database.url, uniqueName('demo'), {
      PORT: String(port),
      QUOTE_UPSTREAM_URL: stub.url,
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '50',
      JWT_SECRET,
      AUTH_LIMIT_PER_IP: '1000',
      // The tests reload pages every second while they wait, each reload asking for the overview and
      // the rows' sparklines: more than the per-IP default (120 a minute) allows one address.
      PUBLIC_RATE_LIMIT_PER_MINUTE: '1000',
      // Quotes count as stale 8 s after their last refresh (the default is a minute).
      QUOTE_CACHE_TTL_SECONDS: String(STALE_AFTER_MS / 1000),
    });
    await start('web', env);
    await start('worker', env);
    await start('scheduler', env);
    base = `http://127.0.0.1:${port}`;
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    for (const child of running.reverse()) await child.stop('SIGTERM');
    await stub?.close();
    await database?.drop();
  }, 60_000);

  /** A fresh browser profile (its own localStorage) on the page, watching for problems. */
  async function openPage(viewport = { width: 960, height: 600 }): Promise<OpenPage> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    contexts.push(context);
    const problems: PageProblems = { console: [], exceptions: [], csp: [] };
    // Reported to the test as they happen, so violations before a reload are kept too.
    await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
      problems.csp.push(text);
    });
    await context.addInitScript(() => {
      window.__flashes = [];
      document.addEventListener('securitypolicyviolation', (event) => window.__reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`));
      // Flashes last a second: record each one as its animation starts on a row.
      document.addEventListener('animationstart', (event) => {
        const symbol = (event.target as PageElement).dataset.symbol;
        if (symbol) window.__flashes.push(`${symbol}:${event.animationName.replace('flash-', '')}`);
      });
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.console.push(message.text());
    });
    page.on('pageerror', (error) => problems.exceptions.push(String(error)));
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    // The protection the page must live with is really there.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    return { page, problems };
  }

  function expectNoProblems({ problems }: OpenPage, allowedConsole: RegExp[] = []): void {
    expect(problems.console.filter((text) => !allowedConsole.some((pattern) => pattern.test(text)))).toEqual([]);
    expect(problems.exceptions).toEqual([]);
    expect(problems.csp).toEqual([]);
  }

  const row = (page: Page, symbol: string) => page.locator(`#quote-rows tr[data-symbol="${symbol}"]`);

  const parsePrice = (text: string | null | undefined) => (/^\d[\d,]*\.\d{2,4}$/.test(text ?? '') ? Number(text!.replace(/,/g, '')) : undefined);

  /** The price a row shows, or undefined while it waits for its first quote. */
  const shownPrice = async (page: Page, symbol: string) => parsePrice(await row(page, symbol).locator('.price-value').textContent());

  /** Price and market time of a row, read together (an update may land between two reads). */
  async function shownQuote(page: Page, symbol: string): Promise<{ price: number; time: string } | undefined> {
    const shown = await row(page, symbol).evaluate((element) => ({
      price: (element as unknown as PageElement).querySelector('.price-value').textContent,
      time: (element as unknown as PageElement).querySelector('time').getAttribute('datetime'),
    }));
    const price = parsePrice(shown.price);
    return price === undefined || !shown.time ? undefined : { price, time: shown.time };
  }

  const direction = (page: Page, symbol: string) => row(page, symbol).getAttribute('data-direction');

  async function signUp(page: Page, email: string): Promise<void> {
    await page.click('#mode-register');
    await page.fill('#auth-identifier', email);
    await page.fill('#auth-password', PASSWORD);
    await page.click('#auth-submit');
    await page.locator('#watch-view').waitFor({ state: 'visible' });
  }

  /** A fresh page, signed up as a new user, with its live feed up. */
  async function openSignedIn(prefix: string): Promise<OpenPage> {
    const opened = await openPage();
    await signUp(opened.page, `${uniqueName(prefix)}@example.com`);
    await live(opened.page);
    return opened;
  }

  /** Reloads the page and waits for the row to show a price again (from the watchlist's quotes). */
  async function reloadShowing(page: Page, symbol: string): Promise<void> {
    await page.reload();
    await row(page, symbol).locator('.price-value').filter({ hasText: /\d/ }).waitFor();
  }

  async function addSymbol(page: Page, typed: string, symbol = typed.toUpperCase()): Promise<void> {
    await page.fill('#symbol-input', typed);
    await page.press('#symbol-input', 'Enter');
    await row(page, symbol).waitFor();
  }

  const live = (page: Page) => page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
  const storedToken = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('tickwire.session') ?? 'null') as { token?: string } | null)?.token);

  async function apiAs(token: string, pathname: string): Promise<unknown> {
    const response = await fetch(`${base}${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
    return response.json();
  }

  it('signs up, follows symbols and shows their prices live, rising and falling', async () => {
    const opened = await openPage();
    const { page } = opened;
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    expect(await page.textContent('#connection')).toBe('Offline');

    const email = `${uniqueName('demo')}@example.com`;
    await signUp(page, email);
    expect(await page.textContent('#account-name')).toBe(email.split('@')[0]);
    expect(await storedToken(page)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await live(page);
    expect(await page.textContent('#connection')).toBe('Live');
    expect(await page.isVisible('#empty')).toBe(true);

    await addSymbol(page, 'aapl', 'AAPL');
    for (const symbol of ['MSFT', 'NVDA', 'TSLA']) await addSymbol(page, symbol);
    expect(await page.locator('#quote-rows tr').evaluateAll((rows) => rows.map((r) => (r as unknown as PageElement).dataset.symbol))).toEqual(['AAPL', 'MSFT', 'NVDA', 'TSLA']);
    expect(await page.isVisible('#empty')).toBe(false);
    expect(await page.textContent('#watch-count')).toBe('4 / 50');

    // The first price comes through the whole pipeline from the stub, with the market time the
    // stub gave it (the second it served the price).
    const { price: first, time } = await eventually(() => shownQuote(page, 'AAPL'), QUOTE_WAIT_MS);
    const servedAt = stub.servedAt('AAPL', first);
    expect(servedAt).toEqual(expect.any(Number));
    expect(time).toBe(new Date(Math.floor(servedAt! / 1000) * 1000).toISOString());
    const aapl = row(page, 'AAPL');
    expect(await aapl.locator('.name').textContent()).toBe('Apple Inc.');
    expect(await aapl.locator('.currency').textContent()).toBe('USD');
    expect(await aapl.locator('.change').textContent()).toMatch(/^\+\d+\.\d{2}$/);
    expect(await aapl.locator('.change-percent').textContent()).toMatch(/^\+\d+\.\d{2}%$/);
    expect(await aapl.locator('time').textContent()).toMatch(/^\d\d:\d\d:\d\d/);
    expect(await aapl.locator('.stale-badge').isVisible()).toBe(false);

    // A flash is recorded when its animation starts, on a rendering frame after the row changed:
    // the test waits for it rather than reading the count the moment the price shows.
    const flashes = async (entry: string) => (await page.evaluate(() => window.__flashes)).filter((flash) => flash === entry).length;
    const flashed = (entry: string, atLeast: number) => eventually(async () => ((await flashes(entry)) >= atLeast ? true : undefined), QUOTE_WAIT_MS);

    // The stub's price climbs a cent on each serve: the row follows, marked up, and flashes.
    const risen = await eventually(async () => {
      const price = await shownPrice(page, 'AAPL');
      return price !== undefined && price > first ? price : undefined;
    }, QUOTE_WAIT_MS);
    expect(stub.servedAt('AAPL', risen)).toEqual(expect.any(Number));
    expect(await direction(page, 'AAPL')).toBe('up');
    expect(await aapl.locator('.arrow').textContent()).toBe('▲');
    await flashed('AAPL:up', 1);

    // Every other row rises too; then the stub drops MSFT below its previous close: the row turns
    // red, and so does its change.
    for (const symbol of ['NVDA', 'TSLA']) await eventually(async () => ((await direction(page, symbol)) === 'up' ? true : undefined), QUOTE_WAIT_MS);
    const msftBefore = await eventually(() => shownPrice(page, 'MSFT'), QUOTE_WAIT_MS);
    const fallen = Math.round(msftBefore * 90) / 100;
    stub.setPrice('MSFT', fallen);
    await eventually(async () => ((await shownPrice(page, 'MSFT')) === fallen ? true : undefined), QUOTE_WAIT_MS);
    if (process.env.DEMO_SCREENSHOT) {
      // Taken at once, while the rows still flash: green for the risers, red for MSFT.
      const file = path.resolve(ROOT, process.env.DEMO_SCREENSHOT);
      await mkdir(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
    }
    const msft = row(page, 'MSFT');
    expect(await direction(page, 'MSFT')).toBe('down');
    expect(await msft.locator('.arrow').textContent()).toBe('▼');
    expect(await msft.locator('.change').getAttribute('data-sign')).toBe('down');
    expect(await msft.locator('.change').textContent()).toMatch(/^−\d+\.\d{2}$/);
    expect(await msft.locator('.change-percent').textContent()).toMatch(/^−\d+\.\d{2}%$/);
    await flashed('MSFT:down', 1);
    expect(await flashes('MSFT:down')).toBe(1);

    // Two more waves of updates (AAPL rises twice) at MSFT's held price: MSFT stays marked down
    // and does not flash again, since its price did not move.
    const aaplRises = await flashes('AAPL:up');
    const msftRises = await flashes('MSFT:up');
    await flashed('AAPL:up', aaplRises + 2);
    expect(await direction(page, 'MSFT')).toBe('down');
    expect(await shownPrice(page, 'MSFT')).toBe(fallen);
    expect(await flashes('MSFT:down')).toBe(1);
    expect(await flashes('MSFT:up')).toBe(msftRises);

    // Removing a row removes the symbol from the watchlist on the server.
    await row(page, 'NVDA').locator('button.remove').click();
    await row(page, 'NVDA').waitFor({ state: 'detached' });
    const token = (await storedToken(page))!;
    expect(((await apiAs(token, '/api/watchlist')) as { items: Array<{ symbol: string }> }).items.map((item) => item.symbol).sort()).toEqual(['AAPL', 'MSFT', 'TSLA']);

    // A reload keeps the session and shows the prices at once, from the watchlist's quotes.
    await page.reload();
    await live(page);
    await row(page, 'TSLA').waitFor();
    expect(await page.locator('#quote-rows tr').evaluateAll((rows) => rows.map((r) => (r as unknown as PageElement).dataset.symbol))).toEqual(['AAPL', 'MSFT', 'TSLA']);
    expect(await shownPrice(page, 'MSFT')).toBe(fallen);

    // Logging out forgets the token and closes the live feed.
    await page.click('#logout');
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    expect(await storedToken(page)).toBeUndefined();
    expect(await page.textContent('#connection')).toBe('Offline');
    expect(await page.locator('#quote-rows tr').count()).toBe(0);

    // Logging in again on the same page, by email: a new live connection with the new token.
    await page.fill('#auth-identifier', email);
    await page.fill('#auth-password', PASSWORD);
    await page.click('#auth-submit');
    await live(page);
    expect(await storedToken(page)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await row(page, 'TSLA').waitFor();
    const tslaNow = await eventually(() => shownPrice(page, 'TSLA'), QUOTE_WAIT_MS);
    await eventually(async () => ((await shownPrice(page, 'TSLA'))! > tslaNow ? true : undefined), QUOTE_WAIT_MS);

    expectNoProblems(opened);
    stub.setPrice('MSFT', undefined);
  }, 180_000);

  it('fits a phone screen, and logs in by username', async () => {
    const email = `${uniqueName('phone')}@example.com`;
    const username = uniqueName('p').slice(0, 20);
    const registered = await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, username, password: PASSWORD }) });
    expect(registered.status).toBe(201);

    const opened = await openPage({ width: 375, height: 740 });
    const { page } = opened;
    await page.fill('#auth-identifier', username);
    await page.fill('#auth-password', PASSWORD);
    await page.click('#auth-submit');
    await live(page);
    expect(await page.textContent('#account-name')).toBe(username);
    await addSymbol(page, 'GOOGL');
    await eventually(() => shownPrice(page, 'GOOGL'), QUOTE_WAIT_MS);

    // Nothing wider than the screen, and each quote is a two-line card rather than a table row.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.isVisible('.quotes thead')).toBe(false);
    expect(await row(page, 'GOOGL').evaluate((element) => getComputedStyle(element).display)).toBe('grid');
    const [symbolBox, updatedBox] = await Promise.all([row(page, 'GOOGL').locator('.symbol').boundingBox(), row(page, 'GOOGL').locator('.updated').boundingBox()]);
    expect(updatedBox!.y).toBeGreaterThan(symbolBox!.y);
    expectNoProblems(opened);
  }, 120_000);

  it('marks a quote stale once the provider stops refreshing it', async () => {
    const opened = await openSignedIn('stale');
    const { page } = opened;
    await addSymbol(page, 'IBM');
    await eventually(() => shownPrice(page, 'IBM'), QUOTE_WAIT_MS);
    const ibm = row(page, 'IBM');
    expect(await ibm.getAttribute('data-stale')).toBe('false');
    expect(await ibm.locator('.stale-badge').isVisible()).toBe(false);

    // The provider stops knowing IBM: the last quote stays, ageing, and the server calls it stale.
    stub.unknown(['IBM']);
    try {
      await eventually(
        async () => {
          await reloadShowing(page, 'IBM');
          return (await ibm.locator('.stale-badge').isVisible()) ? true : undefined;
        },
        STALE_AFTER_MS + 20_000,
        1000,
      );
      expect(await ibm.getAttribute('data-stale')).toBe('true');
      expect(await ibm.locator('.stale-badge').textContent()).toBe('stale');
      expect(await ibm.locator('.price-value').textContent()).toMatch(/\d/);
    } finally {
      stub.clearFaults();
    }
    // The row's sparkline asked for the day's chart of a symbol the provider no longer knows.
    expectNoProblems(opened, [/^Failed to load resource: the server responded with a status of 404 /]);
  }, 120_000);

  interface ChartAnswer {
    points: Array<{ time: string; close: number | null }>;
  }
  const chartOf = async (symbol: string, range: string, interval = '1d') => ((await (await fetch(`${base}/api/stock/${symbol}/chart?range=${range}&interval=${interval}`)).json()) as ChartAnswer).points.filter((point) => point.close !== null);
  const figure = (page: Page) => page.locator('#chart-figure');

  it('charts the chosen symbol over 1M, 6M and 1Y with the live price as its last point, and a sparkline of the day per row', async () => {
    const opened = await openSignedIn('chart');
    const { page } = opened;
    await addSymbol(page, 'AMZN');
    await addSymbol(page, 'META');
    await eventually(() => shownPrice(page, 'AMZN'), QUOTE_WAIT_MS);

    // Each row draws the day's intraday closes (the stub's 5-minute bars) as a line.
    const day = await chartOf('AMZN', '1d', '5m');
    expect(day.length).toBeGreaterThan(2);
    const sparkline = row(page, 'AMZN').locator('.trend svg polyline');
    await sparkline.waitFor();
    expect(Number(await row(page, 'AMZN').locator('.trend').getAttribute('data-points'))).toBeGreaterThanOrEqual(day.length);
    expect(await row(page, 'AMZN').locator('.trend svg').getAttribute('aria-label')).toMatch(/^AMZN today: /);
    await row(page, 'META').locator('.trend svg polyline').waitFor();

    // Choosing the symbol (from the keyboard, as a button) opens its chart: the stub's daily closes.
    expect(await page.isVisible('#chart-view')).toBe(false);
    await row(page, 'AMZN').locator('button.select').focus();
    await page.keyboard.press('Enter');
    await page.locator('#chart-figure[data-state="ready"][data-range="1mo"]').waitFor();
    expect(await page.textContent('#chart-title')).toBe('AMZN');
    expect(await row(page, 'AMZN').getAttribute('data-selected')).toBe('true');
    expect(await page.locator('#chart-ranges button[aria-pressed="true"]').textContent()).toBe('1M');
    expect(await page.locator('#chart-plot canvas').count()).toBe(1);
    const month = await chartOf('AMZN', '1mo');
    expect(Number(await figure(page).getAttribute('data-points'))).toBe(month.length);
    expect(Number(await figure(page).getAttribute('data-first-close'))).toBe(month[0]!.close);
    expect(await page.textContent('#chart-caption')).toMatch(/^AMZN over 1 month: .+ → .+, \d+ daily closes/);

    // The stub's price climbs on every serve: a stock_update moves the chart's last point with the row.
    const before = await shownPrice(page, 'AMZN');
    await eventually(async () => {
      const [price, last] = [await shownPrice(page, 'AMZN'), Number(await figure(page).getAttribute('data-last-close'))];
      return price !== undefined && price !== before && last === price ? true : undefined;
    }, QUOTE_WAIT_MS);
    expect(Number(await figure(page).getAttribute('data-points'))).toBe(month.length);

    // Other ranges, each the API's answer.
    for (const [label, range] of [['6M', '6mo'], ['1Y', '1y']] as const) {
      await page.click(`#chart-ranges button:text-is("${label}")`);
      await page.locator(`#chart-figure[data-state="ready"][data-range="${range}"]`).waitFor();
      expect(Number(await figure(page).getAttribute('data-points'))).toBe((await chartOf('AMZN', range)).length);
      expect(await page.locator('#chart-ranges button[aria-pressed="true"]').textContent()).toBe(label);
    }

    // Another symbol takes the chart over; removing it closes the chart.
    await row(page, 'META').locator('button.select').click();
    await page.locator('#chart-figure[data-state="ready"][data-symbol="META"]').waitFor();
    expect(await row(page, 'AMZN').getAttribute('data-selected')).toBe('false');
    await row(page, 'META').locator('button.remove').click();
    await page.locator('#chart-view').waitFor({ state: 'hidden' });
    if (process.env.DEMO_SCREENSHOT) {
      await row(page, 'AMZN').locator('button.select').click();
      await page.locator('#chart-figure[data-state="ready"][data-symbol="AMZN"]').waitFor();
      const file = path.resolve(ROOT, path.dirname(process.env.DEMO_SCREENSHOT), 'demo-chart.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: file, fullPage: true });
    }
    expectNoProblems(opened);
  }, 120_000);

  it('offers names and symbols as you type, from the keyboard, and adds the one chosen', async () => {
    const opened = await openSignedIn('search');
    const { page } = opened;
    const input = page.locator('#symbol-input');
    expect(await input.getAttribute('aria-expanded')).toBe('false');

    // "micro" is no ticker: the suggestions name Microsoft.
    await input.pressSequentially('micro');
    const msft = page.locator('#symbol-suggestions [role="option"][data-symbol="MSFT"]');
    await msft.waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await msft.textContent()).toMatch(/^MSFTMicrosoft/);
    const offered = await page.locator('#symbol-suggestions [role="option"]').evaluateAll((options) => options.map((option) => (option as unknown as PageElement).dataset.symbol));
    const answer = (await (await fetch(`${base}/api/search/micro`)).json()) as { results: Array<{ symbol: string }> };
    expect(offered).toEqual(answer.results.map((result) => result.symbol).slice(0, 8));

    // Down to Microsoft, then Enter: MSFT is added (not the typed text), and the list closes.
    for (let step = 0; step <= offered.indexOf('MSFT'); step += 1) await page.keyboard.press('ArrowDown');
    expect(await msft.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await msft.getAttribute('id'));
    await page.keyboard.press('Enter');
    await row(page, 'MSFT').waitFor();
    expect(await input.inputValue()).toBe('');
    expect(await page.isVisible('#symbol-suggestions')).toBe(false);
    await eventually(() => shownPrice(page, 'MSFT'), QUOTE_WAIT_MS);

    // Escape closes the list and leaves the text; Enter then adds what was typed.
    await input.pressSequentially('nvda');
    await page.locator('#symbol-suggestions [role="option"][data-symbol="NVDA"]').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#symbol-suggestions')).toBe(false);
    await page.keyboard.press('Enter');
    await row(page, 'NVDA').waitFor();

    // A click on a suggestion adds it too.
    await input.pressSequentially('tesla');
    await page.locator('#symbol-suggestions [role="option"][data-symbol="TSLA"]').click();
    await row(page, 'TSLA').waitFor();
    expect(await page.locator('#quote-rows tr').evaluateAll((rows) => rows.map((r) => (r as unknown as PageElement).dataset.symbol))).toEqual(['MSFT', 'NVDA', 'TSLA']);
    expectNoProblems(opened);
  }, 120_000);

  it('shows the market overview (indices, gainers, losers), each a click away from the watchlist', async () => {
    const opened = await openSignedIn('overview');
    const { page } = opened;
    await page.locator('#overview-view[data-state="ready"]').waitFor();
    const symbolsIn = (list: string) => page.locator(`#overview-${list} .mover`).evaluateAll((buttons) => buttons.map((button) => (button as unknown as PageElement).dataset.symbol));
    const overview = (await (await fetch(`${base}/api/market/overview`)).json()) as Record<'indices' | 'gainers' | 'losers', Array<{ symbol: string }>>;
    expect(await symbolsIn('indices')).toEqual(['^GSPC', '^DJI', '^IXIC']);
    expect(await symbolsIn('indices')).toEqual(overview.indices.map((quote) => quote.symbol));
    expect(await symbolsIn('gainers')).toEqual(overview.gainers.slice(0, 5).map((quote) => quote.symbol));
    expect(await symbolsIn('losers')).toEqual(overview.losers.slice(0, 5).map((quote) => quote.symbol));
    expect((await symbolsIn('gainers')).length).toBeGreaterThan(0);
    expect(await page.locator('#overview-gainers .mover-change').first().getAttribute('data-sign')).toBe('up');
    expect(await page.locator('#overview-losers .mover-change').first().getAttribute('data-sign')).toBe('down');

    const gainer = overview.gainers[0]!.symbol;
    await page.click(`#overview-gainers .mover[data-symbol="${gainer}"]`);
    await row(page, gainer).waitFor();
    await page.click('#overview-indices .mover[data-symbol="^GSPC"]');
    await row(page, '^GSPC').waitFor();
    await eventually(() => shownPrice(page, '^GSPC'), QUOTE_WAIT_MS);
    expectNoProblems(opened);
  }, 120_000);

  it('shows a name with markup in it as text, in the watchlist and the suggestions, and runs none of it', async () => {
    const opened = await openSignedIn('markup');
    const { page } = opened;
    await addSymbol(page, 'MRKP');
    const name = row(page, 'MRKP').locator('.name');
    await name.filter({ hasText: 'Markup' }).waitFor({ timeout: QUOTE_WAIT_MS });
    expect(await name.textContent()).toBe(MARKUP_NAME);
    await page.locator('#symbol-input').pressSequentially('markup');
    const option = page.locator('#symbol-suggestions [role="option"][data-symbol="MRKP"]');
    await option.waitFor();
    expect(await option.textContent()).toContain(MARKUP_NAME);
    expect(await page.locator('#quote-rows :is(img, b), #symbol-suggestions :is(img, b)').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    expectNoProblems(opened);
  }, 120_000);

  it('says so in the API\'s words when the watchlist is full', async () => {
    const email = `${uniqueName('full')}@example.com`;
    const registered = (await (await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) })).json()) as { token: string };
    const fifty = Array.from({ length: 50 }, (_, index) => `F${String(index).padStart(2, '0')}`);
    const added = await fetch(`${base}/api/stocks/watchlist`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${registered.token}` }, body: JSON.stringify({ tickers: fifty }) });
    expect(((await added.json()) as { addedCount: number }).addedCount).toBe(50);
    const refusal = await fetch(`${base}/api/watchlist`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${registered.token}` }, body: JSON.stringify({ symbol: 'ONEMORE' }) });
    expect(refusal.status).toBe(409);
    const { error } = (await refusal.json()) as { error: string };

    const opened = await openPage();
    const { page } = opened;
    await page.fill('#auth-identifier', email);
    await page.fill('#auth-password', PASSWORD);
    await page.click('#auth-submit');
    await live(page);
    await page.locator('#watch-count', { hasText: '50 / 50' }).waitFor();
    await page.fill('#symbol-input', 'ONEMORE');
    await page.press('#symbol-input', 'Enter');
    await page.locator('#notice-code', { hasText: 'WATCHLIST_FULL' }).waitFor();
    expect(await page.textContent('#notice-message')).toBe(error);
    expect(await page.locator('#quote-rows tr').count()).toBe(50);
    expect(await row(page, 'ONEMORE').count()).toBe(0);
    expectNoProblems(opened, [/^Failed to load resource: the server responded with a status of 409 /]);
  }, 120_000);

  it('shows API errors as the server words them, and goes back to the login form when the token is refused or expires', async () => {
    const opened = await openPage();
    const { page } = opened;
    const notice = page.locator('#notice');

    await page.fill('#auth-identifier', 'nobody@example.com');
    await page.fill('#auth-password', 'wrong-password');
    await page.click('#auth-submit');
    await notice.waitFor({ state: 'visible' });
    expect(await page.textContent('#notice-code')).toBe('INVALID_CREDENTIALS');
    expect(await notice.getAttribute('data-kind')).toBe('error');
    expect(await page.isVisible('#auth-view')).toBe(true);

    const email = `${uniqueName('errors')}@example.com`;
    await page.click('#mode-register');
    await page.fill('#auth-identifier', email);
    await page.fill('#auth-password', 'short');
    await page.click('#auth-submit');
    await page.locator('#notice-code', { hasText: 'VALIDATION_FAILED' }).waitFor();
    expect(await page.textContent('#notice-message')).toMatch(/password/i);

    await page.fill('#auth-password', PASSWORD);
    await page.click('#auth-submit');
    await live(page);
    expect(await notice.isVisible()).toBe(false);

    await page.fill('#symbol-input', 'NOT A TICKER!');
    await page.press('#symbol-input', 'Enter');
    await page.locator('#notice-code', { hasText: 'VALIDATION_FAILED' }).waitFor();
    expect(await page.textContent('#notice-message')).toMatch(/symbol/i);
    expect(await page.locator('#quote-rows tr').count()).toBe(0);
    await page.click('#notice-close');
    expect(await notice.isVisible()).toBe(false);

    // Another account with the same email: 409 EMAIL_TAKEN, shown as such.
    const other = await openPage();
    await other.page.click('#mode-register');
    await other.page.fill('#auth-identifier', email);
    await other.page.fill('#auth-password', PASSWORD);
    await other.page.click('#auth-submit');
    await other.page.locator('#notice-code', { hasText: 'EMAIL_TAKEN' }).waitFor();

    // A token the server does not accept: back to the login form, saying why.
    await page.evaluate(() => localStorage.setItem('tickwire.session', JSON.stringify({ token: 'not-a-token', user: { username: 'x' } })));
    await page.reload();
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    expect(await page.textContent('#notice-message')).toMatch(/no longer valid/);
    expect(await storedToken(page)).toBeUndefined();

    // A token that expires while the page is live: the server's auth_expired ends the session.
    const { user } = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) })).json()) as { user: { id: number } };
    const shortLived = jwt.sign({}, JWT_SECRET, { algorithm: 'HS256', issuer: 'tickwire', audience: 'tickwire-clients', subject: String(user.id), expiresIn: 8 });
    await page.evaluate((token) => localStorage.setItem('tickwire.session', JSON.stringify({ token, user: { username: 'short' } })), shortLived);
    const webSockets: string[] = [];
    page.on('websocket', (socket) => webSockets.push(socket.url()));
    await page.reload();
    await live(page);
    expect(await page.isVisible('#watch-view')).toBe(true);
    await page.locator('#auth-view').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.textContent('#notice-message')).toMatch(/expired/);
    // Ended on auth_expired itself: no second attempt with the dead token.
    expect(webSockets).toEqual([expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/\?EIO=4&transport=websocket$/)]);
    expect(await page.textContent('#connection')).toBe('Offline');
    expect(await storedToken(page)).toBeUndefined();

    // Chromium reports each refused request on the console; those, and only those, were expected.
    const refused = /^Failed to load resource: the server responded with a status of (400|401|409) /;
    expectNoProblems(opened, [refused]);
    expectNoProblems(other, [refused]);
    expect(opened.problems.console.length).toBeGreaterThan(0);
  }, 120_000);

  // Last: the provider's pause holds the pipeline for every test after it.
  it('says in words that the provider is rate-limiting, marks the ageing quotes stale, and clears both when it answers again', async () => {
    const opened = await openSignedIn('limited');
    const { page } = opened;
    await addSymbol(page, 'ORCL');
    await eventually(() => shownPrice(page, 'ORCL'), QUOTE_WAIT_MS);
    expect(await page.isVisible('#provider-status')).toBe(false);

    stub.rateLimit({ retryAfterSeconds: 5 });
    try {
      // The page asks /api/health on load and every 15 s; a reload asks at once.
      await eventually(
        async () => {
          await reloadShowing(page, 'ORCL');
          const status = page.locator('#provider-status[data-upstream="rate_limited"]');
          return (await status.isVisible()) && (await row(page, 'ORCL').locator('.stale-badge').isVisible()) ? true : undefined;
        },
        STALE_AFTER_MS + 30_000,
        1000,
      );
      expect(await page.textContent('#provider-status')).toMatch(/rate-limiting Tickwire/);
      expect(await row(page, 'ORCL').getAttribute('data-stale')).toBe('true');
    } finally {
      stub.clearFaults();
    }
    // The provider answers again: the words go, and so does the stale mark.
    await eventually(
      async () => {
        await reloadShowing(page, 'ORCL');
        return (await page.isVisible('#provider-status')) || (await row(page, 'ORCL').locator('.stale-badge').isVisible()) ? undefined : true;
      },
      QUOTE_WAIT_MS + 10_000,
      1000,
    );
    expectNoProblems(opened);
  }, 120_000);
});
