// The typed, frozen shape the rest of the code receives; built from the parsed environment.
import path from 'node:path';
import { parseEnv, type NodeEnv } from './schema.js';

export interface Config {
  readonly env: NodeEnv;
  readonly isProduction: boolean;
  readonly version: string;
  readonly http: { readonly host: string; readonly port: number; readonly corsOrigins: readonly string[] };
  readonly log: { readonly level: string; readonly pretty: boolean };
  readonly redis: {
    readonly url: string;
    /** Prefix of every key Tickwire writes: queues, caches, rate limits. */
    readonly prefix: string;
    /** True when REDIS_URL was not given and a local redis-server is ours to start. */
    readonly local: boolean;
  };
  readonly database: {
    readonly url: string;
    /** True when DATABASE_URL was not given and an embedded PostgreSQL is ours to start. */
    readonly embedded: boolean;
    /**
     * Longest one query of a web, worker or scheduler process may take (the server cancels it, and
     * the client gives up on a server that stopped answering): a request meets a frozen database
     * with a 503 within seconds rather than hanging.
     */
    readonly queryTimeoutMs: number;
  };
  readonly auth: {
    readonly jwtSecret: string;
    readonly jwtExpiresInSeconds: number;
    readonly jwtIssuer: string;
    readonly jwtAudience: string;
    readonly bcryptSaltRounds: number;
  };
  /** Abuse limits on register and login, counted in Redis so they hold across web processes. */
  readonly authLimits: {
    readonly windowSeconds: number;
    readonly perIp: number;
    readonly perAccount: number;
  };
  readonly watchlist: { readonly maxSize: number };
  readonly quotes: {
    readonly provider: 'yahoo' | 'alphavantage' | 'simulated';
    readonly fetchIntervalMs: number;
    readonly alphaVantageApiKey: string | undefined;
    /**
     * When set, provider requests go to this origin instead of the provider's own hosts, with the
     * same paths: for a local stub in tests and benchmarks, or an egress proxy.
     */
    readonly upstreamUrl: string | undefined;
    readonly upstreamTimeoutMs: number;
    /** Upstream requests per second, across every worker and web process together. */
    readonly upstreamRequestsPerSecond: number;
    /**
     * Share of the upstream budget (per second and per day) the scheduler leaves unplanned, for
     * REST misses and retries, as a fraction (UPSTREAM_RESERVE_PERCENT / 100).
     */
    readonly upstreamReserveShare: number;
    /** The provider's quota per quota window (a UTC day by default); undefined: no daily quota. */
    readonly upstreamRequestsPerDay: number | undefined;
    /** Length of the quota "day", aligned to the epoch (86 400 000: UTC days); shorter only for tests. */
    readonly upstreamQuotaWindowMs: number;
    /**
     * Refresh intervals by market state: a ticker whose last quote says its market is closed (or
     * in pre- or post-market) is refreshed this often instead of every FETCH_INTERVAL_MS.
     */
    readonly marketStateIntervals: { readonly closed: number; readonly pre: number; readonly post: number };
    /** How often a process writes the quotes it fetched to PostgreSQL (one upsert per flush). */
    readonly archiveFlushMs: number;
    /**
     * Socket deliveries (tickers × their live subscribers) one wave should cause at most: past it
     * the scheduler cuts a tick into more, smaller waves, within the upstream budget.
     */
    readonly waveMaxDeliveries: number;
    /**
     * How long a scheduler tick waits for the watchlists in PostgreSQL before it uses the last
     * known demand (kept in Redis) instead, so quotes keep flowing while the database is away.
     */
    readonly demandDatabaseTimeoutMs: number;
  };
  /** The public market-data routes: cache lifetimes (Redis, then PostgreSQL) and the per-IP limit. */
  readonly market: {
    readonly quoteTtlSeconds: number;
    readonly searchTtlSeconds: number;
    readonly chartTtlSeconds: number;
    readonly overviewTtlSeconds: number;
    readonly publicRateLimitPerMinute: number;
  };
  readonly worker: { readonly concurrency: number };
  readonly sockets: {
    /** Most tickers one socket may be subscribed to at once. */
    readonly maxSubscriptions: number;
    /** Messages per second one socket may send before it is slowed down. */
    readonly messagesPerSecond: number;
  };
  /** HTTP Basic credentials of operators (BULL_BOARD_USERNAME / _PASSWORD): without them, no Bull Board and no /metrics. */
  readonly operators: { readonly credentials: { readonly username: string; readonly password: string } | undefined };
  /** Bull Board at /admin/queues. */
  readonly bullBoard: { readonly readOnly: boolean };
  readonly health: { readonly timeoutMs: number };
  /** Prometheus metrics: how often each process publishes its registry to Redis for /metrics. */
  readonly metrics: { readonly publishIntervalMs: number };
  readonly shutdown: { readonly timeoutMs: number };
  /** `npm start` only: how many web processes it runs (the first on PORT, the next on PORT+1, ...). */
  readonly launcher: { readonly webProcesses: number };
  readonly localInfra: {
    /** Where the local PostgreSQL and Redis keep their data, per environment. */
    readonly dataDir: string;
    readonly postgresPort: number;
    readonly redisPort: number;
    readonly seedDemoUser: boolean;
  };
}

