// Symbol search for REST: cached per normalised query (SEARCH_CACHE_TTL_SECONDS), fetched once
// across processes on a miss, the last known results served when the provider fails.
import type { SearchResult } from '../providers/provider.js';
import { serveDocument, type DocumentServiceDeps, type Served } from './serve-document.js';

/** Results per search: a screenful, as Yahoo's own search box shows. */
export const SEARCH_RESULT_LIMIT = 10;

export interface SearchService {
  /** `query` already trimmed and validated; results best first. */
  search(query: string): Promise<Served<readonly SearchResult[]>>;
}

export type SearchServiceDeps = DocumentServiceDeps<readonly SearchResult[]>;

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
