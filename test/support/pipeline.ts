// The whole quote pipeline for an end-to-end test: a fresh database, the Yahoo stub, web, worker
// and scheduler as real processes on one Redis prefix, a registered user, and sockets connected
// as that user, with one call to stop all of it.
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { applyMigrations, initOrm } from '../../lib/db/orm.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/realtime/events.js';
import { startYahooStub, type YahooStub } from '../stubs/yahoo-stub.js';
import { createTestDatabase, uniqueName, type TestDatabase } from './infra.js';
import { freePort, type RunningProcess } from './processes.js';
import { appEnv, startApp, type AppName } from './app-processes.js';

export type PipelineClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Pipeline {
  readonly stub: YahooStub;
  readonly env: Readonly<Record<string, string>>;
  /** The web process's origin, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly token: string;
  readonly processes: Readonly<Record<AppName, RunningProcess>>;
  /** A socket of the registered user, connected. */
  connect(): Promise<PipelineClient>;
  stop(): Promise<void>;
}

export async function startPipeline(name: string, extra: Record<string, string>): Promise<Pipeline> {
  const database: TestDatabase = await createTestDatabase();
  const orm = await initOrm({ url: database.url, poolMax: 1 }, pino({ level: 'silent' }));
  await applyMigrations(orm);
  await orm.close();
  const stub = await startYahooStub();
  const port = await freePort();
  const env = appEnv(database.url, uniqueName(name), { QUOTE_UPSTREAM_URL: stub.url, ...extra });
  const started: RunningProcess[] = [];
  const clients: PipelineClient[] = [];
  const stop = async () => {
    for (const socket of clients) socket.close();
    for (const child of started.reverse()) await child.stop('SIGTERM');
    await stub.close();
    await database.drop();
  };
  try {
    const start = async (app: AppName, more: Record<string, string> = {}) => {
      const child = await startApp(app, { ...env, ...more });
      started.push(child);
      return child;
    };
    const web = await start('web', { PORT: String(port) });
    const worker = await start('worker');
    const scheduler = await start('scheduler');
    const url = `http://127.0.0.1:${port}`;
    const json = { 'Content-Type': 'application/json' };
    const account = JSON.stringify({ email: `${uniqueName(name)}@example.com`, password: 'password123' });
    await fetch(`${url}/api/auth/register`, { method: 'POST', headers: json, body: account });
    const token = ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: json, body: account })).json()) as { token: string }).token;
    return {
      stub,
      env,
      url,
      token,
      processes: { web, worker, scheduler },
      connect() {
        const socket: PipelineClient = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
        clients.push(socket);
        return new Promise((resolve, reject) => {
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', reject);
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
