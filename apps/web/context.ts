// Everything the web process holds: connections, services and limiters, built once from config.
// main.ts and the integration tests build the app from the same context.
import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/platform/logger.js';
import { initOrm, type Orm } from '../../lib/db/orm.js';
import { closeClients, createBullConnection, createCacheClient, type Redis } from '../../lib/redis/connections.js';
import { redisKeys } from '../../lib/redis/keys.js';
import { createProbeSet } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { openQueue, type TypedQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { createTokenService, type TokenService } from '../../lib/auth/tokens.js';
import { createAccountsService, type AccountsService } from '../../lib/accounts/accounts-service.js';
import { createKnownUsers, type KnownUsers } from '../../lib/accounts/known-users.js';
import { createWatchlistService, type WatchlistService } from '../../lib/watchlists/watchlist-service.js';
import { quoteCacheReader, type QuoteCacheReader } from '../../lib/quotes/quote-cache.js';
import { staleAfterPolicy } from '../../lib/quotes/freshness.js';
import { upstreamStatusBoard } from '../../lib/upstream/upstream-status.js';
import { watchedDemandStatus } from '../../lib/demand/last-known-demand.js';
import { readBudgetReport } from '../../lib/upstream/budget-report.js';
import { createLimiter, type Limiter } from '../../lib/client-limits/limiter.js';
import { createMarketData, type MarketData } from '../../lib/rest-market/market-data.js';
import type { QuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { createHealthReporter, type HealthReporter } from './health-report.js';
import type { AuthLimiters } from './routes/auth.js';

export interface WebContext {
  readonly orm: Orm;
  readonly cache: Redis;
  readonly bull: Redis;
  readonly quotesQueue: TypedQueue<typeof QUEUE_NAMES.quotes>;
  readonly scheduleQueue: TypedQueue<typeof QUEUE_NAMES.schedule>;
  readonly health: HealthReporter;
  readonly tokens: TokenService;
  readonly accounts: AccountsService;
  /** Whether a user still exists, for the socket handshake: remembered, batched, invalidated on deletion. */
  readonly users: KnownUsers;
  readonly watchlists: WatchlistService;
  readonly quotes: QuoteCacheReader;
  readonly authLimiters: AuthLimiters;
  /** Quotes, search, charts and the market overview for the public REST routes. */
  readonly market: MarketData;
  /** Per-IP limit of the market-data routes. */
  readonly publicLimiter: Limiter;
  /** Closes queues, the quote archive's writes in flight, Redis and the database (the ORM and the LISTEN connection), in that order. */
  close(): Promise<void>;
}

export async function createWebContext(config: Config, logger: Logger, options: { quoteMetrics?: QuoteMetrics } = {}): Promise<WebContext> {
  const orm = await initOrm({ url: config.database.url, queryTimeoutMs: config.database.queryTimeoutMs }, logger);
  const cache = createCacheClient(config.redis.url, logger);
  const bull = createBullConnection(config.redis.url, logger);
  const keys = redisKeys(config.redis.prefix);
  const queueSettings = { connection: bull, prefix: config.redis.prefix, logger };
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, queueSettings);
  const scheduleQueue = openQueue(QUEUE_NAMES.schedule, queueSettings);
  const probes = createProbeSet([databaseProbe(orm), redisProbe(cache)], logger, config.health.timeoutMs);
  const { windowSeconds, perIp, perAccount } = config.authLimits;
  const limiter = (name: string, points: number) => createLimiter(cache, keys.rateLimit(name), { points, windowSeconds });
  const users = createKnownUsers(orm, { url: config.database.url, timeoutMs: config.database.queryTimeoutMs, logger });
  const market = createMarketData({ config, redis: cache, publisher: bull, keys, orm, logger, metrics: options.quoteMetrics });

  return {
    orm,
    cache,
    bull,
    quotesQueue,
    scheduleQueue,
    health: createHealthReporter({
      config,
      probes,
      queue: quotesQueue,
      upstream: upstreamStatusBoard(cache, keys, config.quotes.provider),
      demand: () => watchedDemandStatus(cache, keys, config.quotes.fetchIntervalMs),
      budget: () => readBudgetReport(cache, keys, market.gate, config.quotes.upstreamRequestsPerSecond),
    }),
    tokens: createTokenService(config.auth),
    accounts: createAccountsService(orm, { bcryptRounds: config.auth.bcryptSaltRounds }),
    users,
    watchlists: createWatchlistService(orm, { maxSize: config.watchlist.maxSize }),
    quotes: quoteCacheReader(cache, keys, { staleAfterMs: staleAfterPolicy(config.quotes.fetchIntervalMs, config.market.quoteTtlSeconds * 1000, config.quotes.marketStateIntervals) }),
    authLimiters: {
      registerPerIp: limiter('register:ip', perIp),
      registerPerAccount: limiter('register:account', perAccount),
      loginPerIp: limiter('login:ip', perIp),
      loginPerAccount: limiter('login:account', perAccount),
    },
    market,
    publicLimiter: createLimiter(cache, keys.rateLimit('public:ip'), { points: config.market.publicRateLimitPerMinute, windowSeconds: 60 }),
    async close() {
      await Promise.all([quotesQueue.close(), scheduleQueue.close()]);
      await market.close();
      await closeClients([cache, bull]);
      users.close();
      await orm.close();
    },
  };
}
