// The typed, frozen shape the rest of the code receives; built from the parsed environment.
import path from 'node:path';
import { parseEnv, type ParsedEnv } from './schema.js';

/** The built config as every process receives it: frozen all the way down. */
export type Config = DeepReadonly<ReturnType<typeof assemble>>;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** Credentials of the embedded PostgreSQL cluster; it only listens on 127.0.0.1. */
export const LOCAL_POSTGRES = { user: 'tickwire', password: 'tickwire', database: 'tickwire' } as const;

/** The embedded cluster's URL on `port`; the password is URL-encoded, so any password survives. */
export function localPostgresUrl(port: number): string {
  const { user, password, database } = LOCAL_POSTGRES;
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function buildConfig(env: Readonly<Record<string, string | undefined>>, options: { cwd?: string; version?: string } = {}): Config {
  return deepFreeze(assemble(parseEnv(env), options.cwd ?? process.cwd(), options.version ?? '0.0.0'));
}

function assemble(e: ParsedEnv, cwd: string, version: string) {
  return {
    env: e.NODE_ENV,
    version,
    http: { host: e.HOST, port: e.PORT, corsOrigins: e.CORS_ORIGINS },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_FORMAT === 'pretty' },
    // `prefix` is on every key Tickwire writes; `local`: no REDIS_URL given, a local redis-server is ours to start.
    redis: { url: e.REDIS_URL ?? `redis://127.0.0.1:${e.LOCAL_REDIS_PORT}`, prefix: e.REDIS_PREFIX, local: !e.REDIS_URL },
    // `queryTimeoutMs`: the longest one query may take (the server cancels it, the client gives up on
    // a server that stopped answering), so a request meets a frozen database with a 503 within seconds.
    database: {
      url: e.DATABASE_URL ?? localPostgresUrl(e.LOCAL_POSTGRES_PORT),
      embedded: !e.DATABASE_URL,
      queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
    },
    auth: {
      // parseEnv guarantees a secret (production: a strong one).
      jwtSecret: e.JWT_SECRET!,
      jwtExpiresInSeconds: e.JWT_EXPIRES_IN,
      jwtIssuer: e.JWT_ISSUER,
      jwtAudience: e.JWT_AUDIENCE,
      bcryptSaltRounds: e.BCRYPT_SALT_ROUNDS,
    },
    /** Abuse limits on register and login, counted in Redis so they hold across web processes. */
    authLimits: { windowSeconds: e.AUTH_LIMIT_WINDOW_SECONDS, perIp: e.AUTH_LIMIT_PER_IP, perAccount: e.AUTH_LIMIT_PER_ACCOUNT },
    watchlist: { maxSize: e.MAX_WATCHLIST_SIZE },
    quotes: {
      provider: e.QUOTE_PROVIDER,
      fetchIntervalMs: e.FETCH_INTERVAL_MS,
      alphaVantageApiKey: e.ALPHA_VANTAGE_API_KEY,
      /** Provider requests go to this origin, same paths, when set: a local stub in tests and benchmarks, or an egress proxy. */
      upstreamUrl: e.QUOTE_UPSTREAM_URL ? new URL(e.QUOTE_UPSTREAM_URL).origin : undefined,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      /** Across every worker and web process together. */
      upstreamRequestsPerSecond: e.UPSTREAM_REQUESTS_PER_SECOND,
      /** Share of the budget (per second and per day) the scheduler leaves unplanned, for REST misses and retries. */
      upstreamReserveShare: e.UPSTREAM_RESERVE_PERCENT / 100,
      /** The provider's quota per quota window (a UTC day unless shortened for tests); undefined: none. */
      upstreamRequestsPerDay: e.UPSTREAM_REQUESTS_PER_DAY,
      upstreamQuotaWindowMs: e.UPSTREAM_QUOTA_WINDOW_MS,
      /** A ticker whose last quote says its market is closed, pre or post is refreshed this often instead. */
      marketStateIntervals: { closed: e.QUOTE_CLOSED_INTERVAL_MS, pre: e.QUOTE_PRE_INTERVAL_MS, post: e.QUOTE_POST_INTERVAL_MS },
      /** How often a process writes the quotes it fetched to PostgreSQL (one upsert per flush). */
      archiveFlushMs: e.QUOTE_ARCHIVE_FLUSH_MS,
      /** How long a tick waits for the watchlists before it uses the last known demand kept in Redis. */
      demandDatabaseTimeoutMs: e.DEMAND_DATABASE_TIMEOUT_MS,
    },
    /** The public market-data routes: cache lifetimes (Redis, then PostgreSQL) and the per-IP limit. */
    market: {
      quoteTtlSeconds: e.QUOTE_CACHE_TTL_SECONDS,
      searchTtlSeconds: e.SEARCH_CACHE_TTL_SECONDS,
      chartTtlSeconds: e.CHART_CACHE_TTL_SECONDS,
      overviewTtlSeconds: e.OVERVIEW_CACHE_TTL_SECONDS,
      publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    },
    worker: { concurrency: e.WORKER_CONCURRENCY },
    /** The nice value the worker and the scheduler run at, so they give way to the web on a shared core (0: as started). */
    backgroundNice: e.BACKGROUND_NICE,
    /** Most tickers one socket may hold, and messages per second it may send before it is slowed down. */
    sockets: { maxSubscriptions: e.SOCKET_MAX_SUBSCRIPTIONS, messagesPerSecond: e.SOCKET_MESSAGES_PER_SECOND },
    /** HTTP Basic credentials of operators (BULL_BOARD_USERNAME / _PASSWORD): without them, no Bull Board and no /metrics. */
    operators: { credentials: e.BULL_BOARD_USERNAME && e.BULL_BOARD_PASSWORD !== undefined ? { username: e.BULL_BOARD_USERNAME, password: e.BULL_BOARD_PASSWORD } : undefined },
    /** Bull Board at /admin/queues. */
    bullBoard: { readOnly: e.BULL_BOARD_READ_ONLY },
    health: { timeoutMs: e.HEALTH_TIMEOUT_MS },
    /** How often each process publishes its metrics registry to Redis for /metrics. */
    metrics: { publishIntervalMs: e.METRICS_PUBLISH_MS },
    shutdown: { timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    /** `npm start` only: how many web processes it runs (the first on PORT, the next on PORT+1, ...). */
    launcher: { webProcesses: e.WEB_PROCESSES },
    /** Where the local PostgreSQL and Redis keep their data (per environment), and their ports. */
    localInfra: {
      dataDir: path.resolve(cwd, e.DATA_DIR, e.NODE_ENV),
      postgresPort: e.LOCAL_POSTGRES_PORT,
      redisPort: e.LOCAL_REDIS_PORT,
      seedDemoUser: e.SEED_DEMO_USER,
    },
  };
}
