// The CLI client as a user runs it, piped (stdout is not a terminal, so one plain line per update):
// a child process against the real web, worker and scheduler processes and the simulated market.
import { pino } from 'pino';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/infra.js';
import { eventually, freePort, startProcess, type RunningProcess } from '../support/processes.js';
import { appEnv, startApp } from '../support/app-processes.js';

const CLIENT = 'dist/apps/client/main.js';
const PASSWORD = 'cli-secret-password';
/** The shortest lifetime the config allows, so the test sees a token expire under the client. */
const TOKEN_LIFETIME_S = 30;
const FETCH_INTERVAL_MS = 1000;
/** `AAPL 187.42 +1.20 +0.64% 12:00:01`, optionally ` stale`. */
const UPDATE_LINE = /^(\^?[A-Z0-9][A-Z0-9.=-]*) (-?\d+\.\d+) ([+-]?\d+\.\d+|-) ([+-]?\d+\.\d+%|-) (\d\d:\d\d:\d\d)( stale)?$/;
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

interface UpdateLine {
  readonly symbol: string;
  readonly price: number;
  readonly time: string;
}

function updateLines(stdout: string): UpdateLine[] {
  return stdout
    .split('\n')
    .map((line) => UPDATE_LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ symbol: match[1]!, price: Number(match[2]), time: match[5]! }));
}

const exitOf = (running: RunningProcess) => new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));

describe('tickwire-client: bad usage', () => {
  it.each([
    [['--tickers', 'AAPL'], /--email \(or --username\) is required/],
    [['--email', 'someone@example.com', '--tickers', 'AAPL,B@D'], /"B@D": ticker may contain only/],
    [['--email', 'not-an-email'], /--email must be an email address/],
    [['--email', 'someone@example.com', '--url', 'localhost:3001'], /--url must be an http:\/\/ or https:\/\/ address/],
    [['--username', 'someone', '--register'], /--register needs --email/],
    [['--email', 'someone@example.com', '--colour'], /Unknown option '--colour'/],
  ])('%j exits 2 with a message', async (args, message) => {
    const client = startProcess(CLIENT, { TICKWIRE_PASSWORD: PASSWORD }, args);
    expect(await exitOf(client)).toBe(2);
    expect(client.output()).toMatch(message);
    expect(client.output()).toContain('--help');
  });

  it('exits 2 when there is no password and no terminal to ask on', async () => {
    const client = startProcess(CLIENT, {}, ['--email', 'someone@example.com']);
    expect(await exitOf(client)).toBe(2);
    expect(client.output()).toContain('no password');
  });

  it('prints its usage with --help and exits 0', async () => {
    const client = startProcess(CLIENT, {}, ['--help']);
    expect(await exitOf(client)).toBe(0);
    expect(client.output()).toMatch(/^Usage: tickwire-client/);
  });
});

