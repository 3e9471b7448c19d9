// Provider answers (search results, charts, the market overview) cached in Redis as one key each:
// the answer and when it was stored. It is fresh for its lifetime; the key itself lives much
// longer (and always under a TTL), so the last known answer can stand in while the provider fails.
// The read path: a fresh cached answer; else one fetch from the provider (single flight across
// processes), stored for the others; else, when the provider fails, the last known answer marked
// stale; else 503 UPSTREAM_UNAVAILABLE.
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.js';
import type { QuoteProvider } from '../providers/provider.js';
import type { RedisKeys } from '../redis/keys.js';
import type { UpstreamGate } from '../upstream/upstream-gate.js';
import { isSymbolNotFound, isUpstreamFailure, upstreamUnavailable } from './market-errors.js';
import type { SingleFlight } from './single-flight.js';

/** How long a last known answer is kept for stale serving, unless its lifetime is longer still. */
const LAST_KNOWN_RETENTION_SECONDS = 24 * 3600;

/** `stale`: the provider failed and this is the last known answer, older than its lifetime. */
export type ServeDocument<T> = (request: {
  /** Redis key of the cached answer, which also names its fetch among all web processes. */
  readonly key: string;
  readonly load: () => Promise<T>;
  /** Run on each look while another process fetches; may throw (an unknown symbol it found, say). */
  readonly whileWaiting?: () => Promise<void>;
}) => Promise<{ value: T; stale: boolean }>;

/** What a REST service serving provider documents needs. */
export interface DocumentServiceDeps<T> {
  readonly provider: QuoteProvider;
  /** One gated upstream request: the shared request budget, and the shared pause a 429 closes. */
  readonly call: UpstreamGate['call'];
  readonly keys: RedisKeys;
  readonly serve: ServeDocument<T>;
}

export function documentServer<T>(redis: Redis, flight: SingleFlight, logger: Logger, lifetimeSeconds: number): ServeDocument<T> {
  const lifetimeMs = lifetimeSeconds * 1000;
  const retentionSeconds = Math.max(lifetimeSeconds, LAST_KNOWN_RETENTION_SECONDS);

  async function read(key: string) {
    // Redis away or an entry that does not parse: no cached answer, so the provider is asked.
    try {
      const text = await redis.get(key);
      if (!text) return undefined;
      const { value, storedAt } = JSON.parse(text) as { value: T; storedAt: number };
      return { value, storedAt, fresh: Date.now() - storedAt <= lifetimeMs };
    } catch {
      return undefined;
    }
  }

  return async ({ key, load, whileWaiting }) => {
    const cached = await read(key);
    if (cached?.fresh) return { value: cached.value, stale: false };
    try {
      const value = await flight.run(key, {
        lead: async () => {
          const loaded = await load();
          // Not stored (Redis away) is no reason to withhold the answer from this request.
          await redis
            .set(key, JSON.stringify({ storedAt: Date.now(), value: loaded }), 'EX', retentionSeconds)
            .catch((error: unknown) => logger.warn({ err: (error as Error).message, key }, 'could not cache a provider answer'));
          return loaded;
        },
        follow: async () => {
          const stored = await read(key);
          if (stored?.fresh) return stored.value;
          await whileWaiting?.();
          return undefined;
        },
      });
      return { value, stale: false };
    } catch (error) {
      if (isSymbolNotFound(error)) throw error;
      if (cached) {
        logger.warn({ err: (error as Error).message, key, ageMs: Date.now() - cached.storedAt }, 'provider failed; serving the last known answer');
        return { value: cached.value, stale: true };
      }
      if (!isUpstreamFailure(error)) logger.error({ err: error, key }, 'fetch failed for a reason other than the provider');
      throw upstreamUnavailable(error);
    }
  };
}
