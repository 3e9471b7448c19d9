// Everything the web process holds: connections, services and limiters, built once from config.
// main.ts and the integration tests build the app from the same context.
import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/platform/logger.js';
import { openConnections } from '../../lib/process/connections.js';
import { createProbeSet } from '../../lib/platform/health.js';
import { databaseProbe, redisProbe } from '../../lib/platform/probes.js';
import { openQueue } from '../../lib/queues/queues.js';
import { QUEUE_NAMES } from '../../lib/queues/names.js';
import { createTokenService } from '../../lib/auth/tokens.js';
import { createAccountsService } from '../../lib/accounts/accounts-service.js';
import { createKnownUsers } from '../../lib/accounts/known-users.js';
import { createWatchlistService } from '../../lib/watchlists/watchlist-service.js';
import { upstreamStatusBoard } from '../../lib/upstream/upstream-status.js';
import { watchedDemandStatus } from '../../lib/demand/last-known-demand.js';
import { readBudgetReport } from '../../lib/upstream/budget-report.js';
import { createLimiter } from '../../lib/client-limits/limiter.js';
import { createMarketData } from '../../lib/rest-market/market-data.js';
import type { QuoteMetrics } from '../../lib/metrics/quote-metrics.js';
import { createHealthReporter } from './health-report.js';

export type WebContext = Awaited<ReturnType<typeof createWebContext>>;

export async function createWebContext(config: Config, logger: Logger, options: { quoteMetrics?: QuoteMetrics } = {}) {
  const { orm, bull, cache, keys, queueSettings, closeRedis } = await openConnections(config, logger);
  const quotesQueue = openQueue(QUEUE_NAMES.quotes, queueSettings);
  const scheduleQueue = openQueue(QUEUE_NAMES.schedule, queueSettings);
  const { windowSeconds, perIp, perAccount } = config.authLimits;
  const limiter = (name: string, points: number) => createLimiter(cache, keys.rateLimit(name), { points, windowSeconds });
  const users = createKnownUsers(orm, { url: config.database.url, timeoutMs: config.database.queryTimeoutMs, logger });
  const market = createMarketData({ config, cache, publisher: bull, keys, orm, logger, metrics: options.quoteMetrics });

  return {
    orm,
    cache,
    quotesQueue,
    scheduleQueue,
    health: createHealthReporter({
      config,
      probes: createProbeSet([databaseProbe(orm), redisProbe(cache)], logger, config.health.timeoutMs),
      queue: quotesQueue,
      upstream: upstreamStatusBoard(cache, keys, config.quotes.provider),
      demand: () => watchedDemandStatus(cache, keys, config.quotes.fetchIntervalMs),
      budget: () => readBudgetReport(cache, keys, market.gate, config.quotes.upstreamRequestsPerSecond),
    }),
    tokens: createTokenService(config.auth),
    accounts: createAccountsService(orm, { bcryptRounds: config.auth.bcryptSaltRounds }),
    // Whether a user still exists, for the socket handshake: remembered, batched, invalidated on deletion.
    users,
    watchlists: createWatchlistService(orm, { maxSize: config.watchlist.maxSize }),
    quotes: market.quoteReader,
    authLimiters: {
      registerPerIp: limiter('register:ip', perIp),
      registerPerAccount: limiter('register:account', perAccount),
      loginPerIp: limiter('login:ip', perIp),
      loginPerAccount: limiter('login:account', perAccount),
    },
    market,
    publicLimiter: createLimiter(cache, keys.rateLimit('public:ip'), { points: config.market.publicRateLimitPerMinute, windowSeconds: 60 }),
    // Queues, the quote archive's writes in flight, Redis, then the database (the ORM and the LISTEN connection).
    async close() {
      await Promise.all([quotesQueue.close(), scheduleQueue.close()]);
      await market.close();
      await closeRedis();
      users.close();
      await orm.close();
    },
  };
}
