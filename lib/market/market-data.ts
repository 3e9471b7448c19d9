// The market-data services of a web process, wired from config: the provider behind the shared
// gate, the refresh use case (as the workers run it) behind a batcher for REST misses, one single
// flight for every resource, and the Redis caches with their lifetimes.
import type { Config } from '../../config/index.js';
import type { Orm } from '../db/orm.js';
import type { QuoteMetrics } from '../metrics/quote-metrics.js';
import type { Logger } from '../platform/logger.js';
import { createProvider } from '../providers/index.js';
import type { ChartPoint, SearchResult } from '../providers/provider.js';
import { createArchiveWriter, type ArchiveWriter } from '../quotes/archive-writer.js';
import { staleAfterPolicy } from '../quotes/freshness.js';
import { createQuoteBatcher } from '../quotes/quote-batcher.js';
import { quoteArchive } from '../quotes/quote-archive.js';
import { quoteCacheReader } from '../quotes/quote-cache.js';
import { createQuotePublisher } from '../quotes/quote-publisher.js';
import { createQuoteStore } from '../quotes/quote-store.js';
import { createQuoteRefresher, type RefreshOutcome } from '../quotes/refresh-quotes.js';
import { unknownSymbols } from '../quotes/unknown-symbols.js';
import { createUpstreamGate, upstreamBudgetOf, type UpstreamGate } from '../quotes/upstream-gate.js';
import { upstreamStatusBoard } from '../quotes/upstream-status.js';
import { createQuoteEmitter } from '../realtime/emitter.js';
import type { Redis } from '../redis/connections.js';
import type { RedisKeys } from '../redis/keys.js';
import { chartOptionsOf, type ChartOptions } from './chart-options.js';
import { createChartService, type ChartService } from './chart-service.js';
import { documentCache } from './document-cache.js';
import { createOverviewService, type MarketOverview, type OverviewService } from './overview-service.js';
import { createQuoteService, type QuoteService } from './quote-service.js';
import { createSearchService, type SearchService } from './search-service.js';
import { createSingleFlight } from './single-flight.js';
import type { UpstreamCall } from './upstream-call.js';

/** How long REST misses for different symbols wait to share one provider request. */
const BATCH_WINDOW_MS = 5;

export interface MarketData {
  readonly quotes: QuoteService;
  readonly search: SearchService;
  readonly charts: ChartService;
  readonly overview: OverviewService;
  /** What the configured provider can chart, for validating requests. */
  readonly chartOptions: ChartOptions;
  /** The upstream gate this process's requests go through (its state: the pause and the quota). */
  readonly gate: UpstreamGate;
  /** The write-behind of quotes this process fetched; flushed on close. */
  readonly archive: ArchiveWriter;
  close(): Promise<void>;
}

export interface MarketDataDeps {
  readonly config: Config;
  /** A fail-fast cache client. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly orm: Orm;
  readonly logger: Logger;
  /** Optional: counts this process's upstream requests and the quotes it emits. */
  readonly metrics?: QuoteMetrics | undefined;
}

export function createMarketData({ config, redis, keys, orm, logger, metrics }: MarketDataDeps): MarketData {
  const log = logger.child({ component: 'market-data' });
  const provider = createProvider(config, { redis, keys, logger });
  const gate = createUpstreamGate(redis, keys, provider.name, { ...upstreamBudgetOf(config), logger: log, observer: metrics?.upstream });
  const store = createQuoteStore(redis, keys);
  const redisEmitter = createQuoteEmitter(redis, keys.socketIo, (error) => log.debug({ err: String(error) }, 'stock_update publish failed'));
  const emitter = metrics ? metrics.countEmits(redisEmitter) : redisEmitter;
  const unknown = unknownSymbols(redis, keys);
  const archiveStore = quoteArchive(orm);
  const archive = createArchiveWriter({ archive: archiveStore, flushIntervalMs: config.quotes.archiveFlushMs, logger: log });
  const refresh = createQuoteRefresher({ provider, gate, store, emitter, unknown, status: upstreamStatusBoard(redis, keys, provider.name), logger: log, archive, observeBatch: metrics?.observeBatch });
  const batcher = createQuoteBatcher<RefreshOutcome>({
    maxBatch: provider.capabilities.maxSymbolsPerRequest,
    windowMs: BATCH_WINDOW_MS,
    waveTimeoutMs: BATCH_WINDOW_MS,
    fetchBatch: refresh,
  });
  const fetchQuote = (symbol: string) => batcher.request(symbol);
  // Long enough for a session refresh plus the request itself; a dead holder frees it by then.
  const flight = createSingleFlight(redis, keys, { lockMs: 2 * config.quotes.upstreamTimeoutMs + 1000, logger: log });
  const call: UpstreamCall = (operation, work) => gate.call(operation, work);
  const { quoteTtlSeconds, searchTtlSeconds, chartTtlSeconds, overviewTtlSeconds } = config.market;
  const quoteLifetimeMs = quoteTtlSeconds * 1000;
  const staleAfter = staleAfterPolicy(config.quotes.fetchIntervalMs, quoteLifetimeMs, config.quotes.marketStateIntervals);

  return {
    quotes: createQuoteService({ redis, keys, archive: archiveStore, fetch: fetchQuote, flight, lifetimeMs: quoteLifetimeMs, staleAfterMs: staleAfter, logger: log }),
    search: createSearchService({ provider, call, cache: documentCache<readonly SearchResult[]>(redis, { lifetimeSeconds: searchTtlSeconds }), keys, flight, logger: log }),
    charts: createChartService({ provider, call, cache: documentCache<readonly ChartPoint[]>(redis, { lifetimeSeconds: chartTtlSeconds }), keys, flight, unknown, logger: log }),
    overview: createOverviewService({
      provider,
      call,
      fetchQuote,
      publisher: createQuotePublisher({ store, emitter, archive }),
      reader: quoteCacheReader(redis, keys, { staleAfterMs: staleAfter }),
      quoteLifetimeMs,
      cache: documentCache<MarketOverview>(redis, { lifetimeSeconds: overviewTtlSeconds }),
      keys,
      flight,
      logger: log,
    }),
    chartOptions: chartOptionsOf(provider.capabilities),
    gate,
    archive,
    close: () => archive.close(),
  };
}
