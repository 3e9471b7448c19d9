// The market-data services of a web process, wired from config: the quote pipeline (as the workers
// run it) behind a batcher for REST misses, one single flight for every resource, and the Redis
// caches with their lifetimes.
import { createQuoteBatcher } from '../quotes/quote-batcher.js';
import { quoteCacheReader, staleAfterPolicy } from '../quotes/quote-cache.js';
import { createQuotePipeline, type QuotePipelineDeps, type RefreshOutcome } from '../quotes/quote-pipeline.js';
import { chartOptionsOf } from './chart-options.js';
import { createChartService } from './chart-service.js';
import { createOverviewService } from './overview-service.js';
import { createQuoteService } from './rest-quotes.js';
import { createSearchService } from './search-service.js';
import { documentServer } from './serve-document.js';
import { createSingleFlight } from './single-flight.js';

/** How long REST misses for different symbols wait to share one provider request. */
const BATCH_WINDOW_MS = 5;

/** The pipeline's own deps: the web runs it write-through (QuotePipelineDeps.archive says why). */
export function createMarketData(deps: Omit<QuotePipelineDeps, 'archive'>) {
  const { config, cache: redis, keys, logger } = deps;
  const log = logger.child({ component: 'market-data' });
  const pipeline = createQuotePipeline({ ...deps, logger: log, archive: 'write-through' });
  const { provider, gate, unknown } = pipeline;
  const batcher = createQuoteBatcher<RefreshOutcome>({ maxBatch: provider.capabilities.maxSymbolsPerRequest, windowMs: BATCH_WINDOW_MS, waveTimeoutMs: BATCH_WINDOW_MS, fetchBatch: pipeline.refresh });
  const fetchQuote = (symbol: string) => batcher.request(symbol);
  // Long enough for a session refresh plus the request itself; a dead holder frees it by then.
  const flight = createSingleFlight(redis, keys, { lockMs: 2 * config.quotes.upstreamTimeoutMs + 1000, logger: log });
  const { call } = gate;
  const { quoteTtlSeconds, searchTtlSeconds, chartTtlSeconds, overviewTtlSeconds } = config.market;
  const quoteLifetimeMs = quoteTtlSeconds * 1000;
  const staleAfter = staleAfterPolicy(config.quotes.fetchIntervalMs, quoteLifetimeMs, config.quotes.marketStateIntervals);
  const quoteReader = quoteCacheReader(redis, keys, { staleAfterMs: staleAfter });

  return {
    quotes: createQuoteService({ redis, keys, archive: pipeline.archive, fetch: fetchQuote, flight, lifetimeMs: quoteLifetimeMs, staleAfterMs: staleAfter, logger: log }),
    search: createSearchService({ provider, call, keys, serve: documentServer(redis, flight, log, searchTtlSeconds) }),
    charts: createChartService({ provider, call, keys, serve: documentServer(redis, flight, log, chartTtlSeconds), unknown }),
    overview: createOverviewService({
      provider,
      call,
      fetchQuote,
      publish: pipeline.publish,
      reader: quoteReader,
      quoteLifetimeMs,
      keys,
      serve: documentServer(redis, flight, log, overviewTtlSeconds),
    }),
    chartOptions: chartOptionsOf(provider.capabilities),
    quoteReader,
    gate,
    // Waits for the archive writes still in flight.
    close: () => pipeline.close(),
  };
}