/** Credentials of the embedded PostgreSQL cluster; it only listens on 127.0.0.1. */
export const LOCAL_POSTGRES = { user: 'tickwire', password: 'tickwire', database: 'tickwire' } as const;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function buildConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: { cwd?: string; version?: string } = {},
): Config {
  const e = parseEnv(env);
  const cwd = options.cwd ?? process.cwd();
  const localPostgresUrl = `postgres://${LOCAL_POSTGRES.user}:${LOCAL_POSTGRES.password}@127.0.0.1:${e.LOCAL_POSTGRES_PORT}/${LOCAL_POSTGRES.database}`;
  return deepFreeze({
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    version: options.version ?? '0.0.0',
    http: { host: e.HOST, port: e.PORT, corsOrigins: e.CORS_ORIGINS },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_FORMAT === 'pretty' },
    redis: { url: e.REDIS_URL ?? `redis://127.0.0.1:${e.LOCAL_REDIS_PORT}`, prefix: e.REDIS_PREFIX, local: !e.REDIS_URL },
    database: { url: e.DATABASE_URL ?? localPostgresUrl, embedded: !e.DATABASE_URL, queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS },
    auth: {
      // parseEnv guarantees a secret (production: a strong one).
      jwtSecret: e.JWT_SECRET!,
      jwtExpiresInSeconds: e.JWT_EXPIRES_IN,
      jwtIssuer: e.JWT_ISSUER,
      jwtAudience: e.JWT_AUDIENCE,
      bcryptSaltRounds: e.BCRYPT_SALT_ROUNDS,
    },
    authLimits: { windowSeconds: e.AUTH_LIMIT_WINDOW_SECONDS, perIp: e.AUTH_LIMIT_PER_IP, perAccount: e.AUTH_LIMIT_PER_ACCOUNT },
    watchlist: { maxSize: e.MAX_WATCHLIST_SIZE },
    quotes: {
      provider: e.QUOTE_PROVIDER,
      fetchIntervalMs: e.FETCH_INTERVAL_MS,
      alphaVantageApiKey: e.ALPHA_VANTAGE_API_KEY,
      upstreamUrl: e.QUOTE_UPSTREAM_URL ? new URL(e.QUOTE_UPSTREAM_URL).origin : undefined,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      upstreamRequestsPerSecond: e.UPSTREAM_REQUESTS_PER_SECOND,
      upstreamReserveShare: e.UPSTREAM_RESERVE_PERCENT / 100,
      upstreamRequestsPerDay: e.UPSTREAM_REQUESTS_PER_DAY,
      upstreamQuotaWindowMs: e.UPSTREAM_QUOTA_WINDOW_MS,
      marketStateIntervals: { closed: e.QUOTE_CLOSED_INTERVAL_MS, pre: e.QUOTE_PRE_INTERVAL_MS, post: e.QUOTE_POST_INTERVAL_MS },
      archiveFlushMs: e.QUOTE_ARCHIVE_FLUSH_MS,
      waveMaxDeliveries: e.QUOTE_WAVE_MAX_DELIVERIES,
      demandDatabaseTimeoutMs: e.DEMAND_DATABASE_TIMEOUT_MS,
    },
    market: {
      quoteTtlSeconds: e.QUOTE_CACHE_TTL_SECONDS,
      searchTtlSeconds: e.SEARCH_CACHE_TTL_SECONDS,
      chartTtlSeconds: e.CHART_CACHE_TTL_SECONDS,
      overviewTtlSeconds: e.OVERVIEW_CACHE_TTL_SECONDS,
      publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    },
    worker: { concurrency: e.WORKER_CONCURRENCY },
    sockets: { maxSubscriptions: e.SOCKET_MAX_SUBSCRIPTIONS, messagesPerSecond: e.SOCKET_MESSAGES_PER_SECOND },
    operators: { credentials: e.BULL_BOARD_USERNAME && e.BULL_BOARD_PASSWORD !== undefined ? { username: e.BULL_BOARD_USERNAME, password: e.BULL_BOARD_PASSWORD } : undefined },
    bullBoard: { readOnly: e.BULL_BOARD_READ_ONLY },
    health: { timeoutMs: e.HEALTH_TIMEOUT_MS },
    metrics: { publishIntervalMs: e.METRICS_PUBLISH_MS },
    shutdown: { timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    launcher: { webProcesses: e.WEB_PROCESSES },
    localInfra: {
      dataDir: path.resolve(cwd, e.DATA_DIR, e.NODE_ENV),
      postgresPort: e.LOCAL_POSTGRES_PORT,
      redisPort: e.LOCAL_REDIS_PORT,
      seedDemoUser: e.SEED_DEMO_USER,
    },
  });
}
