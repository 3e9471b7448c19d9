// A real web process for socket tests: createApp + createWebContext + attachSocketServer on a
// free port (its own database and Redis prefix, or those of another one to stand beside it),
// plus helpers to register users over REST and to drive socket.io-client sockets.
import { createServer, type Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../../apps/web/app.js';
import { createWebContext, type WebContext } from '../../apps/web/context.js';
import { attachSocketServer, type SocketServerDeps } from '../../apps/web/socket/server.js';
import { applyMigrations } from '../../lib/db/orm.js';
import { firstConnection } from '../../lib/redis/connections.js';
import { redisKeys, type RedisKeys } from '../../lib/redis/keys.js';
import { connectTickwire, type ConnectOptions, type TickwireClientSocket } from '../../lib/realtime/client.js';
import type { ServerToClientEvents } from '../../lib/realtime/events.js';
import type { Config } from '../../config/index.js';
import { createTestDatabase, testConfig, type TestDatabase } from './infra.js';

export interface SocketWeb {
  readonly url: string;
  readonly config: Config;
  readonly keys: RedisKeys;
  readonly context: WebContext;
  readonly http: HttpServer;
  readonly sockets: ReturnType<typeof attachSocketServer>;
  close(): Promise<void>;
}

export interface SocketWebOptions {
  readonly overrides?: Record<string, string>;
  /** Another web process to stand beside: same database and Redis prefix, as in production. */
  readonly beside?: SocketWeb;
  readonly slowConsumers?: SocketServerDeps['slowConsumers'];
  readonly liveDemand?: SocketServerDeps['liveDemand'];
}

/** The live-demand heartbeat of a socket web unless a test sets its own. */
export const LIVE_DEMAND_HEARTBEAT_MS = 500;

export async function startSocketWeb(options: SocketWebOptions = {}): Promise<SocketWeb> {
  let database: TestDatabase | undefined;
  let config: Config;
  if (options.beside) {
    config = options.beside.config;
  } else {
    database = await createTestDatabase();
    config = testConfig({ DATABASE_URL: database.url, AUTH_LIMIT_PER_IP: '10000', AUTH_LIMIT_PER_ACCOUNT: '10000', ...options.overrides });
  }
  const logger = pino({ level: 'silent' });
  const context = await createWebContext(config, logger);
  if (database) await applyMigrations(context.orm);
  await firstConnection(context.cache, 5000);
  const http = createServer(createApp({ config, logger, context }));
  const sockets = attachSocketServer(http, {
    config,
    logger,
    tokens: context.tokens,
    users: context.users,
    quotes: context.quotes,
    ...(options.slowConsumers ? { slowConsumers: options.slowConsumers } : {}),
    liveDemand: options.liveDemand ?? { heartbeatMs: LIVE_DEMAND_HEARTBEAT_MS, ttlMs: 1500 },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    keys: redisKeys(config.redis.prefix),
    context,
    http,
    sockets,
    async close() {
      // The same order as apps/web/main.ts: stop accepting, close sockets, then the rest.
      const drained = new Promise<void>((resolve) => http.close(() => resolve()));
      await sockets.close();
      http.closeAllConnections();
      await drained;
      await context.close();
      await database?.drop();
    },
  };
}

export interface TestUser {
  readonly id: number;
  readonly email: string;
  readonly token: string;
}

/** Registers a fresh user on any web (an in-process one, or a real process's URL). */
export async function registerUser(web: Pick<SocketWeb, 'url'>): Promise<TestUser> {
  const tag = randomBytes(6).toString('hex');
  const email = `socket_${tag}@example.com`;
  const response = await fetch(`${web.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', username: `s_${tag}` }),
  });
  const body = (await response.json()) as { token?: string; user?: { id?: number } };
  if (response.status !== 201 || typeof body.token !== 'string' || typeof body.user?.id !== 'number') {
    throw new Error(`register failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return { id: body.user.id, email, token: body.token };
}

/** Clients opened by a test file, so each test can close what it opened. */
export class SocketClients {
  private readonly open = new Set<TickwireClientSocket>();

  /** A client on the websocket transport that does not reconnect by itself. */
  connect(url: string, options: Partial<ConnectOptions> = {}): TickwireClientSocket {
    const { token = '', ...rest } = options;
    const socket = connectTickwire(url, { token, transports: ['websocket'], reconnection: false, forceNew: true, ...rest });
    this.open.add(socket);
    return socket;
  }

  /** Connects and waits for `welcome`, the proof that the handshake passed. */
  async connected(url: string, token: string, options: Partial<ConnectOptions> = {}): Promise<TickwireClientSocket> {
    const socket = this.connect(url, { token, ...options });
    await new Promise<void>((resolve, reject) => {
      socket.once('welcome', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  closeAll(): void {
    for (const socket of this.open) socket.disconnect();
    this.open.clear();
  }
}

/**
 * The usual frame of a socket test file: one web process and one registered user, handed to
 * `started` before the first test; the clients are closed after each test, the web after the last.
 */
export function socketWebPerFile(options: SocketWebOptions, started: (web: SocketWeb, user: TestUser) => void): SocketClients {
  const clients = new SocketClients();
  let web: SocketWeb | undefined;
  beforeAll(async () => {
    web = await startSocketWeb(options);
    started(web, await registerUser(web));
  });
  afterEach(() => clients.closeAll());
  afterAll(() => web?.close());
  return clients;
}

type ServerEvent = keyof ServerToClientEvents;

/** What the server sends with `event` (every server event has one argument). */
export type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** The payload of the next `event` on `socket`; fails after `timeoutMs`. */
export function nextEvent<E extends ServerEvent>(socket: TickwireClientSocket, event: E, timeoutMs = 5000): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (name: string, payload: unknown) => {
      if (name !== event) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(payload as Payload<E>);
    };
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.onAny(listener);
  });
}

/** The `connect_error` of a refused client (message and `data`); fails if it connects instead. */
export function connectError(socket: TickwireClientSocket, timeoutMs = 5000): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect_error within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      reject(new Error('connected, but a refusal was expected'));
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}

/** The reason of the next disconnect; fails after `timeoutMs`. */
export function disconnection(socket: TickwireClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export interface RecordedEvent {
  readonly event: string;
  readonly args: unknown[];
}

/** Every event `socket` receives from now on, in order. */
export function recordEvents(socket: TickwireClientSocket): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  return events;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or `fallback` if it takes longer than `ms` (the timer never outlives it). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: () => F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback()), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
