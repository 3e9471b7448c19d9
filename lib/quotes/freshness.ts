// How old a cached quote may be before it is reported `stale`, and how long it is kept at all.

/** API.md's quote cache lifetime: a quote older than this (or than three missed refreshes) is stale. */
const QUOTE_LIFETIME_MS = 60_000;

/** A stored quote outlives its freshness so REST can still answer (marked stale) while the provider fails. */
export const QUOTE_RETENTION_SECONDS = 24 * 3600;

export function staleAfterMs(fetchIntervalMs: number): number {
  return Math.max(QUOTE_LIFETIME_MS, 3 * fetchIntervalMs);
}
