// Provider answers (search results, charts, the market overview) cached in Redis as one key each:
// the answer and when it was stored. It is fresh for its lifetime; the key itself lives much
// longer (and always under a TTL), so the last known answer can stand in while the provider fails.
import type { Redis } from 'ioredis';

/** How long a last known answer is kept for stale serving, unless its lifetime is longer still. */
export const LAST_KNOWN_RETENTION_SECONDS = 24 * 3600;

export interface CachedDocument<T> {
  readonly value: T;
  /** Date.now() when it was stored. */
  readonly storedAt: number;
  /** Still within its lifetime. */
  readonly fresh: boolean;
}

export interface DocumentCache<T> {
  /** The cached answer; undefined when there is none (or Redis could not be read). */
  read(key: string): Promise<CachedDocument<T> | undefined>;
  write(key: string, value: T): Promise<void>;
}

export function documentCache<T>(redis: Redis, { lifetimeSeconds }: { lifetimeSeconds: number }): DocumentCache<T> {
  const lifetimeMs = lifetimeSeconds * 1000;
  const retentionSeconds = Math.max(lifetimeSeconds, LAST_KNOWN_RETENTION_SECONDS);
  return {
    async read(key) {
      // Redis away or an entry that does not parse: no cached answer, so the provider is asked.
      try {
        const text = await redis.get(key);
        if (!text) return undefined;
        const { value, storedAt } = JSON.parse(text) as { value: T; storedAt: number };
        return { value, storedAt, fresh: Date.now() - storedAt <= lifetimeMs };
      } catch {
        return undefined;
      }
    },
    async write(key, value) {
      await redis.set(key, JSON.stringify({ storedAt: Date.now(), value }), 'EX', retentionSeconds);
    },
  };
}
