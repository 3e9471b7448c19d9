// Symbol search for REST: cached per normalised query (SEARCH_CACHE_TTL_SECONDS), fetched once
// across processes on a miss, the last known results served when the provider fails.
import type { SearchResult } from '../providers/provider.js';
import type { DocumentServiceDeps } from './serve-document.js';

/** Results per search: a screenful, as Yahoo's own search box shows. */
const SEARCH_RESULT_LIMIT = 10;

/** Queries that differ only in case or spacing share one cache entry. */
const normalizeQuery = (query: string) => query.trim().replace(/\s+/g, ' ').toLowerCase();

export function createSearchService({ provider, call, keys, serve }: DocumentServiceDeps<readonly SearchResult[]>) {
  return {
    /** `query` already trimmed and validated; results best first. */
    search(query: string) {
      const normalized = normalizeQuery(query);
      return serve({
        key: keys.searchResults(normalized),
        load: () => call('search', () => provider.search(normalized, SEARCH_RESULT_LIMIT)),
      });
    },
  };
}