describe('tickwire-client against the real processes', () => {
  let database: TestDatabase;
  const running: RunningProcess[] = [];
  let url: string;
  let client: RunningProcess;
  let stdout = '';
  let env: Record<string, string>;
  const email = `${uniqueName('cli')}@example.com`;

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const response = await fetch(`${url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
  };
  // Tokens live 30 s here: the test logs in afresh for each REST call it makes.
  const token = async () => ((await api('/auth/login', { method: 'POST', body: { email, password: PASSWORD } })).body as { token: string }).token;
  const updatesSince = (offset: number, symbol: string) => updateLines(stdout.slice(offset)).filter((line) => line.symbol === symbol);
  /** Waits for `pattern` in what the client printed (stdout and stderr) after `offset`. */
  const printedAfter = (offset: number, pattern: RegExp, timeoutMs: number) => eventually(async () => (pattern.test(client.output().slice(offset)) ? true : undefined), timeoutMs);

  beforeAll(async () => {
    database = await createTestDatabase();
    const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
    await applyMigrations(orm);
    await orm.close();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = appEnv(database.url, uniqueName('cli'), {
      PORT: String(port),
      QUOTE_PROVIDER: 'simulated',
      FETCH_INTERVAL_MS: String(FETCH_INTERVAL_MS),
      JWT_EXPIRES_IN: `${TOKEN_LIFETIME_S}s`,
      AUTH_LIMIT_PER_IP: '1000',
    });
    for (const app of ['web', 'worker', 'scheduler'] as const) {
      running.push(await startApp(app, env));
    }
  }, 180_000);

  afterAll(async () => {
    if (client?.alive) await client.stop('SIGKILL');
    for (const child of running.reverse()) await child.stop('SIGTERM');
    await database?.drop();
  }, 30_000);

  it('creates the account, adds the tickers and prints live updates for both', async () => {
    client = startProcess(CLIENT, { TICKWIRE_PASSWORD: PASSWORD }, ['--url', url, '--register', '--email', email, '--tickers', 'aapl, MSFT', '--sync-interval', '1']);
    client.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await client.waitForOutput(/created the account/);
    await eventually(async () => {
      const times = new Set(updatesSince(0, 'AAPL').map((line) => line.time));
      return times.size >= 2 && updatesSince(0, 'MSFT').length >= 1 ? true : undefined;
    }, 15_000);
    for (const line of updateLines(stdout)) {
      expect(['AAPL', 'MSFT']).toContain(line.symbol);
      expect(line.price).toBeGreaterThan(0);
    }
    // Every stdout line is an update: nothing else mixes into what scripts read.
    expect(stdout.trim().split('\n').every((line) => UPDATE_LINE.test(line))).toBe(true);
  }, 30_000);

  it('leaves the tickers on the watchlist', async () => {
    expect(await api('/stocks/watchlist', { token: await token() })).toEqual({ status: 200, body: ['AAPL', 'MSFT'] });
    expect(client.output()).toContain('watchlist: added 2 of AAPL, MSFT');
  });

  it('follows a ticker added elsewhere', async () => {
    const from = stdout.length;
    expect((await api('/stocks/watchlist', { method: 'POST', token: await token(), body: { tickers: ['GOOGL'] } })).status).toBe(201);
    await client.waitForOutput(/subscribed: GOOGL/, 10_000);
    await eventually(async () => (updatesSince(from, 'GOOGL').length > 0 ? true : undefined), 10_000);
  }, 25_000);

  it('drops a ticker removed elsewhere', async () => {
    expect((await api('/stocks/watchlist', { method: 'DELETE', token: await token(), body: { tickers: ['MSFT'] } })).status).toBe(200);
    await client.waitForOutput(/unsubscribed: MSFT/, 10_000);
    // The ack came after the socket left the room: from here on, no MSFT line.
    const from = stdout.length;
    await eventually(async () => (updatesSince(from, 'AAPL').length >= 3 ? true : undefined), 10_000);
    expect(updatesSince(from, 'MSFT')).toEqual([]);
  }, 25_000);

  it('reconnects and resubscribes when the web process restarts', async () => {
    const from = client.output().length;
    expect(await running[0]!.stop('SIGTERM')).toBe(0);
    running[0] = await startApp('web', env);
    await printedAfter(from, /reconnected to/, 20_000);
    const after = stdout.length;
    await eventually(async () => (updatesSince(after, 'AAPL').length > 0 && updatesSince(after, 'GOOGL').length > 0 ? true : undefined), 10_000);
  }, 45_000);

  it('logs in again when the token expires and carries on', async () => {
    const from = client.output().length;
    await printedAfter(from, /the token expired; logging in again/, (TOKEN_LIFETIME_S + 15) * 1000);
    await printedAfter(from, /reconnected to/, 15_000);
    const after = stdout.length;
    await eventually(async () => (updatesSince(after, 'AAPL').length > 0 && updatesSince(after, 'GOOGL').length > 0 ? true : undefined), 10_000);
  }, (TOKEN_LIFETIME_S + 45) * 1000);

  it('disconnects and exits 0 on SIGTERM, having printed neither the password nor a token', async () => {
    expect(await client.stop('SIGTERM')).toBe(0);
    expect(client.output()).toContain('disconnected');
    expect(client.output()).not.toContain(PASSWORD);
    expect(client.output()).not.toMatch(JWT_SHAPE);
  });

  it('prints the server\'s message and exits 1 when the password is wrong', async () => {
    const wrong = startProcess(CLIENT, { TICKWIRE_PASSWORD: 'not-the-password' }, ['--url', url, '--register', '--email', email]);
    expect(await exitOf(wrong)).toBe(1);
    expect(wrong.output()).toContain('tickwire-client: Invalid credentials');
  });

  it('logs in to the existing account with --register and shows its watchlist', async () => {
    const again = startProcess(CLIENT, { TICKWIRE_PASSWORD: PASSWORD }, ['--url', url, '--register', '--email', email]);
    try {
      await again.waitForOutput(/logged in as/);
      await again.waitForOutput(/^GOOGL \S+ /m, 10_000);
    } finally {
      expect(await again.stop('SIGINT')).toBe(0);
    }
    expect(again.output()).not.toContain('created the account');
  }, 20_000);
});
