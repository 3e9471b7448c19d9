// How old a cached quote may be before it is reported `stale`, and how long it is kept at all.

/** API.md's default quote cache lifetime: a quote older than this (or than three missed refreshes) is stale. */
const QUOTE_LIFETIME_MS = 60_000;

/** A stored quote outlives its freshness so REST can still answer (marked stale) while the provider fails. */
export const QUOTE_RETENTION_SECONDS = 24 * 3600;

/** `lifetimeMs` is the configured quote lifetime (QUOTE_CACHE_TTL_SECONDS). */
export function staleAfterMs(fetchIntervalMs: number, lifetimeMs = QUOTE_LIFETIME_MS): number {
  return Math.max(lifetimeMs, 3 * fetchIntervalMs);
}
