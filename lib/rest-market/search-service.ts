// Symbol search for REST: cached per normalised query (SEARCH_CACHE_TTL_SECONDS), fetched once
// across processes on a miss, the last known results served when the provider fails.
import type { Logger } from '../platform/logger.js';
import type { QuoteProvider, SearchResult } from '../providers/provider.js';
import type { RedisKeys } from '../redis/keys.js';
import type { DocumentCache } from './document-cache.js';
import { serveDocument, type Served } from './serve-document.js';
import type { SingleFlight } from './single-flight.js';
import type { UpstreamCall } from './upstream-call.js';

/** Results per search: a screenful, as Yahoo's own search box shows. */
export const SEARCH_RESULT_LIMIT = 10;

export interface SearchService {
  /** `query` already trimmed and validated; results best first. */
  search(query: string): Promise<Served<readonly SearchResult[]>>;
}

export interface SearchServiceDeps {
  readonly provider: QuoteProvider;
  readonly call: UpstreamCall;
  readonly cache: DocumentCache<readonly SearchResult[]>;
  readonly keys: RedisKeys;
  readonly flight: SingleFlight;
  readonly logger: Logger;
}

/** Queries that differ only in case or spacing share one cache entry. */
export const normalizeQuery = (query: string) => query.trim().replace(/\s+/g, ' ').toLowerCase();

export function createSearchService({ provider, call, cache, keys, flight, logger }: SearchServiceDeps): SearchService {
  return {
    search(query) {
      const normalized = normalizeQuery(query);
      return serveDocument({
        cache,
        key: keys.searchResults(normalized),
        flight,
        flightName: `search:${normalized}`,
        load: () => call('search', () => provider.search(normalized, SEARCH_RESULT_LIMIT)),
        logger,
      });
    },
  };
}
